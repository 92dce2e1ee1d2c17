/**
 * Reading a JWK Set (RFC 7517 §5) fetched from elsewhere. The document as a whole must be well
 * formed; single keys this library cannot use are skipped, as RFC 7517 §5 asks, so one exotic key
 * does not take down the others.
 */
import type { Algorithm } from '@httpsig/core';
import { KeySetFetchError } from '../errors';
import { jwkAlgorithms } from './algorithm';

export interface JwkRecord {
  /** The JWK as published. */
  readonly jwk: Readonly<Record<string, unknown>>;
  readonly kid: string | undefined;
  /** The algorithms the key may verify (never empty). */
  readonly algorithms: readonly Algorithm[];
  /** `nbf` and `exp` members, in Unix seconds, as the directory draft's example carries them. */
  readonly notBefore: number | undefined;
  readonly expires: number | undefined;
}

// Members of private or secret keys: a set that publishes one has leaked it, so the key is unusable.
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Decode a UTF-8 JSON body. */
export function decodeJson(body: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new KeySetFetchError('the response is not UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new KeySetFetchError('the response is not valid JSON');
  }
}

/** The usable keys of a JWK Set document. Throws `KeySetFetchError` when it is not a JWK Set. */
export function readJwkSet(document: unknown, maxKeys: number): JwkRecord[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new KeySetFetchError('the response is not a JWK Set object');
  }
  const keys = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new KeySetFetchError('the JWK Set has no "keys" array');
  if (keys.length > maxKeys) throw new KeySetFetchError(`the JWK Set has more than ${maxKeys} keys`);
  const records: JwkRecord[] = [];
  for (const key of keys) {
    const record = readJwk(key);
    if (record !== undefined) records.push(record);
  }
  return records;
}

function readJwk(value: unknown): JwkRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const jwk = value as Record<string, unknown>;
  if (SECRET_MEMBERS.some((name) => jwk[name] !== undefined)) return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    return undefined;
  }
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return undefined;
  const notBefore = jwk.nbf;
  const expires = jwk.exp;
  if (notBefore !== undefined && typeof notBefore !== 'number') return undefined;
  if (expires !== undefined && typeof expires !== 'number') return undefined;
  const algorithms = jwkAlgorithms(jwk);
  if (algorithms.length === 0) return undefined;
  return { jwk, kid: jwk.kid as string | undefined, algorithms, notBefore, expires };
}
