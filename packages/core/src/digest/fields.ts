/**
 * `Content-Digest` and `Repr-Digest` (RFC 9530 §2, §3): an RFC 8941 Dictionary whose members are
 * Byte Sequences keyed by algorithm. Parsing is strict: a member that is not a byte sequence, bad
 * base64 (the doubled padding printed in some RFC 9530 examples included), an empty dictionary, or
 * a digest of the wrong length for its algorithm is a parse error.
 */
import { HttpSigError } from '../errors';
import type { Bytes } from '../keys/types';
import { isInnerList, parseDictionary, serializeDictionary } from '../sfv/index';
import { parseByteSequenceMembers } from '../sfv/signature-members';
import { type DigestAlgorithm, digestAlgorithmEntry, isDigestAlgorithm } from './algorithms';

/** Algorithm name (as sent, lower case per RFC 8941 keys) → digest bytes, in field order. */
export type DigestValues = ReadonlyMap<string, Bytes>;

export function parseDigestField(value: string, field = 'content-digest'): DigestValues {
  if (typeof value !== 'string') throw new TypeError('the digest field value must be a string');
  // The common shape without structured-headers; anything else, and every error, through it.
  const dictionary = parseByteSequenceMembers(value) ?? parseDictionary(value, field);
  if (dictionary.size === 0) {
    throw new HttpSigError('ERR_HTTPSIG_PARSE', `The ${field} field is empty`, { field });
  }
  const digests = new Map<string, Bytes>();
  for (const [algorithm, member] of dictionary) {
    if (isInnerList(member) || !(member[0] instanceof ArrayBuffer)) {
      throw new HttpSigError(
        'ERR_HTTPSIG_PARSE',
        `The ${algorithm} member of the ${field} field must be a byte sequence`,
        { field },
      );
    }
    // Decoded for this call alone: a view, not a copy.
    const digest = new Uint8Array(member[0]) as Bytes;
    if (isDigestAlgorithm(algorithm) && digest.byteLength !== digestAlgorithmEntry(algorithm).length) {
      throw new HttpSigError(
        'ERR_HTTPSIG_PARSE',
        `The ${algorithm} member of the ${field} field must be ${digestAlgorithmEntry(algorithm).length} bytes`,
        { field },
      );
    }
    digests.set(algorithm, digest);
  }
  return digests;
}

export function serializeDigestField(digests: ReadonlyMap<DigestAlgorithm, Bytes>): string {
  return serializeDictionary(new Map([...digests].map(([name, digest]) => [name, [digest, new Map()]])));
}

/** One `Want-Content-Digest` / `Want-Repr-Digest` preference (RFC 9530 §4). */
export interface DigestPreference {
  readonly algorithm: string;
  /** 0 (not acceptable) to 10 (most preferred). */
  readonly weight: number;
}

/** A dictionary member whose value is written with a decimal point. */
const decimalMember = /(?:^|,)\s*[a-z*][a-z0-9_.*-]*=-?\d+\./;

/** Parse a `Want-*-Digest` value: a dictionary of integers 0–10, returned most preferred first. */
export function parseWantDigest(value: string, field = 'want-content-digest'): DigestPreference[] {
  if (typeof value !== 'string') throw new TypeError('the Want-*-Digest value must be a string');
  const preferences: DigestPreference[] = [];
  const dictionary = parseDictionary(value, field);
  // RFC 8941 Decimals parse to plain numbers: `5.0` would pass as the Integer 5 without this.
  if (decimalMember.test(value.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
    throw new HttpSigError(
      'ERR_HTTPSIG_PARSE',
      `The preferences in the ${field} field must be integers from 0 to 10`,
      {
        field,
      },
    );
  }
  for (const [algorithm, member] of dictionary) {
    const weight = isInnerList(member) ? undefined : member[0];
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 10) {
      throw new HttpSigError(
        'ERR_HTTPSIG_PARSE',
        `The ${algorithm} preference in the ${field} field must be an integer from 0 to 10`,
        { field },
      );
    }
    preferences.push({ algorithm, weight });
  }
  // Array.prototype.sort is stable: equal weights keep the sender's order.
  return preferences.sort((a, b) => b.weight - a.weight);
}

/**
 * The algorithm to answer a `Want-*-Digest` with: the most preferred supported one with a
 * non-zero weight, or undefined when the sender wants none that this library computes.
 */
export function selectDigestAlgorithm(
  want: string | undefined | null,
  field = 'want-content-digest',
): DigestAlgorithm | undefined {
  if (want === undefined || want === null || want.trim() === '') return undefined;
  for (const { algorithm, weight } of parseWantDigest(want, field)) {
    if (weight > 0 && isDigestAlgorithm(algorithm)) return algorithm;
  }
  return undefined;
}
