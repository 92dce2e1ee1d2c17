/**
 * `ed25519-sha512`, the name joyent http-signature and its forks (sshpk) give Ed25519: accepted
 * for Ed25519 keys when verifying, refused for any other key, and never sent by signCavage.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey, type HttpSigKey, type RequestLike, signCavage, verifyCavage } from '../../src/index';
import { codeOf } from './lib/fixtures';

const now = 1_700_000_000;
const keyId = 'https://peertube.example/accounts/alice';

let ed: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let ec: { privateKey: HttpSigKey; publicKey: HttpSigKey };

beforeAll(async () => {
  ed = await generateKey('ed25519');
  ec = await generateKey('ecdsa-p256-sha256');
});

async function signedAs(key: HttpSigKey, algorithmParam: string): Promise<RequestLike> {
  const message: RequestLike = {
    method: 'GET',
    url: 'https://social.example/users/bob',
    headers: [['Accept', 'application/activity+json']],
  };
  const result = await signCavage(message, { key, keyId, now });
  const signature = (result.headers.signature as string).replace(
    /algorithm="[^"]*"/,
    `algorithm="${algorithmParam}"`,
  );
  return {
    ...message,
    headers: [
      ...(message.headers as [string, string][]),
      ['Date', result.headers.date as string],
      ['Signature', signature],
    ],
  };
}

describe('the ed25519-sha512 algorithm name', () => {
  it('signCavage names Ed25519 ed25519', async () => {
    const result = await signCavage(
      { method: 'GET', url: 'https://social.example/users/bob', headers: {} },
      { key: ed.privateKey, keyId, now },
    );
    expect(result.algorithm).toBe('ed25519');
  });

  for (const name of ['ed25519-sha512', 'ED25519-SHA512']) {
    it(`verifies an Ed25519 signature sent as ${name}`, async () => {
      const result = await verifyCavage(await signedAs(ed.privateKey, name), {
        keys: { [keyId]: ed.publicKey },
        now,
      });
      expect(result.algorithm).toBe('ed25519');
      expect(result.algorithmParam).toBe('ed25519-sha512');
    });
  }

  it('refuses it for an ECDSA key with ERR_HTTPSIG_ALGORITHM_MISMATCH', async () => {
    const message = await signedAs(ec.privateKey, 'ed25519-sha512');
    expect(await codeOf(verifyCavage(message, { keys: { [keyId]: ec.publicKey }, now }))).toBe(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('still refuses other hash suffixes with ERR_HTTPSIG_UNSUPPORTED_ALGORITHM', async () => {
    const message = await signedAs(ed.privateKey, 'ed25519-sha256');
    expect(await codeOf(verifyCavage(message, { keys: { [keyId]: ed.publicKey }, now }))).toBe(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
    );
  });
});
