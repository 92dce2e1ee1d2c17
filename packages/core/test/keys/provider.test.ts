/**
 * Node only: the injectable provider (with @peculiar/webcrypto standing in for a non-native
 * WebCrypto), and cross-checks of our signatures against node:crypto.
 */
import { constants, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { Crypto } from '@peculiar/webcrypto';
import { describe, expect, it } from 'vitest';
import { type CryptoProvider, exportKey, generateKey, importKey } from '../../src/keys/index';
import { flipped, rejects } from './lib/assertions';
import { ALGORITHMS, rfcKey, signatures } from './lib/rfc-keys';

const peculiar: CryptoProvider = new Crypto();
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('@peculiar/webcrypto as the provider', () => {
  for (const vector of signatures) {
    it(`${vector.id} (${vector.algorithm}) with the RFC keys`, async () => {
      const key = rfcKey(vector.keyid);
      const options = { alg: vector.algorithm, crypto: peculiar };
      const signer = await importKey(key.privateKeyPem ?? (key.secretBase64 as string), options);
      const verifier = await importKey(key.publicKeyPem ?? (key.secretBase64 as string), options);
      // The keys really come from the polyfill, not from Node's WebCrypto.
      expect(signer.cryptoKey).not.toBeInstanceOf(globalThis.CryptoKey);
      const base = utf8(vector.signatureBase);
      const expected = Buffer.from(vector.signatureBase64, 'base64');
      if (vector.check === 'sign-and-compare') {
        expect(Buffer.from(await signer.sign(base)).toString('base64')).toBe(vector.signatureBase64);
      }
      expect(await verifier.verify(base, new Uint8Array(expected))).toBe(true);
      expect(await verifier.verify(base, flipped(expected))).toBe(false);
      expect(await verifier.verify(base, await signer.sign(base))).toBe(true);
    });
  }

  for (const alg of ALGORITHMS) {
    it(`${alg}: generate, sign, verify`, { timeout: 60_000 }, async () => {
      const { privateKey, publicKey } = await generateKey(alg, { crypto: peculiar });
      expect(privateKey.cryptoKey).not.toBeInstanceOf(globalThis.CryptoKey);
      const data = utf8(alg);
      const signature = await privateKey.sign(data);
      expect(await publicKey.verify(data, signature)).toBe(true);
      expect(await publicKey.verify(data, flipped(signature))).toBe(false);
    });
  }

  it("accepts the provider's own CryptoKeys as material", async () => {
    const pair = (await peculiar.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const priv = await importKey(pair.privateKey, { alg: 'ecdsa-p384-sha384', crypto: peculiar });
    const pub = await importKey(pair.publicKey, { alg: 'ecdsa-p384-sha384', crypto: peculiar });
    expect(await pub.verify(utf8('x'), await priv.sign(utf8('x')))).toBe(true);
    await rejects(
      importKey(pair.publicKey, { alg: 'ecdsa-p256-sha256', crypto: peculiar }),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('exports keys with the provider that made them; the PEM imports into the platform WebCrypto', async () => {
    for (const alg of ['ed25519', 'ecdsa-p256-sha256', 'rsa-pss-sha512'] as const) {
      const { privateKey, publicKey } = await generateKey(alg, { crypto: peculiar, extractable: true });
      const data = utf8('cross-provider');
      const signature = await privateKey.sign(data);
      const nativePublic = await importKey(await exportKey(publicKey, 'pem'), { alg });
      expect(nativePublic.cryptoKey).toBeInstanceOf(globalThis.CryptoKey);
      expect(await nativePublic.verify(data, signature)).toBe(true);
      const nativePrivate = await importKey(await exportKey(privateKey, 'pem'), { alg });
      expect(await nativePublic.verify(data, await nativePrivate.sign(data))).toBe(true);
    }
  });

  it('a provider that lacks Ed25519 gives ERR_HTTPSIG_UNSUPPORTED_ALGORITHM', async () => {
    // The polyfill without its Ed25519 provider: it then throws its own "Unrecognized name" error.
    const withoutEd25519 = new Crypto();
    (
      withoutEd25519.subtle as unknown as { providers: { removeAt(name: string): unknown } }
    ).providers.removeAt('ed25519');
    // A runtime from before Ed25519 shipped: the standard NotSupportedError.
    const { subtle } = globalThis.crypto;
    const refuse = (algorithm: AlgorithmIdentifier) => {
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      if (name.toLowerCase() === 'ed25519')
        throw new DOMException('Unrecognized algorithm name', 'NotSupportedError');
    };
    const oldRuntime: CryptoProvider = {
      getRandomValues: globalThis.crypto.getRandomValues.bind(
        globalThis.crypto,
      ) as CryptoProvider['getRandomValues'],
      // Node's SubtleCrypto checks its receiver, so every method is bound rather than inherited.
      subtle: {
        sign: subtle.sign.bind(subtle),
        verify: subtle.verify.bind(subtle),
        exportKey: subtle.exportKey.bind(subtle),
        digest: subtle.digest.bind(subtle),
        importKey: (...args: unknown[]) => {
          refuse(args[2] as AlgorithmIdentifier);
          return Reflect.apply(subtle.importKey, subtle, args);
        },
        generateKey: (algorithm: AlgorithmIdentifier, extractable: boolean, usages: KeyUsage[]) => {
          refuse(algorithm);
          return subtle.generateKey(algorithm, extractable, usages);
        },
      } as unknown as SubtleCrypto,
    };
    const ed = rfcKey('test-key-ed25519');
    for (const crypto of [withoutEd25519 as CryptoProvider, oldRuntime]) {
      await rejects(
        importKey(ed.privateKeyPem as string, { alg: 'ed25519', crypto }),
        'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      );
      await rejects(
        importKey(ed.publicKeyPem as string, { alg: 'ed25519', crypto }),
        'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      );
      await rejects(generateKey('ed25519', { crypto }), 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM');
      // Everything else still works with that provider.
      const { privateKey, publicKey } = await generateKey('ecdsa-p256-sha256', { crypto });
      expect(await publicKey.verify(utf8('x'), await privateKey.sign(utf8('x')))).toBe(true);
    }
  });
});

describe('cross-check with node:crypto', () => {
  const ecc = rfcKey('test-key-ecc-p256');
  const data = utf8('cross-check with node:crypto');

  it('ECDSA P-256 signatures are 64 bytes r‖s (IEEE P1363), both ways', async () => {
    const priv = await importKey(ecc.privateKeyPem as string, { alg: 'ecdsa-p256-sha256' });
    const signature = await priv.sign(data);
    expect(signature.length).toBe(64);
    const nodeKey = createPublicKey(ecc.publicKeyPem as string);
    expect(nodeVerify('sha256', data, { key: nodeKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(nodeVerify('sha256', data, { key: nodeKey, dsaEncoding: 'ieee-p1363' }, flipped(signature))).toBe(
      false,
    );

    const nodeSignature = nodeSign('sha256', data, {
      key: ecc.privateKeyPem as string,
      dsaEncoding: 'ieee-p1363',
    });
    const pub = await importKey(ecc.publicKeyPem as string, { alg: 'ecdsa-p256-sha256' });
    expect(await pub.verify(data, new Uint8Array(nodeSignature))).toBe(true);
    // A DER-encoded signature is the wrong format for RFC 9421 and never verifies.
    const derSignature = nodeSign('sha256', data, { key: ecc.privateKeyPem as string, dsaEncoding: 'der' });
    expect(await pub.verify(data, new Uint8Array(derSignature))).toBe(false);
  });

  it('ECDSA P-384 signatures are 96 bytes r‖s', async () => {
    const { privateKey, publicKey } = await generateKey('ecdsa-p384-sha384');
    const signature = await privateKey.sign(data);
    expect(signature.length).toBe(96);
    const nodeKey = createPublicKey(await exportKey(publicKey, 'pem'));
    expect(nodeVerify('sha384', data, { key: nodeKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('RSA-PSS signatures use SHA-512, MGF1-SHA-512 and a 64-byte salt', async () => {
    const pss = rfcKey('test-key-rsa-pss');
    const priv = await importKey(pss.privateKeyPem as string, { alg: 'rsa-pss-sha512' });
    const signature = await priv.sign(data);
    const key = { key: pss.publicKeyPem as string, padding: constants.RSA_PKCS1_PSS_PADDING };
    expect(nodeVerify('sha512', data, { ...key, saltLength: 64 }, signature)).toBe(true);
    expect(nodeVerify('sha512', data, { ...key, saltLength: 32 }, signature)).toBe(false);
  });
});
