/**
 * The Hash Algorithms for HTTP Digest Fields registry (RFC 9530 §7.2) as data. Only the two
 * `active` algorithms are computed or accepted; the deprecated ones are named so that a field
 * carrying only them is refused as insecure rather than as unknown.
 */
import { HttpSigError } from '../errors';

/** The active algorithms of the RFC 9530 registry. */
export type DigestAlgorithm = 'sha-256' | 'sha-512';

interface DigestAlgorithmEntry {
  /** `SubtleCrypto.digest` name. */
  readonly webCrypto: 'SHA-256' | 'SHA-512';
  /** `node:crypto` `createHash` name. */
  readonly node: 'sha256' | 'sha512';
  /** Digest length in bytes. */
  readonly length: number;
}

const entries: Readonly<Record<DigestAlgorithm, DigestAlgorithmEntry>> = Object.freeze({
  'sha-256': { webCrypto: 'SHA-256', node: 'sha256', length: 32 },
  'sha-512': { webCrypto: 'SHA-512', node: 'sha512', length: 64 },
});

/** Every algorithm this library computes and verifies, in order of preference. */
export const digestAlgorithms: readonly DigestAlgorithm[] = Object.freeze(['sha-256', 'sha-512']);

/** RFC 9530 §7.2 `deprecated` (insecure or not collision resistant), and RFC 3230 spellings of them. */
const deprecated: ReadonlySet<string> = new Set([
  'md5',
  'sha',
  'unixsum',
  'unixcksum',
  'adler',
  'adler32',
  'crc32c',
]);

export function isDigestAlgorithm(name: unknown): name is DigestAlgorithm {
  return typeof name === 'string' && Object.hasOwn(entries, name);
}

export function isDeprecatedDigestAlgorithm(name: string): boolean {
  return deprecated.has(name.toLowerCase());
}

export function digestAlgorithmEntry(name: DigestAlgorithm): DigestAlgorithmEntry {
  return entries[name];
}

/** Check a caller-chosen algorithm (programming error → TypeError). */
export function assertDigestAlgorithm(name: unknown, option = 'digest'): DigestAlgorithm {
  if (isDigestAlgorithm(name)) return name;
  throw new TypeError(`${option} must be one of ${digestAlgorithms.join(', ')}`);
}

/**
 * The active algorithms among the names a field carries. A field that names none is refused:
 * as insecure when it names a deprecated one, else as unsupported.
 */
export function selectVerifiableAlgorithms(names: Iterable<string>, field: string): DigestAlgorithm[] {
  const active: DigestAlgorithm[] = [];
  let sawDeprecated = false;
  for (const name of names) {
    const lower = name.toLowerCase();
    if (isDigestAlgorithm(lower)) active.push(lower);
    else if (deprecated.has(lower)) sawDeprecated = true;
  }
  if (active.length > 0) return active;
  if (sawDeprecated) {
    throw new HttpSigError(
      'ERR_HTTPSIG_INSECURE_DIGEST',
      `The ${field} field uses only deprecated algorithms; use ${digestAlgorithms.join(' or ')}`,
      { field },
    );
  }
  throw new HttpSigError(
    'ERR_HTTPSIG_UNSUPPORTED_DIGEST',
    `The ${field} field uses no supported algorithm; use ${digestAlgorithms.join(' or ')}`,
    { field },
  );
}
