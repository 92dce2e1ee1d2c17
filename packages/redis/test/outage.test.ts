/**
 * Fault injection on a private redis-server (never the shared one): killed mid-run and restarted
 * on the same port, and paused so that it answers too late. The verifier must refuse with 503
 * ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE meanwhile (or accept with failOpen), never crash or hang,
 * and accept again once Redis is back. Both clients run with their defaults (offline queue and
 * endless reconnects), so only the store's timeout bounds a check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceStore } from '../src/index';
import {
  clientKinds,
  connectClient,
  describeWithRedisServer,
  PrivateRedis,
  rawCommand,
  signedHeaders,
  sleep,
  type TestClient,
  type TestKeys,
  testKeys,
  uniquePrefix,
  type VerifyingServer,
  verifyingServer,
  waitFor,
  watchUnhandledRejections,
} from './support';

const unavailable = { status: 503, code: 'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE' };

describeWithRedisServer('Redis outages', () => {
  describe.each(clientKinds)('%s', (kind) => {
    let redis: PrivateRedis;
    let client: TestClient;
    let keys: TestKeys;
    /** Fails closed (the default). */
    let server: VerifyingServer;
    /** Same client and keys, but failOpen. */
    let lenient: VerifyingServer;
    let watch: ReturnType<typeof watchUnhandledRejections>;

    beforeAll(async () => {
      watch = watchUnhandledRejections();
      redis = await PrivateRedis.start();
      keys = await testKeys();
      client = await connectClient(kind, redis.url);
      const prefix = uniquePrefix();
      server = await verifyingServer(
        keys.trusted,
        createRedisNonceStore({ client: client.client, prefix, timeoutMs: 300 }),
      );
      lenient = await verifyingServer(
        keys.trusted,
        createRedisNonceStore({ client: client.client, prefix, timeoutMs: 300, failOpen: true }),
      );
    });
    afterAll(async () => {
      watch.stop();
      await server?.close();
      await lenient?.close();
      await client?.close();
      await redis?.dispose();
    });

    it('Redis stopped mid-run: refused with 503, then accepted again once it is back', async () => {
      const before = await signedHeaders(keys.key);
      expect(await server.send(before)).toEqual({ status: 200 });
      expect(await server.send(before)).toEqual({ status: 401, code: 'ERR_HTTPSIG_REPLAY' });

      await redis.stop();
      // One after another, then several at once: each is refused, none waits forever.
      for (let i = 0; i < 3; i++)
        expect(await server.send(await signedHeaders(keys.key))).toEqual(unavailable);
      const burst = await Promise.all(
        Array.from({ length: 10 }, async () => server.send(await signedHeaders(keys.key))),
      );
      expect(burst).toEqual(Array.from({ length: 10 }, () => unavailable));
      expect(await lenient.send(await signedHeaders(keys.key))).toEqual({ status: 200 });

      await redis.start();
      await waitFor(client.ready, 20_000, `${kind} to reconnect`);
      const after = await signedHeaders(keys.key);
      expect(await server.send(after)).toEqual({ status: 200 });
      expect(await server.send(after)).toEqual({ status: 401, code: 'ERR_HTTPSIG_REPLAY' });

      expect(server.crashes).toEqual([]);
      expect(lenient.crashes).toEqual([]);
      expect(client.errors.length).toBeGreaterThan(0);
      expect(watch.reasons).toEqual([]);
    }, 40_000);

    it('Redis slower than timeoutMs: refused with 503, or accepted with failOpen', async () => {
      await waitFor(client.ready, 20_000, `${kind} to be connected`);
      // Every client of this instance waits for 1.5 s: the SET answers long after the timeout.
      expect(await rawCommand(redis.port, 'CLIENT PAUSE 1500')).toBe('+OK');
      expect(await server.send(await signedHeaders(keys.key))).toEqual(unavailable);
      expect(await lenient.send(await signedHeaders(keys.key))).toEqual({ status: 200 });
      // The late answers arrive and are dropped without an unhandled rejection.
      await sleep(1700);
      const after = await signedHeaders(keys.key);
      expect(await server.send(after)).toEqual({ status: 200 });
      expect(await server.send(after)).toEqual({ status: 401, code: 'ERR_HTTPSIG_REPLAY' });
      expect(server.crashes).toEqual([]);
      expect(watch.reasons).toEqual([]);
    }, 20_000);
  });
});
