/**
 * Key export (PEM, JWK, raw secret), the public half of a private key, and RFC 7638 thumbprints.
 * Only extractable keys leave WebCrypto; everything else is refused with `ERR_HTTPSIG_INVALID_KEY`.
 */
import { resolveAlgorithm } from '../algorithms/registry';
import { HttpSigError } from '../errors';
import { base64UrlEncode, utf8Encode } from '../internal/bytes';
import { encodePem } from '../internal/pem';
import { JWK_REQUIRED_MEMBERS } from './jwk-import';
import { createHttpSigKey, cryptoFailure, providerOf, resolveProvider } from './key-factory';
import { derivePublicKey } from './subtle-import';
import type { Bytes, CryptoProvider, HttpSigKey } from './types';

export type ExportFormat = 'pem' | 'jwk' | 'raw';

/** A JWK as `exportKey` returns it: the DOM `JsonWebKey` type has no `kid` member. */
export type ExportedJwk = JsonWebKey & { kid?: string };

export interface ThumbprintOptions {
  /** The Web Crypto implementation for the hash. @default the key's provider, else globalThis.crypto */
  crypto?: CryptoProvider;
}

function invalidKey(message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', message);
}

/** PEM: PKCS#8 `PRIVATE KEY` for a private key, SPKI `PUBLIC KEY` for a public key. */
export function exportKey(key: HttpSigKey, format: 'pem'): Promise<string>;
/** JWK with `kid` = the key's keyid when set, without WebCrypto's `alg`, `key_ops` and `ext`. */
export function exportKey(key: HttpSigKey, format: 'jwk'): Promise<ExportedJwk>;
/** The raw bytes of a shared secret. */
export function exportKey(key: HttpSigKey, format: 'raw'): Promise<Bytes>;
export function exportKey(key: HttpSigKey, format: ExportFormat): Promise<string | ExportedJwk | Bytes>;
export async function exportKey(
  key: HttpSigKey,
  format: ExportFormat,
): Promise<string | ExportedJwk | Bytes> {
  if (format === 'pem') return exportPem(key);
  if (format === 'jwk') return exportJwk(key);
  if (format === 'raw') return exportRaw(key);
  throw new TypeError("exportKey: format must be 'pem', 'jwk' or 'raw'");
}

async function exportPem(key: HttpSigKey): Promise<string> {
  if (key.type === 'secret') throw invalidKey("A shared secret has no PEM form; export it as 'raw' or 'jwk'");
  const isPrivate = key.type === 'private';
  const der = (await extract(key, isPrivate ? 'pkcs8' : 'spki')) as ArrayBuffer;
  return encodePem(isPrivate ? 'PRIVATE KEY' : 'PUBLIC KEY', new Uint8Array(der));
}

async function exportJwk(key: HttpSigKey): Promise<ExportedJwk> {
  const { alg: _alg, key_ops: _ops, ext: _ext, ...jwk } = (await extract(key, 'jwk')) as JsonWebKey;
  // WebCrypto's alg names a JOSE algorithm, and key_ops/ext would constrain a later import.
  return key.keyid === undefined ? jwk : { ...jwk, kid: key.keyid };
}

async function exportRaw(key: HttpSigKey): Promise<Bytes> {
  if (key.type !== 'secret') throw invalidKey("'raw' export is only for shared secrets; use 'pem' or 'jwk'");
  return new Uint8Array((await extract(key, 'raw')) as ArrayBuffer);
}

async function extract(key: HttpSigKey, format: KeyFormat): Promise<ArrayBuffer | JsonWebKey> {
  const cryptoKey = key.cryptoKey;
  if (cryptoKey === undefined)
    throw invalidKey('An external key lives outside WebCrypto and cannot be exported');
  if (!cryptoKey.extractable) {
    throw invalidKey(`The ${key.type} key is not extractable; import or generate it with extractable: true`);
  }
  try {
    return await providerOf(key).subtle.exportKey(format, cryptoKey);
  } catch (error) {
    throw cryptoFailure(error, resolveAlgorithm(key.alg), 'Exporting the key');
  }
}

/**
 * The public half of a key: a public key as is, the public key of an extractable private key.
 * A shared secret or an external key has none (`ERR_HTTPSIG_INVALID_KEY`).
 */
export async function getPublicKey(key: HttpSigKey): Promise<HttpSigKey> {
  if (key.type === 'public') return key;
  if (key.type === 'secret') throw invalidKey('A shared secret has no public half');
  const cryptoKey = key.cryptoKey;
  if (key.type !== 'private' || cryptoKey === undefined)
    throw invalidKey('An external key has no public half to read');
  if (!cryptoKey.extractable) {
    throw invalidKey(
      'The private key is not extractable, so its public half cannot be read; import the public key',
    );
  }
  const entry = resolveAlgorithm(key.alg);
  const provider = providerOf(key);
  return createHttpSigKey(await derivePublicKey(cryptoKey, entry, provider), entry, key.keyid, provider);
}

/** The RFC 7638 JWK thumbprint (SHA-256, base64url) of a JWK or of an extractable/public key. */
export async function jwkThumbprint(
  input: JsonWebKey | HttpSigKey,
  options: ThumbprintOptions = {},
): Promise<string> {
  const fromKey = isHttpSigKey(input);
  const provider = options.crypto ?? (fromKey ? providerOf(input) : resolveProvider(undefined));
  const jwk = (fromKey ? await exportKey(input, 'jwk') : input) as Record<string, unknown>;
  const kty = jwk.kty;
  if (typeof kty !== 'string' || !Object.hasOwn(JWK_REQUIRED_MEMBERS, kty)) {
    throw invalidKey('The JWK has a missing or unsupported "kty"');
  }
  // RFC 7638 §3: only the required members, in lexicographic order, without whitespace.
  const members: Record<string, string> = {};
  for (const name of JWK_REQUIRED_MEMBERS[kty] ?? []) {
    const value = jwk[name];
    if (typeof value !== 'string')
      throw invalidKey(`The JWK lacks the "${name}" member its thumbprint needs`);
    members[name] = value;
  }
  const digest = await provider.subtle.digest('SHA-256', utf8Encode(JSON.stringify(members)));
  return base64UrlEncode(new Uint8Array(digest));
}

function isHttpSigKey(value: JsonWebKey | HttpSigKey): value is HttpSigKey {
  const key = value as Partial<HttpSigKey>;
  return typeof key.sign === 'function' && typeof key.verify === 'function' && typeof key.type === 'string';
}
