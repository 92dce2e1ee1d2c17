/**
 * The store's own logic, through the `set` adapter (no Redis needed): key format, time to live,
 * fail-closed and fail-open behaviour, timeouts; and both real clients against a TCP server that
 * accepts connections but never answers, where only the timeout can end the wait.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { generateKey, type HttpSigError, isHttpSigError } from '@httpsig/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceStore, type SetIfAbsent } from '../src/index';
import {
  clientKinds,
  connectClient,
  signedHeaders,
  sleep,
  type TestClient,
  testKeys,
  verifyingServer,
  watchUnhandledRejections,
} from './support';

/** An adapter backed by a Map, recording each call. */
function mapAdapter() {
  const entries = new Map<string, number>();
  const calls: { key: string; ttlMs: number }[] = [];
  const set: SetIfAbsent = async (key, ttlMs) => {
    calls.push({ key, ttlMs });
    if (entries.has(key)) return false;
    entries.set(key, ttlMs);
    return true;
  };
  return { set, calls, entries };
}

async function refusal(promise: Promise<unknown> | unknown): Promise<HttpSigError> {
  try {
    await promise;
  } catch (error) {
    if (isHttpSigError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

let watch: ReturnType<typeof watchUnhandledRejections>;
beforeAll(() => {
  watch = watchUnhandledRejections();
});
afterAll(() => {
  watch.stop();
  expect(watch.reasons).toEqual([]);
});

describe('keys and time to live', () => {
  it('keys are the prefix, the keyid length, the keyid and the nonce', async () => {
    const { set, calls } = mapAdapter();
    const store = createRedisNonceStore({ set, clock: () => 1000 });
    expect(await store.consume('client-1', 'n0nce', 1300)).toBe(true);
    expect(calls).toEqual([{ key: 'httpsig:nonce:8:client-1n0nce', ttlMs: 300_000 }]);
    expect(store.keyFor('client-1', 'n0nce')).toBe('httpsig:nonce:8:client-1n0nce');
    const custom = createRedisNonceStore({ set, prefix: 'api:', clock: () => 1000 });
    expect(custom.keyFor('k', 'n')).toBe('api:1:kn');
  });

  it('keyid and nonce cannot be shifted into one another', async () => {
    const { set } = mapAdapter();
    const store = createRedisNonceStore({ set });
    const until = Date.now() / 1000 + 60;
    expect(await store.consume('ab', 'c', until)).toBe(true);
    expect(await store.consume('a', 'bc', until)).toBe(true);
    expect(await store.consume('ab', 'c', until)).toBe(false);
    expect(store.keyFor('ab', 'c')).not.toBe(store.keyFor('a', 'bc'));
  });

  it('the time to live is rounded up to whole milliseconds, and at least 1 ms', async () => {
    const { set, calls } = mapAdapter();
    let now = 1000.25;
    const store = createRedisNonceStore({ set, clock: () => now });
    await store.consume('k', 'a', 1001);
    await store.consume('k', 'b', 1000.2500001);
    await store.consume('k', 'c', 999);
    now = 1000;
    await store.consume('k', 'd', 1000);
    expect(calls.map((call) => call.ttlMs)).toEqual([750, 1, 1, 1]);
  });

  it('the default clock is the system clock', async () => {
    const { set, calls } = mapAdapter();
    const store = createRedisNonceStore({ set });
    await store.consume('k', 'n', Date.now() / 1000 + 300);
    const ttl = calls[0]?.ttlMs ?? 0;
    expect(ttl).toBeGreaterThan(299_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('answers what the adapter says: first use true, a replay false', async () => {
    const { set } = mapAdapter();
    const store = createRedisNonceStore({ set });
    const until = Date.now() / 1000 + 60;
    expect(await store.consume('client-1', 'x', until)).toBe(true);
    expect(await store.consume('client-1', 'x', until)).toBe(false);
    expect(await store.consume('client-2', 'x', until)).toBe(true);
  });
});

describe('options and arguments', () => {
  const set: SetIfAbsent = async () => true;

  it('needs exactly one of client and set', () => {
    expect(() => createRedisNonceStore({})).toThrow(TypeError);
    expect(() => createRedisNonceStore({ set, client: { set: () => undefined } })).toThrow(TypeError);
    expect(() => createRedisNonceStore(undefined as never)).toThrow(TypeError);
  });

  it('refuses a client that is neither ioredis nor node-redis', () => {
    expect(() => createRedisNonceStore({ client: { set: () => undefined } })).toThrow(/neither/);
    expect(() => createRedisNonceStore({ client: {} as never })).toThrow(TypeError);
  });

  it('needs a positive, finite timeout', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as never])
      expect(() => createRedisNonceStore({ set, timeoutMs })).toThrow(/timeoutMs/);
  });

  it('refuses malformed arguments even with failOpen', async () => {
    const store = createRedisNonceStore({ set, failOpen: true });
    await expect(store.consume('k', 'n', Number.NaN)).rejects.toThrow(TypeError);
    await expect(store.consume('k', 1 as never, 1)).rejects.toThrow(TypeError);
    await expect(store.consume('k', 'n', 1e300)).rejects.toThrow(TypeError);
  });
});

describe('failures', () => {
  const until = () => Date.now() / 1000 + 60;

  it('an adapter that rejects: refused as unavailable, with the cause kept', async () => {
    const cause = new Error('ECONNREFUSED');
    const store = createRedisNonceStore({ set: () => Promise.reject(cause) });
    const error = await refusal(store.consume('k', 'n', until()));
    expect(error.code).toBe('ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE');
    expect(error.cause).toBe(cause);
    expect(error.message).not.toContain('ECONNREFUSED');
  });

  it('an adapter that throws synchronously: refused as unavailable', async () => {
    const store = createRedisNonceStore({
      set: () => {
        throw new Error('The client is closed');
      },
    });
    expect((await refusal(store.consume('k', 'n', until()))).code).toBe(
      'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
    );
  });

  it('no answer within timeoutMs: refused as unavailable', async () => {
    const store = createRedisNonceStore({ set: () => new Promise<boolean>(() => {}), timeoutMs: 20 });
    const error = await refusal(store.consume('k', 'n', until()));
    expect(error.code).toBe('ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE');
    expect((error.cause as Error).name).toBe('TimeoutError');
  });

  it('a late failure after the timeout is not an unhandled rejection', async () => {
    const store = createRedisNonceStore({
      set: () => sleep(60).then(() => Promise.reject(new Error('late'))),
      timeoutMs: 10,
    });
    const local = watchUnhandledRejections();
    try {
      expect((await refusal(store.consume('k', 'n', until()))).code).toBe(
        'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
      );
      await sleep(120);
      expect(local.reasons).toEqual([]);
    } finally {
      local.stop();
    }
  });

  it('an answer that is not a boolean: refused, never taken as first use', async () => {
    for (const answer of ['QUEUED', undefined, 1]) {
      const store = createRedisNonceStore({ set: (async () => answer) as unknown as SetIfAbsent });
      const error = await refusal(store.consume('k', 'n', until()));
      expect(error.code).toBe('ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE');
    }
  });

  it('onError sees every failure; a throwing onError changes nothing', async () => {
    const seen: HttpSigError[] = [];
    const store = createRedisNonceStore({
      set: () => Promise.reject(new Error('down')),
      onError: (error) => {
        seen.push(error);
        throw new Error('logger broke');
      },
    });
    expect((await refusal(store.consume('k', 'n', until()))).code).toBe(
      'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
    );
    expect(seen.map((error) => error.code)).toEqual(['ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE']);
  });

  it('failOpen accepts when the store fails or is slow, and still reports it', async () => {
    const seen: HttpSigError[] = [];
    const failing = createRedisNonceStore({
      set: () => Promise.reject(new Error('down')),
      failOpen: true,
      onError: (error) => seen.push(error),
    });
    expect(await failing.consume('k', 'n', until())).toBe(true);
    const slow = createRedisNonceStore({ set: () => new Promise(() => {}), failOpen: true, timeoutMs: 10 });
    expect(await slow.consume('k', 'n', until())).toBe(true);
    expect(seen).toHaveLength(1);
    // A replay the store does see is still refused.
    const { set } = mapAdapter();
    const working = createRedisNonceStore({ set, failOpen: true });
    expect(await working.consume('k', 'n', until())).toBe(true);
    expect(await working.consume('k', 'n', until())).toBe(false);
  });

  it('a verifier answers 503 ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE when the store fails', async () => {
    const keys = await testKeys();
    const server = await verifyingServer(
      keys.trusted,
      createRedisNonceStore({ set: () => Promise.reject(new Error('down')) }),
    );
    try {
      expect(await server.send(await signedHeaders(keys.key))).toEqual({
        status: 503,
        code: 'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
      });
      expect(server.crashes).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('the store is consulted only after the signature verified', async () => {
    const keys = await testKeys();
    const impostor = await generateKey('ed25519', { keyid: 'client-1' });
    let calls = 0;
    const server = await verifyingServer(
      keys.trusted,
      createRedisNonceStore({
        set: async () => {
          calls++;
          return true;
        },
      }),
    );
    try {
      expect(await server.send(await signedHeaders(impostor.privateKey))).toEqual({
        status: 401,
        code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
      });
      expect(calls).toBe(0);
      expect((await server.send(await signedHeaders(keys.key))).status).toBe(200);
      expect(calls).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe.each(clientKinds)('%s against a server that never answers', (kind) => {
  let server: Server;
  let port: number;
  const sockets = new Set<Socket>();
  let client: TestClient | undefined;

  beforeAll(async () => {
    // Accepts connections and reads what it is sent, but never writes a byte back.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => {});
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });

  it('the timeout ends the wait: refused as unavailable', async () => {
    client = await connectClient(kind, `redis://127.0.0.1:${port}`, false);
    const store = createRedisNonceStore({ client: client.client, timeoutMs: 200 });
    const error = await refusal(store.consume('client-1', 'n', Date.now() / 1000 + 60));
    expect(error.code).toBe('ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE');
    expect(client.ready()).toBe(false);
  });

  it('with failOpen the request is accepted', async () => {
    client = await connectClient(kind, `redis://127.0.0.1:${port}`, false);
    const store = createRedisNonceStore({ client: client.client, timeoutMs: 100, failOpen: true });
    expect(await store.consume('client-1', 'n', Date.now() / 1000 + 60)).toBe(true);
  });
});
