/**
 * The legacy `Digest` field (RFC 3230, obsoleted by RFC 9530), as draft-cavage signatures and
 * older ActivityPub servers use it: `SHA-256=<base64>` members separated by commas, names
 * case-insensitive. Only SHA-256 and SHA-512 are computed or accepted.
 */
import { HttpSigError } from '../errors';
import { base64Decode, base64Encode } from '../internal/bytes';
import type { Bytes } from '../keys/types';
import { digestAlgorithmEntry, isDigestAlgorithm } from './algorithms';
import { type BodyInput, resolveBody, resolveMaxBodySize } from './body';
import {
  type CreateDigestOptions,
  chooseDigestAlgorithms,
  compareDigests,
  type VerifiedDigest,
  verifiableDigests,
} from './digest';
import { hashBody } from './hash';

const field = 'digest';
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The RFC 3230 name of an algorithm: `SHA-256`, `SHA-512`. */
function legacyName(algorithm: string): string {
  return algorithm.toUpperCase();
}

/** The legacy `Digest` value of a body, e.g. `SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=`. */
export async function createLegacyDigest(body: BodyInput, options?: CreateDigestOptions): Promise<string> {
  const algorithms = chooseDigestAlgorithms(options);
  const digests = await hashBody(resolveBody(body, 'sign'), algorithms, resolveMaxBodySize(options));
  return [...digests]
    .map(([algorithm, digest]) => `${legacyName(algorithm)}=${base64Encode(digest)}`)
    .join(',');
}

/** Parse a legacy `Digest` value into lower-case algorithm → digest bytes. */
export function parseLegacyDigest(value: string): ReadonlyMap<string, Bytes> {
  if (typeof value !== 'string') throw new TypeError('the Digest value must be a string');
  const digests = new Map<string, Bytes>();
  for (const part of value.split(',')) {
    const member = part.trim();
    if (member === '') continue;
    const eq = member.indexOf('=');
    const name = eq === -1 ? member : member.slice(0, eq);
    const encoded = eq === -1 ? '' : member.slice(eq + 1);
    const bytes = base64Decode(encoded);
    if (!tokenPattern.test(name) || encoded === '' || /[-_]/.test(encoded) || bytes === undefined) {
      throw new HttpSigError(
        'ERR_HTTPSIG_PARSE',
        'Malformed Digest field: expected ALGORITHM=base64 members',
        {
          field,
        },
      );
    }
    const algorithm = name.toLowerCase();
    if (isDigestAlgorithm(algorithm) && bytes.byteLength !== digestAlgorithmEntry(algorithm).length) {
      throw new HttpSigError(
        'ERR_HTTPSIG_PARSE',
        `The ${legacyName(algorithm)} member of the Digest field must be ${digestAlgorithmEntry(algorithm).length} bytes`,
        { field },
      );
    }
    digests.set(algorithm, bytes);
  }
  if (digests.size === 0) throw new HttpSigError('ERR_HTTPSIG_PARSE', 'The Digest field is empty', { field });
  return digests;
}

/** Check a legacy `Digest` value against a body; the same errors as `verifyDigestField`. */
export async function verifyLegacyDigest(
  value: string,
  body: BodyInput,
  options?: { maxBodySize?: number },
): Promise<VerifiedDigest> {
  const expected = verifiableDigests(parseLegacyDigest(value), field);
  const computed = await hashBody(
    resolveBody(body, 'verify'),
    [...expected.keys()],
    resolveMaxBodySize(options),
  );
  return compareDigests(expected, computed, field);
}
