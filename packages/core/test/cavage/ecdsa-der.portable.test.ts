/**
 * DER-encoded ECDSA cavage signatures with Web APIs only (Node and browsers): our P1363 output,
 * re-encoded as DER by a small encoder written here, verifies for P-256 and P-384.
 */
import { describe, expect, it } from 'vitest';
import { type Algorithm, generateKey, type RequestLike, signCavage, verifyCavage } from '../../src/index';
import { codeOf } from './lib/fixtures';

const now = 1_700_000_000;
const keyId = 'https://node.example/users/alice#main-key';

/** INTEGER: strip leading zeros, add one back when the high bit is set. Lengths stay below 128. */
function derInteger(magnitude: Uint8Array): number[] {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const bytes = [...magnitude.subarray(start)];
  if ((bytes[0] as number) >= 0x80) bytes.unshift(0);
  return [0x02, bytes.length, ...bytes];
}

function toDer(p1363: Uint8Array): Uint8Array {
  const half = p1363.length / 2;
  const content = [...derInteger(p1363.subarray(0, half)), ...derInteger(p1363.subarray(half))];
  return Uint8Array.from([0x30, content.length, ...content]);
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function signedWithDer(alg: Algorithm, change: (der: Uint8Array) => Uint8Array = (d) => d) {
  const pair = await generateKey(alg);
  const message: RequestLike = {
    method: 'POST',
    url: 'https://social.example/users/bob/inbox',
    headers: { 'content-type': 'application/activity+json' },
    body: '{"type":"Follow"}',
  };
  const result = await signCavage(message, { key: pair.privateKey, keyId, now, algorithm: 'hs2019' });
  // The key's own WebCrypto signature is P1363, whatever encoding signCavage writes.
  const p1363 = await pair.privateKey.sign(new TextEncoder().encode(result.signingString));
  const signature = (result.headers.signature as string).replace(
    /signature="[^"]*"/,
    `signature="${toBase64(change(toDer(p1363)))}"`,
  );
  const signed: RequestLike = {
    ...message,
    headers: { ...(message.headers as Record<string, string>), ...result.headers, signature },
  };
  return { signed, publicKey: pair.publicKey };
}

describe('DER ECDSA signatures (Web APIs)', () => {
  for (const alg of ['ecdsa-p256-sha256', 'ecdsa-p384-sha384'] as Algorithm[]) {
    it(`verifies ${alg} sent as DER`, async () => {
      const { signed, publicKey } = await signedWithDer(alg);
      const result = await verifyCavage(signed, { keys: { [keyId]: publicKey }, now });
      expect(result.algorithm).toBe(alg);
    });
  }

  it('refuses DER with a changed s as ERR_HTTPSIG_INVALID_SIGNATURE', async () => {
    const { signed, publicKey } = await signedWithDer('ecdsa-p256-sha256', (der) => {
      const copy = der.slice();
      copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1;
      return copy;
    });
    expect(await codeOf(verifyCavage(signed, { keys: { [keyId]: publicKey }, now }))).toBe(
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    );
  });
});
