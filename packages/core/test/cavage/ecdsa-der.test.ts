/**
 * ECDSA cavage signatures in ASN.1 DER, as joyent http-signature (sshpk) and Node's crypto.sign
 * produce them: accepted beside P1363, malformed DER refused as a bad signature, never a crash.
 */
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecdsaDerToP1363, ecdsaP1363ToDer, encodeEcdsaSignature } from '../../src/cavage/ecdsa-encoding';
import { type HttpSigKey, importKey, type RequestLike, signCavage, verifyCavage } from '../../src/index';
import { rfcKey } from '../keys/lib/rfc-keys';
import { codeOf } from './lib/fixtures';

const now = 1_700_000_000;
const keyId = 'https://misskey.example/users/9abc#main-key';
const body = '{"type":"Like","actor":"https://misskey.example/users/9abc"}';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function inboxPost(): RequestLike {
  return {
    method: 'POST',
    url: 'https://social.example/users/bob/inbox',
    headers: [
      ['Host', 'social.example'],
      ['Date', new Date(now * 1000).toUTCString()],
      ['Content-Type', 'application/activity+json'],
    ],
    body,
  };
}

/** Sign with our signer, then put `replace(signingString)` in place of the signature bytes. */
async function withSignature(
  key: HttpSigKey,
  replace: (signingString: string) => Uint8Array,
  algorithm: 'legacy' | 'hs2019' = 'legacy',
): Promise<RequestLike> {
  const message = inboxPost();
  const result = await signCavage(message, { key, keyId, now, algorithm });
  const signature = (result.headers.signature as string).replace(
    /signature="[^"]*"/,
    `signature="${b64(replace(result.signingString))}"`,
  );
  const headers = [...(message.headers as [string, string][])];
  headers.push(['Digest', result.headers.digest as string], ['Signature', signature]);
  return { ...message, headers };
}

const p256Pem = rfcKey('test-key-ecc-p256').privateKeyPem as string;
let p256: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let p384: { privateKey: HttpSigKey; publicKey: HttpSigKey; pem: string };

beforeAll(async () => {
  p256 = {
    privateKey: await importKey(p256Pem, { alg: 'ecdsa-p256-sha256' }),
    publicKey: await importKey(rfcKey('test-key-ecc-p256').publicKeyPem as string, {
      alg: 'ecdsa-p256-sha256',
    }),
  };
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  p384 = {
    privateKey: await importKey(pem, { alg: 'ecdsa-p384-sha384' }),
    publicKey: await importKey(publicPem, { alg: 'ecdsa-p384-sha384' }),
    pem,
  };
});

/** DER, as Node (and through it sshpk / joyent http-signature) signs by default. */
const derWith = (pem: string, hash: string) => (text: string) =>
  Uint8Array.from(nodeSign(hash, Buffer.from(text), { key: pem, dsaEncoding: 'der' }));

const verify = (message: RequestLike, key: HttpSigKey) =>
  verifyCavage(message, { keys: { [keyId]: key }, now });

describe('DER-encoded ECDSA signatures', () => {
  it('accepts ecdsa-sha256 signed by node:crypto in DER', async () => {
    const message = await withSignature(p256.privateKey, derWith(p256Pem, 'sha256'));
    const result = await verify(message, p256.publicKey);
    expect(result.algorithm).toBe('ecdsa-p256-sha256');
    expect(result.algorithmParam).toBe('ecdsa-sha256');
  });

  it('still accepts the P1363 form our signer sends', async () => {
    const message = await withSignature(p256.privateKey, (text) =>
      Uint8Array.from(nodeSign('sha256', Buffer.from(text), { key: p256Pem, dsaEncoding: 'ieee-p1363' })),
    );
    expect((await verify(message, p256.publicKey)).keyId).toBe(keyId);
  });

  it('accepts a P-384 DER signature under hs2019', async () => {
    const message = await withSignature(p384.privateKey, derWith(p384.pem, 'sha384'), 'hs2019');
    expect((await verify(message, p384.publicKey)).algorithm).toBe('ecdsa-p384-sha384');
  });

  it('refuses a DER signature over other bytes', async () => {
    const message = await withSignature(p256.privateKey, (text) => derWith(p256Pem, 'sha256')(`${text}x`));
    expect(await codeOf(verify(message, p256.publicKey))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('refuses a valid DER signature from another curve size (r, s too long)', async () => {
    const message = await withSignature(p256.privateKey, derWith(p384.pem, 'sha256'));
    expect(await codeOf(verify(message, p256.publicKey))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  const mangle: [string, (der: Uint8Array) => Uint8Array][] = [
    ['a trailing byte', (der) => Uint8Array.from([...der, 0])],
    ['a truncated end', (der) => der.subarray(0, der.length - 1)],
    ['a wrong outer tag', (der) => Uint8Array.from([0x31, ...der.subarray(1)])],
    ['an overlong outer length', (der) => Uint8Array.from([0x30, 0xff, ...der.subarray(2)])],
    ['an indefinite length', (der) => Uint8Array.from([0x30, 0x80, ...der.subarray(2), 0, 0])],
    ['a huge length', (der) => Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, ...der.subarray(2)])],
    [
      'a non-minimal INTEGER',
      (der) => {
        const rLength = der[3] as number;
        return Uint8Array.from([0x30, (der[1] as number) + 1, 0x02, rLength + 1, 0, ...der.subarray(4)]);
      },
    ],
    [
      'a third INTEGER',
      (der) => Uint8Array.from([0x30, (der[1] as number) + 3, ...der.subarray(2), 2, 1, 1]),
    ],
    ['only the SEQUENCE header', () => hex('3000')],
  ];
  for (const [name, change] of mangle) {
    it(`refuses DER with ${name} as ERR_HTTPSIG_INVALID_SIGNATURE`, async () => {
      const message = await withSignature(p256.privateKey, (text) =>
        change(derWith(p256Pem, 'sha256')(text)),
      );
      expect(await codeOf(verify(message, p256.publicKey))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    });
  }
});

describe('encoding conversions', () => {
  it('reads DER with short and sign-padded integers', () => {
    // r = 0x01 (one byte), s = 0x80 followed by 31 zero bytes (a 0x00 sign octet in DER).
    const s = `80${'00'.repeat(31)}`;
    const der = hex(`3026 020101 022100${s}`);
    const p1363 = ecdsaDerToP1363(der, 32);
    expect(p1363 && Buffer.from(p1363).toString('hex')).toBe(`${'00'.repeat(31)}01${s}`);
  });

  it('refuses negative and empty integers', () => {
    expect(ecdsaDerToP1363(hex('3006 020180 020101'), 32)).toBeUndefined();
    expect(ecdsaDerToP1363(hex('3005 0200 020101'), 32)).toBeUndefined();
    expect(ecdsaDerToP1363(hex('3006 040101 020101'), 32)).toBeUndefined();
  });

  it('matches node:crypto DER for our P1363 signatures', async () => {
    const data = new TextEncoder().encode('signing string');
    const p1363 = await p256.privateKey.sign(data);
    const der = encodeEcdsaSignature(p1363, 'der');
    expect(nodeVerify('sha256', data, { key: p256Pem, dsaEncoding: 'der' }, der)).toBe(true);
    expect(encodeEcdsaSignature(p1363, 'p1363')).toBe(p1363);
  });

  it('round-trips any r || s through DER', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
        const p1363 = Uint8Array.from(bytes);
        const der = ecdsaP1363ToDer(p1363);
        expect(der).toBeDefined();
        expect(ecdsaDerToP1363(der as typeof p1363, 32)).toEqual(p1363);
      }),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 90 }), (bytes) => {
        const out = ecdsaDerToP1363(Uint8Array.from([0x30, ...bytes]), 32);
        expect(out === undefined || out.length === 64).toBe(true);
      }),
    );
  });
});
