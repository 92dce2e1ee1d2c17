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

export function openNonceStore(spec: string | undefined, onError: (error: unknown) => void): OpenedStore {
  if (spec === undefined || spec === 'memory') return { store: undefined, close: async () => {} };
  if (!/^rediss?:\/\//.test(spec)) {
    throw new UsageError(`--nonce-store must be memory or redis://HOST:PORT, got "${spec}"`, 'serve');
  }
  // Commands fail fast while Redis is down, so requests are refused (503) rather than queued.
  const client = new Redis(spec, { lazyConnect: false, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', onError);
  return {
    store: createRedisNonceStore({ client }),
    close: async () => {
      client.disconnect();
    },
  };
}
