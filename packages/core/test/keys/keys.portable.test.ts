/**
 * Key handling against the RFC 9421 Appendix B keys and signatures. Runs in Node and in headless
 * Chromium, so it uses Web APIs only.
 */
import { describe, expect, it } from 'vitest';
import { isHttpSigError } from '../../src/errors';
import {
  createExternalKey,
  exportKey,
  generateKey,
  getPublicKey,
  type HttpSigKey,
  importKey,
  jwkThumbprint,
} from '../../src/keys/index';
import cavageFile from '../vectors/cavage12-vectors.json';
import { flipped, rejects } from './lib/assertions';
import {
  ALGORITHMS,
  type Alg,
  type RfcKey,
  type RfcSignature,
  rfcKey,
  rfcKeys,
  signatures,
} from './lib/rfc-keys';

const cavageKey = (cavageFile as unknown as { key: { publicKeyPem: string; privateKeyPem: string } }).key;

function algOf(key: RfcKey): Alg {
  return key.algorithmsUsedInRfc[0] as Alg;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

function pemDer(pem: string): Uint8Array<ArrayBuffer> {
  return fromBase64(pemBody(pem));
}

function pemLabel(pem: string): string {
  return /-----BEGIN ([A-Z ]+)-----/.exec(pem)?.[1] ?? '';
}

/** A DER element (short or long length form), for hand-built test structures. */
function tlv(tag: number, ...parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
  const content = parts.flatMap((part) => Array.from(part));
  const length = content.length;
  const header =
    length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
  return new Uint8Array([tag, ...header, ...content]);
}

const oid = (content: number[]) => tlv(0x06, content);
const PSS_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const SHA256_OID = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA512_OID = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/** Every 12-character window of the secret texts, to be sure no error message quotes them. */
function expectNoKeyMaterial(error: Error, ...secrets: string[]): void {
  for (const secret of secrets) {
    for (let i = 0; i + 12 <= secret.length; i += 3) {
      expect(error.message, 'the message quotes key material').not.toContain(secret.slice(i, i + 12));
    }
  }
}

const asymmetricKeys = rfcKeys.filter((k) => k.privateKeyPem !== undefined);
const sharedSecret = rfcKey('test-shared-secret');

describe('importKey: every RFC 9421 key in every format', () => {
  for (const key of asymmetricKeys) {
    const alg = algOf(key);
    const privatePem = key.privateKeyPem as string;
    const publicPem = key.publicKeyPem as string;

    it(`${key.keyid}: private PEM (${pemLabel(privatePem)}) and public PEM (${pemLabel(publicPem)})`, async () => {
      const priv = await importKey(privatePem, { alg, keyid: key.keyid });
      expect(priv).toMatchObject({ alg, keyid: key.keyid, type: 'private', canSign: true, canVerify: false });
      expect(priv.cryptoKey?.extractable).toBe(false);
      const pub = await importKey(publicPem, { alg });
      expect(pub).toMatchObject({ alg, type: 'public', canSign: false, canVerify: true });
      expect(pub.keyid).toBeUndefined();
      expect(pub.cryptoKey?.extractable).toBe(true);
      const data = utf8('hello');
      expect(await pub.verify(data, await priv.sign(data))).toBe(true);
    });

    it(`${key.keyid}: PEM with CRLF line ends and surrounding whitespace`, async () => {
      const messy = `\n  ${privatePem.replace(/\n/g, '\r\n')}\r\n\n`;
      expect((await importKey(messy, { alg })).type).toBe('private');
    });

    it(`${key.keyid}: JWKs (private, public, RFC-printed with kid, JSON text)`, async () => {
      const fromPrivate = await importKey(key.jwkPrivate, { alg });
      expect(fromPrivate.type).toBe('private');
      const fromPublic = await importKey(key.jwkPublic as JsonWebKey, { alg });
      expect(fromPublic.type).toBe('public');
      const fromRfc = await importKey(key.rfcJwk as JsonWebKey, { alg });
      expect(fromRfc).toMatchObject({ type: 'private', keyid: key.keyid });
      const overridden = await importKey(key.rfcJwk as JsonWebKey, { alg, keyid: 'other' });
      expect(overridden.keyid).toBe('other');
      const fromText = await importKey(JSON.stringify(key.jwkPrivate), { alg });
      expect(fromText.type).toBe('private');
      const data = utf8('jwk');
      expect(await fromPublic.verify(data, await fromRfc.sign(data))).toBe(true);
    });

    it(`${key.keyid}: JWK members that WebCrypto would reject (alg, key_ops, use, ext) are ignored`, async () => {
      const noisy = { ...key.jwkPrivate, alg: 'XX999', key_ops: ['encrypt'], use: 'enc', ext: false };
      expect((await importKey(noisy, { alg })).type).toBe('private');
    });

    it(`${key.keyid}: raw DER as Uint8Array and ArrayBuffer`, async () => {
      if (pemLabel(publicPem) === 'PUBLIC KEY') {
        const spki = pemDer(publicPem);
        expect((await importKey(spki, { alg })).type).toBe('public');
        expect((await importKey(spki.buffer, { alg })).type).toBe('public');
      }
      if (pemLabel(privatePem) === 'PRIVATE KEY') {
        const pkcs8 = pemDer(privatePem);
        expect((await importKey(pkcs8, { alg })).type).toBe('private');
        expect((await importKey(pkcs8.buffer, { alg })).type).toBe('private');
      }
      // Every key round-trips through PKCS#8 DER, whatever its original container.
      const extractable = await importKey(privatePem, { alg, extractable: true });
      const der = pemDer(await exportKey(extractable, 'pem'));
      expect((await importKey(der, { alg })).type).toBe('private');
    });

    it(`${key.keyid}: use 'public' derives the verification key from private material`, async () => {
      const signer = await importKey(privatePem, { alg });
      const data = utf8('derive');
      const signature = await signer.sign(data);
      for (const material of [privatePem, key.jwkPrivate, key.rfcJwk as JsonWebKey]) {
        const pub = await importKey(material, { alg, use: 'public' });
        expect(pub).toMatchObject({ type: 'public', canSign: false, canVerify: true });
        expect(await pub.verify(data, signature)).toBe(true);
      }
      // The derived key is the real public key: its JWK is the RFC's public JWK.
      const derived = await importKey(privatePem, { alg, use: 'public' });
      expect(await exportKey(derived, 'jwk')).toEqual(key.jwkPublic);
    });
  }

  it('test-shared-secret: base64, base64url, bytes, ArrayBuffer, oct JWK and JWK JSON', async () => {
    const alg: Alg = 'hmac-sha256';
    const base64 = sharedSecret.secretBase64 as string;
    const bytes = fromBase64(base64);
    const materials = [
      base64,
      toBase64Url(bytes),
      ` ${base64}\n`,
      bytes,
      bytes.buffer,
      sharedSecret.jwkPrivate,
      JSON.stringify({ ...sharedSecret.jwkPrivate, kid: 'test-shared-secret', alg: 'HS256' }),
    ];
    const reference = await (await importKey(bytes, { alg })).sign(utf8('x'));
    for (const material of materials) {
      const key = await importKey(material, { alg });
      expect(key).toMatchObject({ type: 'secret', canSign: true, canVerify: true });
      expect(key.cryptoKey?.extractable).toBe(false);
      expect(toBase64(await key.sign(utf8('x')))).toBe(toBase64(reference));
    }
    const withKid = await importKey({ ...sharedSecret.jwkPrivate, kid: 'k1' } as JsonWebKey, { alg });
    expect(withKid.keyid).toBe('k1');
  });

  it('an existing CryptoKey is accepted when it matches the algorithm', async () => {
    const source = await importKey(rfcKey('test-key-ed25519').publicKeyPem as string, { alg: 'ed25519' });
    const key = await importKey(source.cryptoKey as CryptoKey, { alg: 'ed25519', keyid: 'wrapped' });
    expect(key).toMatchObject({ type: 'public', keyid: 'wrapped', canVerify: true });
    expect(key.cryptoKey).toBe(source.cryptoKey);
  });

  it('ignores text around the key block and the EC PARAMETERS block openssl ecparam writes', async () => {
    const ecc = rfcKey('test-key-ecc-p256');
    const ecParameters = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const withParameters = await importKey(`${ecParameters}${ecc.privateKeyPem}`, {
      alg: 'ecdsa-p256-sha256',
    });
    expect(withParameters.type).toBe('private');
    const ed = rfcKey('test-key-ed25519');
    const annotated = await importKey(`Subject: test key\n${ed.publicKeyPem}\ntrailing note\n`, {
      alg: 'ed25519',
    });
    expect(annotated.type).toBe('public');
  });
});

describe('RFC 9421 signature vectors', () => {
  const deterministic = signatures.filter((s) => s.check === 'sign-and-compare');

  it('covers the three deterministic algorithms', () => {
    expect(new Set(deterministic.map((s) => s.algorithm))).toEqual(
      new Set(['rsa-v1_5-sha256', 'hmac-sha256', 'ed25519']),
    );
  });

  async function signerFor(keyid: string, alg: Alg): Promise<HttpSigKey> {
    const key = rfcKey(keyid);
    return importKey(key.privateKeyPem ?? (key.secretBase64 as string), { alg, keyid });
  }

  async function verifierFor(keyid: string, alg: Alg): Promise<HttpSigKey> {
    const key = rfcKey(keyid);
    return importKey(key.publicKeyPem ?? (key.secretBase64 as string), { alg, keyid });
  }

  for (const vector of deterministic) {
    it(`${vector.id} (${vector.algorithm}) signs to exactly the RFC signature`, async () => {
      const signer = await signerFor(vector.keyid, vector.algorithm);
      const signature = await signer.sign(utf8(vector.signatureBase));
      expect(toBase64(signature)).toBe(vector.signatureBase64);
    });
  }

  for (const vector of signatures) {
    it(`${vector.id} (${vector.algorithm}, ${vector.keyid}) verifies, and fails when altered`, async () => {
      const verifier = await verifierFor(vector.keyid, vector.algorithm);
      const base = utf8(vector.signatureBase);
      const signature = fromBase64(vector.signatureBase64);
      expect(await verifier.verify(base, signature)).toBe(true);
      expect(await verifier.verify(base, flipped(signature))).toBe(false);
      expect(await verifier.verify(base, flipped(signature, signature.length - 1))).toBe(false);
      expect(await verifier.verify(flipped(base, 5), signature)).toBe(false);
      // The JWK form of the public key verifies too.
      const key = rfcKey(vector.keyid);
      const fromJwk = await importKey(key.jwkPublic ?? key.jwkPrivate, { alg: vector.algorithm });
      expect(await fromJwk.verify(base, signature)).toBe(true);
    });
  }
});

describe('generateKey', () => {
  for (const alg of ALGORITHMS) {
    it(`${alg}: generates, signs and verifies`, { timeout: 60_000 }, async () => {
      const { privateKey, publicKey } = await generateKey(alg, { keyid: `gen-${alg}` });
      expect(privateKey).toMatchObject({ alg, keyid: `gen-${alg}`, canSign: true });
      expect(publicKey).toMatchObject({ alg, keyid: `gen-${alg}`, canVerify: true });
      const data = utf8(`generated ${alg}`);
      const signature = await privateKey.sign(data);
      expect(await publicKey.verify(data, signature)).toBe(true);
      expect(await publicKey.verify(data, flipped(signature, 7))).toBe(false);
      expect(privateKey.cryptoKey?.extractable).toBe(false);
      expect(publicKey.cryptoKey?.extractable).toBe(privateKey.type !== 'secret');
    });
  }

  it('hmac-sha256: both halves are the same 32-byte secret key', async () => {
    const pair = await generateKey('hmac-sha256', { extractable: true });
    expect(pair.privateKey).toBe(pair.publicKey);
    expect(pair.privateKey.type).toBe('secret');
    expect((await exportKey(pair.privateKey, 'raw')).length).toBe(32);
  });

  it('rsa: 2048-bit modulus and e = 65537 by default; refuses a weak modulus', {
    timeout: 60_000,
  }, async () => {
    const { publicKey } = await generateKey('rsa-v1_5-sha256');
    const algorithm = publicKey.cryptoKey?.algorithm as RsaHashedKeyAlgorithm;
    expect(algorithm.modulusLength).toBe(2048);
    expect(Array.from(algorithm.publicExponent)).toEqual([1, 0, 1]);
    await rejects(generateKey('rsa-pss-sha512', { modulusLength: 1024 }), 'ERR_HTTPSIG_INVALID_KEY');
    await expect(generateKey('rsa-pss-sha512', { modulusLength: 2047 })).rejects.toThrow(TypeError);
  });

  it('refuses an unknown algorithm', async () => {
    await rejects(generateKey('rsa-sha1' as Alg), 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM');
  });
});

describe('exportKey and getPublicKey', () => {
  it('PEM round trip of every RFC private key (PKCS#8), signing the same', async () => {
    for (const key of asymmetricKeys) {
      const alg = algOf(key);
      const original = await importKey(key.privateKeyPem as string, { alg, extractable: true });
      const pem = await exportKey(original, 'pem');
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
      expect(pem.endsWith('-----END PRIVATE KEY-----\n')).toBe(true);
      const again = await importKey(pem, { alg, extractable: true });
      expect(await exportKey(again, 'jwk')).toEqual(await exportKey(original, 'jwk'));
    }
  });

  it('public PEM export is the SPKI the RFC prints', async () => {
    for (const key of asymmetricKeys) {
      const alg = algOf(key);
      const pub = await importKey(key.publicKeyPem as string, { alg });
      const pem = await exportKey(pub, 'pem');
      expect(pem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
      if (pemLabel(key.publicKeyPem as string) === 'PUBLIC KEY') {
        expect(pemBody(pem)).toBe(pemBody(key.publicKeyPem as string));
      }
      // The PKCS#1 public key becomes SPKI, which imports back to the same key.
      const again = await importKey(pem, { alg });
      expect(await exportKey(again, 'jwk')).toEqual(key.jwkPublic);
    }
  });

  it('JWK export carries kid = keyid and no alg/key_ops/ext', async () => {
    for (const key of asymmetricKeys) {
      const alg = algOf(key);
      const priv = await importKey(key.privateKeyPem as string, { alg, keyid: key.keyid, extractable: true });
      const jwk = await exportKey(priv, 'jwk');
      expect(jwk).toEqual({ ...key.jwkPrivate, kid: key.keyid });
      const pub = await importKey(key.publicKeyPem as string, { alg });
      expect(await exportKey(pub, 'jwk')).toEqual(key.jwkPublic);
    }
    const secret = await importKey(sharedSecret.secretBase64 as string, {
      alg: 'hmac-sha256',
      extractable: true,
    });
    expect(await exportKey(secret, 'jwk')).toEqual(sharedSecret.jwkPrivate);
  });

  it('raw export returns the HMAC secret, and only for secrets', async () => {
    const bytes = fromBase64(sharedSecret.secretBase64 as string);
    const secret = await importKey(bytes, { alg: 'hmac-sha256', extractable: true });
    expect(toBase64(await exportKey(secret, 'raw'))).toBe(sharedSecret.secretBase64);
    await rejects(exportKey(secret, 'pem'), 'ERR_HTTPSIG_INVALID_KEY');
    const pub = await importKey(rfcKey('test-key-ed25519').publicKeyPem as string, { alg: 'ed25519' });
    await rejects(exportKey(pub, 'raw'), 'ERR_HTTPSIG_INVALID_KEY');
    await expect(exportKey(pub, 'der' as 'pem')).rejects.toThrow(TypeError);
  });

  it('a non-extractable key refuses every export, saying so', async () => {
    const key = rfcKey('test-key-ecc-p256');
    const priv = await importKey(key.privateKeyPem as string, { alg: 'ecdsa-p256-sha256' });
    for (const format of ['pem', 'jwk'] as const) {
      const error = await rejects(exportKey(priv, format), 'ERR_HTTPSIG_INVALID_KEY');
      expect(error.message).toMatch(/not extractable/);
    }
    const secret = await importKey(sharedSecret.secretBase64 as string, { alg: 'hmac-sha256' });
    expect((await rejects(exportKey(secret, 'raw'), 'ERR_HTTPSIG_INVALID_KEY')).message).toMatch(
      /not extractable/,
    );
    await rejects(jwkThumbprint(priv), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('getPublicKey: the public half of an extractable private key', async () => {
    const key = rfcKey('test-key-rsa-pss');
    const priv = await importKey(key.privateKeyPem as string, {
      alg: 'rsa-pss-sha512',
      keyid: key.keyid,
      extractable: true,
    });
    const pub = await getPublicKey(priv);
    expect(pub).toMatchObject({ type: 'public', keyid: key.keyid, alg: 'rsa-pss-sha512', canVerify: true });
    const data = utf8('pss');
    expect(await pub.verify(data, await priv.sign(data))).toBe(true);
    expect(await getPublicKey(pub)).toBe(pub);

    const locked = await importKey(key.privateKeyPem as string, { alg: 'rsa-pss-sha512' });
    await rejects(getPublicKey(locked), 'ERR_HTTPSIG_INVALID_KEY');
    const secret = await importKey(sharedSecret.secretBase64 as string, {
      alg: 'hmac-sha256',
      extractable: true,
    });
    await rejects(getPublicKey(secret), 'ERR_HTTPSIG_INVALID_KEY');
  });
});

describe('algorithm confusion is refused', () => {
  const ecc = rfcKey('test-key-ecc-p256');
  const pss = rfcKey('test-key-rsa-pss');
  const rsa = rfcKey('test-key-rsa');
  const ed = rfcKey('test-key-ed25519');

  it('an EC key imported as ed25519', async () => {
    for (const material of [ecc.privateKeyPem, ecc.publicKeyPem, ecc.jwkPrivate, ecc.jwkPublic]) {
      await rejects(importKey(material as string, { alg: 'ed25519' }), 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
    }
  });

  it('a P-256 key imported as ecdsa-p384-sha384', async () => {
    for (const material of [ecc.jwkPublic, ecc.jwkPrivate, ecc.privateKeyPem, ecc.publicKeyPem]) {
      await rejects(
        importKey(material as string, { alg: 'ecdsa-p384-sha384' }),
        'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      );
    }
  });

  it('a CryptoKey for RSA-PSS used as rsa-v1_5-sha256', async () => {
    const pssKey = await importKey(pss.privateKeyPem as string, { alg: 'rsa-pss-sha512' });
    const error = await rejects(
      importKey(pssKey.cryptoKey as CryptoKey, { alg: 'rsa-v1_5-sha256' }),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
    expect(error.message).toMatch(/RSA-PSS/);
  });

  it('CryptoKeys with another hash, curve or key type', async () => {
    const { subtle } = globalThis.crypto;
    const hmac384 = await subtle.importKey(
      'raw',
      new Uint8Array(48),
      { name: 'HMAC', hash: 'SHA-384' },
      false,
      ['sign'],
    );
    await rejects(importKey(hmac384, { alg: 'hmac-sha256' }), 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
    const p384 = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
    await rejects(importKey(p384.publicKey, { alg: 'ecdsa-p256-sha256' }), 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
    const edKey = await importKey(ed.publicKeyPem as string, { alg: 'ed25519' });
    await rejects(
      importKey(edKey.cryptoKey as CryptoKey, { alg: 'hmac-sha256' }),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
    await rejects(
      importKey(edKey.cryptoKey as CryptoKey, { alg: 'ed25519', use: 'private' }),
      'ERR_HTTPSIG_INVALID_KEY',
    );
  });

  it('an id-RSASSA-PSS key is refused for PKCS#1 v1.5 signatures', async () => {
    await rejects(
      importKey(pss.privateKeyPem as string, { alg: 'rsa-v1_5-sha256' }),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('an id-RSASSA-PSS key whose parameters name another hash', async () => {
    // PKCS#8 { 0, { id-RSASSA-PSS, RSASSA-PSS-params { [0] hash } }, PKCS#1 key } built by hand.
    const pkcs1 = pemDer(rsa.privateKeyPem as string);
    const pssKey = (hashOid: number[]) =>
      tlv(
        0x30,
        [0x02, 0x01, 0x00],
        tlv(0x30, oid(PSS_OID), tlv(0x30, tlv(0xa0, tlv(0x30, oid(hashOid))))),
        tlv(0x04, pkcs1),
      );
    await rejects(importKey(pssKey(SHA256_OID), { alg: 'rsa-pss-sha512' }), 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
    const key = await importKey(pssKey(SHA512_OID), { alg: 'rsa-pss-sha512' });
    const pub = await importKey(rsa.publicKeyPem as string, { alg: 'rsa-pss-sha512' });
    expect(await pub.verify(utf8('p'), await key.sign(utf8('p')))).toBe(true);
    await rejects(
      importKey(pssKey(SHA512_OID), { alg: 'rsa-v1_5-sha256' }),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('key types and algorithms that do not belong together', async () => {
    const cases: [unknown, Alg][] = [
      [rsa.jwkPublic, 'ed25519'],
      [rsa.privateKeyPem, 'ecdsa-p256-sha256'],
      [rsa.publicKeyPem, 'ed25519'],
      [ed.publicKeyPem, 'rsa-pss-sha512'],
      [ecc.privateKeyPem, 'rsa-v1_5-sha256'],
      [sharedSecret.jwkPrivate, 'rsa-v1_5-sha256'],
      [ed.jwkPrivate, 'hmac-sha256'],
    ];
    for (const [material, alg] of cases) {
      await rejects(importKey(material as string, { alg }), 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
    }
  });

  it('PEM is not a shared secret', async () => {
    await rejects(importKey(ed.privateKeyPem as string, { alg: 'hmac-sha256' }), 'ERR_HTTPSIG_INVALID_KEY');
  });
});

describe('weak keys', () => {
  it('an HMAC secret under 32 bytes, unless allowWeakKey', async () => {
    const short = new Uint8Array(16).fill(7);
    const error = await rejects(importKey(short, { alg: 'hmac-sha256' }), 'ERR_HTTPSIG_INVALID_KEY');
    expect(error.message).toMatch(/128 bits.*256.*allowWeakKey/);
    expect((await importKey(short, { alg: 'hmac-sha256', allowWeakKey: true })).type).toBe('secret');
    await rejects(importKey(toBase64(short), { alg: 'hmac-sha256' }), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('a 1024-bit RSA key (draft-cavage Appendix C), unless allowWeakKey', async () => {
    for (const pem of [cavageKey.privateKeyPem, cavageKey.publicKeyPem]) {
      const error = await rejects(importKey(pem, { alg: 'rsa-v1_5-sha256' }), 'ERR_HTTPSIG_INVALID_KEY');
      expect(error.message).toMatch(/1024 bits/);
      expect((await importKey(pem, { alg: 'rsa-v1_5-sha256', allowWeakKey: true })).alg).toBe(
        'rsa-v1_5-sha256',
      );
    }
    const cryptoKey = await globalThis.crypto.subtle.importKey(
      'spki',
      pemDer(cavageKey.publicKeyPem),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['verify'],
    );
    await rejects(importKey(cryptoKey, { alg: 'rsa-v1_5-sha256' }), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('an empty secret even with allowWeakKey', async () => {
    await rejects(
      importKey(new Uint8Array(0), { alg: 'hmac-sha256', allowWeakKey: true }),
      'ERR_HTTPSIG_INVALID_KEY',
    );
  });
});

describe('malformed material → ERR_HTTPSIG_INVALID_KEY, never quoting the key', () => {
  const ed = rfcKey('test-key-ed25519');
  const rsa = rfcKey('test-key-rsa');
  const edPem = ed.privateKeyPem as string;
  const rsaPem = rsa.privateKeyPem as string;
  const edBody = pemBody(edPem);
  const secretTexts = [edBody, pemBody(rsaPem), ed.jwkPrivate.d as string, rsa.jwkPrivate.d as string];

  const cases: [string, unknown, Alg][] = [
    ['PEM without END line', edPem.slice(0, edPem.indexOf('-----END')), 'ed25519'],
    ['PEM with a bad base64 body', edPem.replace(edBody.slice(0, 8), `${edBody.slice(0, 7)}!`), 'ed25519'],
    ['PEM with mismatched labels', edPem.replace('END PRIVATE KEY', 'END PUBLIC KEY'), 'ed25519'],
    ['two PEM blocks', `${edPem}\n${ed.publicKeyPem}`, 'ed25519'],
    [
      'encrypted PEM headers',
      rsaPem.replace('KEY-----\n', 'KEY-----\nProc-Type: 4,ENCRYPTED\n'),
      'rsa-v1_5-sha256',
    ],
    ['ENCRYPTED PRIVATE KEY', edPem.replace(/PRIVATE KEY/g, 'ENCRYPTED PRIVATE KEY'), 'ed25519'],
    ['unknown PEM label', edPem.replace(/PRIVATE KEY/g, 'OPENSSH PRIVATE KEY'), 'ed25519'],
    ['PEM with truncated DER', edPem.replace(edBody, edBody.slice(0, 40)), 'ed25519'],
    [
      'PEM holding garbage',
      `-----BEGIN PRIVATE KEY-----\n${btoa('not DER at all, 0123456789')}\n-----END PRIVATE KEY-----`,
      'ed25519',
    ],
    [
      'PKCS#1 PEM with a broken INTEGER tag',
      rsaPem.replace('MIIEqAIBAAKC', 'MIIEqAIBAAAC'),
      'rsa-v1_5-sha256',
    ],
    ['DER: empty', new Uint8Array(0), 'ed25519'],
    ['DER: random bytes', utf8('\x30\x82\xff\xff random'), 'ed25519'],
    ['DER: truncated', pemDer(edPem).slice(0, 20), 'ed25519'],
    ['DER: trailing bytes', new Uint8Array([...pemDer(edPem), 0, 0]), 'ed25519'],
    ['DER: indefinite length', new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00]), 'ed25519'],
    ['DER: a PKCS#1 key without its PEM label', pemDer(rsaPem), 'rsa-v1_5-sha256'],
    ['secret: not base64', 'this is not base64!', 'hmac-sha256'],
    ['secret: mixed base64 alphabets', 'ab+_cdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN', 'hmac-sha256'],
    ['secret: bad padding', `${sharedSecret.secretBase64}=`, 'hmac-sha256'],
    ['secret: empty text', '   ', 'hmac-sha256'],
    [
      'JWK text: invalid JSON quoting d',
      `{"kty":"OKP","crv":"Ed25519","d":"${ed.jwkPrivate.d}",}`,
      'ed25519',
    ],
    ['JWK text: an array', '[1,2,3]', 'ed25519'],
    ['JWK: no kty', { crv: 'Ed25519', x: ed.jwkPrivate.x, d: ed.jwkPrivate.d }, 'ed25519'],
    ['JWK: unknown kty', { kty: 'XYZ', x: ed.jwkPrivate.x }, 'ed25519'],
    ['JWK: d not base64url', { ...ed.jwkPrivate, d: `${ed.jwkPrivate.d}+/=` }, 'ed25519'],
    ['JWK: x not a string', { ...ed.jwkPrivate, x: 42 }, 'ed25519'],
    ['JWK: no x', { kty: 'OKP', crv: 'Ed25519', d: ed.jwkPrivate.d }, 'ed25519'],
    [
      'JWK: d of the wrong length',
      { ...ed.jwkPrivate, d: toBase64Url(new Uint8Array(31).fill(9)) },
      'ed25519',
    ],
    ['JWK: RSA without e', { kty: 'RSA', n: rsa.jwkPrivate.n }, 'rsa-v1_5-sha256'],
    ['JWK: multi-prime RSA', { ...rsa.jwkPrivate, oth: [] }, 'rsa-v1_5-sha256'],
    ['JWK: oct with empty k', { kty: 'oct', k: '' }, 'hmac-sha256'],
    ['text that is neither PEM nor JWK', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ', 'ed25519'],
  ];

  for (const [name, material, alg] of cases) {
    it(name, async () => {
      const error = await rejects(importKey(material as string, { alg }), 'ERR_HTTPSIG_INVALID_KEY');
      expectNoKeyMaterial(error, ...secretTexts, sharedSecret.secretBase64 as string);
    });
  }

  it('every truncation of a PKCS#8, SPKI, PKCS#1 and SEC1 key fails cleanly', async () => {
    const pems = [edPem, ed.publicKeyPem, rsaPem, rfcKey('test-key-ecc-p256').privateKeyPem] as string[];
    for (const pem of pems) {
      const der = pemDer(pem);
      const label = pemLabel(pem);
      const alg = algOf(rfcKeys.find((k) => k.privateKeyPem === pem || k.publicKeyPem === pem) as RfcKey);
      for (let length = 0; length < der.length; length++) {
        const body = toBase64(der.subarray(0, length));
        const truncated = `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
        await rejects(importKey(truncated, { alg }), 'ERR_HTTPSIG_INVALID_KEY');
      }
    }
  });

  it('random byte corruption never escapes as anything but an HttpSigError', async () => {
    // A fixed-seed generator keeps the run reproducible.
    let seed = 0x9e3779b9;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const sources: [Uint8Array, Alg][] = [
      [pemDer(edPem), 'ed25519'],
      [pemDer(ed.publicKeyPem as string), 'ed25519'],
      [pemDer(rfcKey('test-key-ecc-p256').publicKeyPem as string), 'ecdsa-p256-sha256'],
      [pemDer(rfcKey('test-key-rsa-pss').privateKeyPem as string), 'rsa-pss-sha512'],
    ];
    for (const [der, alg] of sources) {
      for (let round = 0; round < 150; round++) {
        const copy = new Uint8Array(der);
        const flips = 1 + Math.floor(next() * 3);
        for (let i = 0; i < flips; i++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
        try {
          await importKey(copy, { alg });
        } catch (error) {
          expect(isHttpSigError(error), String(error)).toBe(true);
        }
      }
    }
  });
});

describe('argument misuse', () => {
  const edPem = rfcKey('test-key-ed25519').privateKeyPem as string;

  it('throws TypeError for missing or malformed options', async () => {
    await expect(importKey(edPem, undefined as never)).rejects.toThrow(TypeError);
    await expect(importKey(edPem, {} as never)).rejects.toThrow(TypeError);
    await expect(importKey(edPem, { alg: 'ed25519', use: 'both' as never })).rejects.toThrow(TypeError);
    await expect(importKey(42 as never, { alg: 'ed25519' })).rejects.toThrow(TypeError);
  });

  it('an unknown algorithm is ERR_HTTPSIG_UNSUPPORTED_ALGORITHM', async () => {
    await rejects(importKey(edPem, { alg: 'ed448' as Alg }), 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM');
  });

  it("use: 'public' for a shared secret", async () => {
    await rejects(
      importKey(sharedSecret.secretBase64 as string, { alg: 'hmac-sha256', use: 'public' }),
      'ERR_HTTPSIG_INVALID_KEY',
    );
  });

  it("use: 'private' with public material", async () => {
    const pub = rfcKey('test-key-ed25519').publicKeyPem as string;
    await rejects(importKey(pub, { alg: 'ed25519', use: 'private' }), 'ERR_HTTPSIG_INVALID_KEY');
  });
});

describe('HttpSigKey behaviour', () => {
  const ed = rfcKey('test-key-ed25519');

  it('a public key cannot sign; a private key cannot verify', async () => {
    const pub = await importKey(ed.publicKeyPem as string, { alg: 'ed25519' });
    await rejects(pub.sign(utf8('x')), 'ERR_HTTPSIG_INVALID_KEY');
    const priv = await importKey(ed.privateKeyPem as string, { alg: 'ed25519' });
    await rejects(priv.verify(utf8('x'), new Uint8Array(64)), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('verify returns false, never throws, for signatures of the wrong length or garbage', async () => {
    const keys = [
      await importKey(ed.publicKeyPem as string, { alg: 'ed25519' }),
      await importKey(rfcKey('test-key-ecc-p256').publicKeyPem as string, { alg: 'ecdsa-p256-sha256' }),
      await importKey(rfcKey('test-key-rsa').publicKeyPem as string, { alg: 'rsa-v1_5-sha256' }),
      await importKey(rfcKey('test-key-rsa-pss').publicKeyPem as string, { alg: 'rsa-pss-sha512' }),
      await importKey(sharedSecret.secretBase64 as string, { alg: 'hmac-sha256' }),
    ];
    for (const key of keys) {
      for (const length of [0, 1, 31, 63, 65, 72, 255, 257, 512]) {
        expect(await key.verify(utf8('x'), new Uint8Array(length).fill(0xff))).toBe(false);
      }
    }
  });

  it('a key is frozen', async () => {
    const key = await importKey(ed.publicKeyPem as string, { alg: 'ed25519' });
    expect(Object.isFrozen(key)).toBe(true);
  });
});

describe('createExternalKey', () => {
  const ed = rfcKey('test-key-ed25519');

  it('signs and verifies through the callbacks', async () => {
    const inner = await importKey(ed.privateKeyPem as string, { alg: 'ed25519' });
    const pub = await importKey(ed.publicKeyPem as string, { alg: 'ed25519' });
    const key = createExternalKey({
      alg: 'ed25519',
      keyid: 'kms-1',
      sign: async (data) => (await inner.sign(data)).buffer,
      verify: (data, signature) => pub.verify(data, signature),
    });
    expect(key).toMatchObject({
      alg: 'ed25519',
      keyid: 'kms-1',
      type: 'external',
      canSign: true,
      canVerify: true,
    });
    expect(key.cryptoKey).toBeUndefined();
    const vector = signatures.find((s) => s.id === 'B.2.6') as RfcSignature;
    const signature = await key.sign(utf8(vector.signatureBase));
    expect(toBase64(signature)).toBe(vector.signatureBase64);
    expect(await key.verify(utf8(vector.signatureBase), signature)).toBe(true);
    expect(await key.verify(utf8(vector.signatureBase), flipped(signature))).toBe(false);
    await rejects(exportKey(key, 'jwk'), 'ERR_HTTPSIG_INVALID_KEY');
    await rejects(getPublicKey(key), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('wraps a failing signer; a failing verifier means false', async () => {
    const failure = new Error('KMS unavailable');
    const key = createExternalKey({
      alg: 'ecdsa-p256-sha256',
      sign: () => Promise.reject(failure),
      verify: () => {
        throw new Error('boom');
      },
    });
    const error = await rejects(key.sign(utf8('x')), 'ERR_HTTPSIG_INVALID_KEY');
    expect(error.cause).toBe(failure);
    expect(await key.verify(utf8('x'), new Uint8Array(64))).toBe(false);
  });

  it('refuses a signature of the wrong size (e.g. DER-encoded ECDSA) or type', async () => {
    const der = createExternalKey({ alg: 'ecdsa-p256-sha256', sign: () => new Uint8Array(71) });
    expect((await rejects(der.sign(utf8('x')), 'ERR_HTTPSIG_INVALID_KEY')).message).toMatch(/not DER/);
    const text = createExternalKey({ alg: 'ed25519', sign: () => 'signature' as never });
    await rejects(text.sign(utf8('x')), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('can do only what it has callbacks for', async () => {
    const verifyOnly = createExternalKey({ alg: 'hmac-sha256', verify: () => true });
    expect(verifyOnly).toMatchObject({ canSign: false, canVerify: true });
    await rejects(verifyOnly.sign(utf8('x')), 'ERR_HTTPSIG_INVALID_KEY');
    expect(await verifyOnly.verify(utf8('x'), new Uint8Array(31))).toBe(false);
    const signOnly = createExternalKey({ alg: 'rsa-pss-sha512', sign: () => new Uint8Array(256) });
    expect(signOnly).toMatchObject({ canSign: true, canVerify: false });
    await rejects(signOnly.verify(utf8('x'), new Uint8Array(256)), 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('argument misuse', () => {
    expect(() => createExternalKey({ alg: 'ed25519' })).toThrow(TypeError);
    expect(() => createExternalKey({ sign: () => new Uint8Array(64) } as never)).toThrow(TypeError);
    expect(() => createExternalKey({ alg: 'ed25519', sign: 'no' as never })).toThrow(TypeError);
    expect(() => createExternalKey({ alg: 'nope' as Alg, sign: () => new Uint8Array(0) })).toThrow(
      expect.objectContaining({ code: 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM' }),
    );
  });
});

describe('jwkThumbprint (RFC 7638)', () => {
  const rfc7638Key = {
    kty: 'RSA',
    n:
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMst' +
      'n64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5ha' +
      'jrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
    e: 'AQAB',
    alg: 'RS256',
    kid: '2011-04-29',
  };

  it('matches the RFC 7638 §3.1 example', async () => {
    expect(await jwkThumbprint(rfc7638Key)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('matches the RFC 8037 Appendix A.3 Ed25519 example', async () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    expect(await jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('is the same for a key, its public JWK and its private JWK', async () => {
    for (const key of asymmetricKeys) {
      const alg = algOf(key);
      const expected = await jwkThumbprint(key.jwkPublic as JsonWebKey);
      expect(await jwkThumbprint(key.jwkPrivate)).toBe(expected);
      expect(await jwkThumbprint(await importKey(key.publicKeyPem as string, { alg }))).toBe(expected);
      const priv = await importKey(key.privateKeyPem as string, { alg, extractable: true });
      expect(await jwkThumbprint(priv)).toBe(expected);
    }
  });

  it('refuses a JWK without the required members', async () => {
    await rejects(jwkThumbprint({ kty: 'RSA', n: rfc7638Key.n }), 'ERR_HTTPSIG_INVALID_KEY');
    await rejects(jwkThumbprint({ kty: 'XYZ' }), 'ERR_HTTPSIG_INVALID_KEY');
  });
});
