/**
 * Key import: PEM, DER, JWK, base64 secrets and CryptoKeys become an `HttpSigKey` bound to one
 * algorithm. Material is checked against the algorithm's registry entry before WebCrypto sees it
 * (key type, curve, RSASSA-PSS restriction) and its strength after (RSA modulus, HMAC length).
 * This module also owns the single factory that wraps a CryptoKey as an `HttpSigKey`.
 */
import { type AlgorithmEntry, resolveAlgorithm } from '../algorithms/registry';
import { HttpSigError } from '../errors';
import { base64Decode, toBytes } from '../internal/bytes';
import {
  children,
  contextTag,
  type DerElement,
  encodeBitString,
  encodeInteger,
  encodeNull,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  isNull,
  parseDer,
  readBitString,
  readOctetString,
  readOid,
  readSmallInteger,
  readUnsignedInteger,
  sequence,
  Tag,
} from '../internal/der';
import { decodePem, looksLikePem } from '../internal/pem';
import type { Bytes, CryptoProvider, HttpSigKey, ImportKeyOptions, KeyMaterial } from './types';

type MaterialType = 'private' | 'public' | 'secret';

/** Material parsed and checked, in a form `SubtleCrypto.importKey` takes. */
type Prepared =
  | { readonly format: 'pkcs8' | 'spki' | 'raw'; readonly data: Bytes; readonly type: MaterialType }
  | { readonly format: 'jwk'; readonly data: JsonWebKey; readonly type: MaterialType; readonly kid?: string };

// No real key comes near this; the cap keeps hostile input cheap to refuse.
const MAX_MATERIAL_LENGTH = 64 * 1024;

const RSA_OID = '1.2.840.113549.1.1.1';
const EC_OID = '1.2.840.10045.2.1';

/** Key types by the OID of a PKCS#8 / SPKI AlgorithmIdentifier. */
const KEY_TYPES: Readonly<Record<string, { family: string; name: string; crv?: string; pssOnly?: true }>> = {
  [RSA_OID]: { family: 'rsa', name: 'an RSA key' },
  // id-RSASSA-PSS (RFC 4055): RSA restricted to PSS. Browsers refuse the OID, so it is rewritten.
  '1.2.840.113549.1.1.10': { family: 'rsa', name: 'an RSA key restricted to RSASSA-PSS', pssOnly: true },
  [EC_OID]: { family: 'ec', name: 'an EC key' },
  '1.3.101.112': { family: 'okp', name: 'an Ed25519 key', crv: 'Ed25519' },
  '1.3.101.113': { family: 'okp', name: 'an Ed448 key', crv: 'Ed448' },
  '1.3.101.110': { family: 'okp', name: 'an X25519 key', crv: 'X25519' },
  '1.3.101.111': { family: 'okp', name: 'an X448 key', crv: 'X448' },
};

/** Named curves by JWK `crv`, with their OIDs. */
const CURVE_OIDS: Readonly<Record<string, string>> = {
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  'P-521': '1.3.132.0.35',
  secp256k1: '1.3.132.0.10',
};
const CURVE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CURVE_OIDS).map(([name, oid]) => [oid, name]),
);

const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/**
 * The members that define a key, per `kty`, in lexicographic order: what RFC 7638 §3.2 (and
 * RFC 8037 §2 for OKP) hashes for a thumbprint, and what an import needs at the least.
 */
export const JWK_REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

// Only these members are passed to WebCrypto: `alg`, `key_ops`, `use` and `ext` make imports fail
// when they disagree with the requested usages, and the algorithm is bound by us anyway.
const JWK_TEXT_MEMBERS = ['kty', 'crv'] as const;
const JWK_BINARY_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y', 'k'] as const;
const JWK_PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;
const KNOWN_CURVES = new Set([...Object.keys(CURVE_OIDS), 'Ed25519', 'Ed448', 'X25519', 'X448']);

// ---- Errors and provider ----

function invalidKey(message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', message);
}

/** The key is of another kind than the algorithm needs: refusing it prevents algorithm confusion. */
function mismatch(found: string, entry: AlgorithmEntry): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    `The key is ${found}, but ${entry.name} needs ${expected(entry)}`,
    {
      parameter: 'alg',
    },
  );
}

function expected(entry: AlgorithmEntry): string {
  if (entry.symmetric) return 'a shared secret';
  if (entry.jwk.kty === 'RSA') return 'an RSA key';
  if (entry.jwk.kty === 'EC') return `an EC ${entry.jwk.crv} key`;
  return `an ${entry.jwk.crv} key`;
}

export function resolveProvider(crypto: CryptoProvider | undefined): CryptoProvider {
  const provider = crypto ?? (globalThis.crypto as CryptoProvider | undefined);
  if (provider?.subtle === undefined) {
    throw new HttpSigError(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      'No WebCrypto implementation is available; pass one as options.crypto',
    );
  }
  return provider;
}

/** Map a WebCrypto failure: a missing algorithm is UNSUPPORTED, anything else is the key's fault. */
export function cryptoFailure(error: unknown, entry: AlgorithmEntry, action: string): HttpSigError {
  if (error instanceof HttpSigError) return error;
  if (isUnsupported(error)) {
    return new HttpSigError(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      `This runtime's WebCrypto does not support ${entry.name}`,
      { parameter: 'alg', cause: error },
    );
  }
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', `${action} failed for ${entry.name}`, { cause: error });
}

function isUnsupported(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  // Standard runtimes throw NotSupportedError; @peculiar/webcrypto throws "Unrecognized name".
  return (
    name === 'NotSupportedError' ||
    (typeof message === 'string' && /^unrecognized (algorithm )?name/i.test(message))
  );
}

// ---- The HttpSigKey factory ----

const providers = new WeakMap<HttpSigKey, CryptoProvider>();

/** The provider a key was made with, so exports use the same implementation as the key. */
export function providerOf(key: HttpSigKey): CryptoProvider {
  return providers.get(key) ?? resolveProvider(undefined);
}

/** Wrap a CryptoKey as an `HttpSigKey` for `entry`. Every WebCrypto-backed key is built here. */
export function createHttpSigKey(
  cryptoKey: CryptoKey,
  entry: AlgorithmEntry,
  keyid: string | undefined,
  provider: CryptoProvider,
): HttpSigKey {
  const { subtle } = provider;
  const type = cryptoKey.type;
  const canSign = type !== 'public' && cryptoKey.usages.includes('sign');
  const canVerify = type !== 'private' && cryptoKey.usages.includes('verify');
  const key: HttpSigKey = Object.freeze({
    alg: entry.name,
    ...(keyid === undefined ? {} : { keyid }),
    type,
    canSign,
    canVerify,
    cryptoKey,
    async sign(data: Bytes): Promise<Bytes> {
      if (!canSign) throw invalidKey(`This ${type} key cannot sign`);
      try {
        return new Uint8Array(await subtle.sign(entry.signParams, cryptoKey, data));
      } catch (error) {
        throw cryptoFailure(error, entry, 'Signing');
      }
    },
    async verify(data: Bytes, signature: Bytes): Promise<boolean> {
      if (!canVerify) throw invalidKey(`This ${type} key cannot verify; use its public key`);
      // A wrong length can never verify; some engines throw on it instead of returning false.
      if (entry.signatureLength !== undefined && signature.length !== entry.signatureLength) return false;
      try {
        return await subtle.verify(entry.signParams, cryptoKey, signature, data);
      } catch {
        return false;
      }
    },
  });
  providers.set(key, provider);
  return key;
}

// ---- importKey ----

/**
 * Import key material for one algorithm. See `KeyMaterial` for the accepted forms. Throws
 * `ERR_HTTPSIG_INVALID_KEY` for unusable material, `ERR_HTTPSIG_ALGORITHM_MISMATCH` for a key of
 * another kind than `options.alg` needs, `ERR_HTTPSIG_UNSUPPORTED_ALGORITHM` for an unknown alg.
 */
export async function importKey(material: KeyMaterial, options: ImportKeyOptions): Promise<HttpSigKey> {
  if (typeof options !== 'object' || options === null || typeof options.alg !== 'string') {
    throw new TypeError('importKey: options.alg is required (a key is never bound to a guessed algorithm)');
  }
  const { use, keyid } = options;
  if (use !== undefined && use !== 'private' && use !== 'public') {
    throw new TypeError("importKey: options.use must be 'private' or 'public'");
  }
  if (keyid !== undefined && typeof keyid !== 'string')
    throw new TypeError('importKey: options.keyid must be a string');
  const entry = resolveAlgorithm(options.alg);
  const provider = resolveProvider(options.crypto);

  let cryptoKey: CryptoKey;
  let kid: string | undefined;
  if (isCryptoKey(material)) {
    cryptoKey = await fromCryptoKey(material, entry, use, provider);
  } else {
    const prepared = prepareMaterial(material, entry);
    if (prepared.format === 'jwk') kid = prepared.kid;
    cryptoKey = await importPrepared(prepared, entry, use, options.extractable === true, provider);
  }
  checkStrength(cryptoKey, entry, options.allowWeakKey === true);
  return createHttpSigKey(cryptoKey, entry, keyid ?? kid, provider);
}

function checkUse(type: MaterialType, use: 'private' | 'public' | undefined, entry: AlgorithmEntry): void {
  if (type === 'secret' && use === 'public')
    throw invalidKey(`A ${entry.name} shared secret has no public half`);
  if (type === 'public' && use === 'private')
    throw invalidKey('options.use is "private" but the material is a public key');
}

async function importPrepared(
  prepared: Prepared,
  entry: AlgorithmEntry,
  use: 'private' | 'public' | undefined,
  extractable: boolean,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  checkUse(prepared.type, use, entry);
  if (use === 'public' && prepared.type === 'private') {
    if (prepared.format === 'jwk') {
      return subtleImport(
        { format: 'jwk', data: publicJwk(prepared.data), type: 'public' },
        entry,
        true,
        provider,
      );
    }
    // The private key is extractable only inside this call, long enough to read its public half.
    const temporary = await subtleImport(prepared, entry, true, provider);
    return derivePublicKey(temporary, entry, provider);
  }
  // Public keys are always extractable: they are not secret, and exporting them is common.
  return subtleImport(prepared, entry, prepared.type === 'public' || extractable, provider);
}

const USAGES: Readonly<Record<MaterialType, KeyUsage[]>> = {
  private: ['sign'],
  public: ['verify'],
  secret: ['sign', 'verify'],
};

async function subtleImport(
  prepared: Prepared,
  entry: AlgorithmEntry,
  extractable: boolean,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  const usages = USAGES[prepared.type];
  try {
    if (prepared.format === 'jwk') {
      return await provider.subtle.importKey('jwk', prepared.data, entry.importParams, extractable, usages);
    }
    return await provider.subtle.importKey(
      prepared.format,
      prepared.data,
      entry.importParams,
      extractable,
      usages,
    );
  } catch (error) {
    throw cryptoFailure(error, entry, `Importing the ${prepared.type} key`);
  }
}

/** The public half of an extractable private CryptoKey, read from its JWK (exportable everywhere). */
export async function derivePublicKey(
  privateKey: CryptoKey,
  entry: AlgorithmEntry,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  let jwk: JsonWebKey;
  try {
    jwk = await provider.subtle.exportKey('jwk', privateKey);
  } catch (error) {
    throw cryptoFailure(error, entry, 'Reading the public half of the private key');
  }
  return subtleImport({ format: 'jwk', data: publicJwk(jwk), type: 'public' }, entry, true, provider);
}

/** Keep only the public members of a JWK (drops private members and WebCrypto's alg/key_ops/ext). */
function publicJwk(jwk: JsonWebKey): JsonWebKey {
  const source = jwk as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of JWK_PUBLIC_MEMBERS) if (source[name] !== undefined) out[name] = source[name];
  return out as JsonWebKey;
}

function checkStrength(key: CryptoKey, entry: AlgorithmEntry, allowWeak: boolean): void {
  if (entry.minKeyBits === undefined || allowWeak) return;
  const algorithm = key.algorithm as { modulusLength?: unknown; length?: unknown };
  // RSA keys report their modulus size, HMAC keys their secret size, both in bits.
  const bits =
    typeof algorithm.modulusLength === 'number'
      ? algorithm.modulusLength
      : typeof algorithm.length === 'number'
        ? algorithm.length
        : undefined;
  if (bits === undefined) throw invalidKey(`Cannot tell the size of the ${entry.name} key`);
  if (bits < entry.minKeyBits) {
    throw invalidKey(
      `The ${entry.name} key has ${bits} bits, below the minimum of ${entry.minKeyBits}; pass allowWeakKey to accept it`,
    );
  }
}

// ---- CryptoKey input ----

function isCryptoKey(value: unknown): value is CryptoKey {
  if (typeof value !== 'object' || value === null) return false;
  // Checked by shape: keys of a polyfill provider are not instances of the global CryptoKey.
  const key = value as Partial<Record<keyof CryptoKey, unknown>>;
  return (
    typeof key.type === 'string' &&
    typeof key.extractable === 'boolean' &&
    Array.isArray(key.usages) &&
    typeof key.algorithm === 'object' &&
    key.algorithm !== null
  );
}

async function fromCryptoKey(
  key: CryptoKey,
  entry: AlgorithmEntry,
  use: 'private' | 'public' | undefined,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  checkCryptoKeyAlgorithm(key, entry);
  checkUse(key.type, use, entry);
  const usable =
    key.type === 'secret'
      ? key.usages.includes('sign') || key.usages.includes('verify')
      : key.usages.includes(key.type === 'public' ? 'verify' : 'sign');
  if (!usable) throw invalidKey(`The ${key.type} CryptoKey lacks the usages to sign or verify`);
  if (use === 'public' && key.type === 'private') {
    if (!key.extractable) {
      throw invalidKey(
        'The public half of a non-extractable private CryptoKey cannot be derived; pass the public key',
      );
    }
    return derivePublicKey(key, entry, provider);
  }
  return key;
}

/** The CryptoKey's algorithm, hash and curve must be exactly those of the entry. */
function checkCryptoKeyAlgorithm(key: CryptoKey, entry: AlgorithmEntry): void {
  const actual = key.algorithm as { name?: unknown; hash?: { name?: unknown }; namedCurve?: unknown };
  const wanted = entry.importParams as { name: string; namedCurve?: string };
  const wantedHash = entryHash(entry);
  const same = (a: unknown, b: string) => typeof a === 'string' && a.toUpperCase() === b.toUpperCase();
  const ok =
    same(actual.name, wanted.name) &&
    (wantedHash === undefined || same(actual.hash?.name, wantedHash)) &&
    (wanted.namedCurve === undefined || actual.namedCurve === wanted.namedCurve) &&
    (key.type === 'secret') === entry.symmetric;
  if (!ok) {
    const name = describeAlgorithm(actual.name, actual.hash?.name, actual.namedCurve);
    throw new HttpSigError(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      `The CryptoKey is a ${key.type} ${name} key, but ${entry.name} needs ${describeAlgorithm(wanted.name, wantedHash, wanted.namedCurve)}`,
      { parameter: 'alg' },
    );
  }
}

function describeAlgorithm(name: unknown, hash: unknown, curve: unknown): string {
  const show = (v: unknown) => (typeof v === 'string' ? v.slice(0, 24) : '?');
  return [
    show(name),
    hash === undefined ? '' : `/${show(hash)}`,
    curve === undefined ? '' : ` ${show(curve)}`,
  ].join('');
}

function entryHash(entry: AlgorithmEntry): string | undefined {
  const hash = (entry.importParams as { hash?: HashAlgorithmIdentifier }).hash;
  return hash === undefined ? undefined : typeof hash === 'string' ? hash : hash.name;
}

// ---- Material dispatch ----

function prepareMaterial(material: unknown, entry: AlgorithmEntry): Prepared {
  if (typeof material === 'string') return prepareText(material, entry);
  const bytes = byteSource(material);
  if (bytes !== undefined) {
    if (bytes.length > MAX_MATERIAL_LENGTH) throw invalidKey('The key material is too large');
    return entry.symmetric ? prepareSecret(bytes) : prepareDer(bytes, entry);
  }
  if (typeof material === 'object' && material !== null && !Array.isArray(material)) {
    return prepareJwk(material as Record<string, unknown>, entry);
  }
  throw new TypeError('importKey: key material must be PEM or JWK text, bytes, a JWK object or a CryptoKey');
}

function byteSource(material: unknown): Bytes | undefined {
  if (ArrayBuffer.isView(material)) return toBytes(material);
  // By tag rather than instanceof, so buffers from another realm are recognised too.
  if (Object.prototype.toString.call(material) === '[object ArrayBuffer]') {
    return new Uint8Array((material as ArrayBuffer).slice(0));
  }
  return undefined;
}

function prepareText(text: string, entry: AlgorithmEntry): Prepared {
  if (text.length > MAX_MATERIAL_LENGTH) throw invalidKey('The key material is too large');
  const trimmed = text.trim();
  if (trimmed === '') throw invalidKey('The key material is empty');
  if (looksLikePem(trimmed)) {
    if (entry.symmetric)
      throw invalidKey(`${entry.name} needs a shared secret (base64, bytes or a JWK), not PEM`);
    return preparePem(trimmed, entry);
  }
  if (trimmed.startsWith('{')) return prepareJwk(parseJwkJson(trimmed), entry);
  if (entry.symmetric) return prepareSecret(decodeSecret(trimmed));
  throw invalidKey(`Key text for ${entry.name} must be PEM or JWK JSON`);
}

// ---- Shared secrets ----

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Strict base64 or base64url (one alphabet, no inner whitespace). */
function decodeSecret(text: string): Bytes {
  const bytes = BASE64.test(text) || BASE64URL.test(text) ? base64Decode(text) : undefined;
  if (bytes === undefined) throw invalidKey('The shared secret is not valid base64 or base64url');
  return bytes;
}

function prepareSecret(bytes: Bytes): Prepared {
  if (bytes.length === 0) throw invalidKey('The shared secret is empty');
  return { format: 'raw', data: bytes, type: 'secret' };
}

// ---- PEM and DER ----

const PEM_HANDLERS: Readonly<Record<string, (der: Bytes, entry: AlgorithmEntry) => Prepared>> = {
  'PRIVATE KEY': preparePkcs8,
  'PUBLIC KEY': prepareSpki,
  'RSA PRIVATE KEY': preparePkcs1Private,
  'RSA PUBLIC KEY': preparePkcs1Public,
  'EC PRIVATE KEY': prepareSec1,
};

const PEM_REFUSALS: Readonly<Record<string, string>> = {
  'ENCRYPTED PRIVATE KEY': 'Encrypted private keys are not supported; decrypt the key first',
  CERTIFICATE: 'Certificates are not supported; pass the public key (PUBLIC KEY) instead',
};

function preparePem(text: string, entry: AlgorithmEntry): Prepared {
  const { label, der } = decodePem(text);
  const handler = Object.hasOwn(PEM_HANDLERS, label) ? PEM_HANDLERS[label] : undefined;
  if (handler !== undefined) return handler(der, entry);
  throw invalidKey(
    Object.hasOwn(PEM_REFUSALS, label) ? (PEM_REFUSALS[label] as string) : `Unsupported PEM label "${label}"`,
  );
}

/** Raw DER is PKCS#8 (starts with a version INTEGER) or SPKI (starts with a SEQUENCE). */
function prepareDer(der: Bytes, entry: AlgorithmEntry): Prepared {
  const first = children(parseDer(der))[0];
  if (first?.tag === Tag.integer) return preparePkcs8(der, entry);
  if (first?.tag === Tag.sequence) return prepareSpki(der, entry);
  throw invalidKey('DER key data is neither PKCS#8 nor SPKI');
}

function preparePkcs8(der: Bytes, entry: AlgorithmEntry): Prepared {
  // PrivateKeyInfo / OneAsymmetricKey (RFC 5958): version, algorithm, key, [0] attributes, [1] public key.
  const items = sequence(parseDer(der), 'PKCS#8 PrivateKeyInfo', 3, 5);
  const [version, algorithm, privateKey] = items;
  if (readSmallInteger(version, 'PKCS#8 version') > 1) throw invalidKey('Unsupported PKCS#8 version');
  if (algorithm?.tag !== Tag.sequence) {
    throw invalidKey('DER key data is not PKCS#8 (PKCS#1 and SEC1 keys need their PEM labels)');
  }
  readOctetString(privateKey, 'PKCS#8 private key');
  const replacement = checkAlgorithmIdentifier(algorithm, entry);
  const data =
    replacement === undefined
      ? der
      : encodeSequence(...items.map((item) => (item === algorithm ? replacement : item.raw)));
  return { format: 'pkcs8', data, type: 'private' };
}

function prepareSpki(der: Bytes, entry: AlgorithmEntry): Prepared {
  const [algorithm, publicKey] = sequence(parseDer(der), 'SubjectPublicKeyInfo', 2);
  readBitString(publicKey, 'SPKI public key');
  const replacement = checkAlgorithmIdentifier(algorithm, entry);
  const data = replacement === undefined ? der : encodeSequence(replacement, (publicKey as DerElement).raw);
  return { format: 'spki', data, type: 'public' };
}

/**
 * Check a key's AlgorithmIdentifier against the entry. Returns a replacement identifier when
 * the key must be re-labelled for WebCrypto (id-RSASSA-PSS → rsaEncryption), else undefined.
 */
function checkAlgorithmIdentifier(
  algorithm: DerElement | undefined,
  entry: AlgorithmEntry,
): Bytes | undefined {
  const [oidElement, parameters] = sequence(algorithm, 'AlgorithmIdentifier', 1, 2);
  const oid = readOid(oidElement, 'key algorithm');
  const keyType = Object.hasOwn(KEY_TYPES, oid) ? KEY_TYPES[oid] : undefined;
  if (keyType === undefined) throw invalidKey(`Unsupported key type (OID ${oid})`);
  if (keyType.family !== entry.family) throw mismatch(keyType.name, entry);
  if (keyType.crv !== undefined) checkCurve(keyType.crv, entry);
  if (keyType.family === 'ec') {
    const curve = readOid(parameters, 'named curve (explicit curve parameters are not supported)');
    checkCurve(CURVE_NAMES[curve] ?? `OID ${curve}`, entry);
  }
  if (keyType.pssOnly !== true) return undefined;
  checkPssRestriction(parameters, entry);
  return rsaAlgorithmIdentifier();
}

function checkCurve(crv: string, entry: AlgorithmEntry): void {
  if (crv !== entry.jwk.crv) {
    throw mismatch(entry.family === 'ec' ? `an EC ${crv} key` : `an ${crv} key`, entry);
  }
}

/** An id-RSASSA-PSS key may only make PSS signatures (RFC 4055 §1.2), with the hash it names. */
function checkPssRestriction(parameters: DerElement | undefined, entry: AlgorithmEntry): void {
  if ((entry.importParams as { name: string }).name !== 'RSA-PSS') {
    throw mismatch('an RSA key restricted to RSASSA-PSS', entry);
  }
  if (parameters === undefined || isNull(parameters)) return;
  // RSASSA-PSS-params: hashAlgorithm [0] defaults to SHA-1.
  const fields = sequence(parameters, 'RSASSA-PSS parameters', 0, 4);
  const hashField = fields.find((field) => field.tag === contextTag(0));
  let hash = 'SHA-1';
  if (hashField !== undefined) {
    const inner = children(hashField);
    if (inner.length !== 1) throw invalidKey('Malformed DER key data: unexpected shape of RSASSA-PSS hash');
    const oid = readOid(sequence(inner[0], 'RSASSA-PSS hash', 1, 2)[0], 'RSASSA-PSS hash');
    hash = HASH_NAMES[oid] ?? `OID ${oid}`;
  }
  if (hash !== entryHash(entry)) throw mismatch(`an RSA-PSS key restricted to ${hash}`, entry);
}

function rsaAlgorithmIdentifier(): Bytes {
  return encodeSequence(encodeOid(RSA_OID), encodeNull());
}

/** PKCS#1 RSAPrivateKey → PKCS#8 with rsaEncryption (what every WebCrypto imports). */
function preparePkcs1Private(der: Bytes, entry: AlgorithmEntry): Prepared {
  if (entry.family !== 'rsa') throw mismatch('an RSA key', entry);
  const items = sequence(parseDer(der), 'PKCS#1 RSAPrivateKey', 9, 10);
  if (readSmallInteger(items[0], 'PKCS#1 version') !== 0 || items.length !== 9) {
    throw invalidKey('Multi-prime RSA keys are not supported');
  }
  for (const item of items) readUnsignedInteger(item, 'PKCS#1 RSAPrivateKey');
  const data = encodeSequence(encodeInteger(0), rsaAlgorithmIdentifier(), encodeOctetString(der));
  return { format: 'pkcs8', data, type: 'private' };
}

/** PKCS#1 RSAPublicKey → SPKI with rsaEncryption. */
function preparePkcs1Public(der: Bytes, entry: AlgorithmEntry): Prepared {
  if (entry.family !== 'rsa') throw mismatch('an RSA key', entry);
  const [modulus, exponent] = sequence(parseDer(der), 'PKCS#1 RSAPublicKey', 2);
  readUnsignedInteger(modulus, 'RSA modulus');
  readUnsignedInteger(exponent, 'RSA public exponent');
  return {
    format: 'spki',
    data: encodeSequence(rsaAlgorithmIdentifier(), encodeBitString(der)),
    type: 'public',
  };
}

/** SEC1 ECPrivateKey (RFC 5915) → PKCS#8 with id-ecPublicKey and the curve the key names. */
function prepareSec1(der: Bytes, entry: AlgorithmEntry): Prepared {
  if (entry.family !== 'ec') throw mismatch('an EC key', entry);
  const items = sequence(parseDer(der), 'SEC1 ECPrivateKey', 2, 4);
  if (readSmallInteger(items[0], 'SEC1 version') !== 1)
    throw invalidKey('Unsupported SEC1 ECPrivateKey version');
  readOctetString(items[1], 'EC private key');
  const parameters = items.find((item) => item.tag === contextTag(0));
  if (parameters !== undefined) {
    const inner = children(parameters);
    const curve = readOid(inner.length === 1 ? inner[0] : undefined, 'named curve');
    checkCurve(CURVE_NAMES[curve] ?? `OID ${curve}`, entry);
  }
  // Without [0] the curve is the one the algorithm names; WebCrypto checks the key fits it.
  const curveOid = CURVE_OIDS[entry.jwk.crv ?? ''];
  if (curveOid === undefined) throw mismatch('an EC key', entry);
  const algorithm = encodeSequence(encodeOid(EC_OID), encodeOid(curveOid));
  return {
    format: 'pkcs8',
    data: encodeSequence(encodeInteger(0), algorithm, encodeOctetString(der)),
    type: 'private',
  };
}

// ---- JWK ----

function parseJwkJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the input, so it is neither repeated nor kept as the cause.
    throw invalidKey('The key text is not valid JWK JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidKey('The key text is not a JWK object');
  }
  return value as Record<string, unknown>;
}

const BASE64URL_UNPADDED = /^[A-Za-z0-9_-]+$/;

function prepareJwk(jwk: Record<string, unknown>, entry: AlgorithmEntry): Prepared {
  const kty = jwk.kty;
  if (typeof kty !== 'string' || !Object.hasOwn(JWK_REQUIRED_MEMBERS, kty)) {
    throw invalidKey('The JWK has a missing or unsupported "kty"');
  }
  if (kty !== entry.jwk.kty) throw mismatch(`a JWK with kty ${kty}`, entry);
  if (entry.jwk.crv !== undefined && jwk.crv !== entry.jwk.crv) {
    const crv = jwk.crv;
    const found =
      typeof crv === 'string' && KNOWN_CURVES.has(crv) ? `a ${crv} JWK` : 'a JWK on another curve';
    throw mismatch(found, entry);
  }
  if (jwk.oth !== undefined) throw invalidKey('Multi-prime RSA keys are not supported');
  const clean: Record<string, string> = {};
  for (const name of [...JWK_TEXT_MEMBERS, ...JWK_BINARY_MEMBERS]) {
    const value = jwk[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidKey(`The JWK member "${name}" must be a string`);
    clean[name] = value;
  }
  for (const name of JWK_BINARY_MEMBERS) {
    const value = clean[name];
    if (value !== undefined && (!BASE64URL_UNPADDED.test(value) || base64Decode(value) === undefined)) {
      throw invalidKey(`The JWK member "${name}" is not base64url`);
    }
  }
  for (const name of JWK_REQUIRED_MEMBERS[kty] ?? []) {
    if (clean[name] === undefined) throw invalidKey(`The JWK lacks the "${name}" member`);
  }
  const type: MaterialType = entry.symmetric ? 'secret' : clean.d === undefined ? 'public' : 'private';
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  return { format: 'jwk', data: clean as JsonWebKey, type, ...(kid === undefined ? {} : { kid }) };
}
