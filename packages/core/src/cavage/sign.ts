/** Signing a request with a draft-cavage-12 `Signature` (or `Authorization: Signature`) header. */
import { createLegacyDigest } from '../digest/legacy';
import { HttpSigError } from '../errors';
import { base64Encode, utf8Encode } from '../internal/bytes';
import { currentTime } from '../internal/clock';
import type { HttpSigKey } from '../keys/types';
import { declaresBody, messageBody } from '../message/body';
import { normalizeMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';
import { legacyAlgorithmName } from './algorithms';
import { type EcdsaSignatureEncoding, ecdsaScalarSize, encodeEcdsaSignature } from './ecdsa-encoding';
import { quoteParam } from './parse';
import { signingStringFromFields } from './signing-string';

export interface CavageSignOptions {
  /** A private key (or HMAC secret) from `importKey`/`generateKey`. */
  key: HttpSigKey;
  /** The `keyId` parameter, e.g. `https://example.com/users/alice#main-key`. @default key.keyid */
  keyId?: string;
  /**
   * Headers and pseudo-headers to sign, in order.
   * @default ['(request-target)', 'host', 'date'], plus 'digest' when the request has a body
   * (with hs2019, '(created)'/'(expires)' follow '(request-target)' when `created`/`expires` are given)
   */
  headers?: readonly string[];
  /**
   * `'legacy'` names the key's algorithm (`rsa-sha256`, `hmac-sha256`, `ecdsa-sha256`, `ed25519`);
   * `'hs2019'` leaves it to the verifier's key. @default 'legacy'
   */
  algorithm?: 'legacy' | 'hs2019';
  /** The `created` parameter, Unix seconds; `true` for now. Set automatically when `(created)` is signed. */
  created?: number | true;
  /** The `expires` parameter, Unix seconds. */
  expires?: number;
  /** `'signature'` → a `Signature` header; `'authorization'` → `Authorization: Signature …`. @default 'signature' */
  form?: 'signature' | 'authorization';
  /** Add a `Digest: SHA-256=…` header for a body (and sign it by default). @default true */
  digest?: boolean;
  /** Largest body digested, in bytes. @default 10 MiB */
  maxBodySize?: number;
  /** The clock, in Unix seconds (for `Date` and `created`). @default Date.now() / 1000 */
  now?: number | (() => number);
  /**
   * How an ECDSA signature is written: `'der'` (ASN.1 `SEQUENCE { r, s }`, what joyent
   * http-signature, its forks and OpenSSL-based verifiers require) or `'p1363'` (`r || s`, as
   * WebCrypto and RFC 9421 use). verifyCavage accepts both. Ignored for other keys. @default 'der'
   */
  ecdsaSignatureEncoding?: EcdsaSignatureEncoding;
}

export interface CavageSignResult {
  /** Headers to set on the request: `signature` or `authorization`, and `date`/`digest` when added. */
  readonly headers: Readonly<Record<string, string>>;
  /** The signed string. */
  readonly signingString: string;
  /** The header names signed, in order. */
  readonly signedHeaders: readonly string[];
  /** The `algorithm` parameter sent. */
  readonly algorithm: string;
}

/**
 * Sign a request the draft-cavage-12 way. The message is not modified: set the returned headers
 * on it. A missing `Date` is added (IMF-fixdate, now), and a body gets a legacy `Digest`.
 */
export async function signCavage(
  message: HttpMessage,
  options: CavageSignOptions,
): Promise<CavageSignResult> {
  const { key } = options;
  if (!key || typeof key.sign !== 'function' || !key.canSign) {
    throw new HttpSigError('ERR_HTTPSIG_INVALID_KEY', 'signCavage needs a key that can sign');
  }
  const keyId = options.keyId ?? key.keyid;
  if (keyId === undefined || keyId === '') throw new TypeError('keyId is required (or a key with a keyid)');
  const mode = options.algorithm ?? 'legacy';
  let algorithm: string;
  if (mode === 'hs2019') algorithm = 'hs2019';
  else if (mode === 'legacy') {
    const name = legacyAlgorithmName(key.alg);
    if (name === undefined) {
      throw new HttpSigError(
        'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
        `${key.alg} has no draft-cavage legacy name; sign with algorithm 'hs2019'`,
        { parameter: 'algorithm' },
      );
    }
    algorithm = name;
  } else throw new TypeError("algorithm must be 'legacy' or 'hs2019'");
  const ecdsaEncoding = options.ecdsaSignatureEncoding ?? 'der';
  if (ecdsaEncoding !== 'der' && ecdsaEncoding !== 'p1363') {
    throw new TypeError("ecdsaSignatureEncoding must be 'der' or 'p1363'");
  }
  const form = options.form ?? 'signature';
  if (form !== 'signature' && form !== 'authorization') {
    throw new TypeError("form must be 'signature' or 'authorization'");
  }

  const normalized = normalizeMessage(message);
  if (normalized.kind !== 'request') throw new TypeError('signCavage signs requests');
  const now = currentTime(options.now);
  const fields = new Map<string, readonly string[]>(normalized.fields);
  const added: Record<string, string> = {};

  const withBody = declaresBody(message, normalized.fields);
  if (withBody && options.digest !== false) {
    const digest = await createLegacyDigest(messageBody(message), {
      algorithm: 'sha-256',
      ...(options.maxBodySize === undefined ? {} : { maxBodySize: options.maxBodySize }),
    });
    added.digest = digest;
    fields.set('digest', [digest]);
  }

  let created = options.created === true ? now : options.created;
  const expires = options.expires;
  let headers: string[];
  if (options.headers !== undefined) {
    headers = options.headers.map((name) => String(name).toLowerCase());
  } else {
    headers = ['(request-target)'];
    if (algorithm === 'hs2019' && created !== undefined) headers.push('(created)');
    if (algorithm === 'hs2019' && expires !== undefined) headers.push('(expires)');
    headers.push('host', 'date');
    if (withBody && options.digest !== false) headers.push('digest');
  }
  if (new Set(headers).size !== headers.length) throw new TypeError('headers must not list a name twice');
  if (headers.includes('(created)') && created === undefined) created = now;
  if (headers.includes('date') && !fields.has('date')) {
    added.date = new Date(now * 1000).toUTCString();
    fields.set('date', [added.date]);
  }
  for (const value of [created, expires]) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new TypeError('created and expires must be non-negative integers (Unix seconds)');
    }
  }

  const signingString = signingStringFromFields(normalized, fields, headers, {
    algorithm,
    ...(created === undefined ? {} : { created }),
    ...(expires === undefined ? {} : { expires }),
  });
  let signature: Uint8Array;
  try {
    signature = await key.sign(utf8Encode(signingString));
  } catch (error) {
    if (error instanceof HttpSigError) throw error;
    throw new HttpSigError('ERR_HTTPSIG_SIGNING_FAILED', 'The key failed to sign', { cause: error });
  }
  if (ecdsaScalarSize(key.alg) !== undefined) signature = encodeEcdsaSignature(signature, ecdsaEncoding);
  const parts = [`keyId=${quoteParam(keyId)}`, `algorithm="${algorithm}"`];
  if (created !== undefined) parts.push(`created=${created}`);
  if (expires !== undefined) parts.push(`expires=${expires}`);
  parts.push(`headers="${headers.join(' ')}"`, `signature="${base64Encode(signature)}"`);
  const value = parts.join(',');
  const result: Record<string, string> = { ...added };
  if (form === 'authorization') result.authorization = `Signature ${value}`;
  else result.signature = value;
  return Object.freeze({
    headers: Object.freeze(result),
    signingString,
    signedHeaders: Object.freeze([...headers]),
    algorithm,
  });
}
