/**
 * The RFC 9421 §6.2 algorithm registry as data: one record per algorithm name, holding the
 * WebCrypto parameters for import and for sign/verify. Code elsewhere takes a resolved entry and
 * never switches on the name.
 */
import { HttpSigError } from '../errors';

/** Algorithm names exactly as registered in the HTTP Signature Algorithms registry. */
export type Algorithm =
  | 'rsa-pss-sha512'
  | 'rsa-v1_5-sha256'
  | 'hmac-sha256'
  | 'ecdsa-p256-sha256'
  | 'ecdsa-p384-sha384'
  | 'ed25519';

export type KeyFamily = 'rsa' | 'ec' | 'okp' | 'oct';

export interface AlgorithmEntry {
  readonly name: Algorithm;
  readonly family: KeyFamily;
  /** Whether the same secret signs and verifies. */
  readonly symmetric: boolean;
  /** Parameters for `SubtleCrypto.importKey` / `generateKey`. */
  readonly importParams: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm_;
  /** Parameters for `SubtleCrypto.sign` / `verify`. */
  readonly signParams: RsaPssParams | EcdsaParams | Algorithm_;
  /** JWK `kty` and, for EC/OKP keys, `crv`. */
  readonly jwk: { readonly kty: 'RSA' | 'EC' | 'OKP' | 'oct'; readonly crv?: string };
  /** Exact signature length in bytes, where the algorithm fixes one. */
  readonly signatureLength?: number;
  /** Smallest accepted key size in bits (RSA modulus, HMAC secret). */
  readonly minKeyBits?: number;
  /** The same operation in `node:crypto` terms, for the synchronous Node path (keys/node-operations). */
  readonly node: NodeSignParams;
}

/** `node:crypto` `sign`/`verify` (or `createHmac`) parameters equivalent to `signParams`. */
export interface NodeSignParams {
  /** The digest name; null where the algorithm hashes internally (Ed25519). */
  readonly digest: 'sha256' | 'sha384' | 'sha512' | null;
  /** RSASSA-PSS with MGF1 of the same digest and this salt length in bytes. */
  readonly pssSaltLength?: number;
  /** ECDSA signatures as r||s (IEEE P1363), as WebCrypto and RFC 9421 use, never DER. */
  readonly dsaEncoding?: 'ieee-p1363';
}

type Algorithm_ = { name: string };

const entries: Readonly<Record<Algorithm, AlgorithmEntry>> = Object.freeze({
  'rsa-pss-sha512': {
    name: 'rsa-pss-sha512',
    family: 'rsa',
    symmetric: false,
    importParams: { name: 'RSA-PSS', hash: 'SHA-512' },
    // RFC 9421 §3.3.1: MGF1 with SHA-512 and a 64-byte salt.
    signParams: { name: 'RSA-PSS', saltLength: 64 },
    jwk: { kty: 'RSA' },
    minKeyBits: 2048,
    node: { digest: 'sha512', pssSaltLength: 64 },
  },
  'rsa-v1_5-sha256': {
    name: 'rsa-v1_5-sha256',
    family: 'rsa',
    symmetric: false,
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signParams: { name: 'RSASSA-PKCS1-v1_5' },
    jwk: { kty: 'RSA' },
    minKeyBits: 2048,
    node: { digest: 'sha256' },
  },
  'hmac-sha256': {
    name: 'hmac-sha256',
    family: 'oct',
    symmetric: true,
    importParams: { name: 'HMAC', hash: 'SHA-256' },
    signParams: { name: 'HMAC' },
    jwk: { kty: 'oct' },
    signatureLength: 32,
    // RFC 2104 / RFC 9421 §3.3.3: the secret should be at least as long as the hash output.
    minKeyBits: 256,
    node: { digest: 'sha256' },
  },
  'ecdsa-p256-sha256': {
    name: 'ecdsa-p256-sha256',
    family: 'ec',
    symmetric: false,
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    signParams: { name: 'ECDSA', hash: 'SHA-256' },
    jwk: { kty: 'EC', crv: 'P-256' },
    // RFC 9421 §3.3.4: r and s as 32-byte big-endian integers, concatenated (never DER).
    signatureLength: 64,
    node: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  },
  'ecdsa-p384-sha384': {
    name: 'ecdsa-p384-sha384',
    family: 'ec',
    symmetric: false,
    importParams: { name: 'ECDSA', namedCurve: 'P-384' },
    signParams: { name: 'ECDSA', hash: 'SHA-384' },
    jwk: { kty: 'EC', crv: 'P-384' },
    signatureLength: 96,
    node: { digest: 'sha384', dsaEncoding: 'ieee-p1363' },
  },
  ed25519: {
    name: 'ed25519',
    family: 'okp',
    symmetric: false,
    importParams: { name: 'Ed25519' },
    signParams: { name: 'Ed25519' },
    jwk: { kty: 'OKP', crv: 'Ed25519' },
    signatureLength: 64,
    node: { digest: null },
  },
});

/** Every algorithm this library implements, in registry order. */
export const algorithms: readonly Algorithm[] = Object.freeze(Object.keys(entries) as Algorithm[]);

export function isAlgorithm(name: unknown): name is Algorithm {
  return typeof name === 'string' && Object.hasOwn(entries, name);
}

/** Look up an algorithm; unknown names throw `ERR_HTTPSIG_UNSUPPORTED_ALGORITHM`. */
export function resolveAlgorithm(name: string): AlgorithmEntry {
  if (!isAlgorithm(name)) {
    throw new HttpSigError(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      `Unsupported signature algorithm ${safeName(name)}`,
      {
        parameter: 'alg',
      },
    );
  }
  return entries[name];
}

/** Quote an attacker-supplied algorithm name for a message, bounded in length. */
function safeName(name: string): string {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return JSON.stringify(shown);
}
