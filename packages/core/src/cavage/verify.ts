/** Verifying draft-cavage-12 `Signature` / `Authorization: Signature` headers on a request. */
import type { Algorithm } from '../algorithms/registry';
import type { VerifiedDigest } from '../digest/digest';
import { verifyLegacyDigest } from '../digest/legacy';
import { HttpSigError } from '../errors';
import { utf8Encode } from '../internal/bytes';
import { currentTime } from '../internal/clock';
import type { HttpSigKey } from '../keys/types';
import { declaresBody, messageBody } from '../message/body';
import { normalizeMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';
import { allowedByParam } from './algorithms';
import { ecdsaVerifyForms } from './ecdsa-encoding';
import { type CavageSignatureParams, parseCavageSignature } from './parse';
import { requestTarget, signingStringFromFields } from './signing-string';

/**
 * Finds the keys for a `keyId` (untrusted: e.g. an ActivityPub actor URL with `#main-key`).
 * Return one key, several (each is tried: e.g. the same RSA key imported for `rsa-v1_5-sha256`
 * and `rsa-pss-sha512`), or undefined (→ `ERR_HTTPSIG_UNKNOWN_KEY`).
 */
export type CavageKeyResolver = (
  keyId: string,
  params: CavageSignatureParams,
  context: { readonly message: HttpMessage },
) =>
  | HttpSigKey
  | readonly HttpSigKey[]
  | undefined
  | null
  | Promise<HttpSigKey | readonly HttpSigKey[] | undefined | null>;

export interface CavageVerifyOptions {
  /** Trusted keys by exact keyId, or a resolver. */
  keys: Readonly<Record<string, HttpSigKey | readonly HttpSigKey[]>> | CavageKeyResolver;
  /**
   * Headers and pseudo-headers every accepted signature must sign.
   * @default ['(request-target)', 'host', 'date'], plus 'digest' when the request has a body
   */
  requiredHeaders?: readonly string[];
  /** The list signed when a signature has no `headers` parameter. @default ['(created)'] (draft §2.1.6; older signers meant ['date']) */
  defaultHeaders?: readonly string[];
  /** Where to look: `'signature'`, `'authorization'`, or `'any'` (Signature headers first). @default 'any' */
  form?: 'signature' | 'authorization' | 'any';
  /** Accepted core algorithms; the key's algorithm must be listed. @default every supported one */
  algorithms?: readonly Algorithm[];
  /** Oldest accepted signed timestamp (`(created)`, else `Date`), in seconds of age. @default no limit */
  maxAge?: number;
  /** Allowed clock difference in seconds, for future timestamps, `expires` and `maxAge`. @default 0 */
  clockSkew?: number;
  /** The clock, in Unix seconds. @default Date.now() / 1000 */
  now?: number | (() => number);
  /** Largest body read to check a signed `Digest`. @default 10 MiB */
  maxBodySize?: number;
  /** How many signatures a request may carry. @default 8 */
  maxSignatures?: number;
  /** Longest accepted Signature/Authorization value, in characters. @default 8192 */
  maxLength?: number;
  /**
   * Also accept a `(request-target)` signed over the path alone when the request has a query.
   * Misskey signs `URL.pathname`, so its signed GETs with a query fail without this. The query is
   * then not covered by the signature: enable it only for peers that need it. @default false
   */
  acceptPathOnlyRequestTarget?: boolean;
}

export interface CavageVerifyResult {
  readonly keyId: string;
  /** The core algorithm that verified (the key's). */
  readonly algorithm: Algorithm;
  /** The `algorithm` parameter as sent, e.g. `rsa-sha256`, `hs2019`; undefined when absent. */
  readonly algorithmParam: string | undefined;
  /**
   * False when the signature verified only over the path without the query
   * (`acceptPathOnlyRequestTarget`): the query is then not authenticated.
   */
  readonly queryCovered: boolean;
  /** Where the signature was: a `Signature` header or `Authorization`. */
  readonly form: 'signature' | 'authorization';
  /** The signed headers, in order. */
  readonly headers: readonly string[];
  readonly created: number | undefined;
  readonly expires: number | undefined;
  readonly signingString: string;
  /** The key that verified. */
  readonly key: HttpSigKey;
  /** The signed `Digest` checked against the body, when `digest` was signed. */
  readonly digest: VerifiedDigest | undefined;
}

interface Candidate {
  readonly form: 'signature' | 'authorization';
  readonly value: string;
}

function candidates(
  fields: ReadonlyMap<string, readonly string[]>,
  form: CavageVerifyOptions['form'],
): Candidate[] {
  const list: Candidate[] = [];
  if (form !== 'authorization') {
    for (const value of fields.get('signature') ?? []) list.push({ form: 'signature', value });
  }
  if (form !== 'signature') {
    for (const value of fields.get('authorization') ?? []) {
      if (/^\s*signature[ \t]/i.test(value)) list.push({ form: 'authorization', value });
    }
  }
  return list;
}

async function findKeys(
  keys: CavageVerifyOptions['keys'],
  params: CavageSignatureParams,
  message: HttpMessage,
): Promise<readonly HttpSigKey[]> {
  let found: HttpSigKey | readonly HttpSigKey[] | undefined | null;
  if (typeof keys === 'function') {
    try {
      found = await keys(params.keyId, params, { message });
    } catch (error) {
      if (error instanceof HttpSigError) throw error;
      throw new HttpSigError('ERR_HTTPSIG_KEY_UNAVAILABLE', 'The key resolver failed', {
        parameter: 'keyId',
        cause: error,
      });
    }
  } else if (Object.hasOwn(keys, params.keyId)) {
    found = keys[params.keyId];
  }
  const list =
    found === undefined || found === null ? [] : Array.isArray(found) ? found : [found as HttpSigKey];
  const usable = list.filter((key) => key && typeof key.verify === 'function' && key.canVerify);
  if (usable.length === 0) {
    throw new HttpSigError('ERR_HTTPSIG_UNKNOWN_KEY', 'No trusted key has this keyId', {
      parameter: 'keyId',
    });
  }
  return usable;
}

function signedTimestamp(
  params: CavageSignatureParams,
  headers: readonly string[],
  fields: ReadonlyMap<string, readonly string[]>,
): number | undefined {
  if (headers.includes('(created)')) return params.created;
  if (!headers.includes('date')) return undefined;
  const text = fields.get('date')?.[0];
  if (text === undefined) {
    throw new HttpSigError(
      'ERR_HTTPSIG_MISSING_COMPONENT',
      'The covered header date is absent from the message',
      {
        component: 'date',
      },
    );
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms))
    throw new HttpSigError('ERR_HTTPSIG_PARSE', 'The Date header is not a valid date', { field: 'date' });
  return Math.floor(ms / 1000);
}

async function verifyOne(
  message: HttpMessage,
  candidate: Candidate,
  options: CavageVerifyOptions,
): Promise<CavageVerifyResult> {
  const normalized = normalizeMessage(message);
  if (normalized.kind !== 'request') throw new TypeError('verifyCavage verifies requests');
  const fields = normalized.fields;
  const params = parseCavageSignature(
    candidate.value,
    options.maxLength === undefined ? {} : { maxLength: options.maxLength },
  );
  const headers = params.headers ?? (options.defaultHeaders ?? ['(created)']).map((h) => h.toLowerCase());

  const withBody = declaresBody(message, fields);
  const required = (
    options.requiredHeaders ?? ['(request-target)', 'host', 'date', ...(withBody ? ['digest'] : [])]
  ).map((h) => h.toLowerCase());
  for (const name of required) {
    if (!headers.includes(name)) {
      throw new HttpSigError('ERR_HTTPSIG_POLICY', `The signature does not sign ${name}`, {
        component: name,
      });
    }
  }

  const now = currentTime(options.now);
  const skew = options.clockSkew ?? 0;
  if (params.expires !== undefined && now > params.expires + skew) {
    throw new HttpSigError('ERR_HTTPSIG_EXPIRED', 'The signature has expired', { parameter: 'expires' });
  }
  const stamp = signedTimestamp(params, headers, fields);
  if (stamp !== undefined && stamp > now + skew) {
    throw new HttpSigError('ERR_HTTPSIG_NOT_YET_VALID', 'The signature was created in the future', {
      parameter: 'created',
    });
  }
  if (options.maxAge !== undefined) {
    if (stamp === undefined) {
      throw new HttpSigError('ERR_HTTPSIG_POLICY', 'maxAge needs a signed (created) or date', {
        parameter: 'created',
      });
    }
    if (now - stamp > options.maxAge + skew) {
      throw new HttpSigError('ERR_HTTPSIG_EXPIRED', 'The signature is older than maxAge', {
        parameter: 'created',
      });
    }
  }

  const allowed = allowedByParam(params.algorithm);
  const keys = await findKeys(options.keys, params, message);
  const usable = keys.filter(
    (key) =>
      (allowed === 'any' || key.alg === allowed) &&
      (options.algorithms === undefined || options.algorithms.includes(key.alg)),
  );
  if (usable.length === 0) {
    throw new HttpSigError(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      'The algorithm does not match the key or is not allowed',
      {
        parameter: 'algorithm',
      },
    );
  }

  const signingParams = {
    ...(params.algorithm === undefined ? {} : { algorithm: params.algorithm }),
    ...(params.createdText === undefined ? {} : { created: params.createdText }),
    ...(params.expiresText === undefined ? {} : { expires: params.expiresText }),
  };
  const signingStrings = [signingStringFromFields(normalized, fields, headers, signingParams)];
  const target = requestTarget(normalized);
  const queryAt = target.indexOf('?');
  if (
    options.acceptPathOnlyRequestTarget === true &&
    queryAt !== -1 &&
    headers.includes('(request-target)')
  ) {
    const pathOnly = { ...normalized, target: target.slice(0, queryAt) };
    signingStrings.push(signingStringFromFields(pathOnly, fields, headers, signingParams));
  }
  let verifiedBy: HttpSigKey | undefined;
  let signingString = signingStrings[0] as string;
  search: for (const candidateString of signingStrings) {
    const data = utf8Encode(candidateString);
    for (const key of usable) {
      // ECDSA signatures arrive as P1363 or, from older libraries, as DER: either is accepted.
      for (const signature of ecdsaVerifyForms(key.alg, params.signatureBytes)) {
        // A failure inside the crypto check (an external key's callback) counts as a failed signature.
        const valid = await Promise.resolve()
          .then(() => key.verify(data, signature))
          .catch(() => false);
        if (valid === true) {
          verifiedBy = key;
          signingString = candidateString;
          break search;
        }
      }
    }
  }
  if (verifiedBy === undefined) {
    throw new HttpSigError('ERR_HTTPSIG_INVALID_SIGNATURE', 'The signature does not verify');
  }

  let digest: VerifiedDigest | undefined;
  if (headers.includes('digest')) {
    const value = fields.get('digest');
    digest = await verifyLegacyDigest(
      (value ?? []).join(','),
      messageBody(message),
      options.maxBodySize === undefined ? {} : { maxBodySize: options.maxBodySize },
    );
  }
  return Object.freeze({
    keyId: params.keyId,
    algorithm: verifiedBy.alg,
    algorithmParam: params.algorithm,
    queryCovered: signingString === signingStrings[0],
    form: candidate.form,
    headers: Object.freeze([...headers]),
    created: params.created,
    expires: params.expires,
    signingString,
    key: verifiedBy,
    digest,
  });
}

/**
 * Verify a request's draft-cavage-12 signature. With several signatures (Signature header lines,
 * an Authorization header), the first that passes every check is returned; when none does, the
 * first one's error is thrown. Throws `ERR_HTTPSIG_MISSING_SIGNATURE` when there is none.
 */
export async function verifyCavage(
  message: HttpMessage,
  options: CavageVerifyOptions,
): Promise<CavageVerifyResult> {
  if (!options || options.keys === undefined || options.keys === null)
    throw new TypeError('keys is required');
  const normalized = normalizeMessage(message);
  const found = candidates(normalized.fields, options.form ?? 'any');
  if (found.length === 0) {
    throw new HttpSigError('ERR_HTTPSIG_MISSING_SIGNATURE', 'The request has no draft-cavage signature');
  }
  const max = options.maxSignatures ?? 8;
  if (found.length > max) {
    throw new HttpSigError('ERR_HTTPSIG_LIMIT_EXCEEDED', `The request carries more than ${max} signatures`);
  }
  let first: unknown;
  for (const candidate of found) {
    try {
      return await verifyOne(message, candidate, options);
    } catch (error) {
      if (!(error instanceof HttpSigError)) throw error;
      // An outage is not a wrong signature: do not hide it behind a later candidate.
      if (error.code === 'ERR_HTTPSIG_KEY_UNAVAILABLE') throw error;
      first ??= error;
    }
  }
  throw first;
}
