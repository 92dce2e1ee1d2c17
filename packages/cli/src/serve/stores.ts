/** Where `httpsig serve` remembers nonces: in memory, or in a Redis shared by several servers. */
import type { NonceStore } from '@httpsig/core';
import { createRedisNonceStore } from '@httpsig/redis';
import { Redis } from 'ioredis';
import { UsageError } from '../errors';

export interface OpenedStore {
  /** Undefined: the verifier's own in-memory store. */
  readonly store: NonceStore | undefined;
  close(): Promise<void>;
}

/** How long `serve` waits for Redis before it listens anyway (and refuses with 503 until it connects). */
const connectWait = 5000;

export async function openNonceStore(
  spec: string | undefined,
  onError: (error: unknown) => void,
): Promise<OpenedStore> {
  if (spec === undefined || spec === 'memory') return { store: undefined, close: async () => {} };
  if (!/^rediss?:\/\//.test(spec)) {
    throw new UsageError(`--nonce-store must be memory or redis://HOST:PORT, got "${spec}"`, 'serve');
  }
  // Commands fail fast while Redis is down, so requests are refused (503) rather than queued.
  const client = new Redis(spec, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', onError);
  // Connected before the server listens, so the first requests are not refused while it connects.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    client.connect().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, connectWait);
    }),
  ]);
  clearTimeout(timer);
  return {
    store: createRedisNonceStore({ client }),
    close: async () => {
      client.disconnect();
    },
  };
}
