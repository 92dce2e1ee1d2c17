/** Replay protection in verifyMessage with the in-memory nonce store. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  generateKey,
  type HttpSigKey,
  type NonceStore,
  signMessage,
  type VerifyOptions,
  verifyMessage,
} from '../../src/index';
import { expectHttpSigError, rejectionOf, withSignature } from '../conformance/lib/messages';

const NOW = 1_700_000_000;
let keys: { privateKey: HttpSigKey; publicKey: HttpSigKey };

beforeAll(async () => {
  keys = await generateKey('ed25519', { keyid: 'k1' });
});

async function signedRequest(params: Record<string, string | number | true>) {
  const message = { method: 'GET', url: 'https://api.example.com/x', headers: [] as [string, string][] };
  const result = await signMessage(message, {
    key: keys.privateKey,
    components: ['@method'],
    params,
    now: NOW,
  });
  return withSignature(message, result);
}

function options(store: NonceStore, extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    keys: { k1: keys.publicKey },
    requiredComponents: ['@method'],
    now: NOW,
    maxAge: 300,
    nonceStore: store,
    ...extra,
  };
}

describe('nonce store', () => {
  it('accepts a nonce once per key; the replay is refused with ERR_HTTPSIG_REPLAY', async () => {
    const store = createMemoryNonceStore({ now: NOW });
    const message = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'n-1' });
    await expect(verifyMessage(message, options(store))).resolves.toMatchObject({ nonce: 'n-1' });
    const error = await rejectionOf(verifyMessage(message, options(store)));
    expectHttpSigError(error, 'ERR_HTTPSIG_REPLAY');
    expect(store.size).toBe(1);
  });

  it('a signature that fails verification does not use up its nonce', async () => {
    const store = createMemoryNonceStore({ now: NOW });
    const message = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'n-2' });
    const tampered = { ...message, method: 'POST' };
    expectHttpSigError(
      await rejectionOf(verifyMessage(tampered, options(store))),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    );
    expect(store.size).toBe(0);
    await expect(verifyMessage(message, options(store))).resolves.toBeDefined();
  });

  it('with a store, a nonce is required by default; forbidden refuses one; length is bounded', async () => {
    const store = createMemoryNonceStore({ now: NOW });
    const without = await signedRequest({ created: NOW, keyid: 'k1' });
    expectHttpSigError(await rejectionOf(verifyMessage(without, options(store))), 'ERR_HTTPSIG_POLICY');
    await expect(verifyMessage(without, options(store, { nonce: 'optional' }))).resolves.toBeDefined();
    const withNonce = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'n-3' });
    expectHttpSigError(
      await rejectionOf(verifyMessage(withNonce, { ...options(store), nonce: 'forbidden' })),
      'ERR_HTTPSIG_POLICY',
    );
    const long = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'x'.repeat(257) });
    expectHttpSigError(await rejectionOf(verifyMessage(long, options(store))), 'ERR_HTTPSIG_LIMIT_EXCEEDED');
  });

  it('the entry lives until the signature expires (created + maxAge + skew), then the store may forget it', async () => {
    let now = NOW;
    const store = createMemoryNonceStore({ now: () => now, maxEntries: 1 });
    const first = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'a' });
    await verifyMessage(first, options(store, { clockSkew: 5 }));
    const second = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'b' });
    // Full of a live entry: refuse rather than evict it.
    expectHttpSigError(
      await rejectionOf(verifyMessage(second, options(store, { clockSkew: 5 }))),
      'ERR_HTTPSIG_NONCE_STORE_FULL',
    );
    now = NOW + 306;
    // The first signature can no longer be accepted, so its entry is swept for the new one.
    expect(await store.consume('k1', 'b', now + 10)).toBe(true);
    expect(store.size).toBe(1);
  });

  it('without maxAge a signature needs expires for its nonce to be bounded', async () => {
    const store = createMemoryNonceStore({ now: NOW });
    const unbounded = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'u' });
    const { maxAge: _maxAge, ...noMaxAge } = options(store);
    expectHttpSigError(await rejectionOf(verifyMessage(unbounded, noMaxAge)), 'ERR_HTTPSIG_POLICY');
    const bounded = await signedRequest({ created: NOW, expires: NOW + 60, keyid: 'k1', nonce: 'u' });
    await expect(verifyMessage(bounded, noMaxAge)).resolves.toBeDefined();
  });

  it('a failing store fails closed with ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE', async () => {
    const broken: NonceStore = {
      consume: () => Promise.reject(new Error('connection refused')),
    };
    const message = await signedRequest({ created: NOW, keyid: 'k1', nonce: 'z' });
    expectHttpSigError(
      await rejectionOf(verifyMessage(message, options(broken))),
      'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
    );
  });

  it('nonces are per key: the same nonce under two keyids is two entries', async () => {
    const store = createMemoryNonceStore({ now: NOW });
    expect(await store.consume('ab', 'c', NOW + 1)).toBe(true);
    expect(await store.consume('a', 'bc', NOW + 1)).toBe(true);
    expect(await store.consume('ab', 'c', NOW + 1)).toBe(false);
  });

  it('drops expired nonces as new ones arrive, so a store under steady traffic never fills', async () => {
    let now = NOW;
    const store = createMemoryNonceStore({ maxEntries: 100, now: () => now });
    // 1,000 signatures, ten per second, each acceptable for five seconds: with the clock read in
    // whole seconds, at most ~60 are live (a store that swept only when full would reach 100).
    for (let i = 0; i < 1000; i++) {
      now = NOW + i / 10;
      expect(await store.consume('k', `n${i}`, now + 5)).toBe(true);
    }
    expect(store.size).toBeLessThanOrEqual(61);
    // A nonce still inside its window is still a replay.
    expect(await store.consume('k', 'n999', now + 5)).toBe(false);
  });

  it('refuses when full of live nonces, and never evicts one', async () => {
    const store = createMemoryNonceStore({ maxEntries: 3, now: NOW });
    for (const nonce of ['a', 'b', 'c']) expect(await store.consume('k', nonce, NOW + 60)).toBe(true);
    await expect(Promise.resolve().then(() => store.consume('k', 'd', NOW + 60))).rejects.toMatchObject({
      code: 'ERR_HTTPSIG_NONCE_STORE_FULL',
    });
    expect(await store.consume('k', 'a', NOW + 60)).toBe(false);
  });
});
