import { type KeyResolver, verifyMessage } from '@httpsig/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJwksResolver, type JwksResolverOptions, keySource } from '../src/index';
import { delay, json, startServer, type TestServer } from './support/http-server';
import { codeOf, errorOf, NOW, signedRequest, type TestKey, testKey } from './support/keys';

let k1: TestKey;
let k2: TestKey;
let stranger: TestKey;
let server: TestServer | undefined;

beforeAll(async () => {
  [k1, k2, stranger] = await Promise.all([
    testKey('ed25519', 'k1'),
    testKey('ecdsa-p256-sha256', 'k2'),
    testKey('ed25519', 'k1'),
  ]);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A clock the test moves by hand, starting at NOW. */
function manualClock() {
  const clock = { now: NOW, read: () => clock.now };
  return clock;
}

async function jwksServer(handler = json({ keys: [k1.jwk] }, { 'cache-control': 'max-age=3600' })) {
  server = await startServer(handler);
  return server;
}

function resolverFor(target: TestServer, options: Partial<JwksResolverOptions> = {}): KeyResolver {
  return createJwksResolver({
    url: `${target.origin}/jwks.json`,
    allowPrivateNetworks: true,
    allowHttp: true,
    ...options,
  });
}

const message = { method: 'GET', url: 'https://api.example/' };

/** Resolve a keyid as the verifier would. */
function resolve(resolver: KeyResolver, keyid: string, alg?: string) {
  return Promise.resolve(resolver(keyid, alg === undefined ? {} : { alg }, { label: 'sig1', message }));
}

function verify(request: Parameters<typeof verifyMessage>[0], resolver: KeyResolver) {
  return verifyMessage(request, { keys: resolver, requiredComponents: ['@method', '@path'], now: NOW });
}

describe('createJwksResolver end to end', () => {
  it('accepts a request signed by a key in the set and refuses others', async () => {
    const target = await jwksServer();
    const resolver = resolverFor(target);

    const good = await verify(await signedRequest(k1.privateKey, { keyid: 'k1' }), resolver);
    expect(good.keyid).toBe('k1');
    expect(good.alg).toBe('ed25519');
    expect(keySource(good.key)).toEqual({ kind: 'jwks', url: `${target.origin}/jwks.json`, kid: 'k1' });

    // Same keyid, another private key: the signature does not verify with the published key.
    expect(await codeOf(verify(await signedRequest(stranger.privateKey, { keyid: 'k1' }), resolver))).toBe(
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    );
    // A keyid the set does not list.
    expect(await codeOf(verify(await signedRequest(k2.privateKey, { keyid: 'k2' }), resolver))).toBe(
      'ERR_HTTPSIG_UNKNOWN_KEY',
    );
    // The signature's alg cannot switch the algorithm the JWK fixes.
    expect(await codeOf(resolve(resolver, 'k1', 'ecdsa-p256-sha256'))).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
    expect(await codeOf(resolve(resolver, 'k1', 'no-such-alg'))).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('uses the signature alg only to choose between the RSA algorithms of a JWK without alg', async () => {
    const rsa = await testKey('rsa-pss-sha512', 'rsa');
    const { alg: _alg, ...noAlg } = rsa.jwk;
    const target = await jwksServer(json({ keys: [noAlg] }));
    const resolver = resolverFor(target);
    const verified = await verify(
      await signedRequest(rsa.privateKey, { keyid: 'rsa', alg: 'rsa-pss-sha512' }),
      resolver,
    );
    expect(verified.alg).toBe('rsa-pss-sha512');
    expect(await codeOf(verify(await signedRequest(rsa.privateKey, { keyid: 'rsa' }), resolver))).toBe(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
    const pinned = await jwksServer(json({ keys: [{ ...noAlg, alg: 'RS256' }] }));
    expect(await codeOf(resolve(resolverFor(pinned), 'rsa', 'rsa-pss-sha512'))).toBe(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
    expect((await resolve(resolverFor(pinned), 'rsa'))?.alg).toBe('rsa-v1_5-sha256');
  });

  it('skips keys it cannot use and keeps the others', async () => {
    const target = await jwksServer(
      json({
        keys: [
          { kty: 'oct', k: 'c2VjcmV0', kid: 'secret' },
          { ...k2.jwk, kid: 'enc', use: 'enc' },
          { ...k2.jwk, kid: 'ops', key_ops: ['encrypt'] },
          { ...k1.jwk, kid: 'leaked', d: 'AAAA' },
          'not a key',
          k1.jwk,
        ],
      }),
    );
    const resolver = resolverFor(target);
    for (const kid of ['secret', 'enc', 'ops', 'leaked']) {
      expect(await resolve(resolver, kid), kid).toBeUndefined();
    }
    expect((await resolve(resolver, 'k1'))?.alg).toBe('ed25519');
  });

  it('honours nbf and exp on a published key', async () => {
    const target = await jwksServer(
      json({
        keys: [
          { ...k1.jwk, nbf: NOW - 10, exp: NOW + 10 },
          { ...k2.jwk, nbf: NOW + 100 },
        ],
      }),
    );
    const clock = manualClock();
    const resolver = resolverFor(target, { clock: clock.read, cooldown: 0 });
    expect(await resolve(resolver, 'k1')).toBeDefined();
    expect(await codeOf(resolve(resolver, 'k2'))).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
    clock.now = NOW + 11;
    expect(await codeOf(resolve(resolver, 'k1'))).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });

  it('can match keyids against JWK thumbprints, and read the set from a callback', async () => {
    const { kid: _kid, ...anonymous } = k1.jwk;
    let calls = 0;
    const resolver = createJwksResolver({
      fetchJwks: async () => {
        calls++;
        return { keys: [anonymous] };
      },
      match: 'thumbprint',
    });
    const { jwkThumbprint } = await import('@httpsig/core');
    const thumbprint = await jwkThumbprint(k1.publicKey);
    const verified = await verify(await signedRequest(k1.privateKey, { keyid: thumbprint }), resolver);
    expect(verified.keyid).toBe(thumbprint);
    expect(keySource(verified.key)).toEqual({ kind: 'jwks', kid: thumbprint });
    expect(calls).toBe(1);
  });
});

describe('rotation and caching', () => {
  it('refetches once for a new kid, but not again within the cooldown', async () => {
    const published = { keys: [k1.jwk] as JsonWebKey[] };
    const target = await jwksServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
      response.end(JSON.stringify(published));
    });
    const clock = manualClock();
    const resolver = resolverFor(target, { clock: clock.read, cooldown: 30 });
    expect(await resolve(resolver, 'k1')).toBeDefined();
    expect(target.hits).toHaveLength(1);

    published.keys.push(k2.jwk);
    // Within the cooldown the set is not refetched: the new key is not known yet.
    clock.now = NOW + 10;
    expect(await resolve(resolver, 'k2')).toBeUndefined();
    expect(target.hits).toHaveLength(1);

    clock.now = NOW + 31;
    const verified = await verify(await signedRequest(k2.privateKey, { keyid: 'k2' }), resolver);
    expect(verified.alg).toBe('ecdsa-p256-sha256');
    expect(target.hits).toHaveLength(2);

    // Another unknown kid right after: refused without a fetch.
    expect(await resolve(resolver, 'k3')).toBeUndefined();
    expect(target.hits).toHaveLength(2);
    // A removed key stops verifying as soon as a refetch shows it gone.
    published.keys = [k2.jwk];
    clock.now = NOW + 62;
    expect(await resolve(resolver, 'k4')).toBeUndefined();
    expect(target.hits).toHaveLength(3);
    expect(await resolve(resolver, 'k1')).toBeUndefined();
  });

  it('keeps the set for its Cache-Control max-age, within minMaxAge and maxMaxAge', async () => {
    let cacheControl = 'max-age=120';
    const target = await jwksServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': cacheControl });
      response.end(JSON.stringify({ keys: [k1.jwk] }));
    });
    const clock = manualClock();
    const resolver = resolverFor(target, { clock: clock.read, minMaxAge: 30, maxMaxAge: 600 });
    await resolve(resolver, 'k1');
    clock.now = NOW + 119;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(1);
    clock.now = NOW + 121;
    cacheControl = 'max-age=5';
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(2);

    // max-age=5 is raised to minMaxAge (30).
    clock.now = NOW + 121 + 20;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(2);
    clock.now = NOW + 121 + 31;
    cacheControl = 'max-age=999999';
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(3);

    // max-age=999999 is lowered to maxMaxAge (600).
    const fetchedAt = clock.now;
    clock.now = fetchedAt + 599;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(3);
    clock.now = fetchedAt + 601;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(4);
  });

  it('falls back to Expires, then to defaultMaxAge', async () => {
    const clock = manualClock();
    let headers: Record<string, string> = {
      date: new Date(NOW * 1000).toUTCString(),
      expires: new Date((NOW + 200) * 1000).toUTCString(),
    };
    const target = await jwksServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify({ keys: [k1.jwk] }));
    });
    const resolver = resolverFor(target, { clock: clock.read, defaultMaxAge: 50 });
    await resolve(resolver, 'k1');
    clock.now = NOW + 199;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(1);
    clock.now = NOW + 201;
    headers = {};
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(2);
    clock.now = NOW + 201 + 49;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(2);
    clock.now = NOW + 201 + 51;
    await resolve(resolver, 'k1');
    expect(target.hits).toHaveLength(3);
  });

  it('serves the stale set while the endpoint is down, within staleFor, then fails closed', async () => {
    let up = true;
    const target = await jwksServer((_request, response) => {
      if (!up) {
        response.writeHead(503);
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
      response.end(JSON.stringify({ keys: [k1.jwk] }));
    });
    const clock = manualClock();
    const resolver = resolverFor(target, { clock: clock.read, staleFor: 300, cooldown: 30 });
    const request = await signedRequest(k1.privateKey, { keyid: 'k1' });
    await verify(request, resolver);

    up = false;
    clock.now = NOW + 61;
    expect((await verify(request, resolver)).keyid).toBe('k1');
    expect(target.hits).toHaveLength(2);
    // Within the cooldown the failing endpoint is not asked again.
    clock.now = NOW + 80;
    await verify(request, resolver);
    expect(target.hits).toHaveLength(2);
    clock.now = NOW + 60 + 299;
    await verify(request, resolver);
    expect(target.hits).toHaveLength(3);

    // Past staleFor: refused, without a new fetch inside the cooldown, and with one after it.
    clock.now = NOW + 60 + 301;
    const error = await errorOf(verify(request, resolver));
    expect(error.code).toBe('ERR_HTTPSIG_KEY_UNAVAILABLE');
    expect(error.message).toBe('The key set is unavailable: the server answered HTTP 503');
    expect(target.hits).toHaveLength(3);
    clock.now = NOW + 60 + 331;
    expect(await codeOf(verify(request, resolver))).toBe('ERR_HTTPSIG_KEY_UNAVAILABLE');
    expect(target.hits).toHaveLength(4);

    up = true;
    clock.now = NOW + 60 + 362;
    expect((await verify(request, resolver)).keyid).toBe('k1');
  });

  it('fails closed from the start when the first fetch fails, and waits out the cooldown', async () => {
    const target = await jwksServer((_request, response) => {
      response.writeHead(404);
      response.end();
    });
    const clock = manualClock();
    const resolver = resolverFor(target, { clock: clock.read });
    expect((await errorOf(resolve(resolver, 'k1'))).message).toMatch(
      /unavailable: the server answered HTTP 404/,
    );
    expect(await codeOf(resolve(resolver, 'k1'))).toBe('ERR_HTTPSIG_KEY_UNAVAILABLE');
    expect(target.hits).toHaveLength(1);
    clock.now = NOW + 31;
    await codeOf(resolve(resolver, 'k1'));
    expect(target.hits).toHaveLength(2);
  });

  it('makes one fetch for a burst of 20 concurrent unknown kids', async () => {
    const published = { keys: [k1.jwk] as JsonWebKey[] };
    const target = await jwksServer(async (_request, response) => {
      await delay(50);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
      response.end(JSON.stringify(published));
    });
    const clock = manualClock();
    const resolver = resolverFor(target, { clock: clock.read });
    const cold = await Promise.all(Array.from({ length: 20 }, (_, i) => resolve(resolver, `unknown-${i}`)));
    expect(cold.every((key) => key === undefined)).toBe(true);
    expect(target.hits).toHaveLength(1);

    // Warm cache, cooldown over, a key added: 20 requests for it share one refetch and all find it.
    published.keys.push(k2.jwk);
    clock.now = NOW + 31;
    const warm = await Promise.all(Array.from({ length: 20 }, () => resolve(resolver, 'k2')));
    expect(warm.every((key) => key?.alg === 'ecdsa-p256-sha256')).toBe(true);
    expect(target.hits).toHaveLength(2);
  });
});

describe('fetch limits', () => {
  it('refuses 127.0.0.1 unless private networks are allowed, without sending a request', async () => {
    const target = await jwksServer();
    const resolver = createJwksResolver({ url: `${target.origin}/jwks.json`, allowHttp: true });
    const error = await errorOf(resolve(resolver, 'k1'));
    expect(error.code).toBe('ERR_HTTPSIG_KEY_UNAVAILABLE');
    expect(error.message).toBe('The key set is unavailable: refused a private network address');
    expect(target.hits).toHaveLength(0);
  });

  it('refuses plain http unless allowed', async () => {
    const target = await jwksServer();
    const resolver = createJwksResolver({ url: `${target.origin}/jwks.json`, allowPrivateNetworks: true });
    expect((await errorOf(resolve(resolver, 'k1'))).message).toMatch(/https is required/);
    expect(target.hits).toHaveLength(0);
  });

  it('checks every address a lookup hook returns', async () => {
    const target = await jwksServer();
    const port = new URL(target.origin).port;
    const lookups: string[] = [];
    const resolver = createJwksResolver({
      url: `https://keys.example.com:${port}/jwks.json`,
      lookup: (hostname) => {
        lookups.push(hostname);
        return ['93.184.216.34', '10.1.2.3'];
      },
    });
    expect((await errorOf(resolve(resolver, 'k1'))).message).toMatch(/resolves to a private network address/);
    expect(lookups).toEqual(['keys.example.com']);
  });

  it('refuses an oversized response, declared or streamed', async () => {
    const big = { keys: [k1.jwk], padding: 'x'.repeat(5000) };
    const declared = await jwksServer(json(big));
    expect((await errorOf(resolve(resolverFor(declared, { maxBytes: 1000 }), 'k1'))).message).toMatch(
      /larger than 1000 bytes/,
    );
    await declared.close();
    const streamed = await jwksServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const body = JSON.stringify(big);
      response.write(body.slice(0, 800));
      response.end(body.slice(800));
    });
    server = streamed;
    expect((await errorOf(resolve(resolverFor(streamed, { maxBytes: 1000 }), 'k1'))).message).toMatch(
      /larger than 1000 bytes/,
    );
    expect((await resolve(resolverFor(streamed, { maxBytes: 10_000 }), 'k1'))?.alg).toBe('ed25519');
  });

  it('refuses a redirect by default and follows it within maxRedirects', async () => {
    const target = await jwksServer((request, response) => {
      if (request.url === '/jwks.json') {
        response.writeHead(302, { location: '/moved.json' });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [k1.jwk] }));
    });
    expect((await errorOf(resolve(resolverFor(target), 'k1'))).message).toMatch(
      /refused to follow a redirect/,
    );
    expect(target.hits).toEqual(['/jwks.json']);
    expect((await resolve(resolverFor(target, { maxRedirects: 1 }), 'k1'))?.alg).toBe('ed25519');
    expect(target.hits).toEqual(['/jwks.json', '/jwks.json', '/moved.json']);
  });

  it('checks each redirect hop against the guard', async () => {
    const target = await jwksServer((_request, response) => {
      response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data' });
      response.end();
    });
    // A public-looking name (its lookup says so) whose requests land on the local server.
    const resolver = createJwksResolver({
      url: 'http://keys.example.com/jwks.json',
      allowHttp: true,
      maxRedirects: 2,
      lookup: () => ['93.184.216.34'],
      fetch: (input, init) => fetch(new URL(new URL(String(input)).pathname, target.origin), init),
    });
    expect((await errorOf(resolve(resolver, 'k1'))).message).toMatch(/refused a private network address/);
    // The link-local metadata address was never requested.
    expect(target.hits).toEqual(['/jwks.json']);
  });

  it('gives up after timeoutMs, whether the headers or the body are slow', async () => {
    const silent = await jwksServer(async (_request, response) => {
      await delay(1000);
      response.end();
    });
    const started = Date.now();
    expect((await errorOf(resolve(resolverFor(silent, { timeoutMs: 100 }), 'k1'))).message).toMatch(
      /timed out after 100 ms/,
    );
    expect(Date.now() - started).toBeLessThan(900);
    await silent.close();
    const trickle = await jwksServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"keys":');
      await delay(1000);
      response.end('[]}');
    });
    server = trickle;
    expect((await errorOf(resolve(resolverFor(trickle, { timeoutMs: 100 }), 'k1'))).message).toMatch(
      /timed out/,
    );
  });

  it('refuses invalid JSON and documents that are not JWK Sets', async () => {
    const target = await jwksServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"keys": [');
    });
    expect((await errorOf(resolve(resolverFor(target), 'k1'))).message).toMatch(/not valid JSON/);
    target.handler = json({ jwks: [] });
    expect((await errorOf(resolve(resolverFor(target), 'k1'))).message).toMatch(/no "keys" array/);
    target.handler = json({ keys: Array.from({ length: 3 }, () => k1.jwk) });
    expect((await errorOf(resolve(resolverFor(target, { maxKeys: 2 }), 'k1'))).message).toMatch(
      /more than 2 keys/,
    );
  });

  it('validates its options', () => {
    expect(() => createJwksResolver({} as JwksResolverOptions)).toThrow(/exactly one of url and fetchJwks/);
    expect(() => createJwksResolver({ url: 'https://a.example/j', minMaxAge: 100, maxMaxAge: 10 })).toThrow(
      RangeError,
    );
    expect(() => createJwksResolver({ url: 'https://a.example/j', timeoutMs: -1 })).toThrow(RangeError);
    expect(() => createJwksResolver({ url: 'not a url' })).toThrow(TypeError);
  });
});
