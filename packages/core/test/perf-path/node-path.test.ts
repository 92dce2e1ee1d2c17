/**
 * Node only: keys made by Node's WebCrypto sign and verify through node:crypto on the calling
 * thread, with the same results and errors as the WebCrypto path, and keys from any other
 * provider keep WebCrypto.
 */
import { KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Algorithm, algorithms, resolveAlgorithm } from '../../src/algorithms/registry';
import { isHttpSigError } from '../../src/errors';
import { exportKey, generateKey, type HttpSigKey, importKey } from '../../src/keys/index';
import type { CryptoProvider } from '../../src/keys/types';

const subtle = globalThis.crypto.subtle;

/** Node's own WebCrypto behind another object: a provider the Node path does not recognise. */
const wrapped: CryptoProvider = {
  getRandomValues: <T extends ArrayBufferView | null>(array: T): T =>
    globalThis.crypto.getRandomValues(array as ArrayBufferView<ArrayBuffer>) as T,
  // Looked up at each call, so that a spy on globalThis.crypto.subtle sees the calls.
  subtle: {
    importKey: (...args: Parameters<SubtleCrypto['importKey']>) => subtle.importKey(...args),
    exportKey: (...args: Parameters<SubtleCrypto['exportKey']>) => subtle.exportKey(...args),
    generateKey: (...args: Parameters<SubtleCrypto['generateKey']>) => subtle.generateKey(...args),
    sign: (...args: Parameters<SubtleCrypto['sign']>) => subtle.sign(...args),
    verify: (...args: Parameters<SubtleCrypto['verify']>) => subtle.verify(...args),
    digest: (...args: Parameters<SubtleCrypto['digest']>) => subtle.digest(...args),
  } as unknown as SubtleCrypto,
};

const data = new TextEncoder().encode('"@method": POST\n"@signature-params": ("@method");created=1');

/** The same key material in both paths, private and public halves. */
async function keyPairs(alg: Algorithm) {
  const generated = await generateKey(alg, { extractable: true, keyid: 'k' });
  const entry = resolveAlgorithm(alg);
  const format = entry.symmetric ? 'raw' : 'pkcs8';
  const privateBytes = new Uint8Array(
    await subtle.exportKey(format, generated.privateKey.cryptoKey as CryptoKey),
  );
  const publicBytes = entry.symmetric
    ? privateBytes
    : new Uint8Array(await subtle.exportKey('spki', generated.publicKey.cryptoKey as CryptoKey));
  const pair = async (crypto?: CryptoProvider) => ({
    privateKey: await importKey(privateBytes, { alg, ...(crypto ? { crypto } : {}) }),
    publicKey: await importKey(publicBytes, { alg, ...(crypto ? { crypto } : {}) }),
  });
  return { node: await pair(), web: await pair(wrapped) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Node path', () => {
  it('does not call SubtleCrypto.sign or verify for keys of Node’s WebCrypto', async () => {
    const { privateKey, publicKey } = await generateKey('ed25519');
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const signature = await privateKey.sign(data);
    expect(await publicKey.verify(data, signature)).toBe(true);
    expect(sign).not.toHaveBeenCalled();
    expect(verify).not.toHaveBeenCalled();
  });

  it('leaves keys of another provider on WebCrypto', async () => {
    const { privateKey, publicKey } = await generateKey('ed25519', { crypto: wrapped });
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    expect(await publicKey.verify(data, await privateKey.sign(data))).toBe(true);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  for (const alg of algorithms) {
    describe(alg, () => {
      it('signs what WebCrypto verifies, and verifies what WebCrypto signs', async () => {
        const { node, web } = await keyPairs(alg);
        const fromNode = await node.privateKey.sign(data);
        const fromWeb = await web.privateKey.sign(data);
        expect(await web.publicKey.verify(data, fromNode)).toBe(true);
        expect(await node.publicKey.verify(data, fromWeb)).toBe(true);
        expect(await node.publicKey.verify(data, fromNode)).toBe(true);
        // Also straight through SubtleCrypto, with the registry's parameters (PSS salt 64, P1363).
        const entry = resolveAlgorithm(alg);
        const webKey = web.publicKey.cryptoKey as CryptoKey;
        expect(await subtle.verify(entry.signParams, webKey, fromNode, data)).toBe(true);
      });

      it('returns a plain Uint8Array of the algorithm’s signature length', async () => {
        const { node, web } = await keyPairs(alg);
        const signature = await node.privateKey.sign(data);
        expect(Object.getPrototypeOf(signature)).toBe(Uint8Array.prototype);
        expect(signature.byteOffset).toBe(0);
        expect(signature.buffer.byteLength).toBe(signature.length);
        expect(signature.length).toBe((await web.privateKey.sign(data)).length);
        const fixed = resolveAlgorithm(alg).signatureLength;
        if (fixed !== undefined) expect(signature.length).toBe(fixed);
      });

      it('answers false, never throws, for a wrong, truncated, extended or empty signature', async () => {
        const { node } = await keyPairs(alg);
        const signature = await node.privateKey.sign(data);
        const flipped = new Uint8Array(signature);
        flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
        const changed = new Uint8Array(data);
        changed[0] = 0x21;
        expect(await node.publicKey.verify(data, flipped)).toBe(false);
        expect(await node.publicKey.verify(changed, signature)).toBe(false);
        expect(await node.publicKey.verify(data, signature.slice(0, -1))).toBe(false);
        expect(await node.publicKey.verify(data, new Uint8Array([...signature, 0]))).toBe(false);
        expect(await node.publicKey.verify(data, new Uint8Array(0))).toBe(false);
      });
    });
  }

  it('refuses to sign with a public key, as the WebCrypto path does', async () => {
    const { publicKey } = await generateKey('ecdsa-p256-sha256');
    const { publicKey: webPublic } = await generateKey('ecdsa-p256-sha256', { crypto: wrapped });
    const messages: string[] = [];
    for (const key of [publicKey, webPublic] as HttpSigKey[]) {
      try {
        await key.sign(data);
      } catch (error) {
        expect(isHttpSigError(error, 'ERR_HTTPSIG_INVALID_KEY')).toBe(true);
        messages.push((error as Error).message);
      }
    }
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe(messages[1]);
  });

  it('keeps a non-extractable key non-extractable after signing with it', async () => {
    const { privateKey } = await generateKey('ed25519');
    await privateKey.sign(data);
    expect(privateKey.cryptoKey?.extractable).toBe(false);
    await expect(exportKey(privateKey, 'pem')).rejects.toSatisfy((error) =>
      isHttpSigError(error, 'ERR_HTTPSIG_INVALID_KEY'),
    );
    // Nothing on the key exposes the KeyObject the Node path made.
    expect(Object.values(privateKey).some((value) => value instanceof KeyObject)).toBe(false);
    expect(Object.keys(privateKey).sort()).toEqual([
      'alg',
      'canSign',
      'canVerify',
      'cryptoKey',
      'sign',
      'type',
      'verify',
    ]);
  });
});
