import { generateKey, type HttpSigKey, type KeyResolver, signMessage, verifyMessage } from '@httpsig/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { staticKeys } from '../src/index';

const NOW = 1_750_000_000;
let edOld: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let edNew: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let ec: { privateKey: HttpSigKey; publicKey: HttpSigKey };

beforeAll(async () => {
  [edOld, edNew, ec] = await Promise.all([
    generateKey('ed25519', { keyid: 'app' }),
    generateKey('ed25519', { keyid: 'app' }),
    generateKey('ecdsa-p256-sha256', { keyid: 'app' }),
  ]);
});

async function signed(key: HttpSigKey, params: { alg?: string } = {}) {
  const message = { method: 'GET', url: 'https://api.example/', headers: {} as Record<string, string> };
  const result = await signMessage(message, {
    key,
    components: ['@method'],
    params: { created: NOW, keyid: 'app', ...params },
  });
  return { ...message, headers: result.headers };
}

async function outcome(
  resolver: KeyResolver,
  key: HttpSigKey,
  params: { alg?: string } = {},
): Promise<string> {
  try {
    const verified = await verifyMessage(await signed(key, params), {
      keys: resolver,
      requiredComponents: ['@method'],
      now: NOW,
    });
    return `ok ${verified.alg}`;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('staticKeys', () => {
  it('resolves a single key per keyid', async () => {
    const resolver = staticKeys({ app: edOld.publicKey });
    expect(await outcome(resolver, edOld.privateKey)).toBe('ok ed25519');
    expect(await outcome(resolver, edNew.privateKey)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(await outcome(staticKeys(new Map([['other', edOld.publicKey]])), edOld.privateKey)).toBe(
      'ERR_HTTPSIG_UNKNOWN_KEY',
    );
  });

  it('accepts a signature from any of several keys of one algorithm (rotation overlap)', async () => {
    const resolver = staticKeys({ app: [edOld.publicKey, edNew.publicKey] });
    expect(await outcome(resolver, edOld.privateKey)).toBe('ok ed25519');
    expect(await outcome(resolver, edNew.privateKey)).toBe('ok ed25519');
    const stranger = await generateKey('ed25519', { keyid: 'app' });
    expect(await outcome(resolver, stranger.privateKey)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it("picks keys of several algorithms by the signature's alg, and refuses to guess without it", async () => {
    const resolver = staticKeys({ app: [edOld.publicKey, ec.publicKey] });
    expect(await outcome(resolver, ec.privateKey, { alg: 'ecdsa-p256-sha256' })).toBe('ok ecdsa-p256-sha256');
    expect(await outcome(resolver, edOld.privateKey, { alg: 'ed25519' })).toBe('ok ed25519');
    expect(await outcome(resolver, edOld.privateKey)).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
    expect(
      await outcome(staticKeys({ app: edOld.publicKey }), ec.privateKey, { alg: 'ecdsa-p256-sha256' }),
    ).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('returns the same key object for repeated lookups, and refuses values that are not keys', async () => {
    const resolver = staticKeys({ app: [edOld.publicKey, edNew.publicKey] });
    const context = { label: 'sig1', message: { method: 'GET', url: 'https://a.example/' } };
    expect(await resolver('app', {}, context)).toBe(await resolver('app', {}, context));
    expect(await resolver(undefined, {}, context)).toBeUndefined();
    expect(() => staticKeys({ app: { alg: 'ed25519' } as unknown as HttpSigKey })).toThrow(TypeError);
  });
});
