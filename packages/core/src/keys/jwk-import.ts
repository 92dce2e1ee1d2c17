/**
 * JWK import: JSON text or an object is checked against the algorithm (kty, crv) and reduced to
 * the members that define the key, each one a string and, where binary, strict base64url.
 */
import type { AlgorithmEntry } from '../algorithms/registry';
import { base64Decode } from '../internal/bytes';
import { CURVE_OIDS } from './key-algorithms';
import { invalidKey, mismatch } from './key-errors';
import type { MaterialType, Prepared } from './prepared-material';

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

/** Keep only the public members of a JWK (drops private members and WebCrypto's alg/key_ops/ext). */
export function publicJwk(jwk: JsonWebKey): JsonWebKey {
  const source = jwk as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of JWK_PUBLIC_MEMBERS) if (source[name] !== undefined) out[name] = source[name];
  return out as JsonWebKey;
}

export function parseJwkJson(text: string): Record<string, unknown> {
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

export function prepareJwk(jwk: Record<string, unknown>, entry: AlgorithmEntry): Prepared {
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
