/** signCavage's ecdsaSignatureEncoding: DER by default (what joyent http-signature verifies), P1363 on request. */
import { verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importKey, signCavage, verifyCavage } from '../../src/index';
import { rfcKey } from '../keys/lib/rfc-keys';

const now = 1_700_000_000;
const keyId = 'https://social.example/users/alice#main-key';
const message = { method: 'GET', url: 'https://social.example/users/bob', headers: {} };

async function signWith(encoding?: 'der' | 'p1363') {
  const key = await importKey(rfcKey('test-key-ecc-p256').privateKeyPem as string, {
    alg: 'ecdsa-p256-sha256',
  });
  const result = await signCavage(message, {
    key,
    keyId,
    now,
    ...(encoding ? { ecdsaSignatureEncoding: encoding } : {}),
  });
  const signature = Buffer.from(
    /signature="([^"]+)"/.exec(result.headers.signature as string)?.[1] as string,
    'base64',
  );
  return { result, signature };
}

describe('ecdsaSignatureEncoding', () => {
  for (const [encoding, dsaEncoding] of [
    [undefined, 'der'],
    ['der', 'der'],
    ['p1363', 'ieee-p1363'],
  ] as const) {
    it(`${encoding ?? 'the default'} writes ${dsaEncoding}, and verifyCavage accepts it`, async () => {
      const { result, signature } = await signWith(encoding);
      const pem = rfcKey('test-key-ecc-p256').publicKeyPem as string;
      expect(
        nodeVerify('sha256', Buffer.from(result.signingString), { key: pem, dsaEncoding }, signature),
      ).toBe(true);
      const publicKey = await importKey(pem, { alg: 'ecdsa-p256-sha256' });
      const headers = { ...result.headers };
      const verified = await verifyCavage({ ...message, headers }, { keys: { [keyId]: publicKey }, now });
      expect(verified.algorithm).toBe('ecdsa-p256-sha256');
    });
  }

  it('refuses an unknown encoding', async () => {
    await expect(signWith('raw' as never)).rejects.toThrow(TypeError);
  });
});
