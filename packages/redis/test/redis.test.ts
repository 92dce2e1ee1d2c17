/**
 * Against the shared Redis (REDIS_URL): consume semantics with ioredis and node-redis, and two
 * verifying HTTP servers with separate clients over the same keys receiving one signed request
 * 100 times at once, of which exactly one must be accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceStore } from '../src/index';
import {
  type ClientKind,
  clientKinds,
  connectClient,
  describeWithRedis,
  redisUrl,
  signedHeaders,
  sleep,
  type TestClient,
  type TestKeys,
  testKeys,
  uniquePrefix,
  type VerifyingServer,
  verifyingServer,
  watchUnhandledRejections,
} from './support';

describeWithRedis('consume on a real Redis', () => {
  describe.each(clientKinds)('%s', (kind) => {
    let redis: TestClient;
    beforeAll(async () => {
      redis = await connectClient(kind, redisUrl);
    });
    afterAll(() => redis.close());

    const inAMinute = () => Date.now() / 1000 + 60;

    it('first use true, a replay false, per keyid', async () => {
      const store = createRedisNonceStore({ client: redis.client, prefix: uniquePrefix() });
      expect(await store.consume('client-1', 'abc', inAMinute())).toBe(true);
      expect(await store.consume('client-1', 'abc', inAMinute())).toBe(false);
      expect(await store.consume('client-1', 'abc', inAMinute())).toBe(false);
      expect(await store.consume('client-2', 'abc', inAMinute())).toBe(true);
      expect(await store.consume('client-1', 'abd', inAMinute())).toBe(true);
      // Length-prefixed keys: ("client-1a", "bc") is not ("client-1", "abc").
      expect(await store.consume('client-1a', 'bc', inAMinute())).toBe(true);
    });

    it('stores "1" under the documented key, living until expiresAt', async () => {
      const prefix = uniquePrefix();
      const now = Date.now() / 1000;
      const store = createRedisNonceStore({ client: redis.client, prefix });
      expect(await store.consume('client-1', 'ttl-check', now + 300)).toBe(true);
      const key = `${prefix}8:client-1ttl-check`;
      expect(store.keyFor('client-1', 'ttl-check')).toBe(key);
      expect(await redis.get(key)).toBe('1');
      const pttl = await redis.pttl(key);
      expect(pttl).toBeLessThanOrEqual(300_000);
      expect(pttl).toBeGreaterThan(295_000);
    });

    it('an expired entry can be used again', async () => {
      const store = createRedisNonceStore({ client: redis.client, prefix: uniquePrefix() });
      const soon = () => Date.now() / 1000 + 0.1;
      expect(await store.consume('client-1', 'short', soon())).toBe(true);
      expect(await store.consume('client-1', 'short', soon())).toBe(false);
      await sleep(250);
      expect(await store.consume('client-1', 'short', soon())).toBe(true);
    });

    it('concurrent checks of one nonce: exactly one first use', async () => {
      const store = createRedisNonceStore({ client: redis.client, prefix: uniquePrefix() });
      const until = inAMinute();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.consume('client-1', 'race', until)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  it('ioredis and node-redis read and write the same keys', async () => {
    const io = await connectClient('ioredis', redisUrl);
    const node = await connectClient('node-redis', redisUrl);
    try {
      const prefix = uniquePrefix();
      const until = Date.now() / 1000 + 60;
      const viaIo = createRedisNonceStore({ client: io.client, prefix });
      const viaNode = createRedisNonceStore({ client: node.client, prefix });
      expect(await viaIo.consume('client-1', 'shared', until)).toBe(true);
      expect(await viaNode.consume('client-1', 'shared', until)).toBe(false);
      expect(await viaNode.consume('client-1', 'other', until)).toBe(true);
      expect(await viaIo.consume('client-1', 'other', until)).toBe(false);
    } finally {
      await io.close();
      await node.close();
    }
  });
});

const pairs: [string, ClientKind, ClientKind][] = [
  ['ioredis + ioredis', 'ioredis', 'ioredis'],
  ['node-redis + node-redis', 'node-redis', 'node-redis'],
  ['ioredis + node-redis', 'ioredis', 'node-redis'],
];

describeWithRedis('two verifying servers, one Redis', () => {
  describe.each(pairs)('%s', (_name, kindA, kindB) => {
    let keys: TestKeys;
    let clients: TestClient[] = [];
    let servers: VerifyingServer[] = [];
    let watch: ReturnType<typeof watchUnhandledRejections>;

    beforeAll(async () => {
      watch = watchUnhandledRejections();
      keys = await testKeys();
      clients = [await connectClient(kindA, redisUrl), await connectClient(kindB, redisUrl)];
      // The same configuration on both instances, as when one service is scaled out.
      const prefix = uniquePrefix();
      servers = await Promise.all(
        clients.map((redis) =>
          verifyingServer(keys.trusted, createRedisNonceStore({ client: redis.client, prefix })),
        ),
      );
    });
    afterAll(async () => {
      watch.stop();
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all(clients.map((redis) => redis.close()));
    });

    it('the same signed request 100 times at once, 50 to each: exactly one is accepted', async () => {
      const headers = await signedHeaders(keys.key);
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (servers[i % 2] as VerifyingServer).send(headers)),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      const refused = answers.filter((answer) => answer.status !== 200);
      expect(refused).toHaveLength(99);
      for (const answer of refused) expect(answer).toEqual({ status: 401, code: 'ERR_HTTPSIG_REPLAY' });
      for (const server of servers) expect(server.crashes).toEqual([]);
      expect(watch.reasons).toEqual([]);
    });

    it('a fresh signature is accepted by either server once', async () => {
      for (const [first, second] of [
        [0, 1],
        [1, 0],
      ] as const) {
        const headers = await signedHeaders(keys.key);
        expect((await (servers[first] as VerifyingServer).send(headers)).status).toBe(200);
        expect(await (servers[second] as VerifyingServer).send(headers)).toEqual({
          status: 401,
          code: 'ERR_HTTPSIG_REPLAY',
        });
      }
    });
  });
});
