/** Creating and checking `Content-Digest` / `Repr-Digest` values for a body (RFC 9530). */
import { HttpSigError } from '../errors';
import { timingSafeEqual } from '../internal/bytes';
import type { Bytes } from '../keys/types';
import { assertDigestAlgorithm, type DigestAlgorithm, selectVerifiableAlgorithms } from './algorithms';
import { type BodyInput, type BodyOptions, resolveBody, resolveMaxBodySize } from './body';
import { parseDigestField, selectDigestAlgorithm, serializeDigestField } from './fields';
import { hashBody } from './hash';

export interface CreateDigestOptions extends BodyOptions {
  /** The algorithm, or several (one member each). @default the `want` choice, else 'sha-256' */
  algorithm?: DigestAlgorithm | readonly DigestAlgorithm[];
  /** A `Want-Content-Digest` / `Want-Repr-Digest` value to honour when `algorithm` is not given. */
  want?: string | null;
}

export interface VerifyDigestOptions extends BodyOptions {
  /** The field name, for error messages. @default 'content-digest' */
  field?: string;
}

/** What a digest check accepted. */
export interface VerifiedDigest {
  /** The field checked, lower case: `content-digest`, `repr-digest` or `digest`. */
  readonly field: string;
  /** The algorithms whose digests matched (every supported member of the field). */
  readonly algorithms: readonly DigestAlgorithm[];
}

/** The algorithms a new digest field uses. */
export function chooseDigestAlgorithms(options: CreateDigestOptions | undefined): DigestAlgorithm[] {
  const chosen = options?.algorithm;
  if (chosen === undefined) return [selectDigestAlgorithm(options?.want) ?? 'sha-256'];
  const list = typeof chosen === 'string' ? [chosen] : [...chosen];
  if (list.length === 0) throw new TypeError('algorithm must name at least one digest algorithm');
  return [...new Set(list.map((name) => assertDigestAlgorithm(name, 'algorithm')))];
}

/**
 * The `Content-Digest` (or `Repr-Digest`) value of a body, e.g. `sha-256=:X48E9q…=:`.
 * An absent body is empty content, whose digest is well defined.
 */
export async function createDigestField(body: BodyInput, options?: CreateDigestOptions): Promise<string> {
  const algorithms = chooseDigestAlgorithms(options);
  const digests = await hashBody(resolveBody(body, 'sign'), algorithms, resolveMaxBodySize(options));
  return serializeDigestField(digests);
}

/**
 * Compare expected digests (from a field) with those computed over the body, in constant time.
 * Every supported member must match.
 */
export function compareDigests(
  expected: ReadonlyMap<DigestAlgorithm, Uint8Array>,
  computed: ReadonlyMap<DigestAlgorithm, Uint8Array>,
  field: string,
): VerifiedDigest {
  let match = true;
  for (const [algorithm, digest] of expected) {
    const actual = computed.get(algorithm);
    // `&&` after the comparison so every member is compared whatever the earlier ones gave.
    match = actual !== undefined && timingSafeEqual(digest, actual) && match;
  }
  if (!match) {
    throw new HttpSigError('ERR_HTTPSIG_DIGEST_MISMATCH', `The body does not match its ${field} field`, {
      field,
    });
  }
  return Object.freeze({ field, algorithms: Object.freeze([...expected.keys()]) });
}

/** The members of a parsed digest field that this library verifies (refusing fields with none). */
export function verifiableDigests(
  values: ReadonlyMap<string, Bytes>,
  field: string,
): Map<DigestAlgorithm, Bytes> {
  const algorithms = selectVerifiableAlgorithms(values.keys(), field);
  const expected = new Map<DigestAlgorithm, Bytes>();
  for (const [name, digest] of values) {
    const lower = name.toLowerCase();
    if ((algorithms as string[]).includes(lower)) expected.set(lower as DigestAlgorithm, digest);
  }
  return expected;
}

/**
 * Check a `Content-Digest` / `Repr-Digest` value against a body. Throws `ERR_HTTPSIG_DIGEST_MISMATCH`
 * when it does not match, `ERR_HTTPSIG_INSECURE_DIGEST` / `ERR_HTTPSIG_UNSUPPORTED_DIGEST` when the
 * field has no member this library verifies, `ERR_HTTPSIG_PARSE` when it is malformed.
 */
export async function verifyDigestField(
  value: string,
  body: BodyInput,
  options?: VerifyDigestOptions,
): Promise<VerifiedDigest> {
  const field = options?.field?.toLowerCase() ?? 'content-digest';
  const expected = verifiableDigests(parseDigestField(value, field), field);
  const computed = await hashBody(
    resolveBody(body, 'verify'),
    [...expected.keys()],
    resolveMaxBodySize(options),
  );
  return compareDigests(expected, computed, field);
}
