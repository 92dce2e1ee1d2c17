/**
 * Every failure the library reports is an `HttpSigError` with a stable `code`.
 * Messages name what went wrong and where, never key material, signature bytes or bodies.
 */

/** Stable error codes. New codes may be added; existing ones never change meaning. */
export type HttpSigErrorCode =
  /** The message carries no signature (or not the requested label). */
  | 'ERR_HTTPSIG_MISSING_SIGNATURE'
  /** The cryptographic check failed, or the signature value is malformed for its algorithm. */
  | 'ERR_HTTPSIG_INVALID_SIGNATURE'
  /** The key resolver knows no key for the signature's `keyid`. */
  | 'ERR_HTTPSIG_UNKNOWN_KEY'
  /** `expires` has passed, or `created` is older than `maxAge`. */
  | 'ERR_HTTPSIG_EXPIRED'
  /** `created` lies in the future beyond the allowed clock skew. */
  | 'ERR_HTTPSIG_NOT_YET_VALID'
  /** A covered component is absent from the message (field, query parameter, dictionary key, related request). */
  | 'ERR_HTTPSIG_MISSING_COMPONENT'
  /** A component identifier is malformed, unknown or not allowed in this context. */
  | 'ERR_HTTPSIG_INVALID_COMPONENT'
  /** The signature is well formed but the verification policy refuses it. */
  | 'ERR_HTTPSIG_POLICY'
  /** A field (Signature-Input, Signature, Accept-Signature, a structured field) cannot be parsed. */
  | 'ERR_HTTPSIG_PARSE'
  /** The algorithm is not one this library implements (or the runtime lacks it). */
  | 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM'
  /** The signature's `alg`, the key's algorithm or the allowed algorithms disagree. */
  | 'ERR_HTTPSIG_ALGORITHM_MISMATCH'
  /** Key material cannot be imported, or the key cannot do what was asked (e.g. sign with a public key). */
  | 'ERR_HTTPSIG_INVALID_KEY'
  /** The label chosen for a new signature is already present on the message. */
  | 'ERR_HTTPSIG_LABEL_EXISTS'
  /**
   * An explicit size or count limit was exceeded. The error's `limit` names which one, as the
   * option that sets it (e.g. `maxSignatures`, `maxSignatureInputLength`): see docs/limits.md.
   */
  | 'ERR_HTTPSIG_LIMIT_EXCEEDED'
  /** The body does not match its covered `Content-Digest` (or `Repr-Digest`, `Digest`): it was altered. */
  | 'ERR_HTTPSIG_DIGEST_MISMATCH'
  /** A digest field names only deprecated, insecure algorithms (`md5`, `sha`, `unixsum`, `crc32c`, …). */
  | 'ERR_HTTPSIG_INSECURE_DIGEST'
  /** A digest field names only algorithms this library does not know. */
  | 'ERR_HTTPSIG_UNSUPPORTED_DIGEST'
  /** The body is larger than the maximum size for digesting (`maxBodySize`). */
  | 'ERR_HTTPSIG_BODY_TOO_LARGE'
  /** The body did not arrive within the server's time limit (a slow or stalled sender). */
  | 'ERR_HTTPSIG_BODY_TIMEOUT'
  /** The signature's nonce was already used with this key: a replayed request. */
  | 'ERR_HTTPSIG_REPLAY'
  /** The in-memory nonce store is full of live nonces; it refuses rather than forget one. */
  | 'ERR_HTTPSIG_NONCE_STORE_FULL'
  /** The nonce store failed or timed out; the verifier fails closed. */
  | 'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE'
  /** The signature is valid, but the server's authorization rule refuses this signer or request. */
  | 'ERR_HTTPSIG_FORBIDDEN'
  /** The request came over plain HTTP where the server requires TLS. */
  | 'ERR_HTTPSIG_TLS_REQUIRED'
  /** The key resolver failed (key service down, JWKS unreachable): the verifier fails closed. */
  | 'ERR_HTTPSIG_KEY_UNAVAILABLE'
  /** Server misconfiguration: the raw body was consumed before it could be verified. */
  | 'ERR_HTTPSIG_BODY_UNAVAILABLE'
  /** A response could not be signed (the key or signer failed). */
  | 'ERR_HTTPSIG_SIGNING_FAILED';

/** Extra, non-secret context attached to an error. */
export interface HttpSigErrorDetails {
  /** The signature label concerned. */
  label?: string;
  /** The serialized component identifier concerned, e.g. `"content-digest"` or `"@query-param";name="a"`. */
  component?: string;
  /** The signature parameter concerned, e.g. `created`. */
  parameter?: string;
  /** The field being parsed, e.g. `signature-input`. */
  field?: string;
  /** Character offset of a parse error within the field value. */
  offset?: number;
  /** With `ERR_HTTPSIG_LIMIT_EXCEEDED`: the name of the limit, as the option that sets it (e.g. `maxSignatures`). */
  limit?: string;
  /** The underlying error, for debugging. Never shown to remote parties by the adapters. */
  cause?: unknown;
}

const brand = Symbol.for('@httpsig/core/HttpSigError');

/** The one error class of the library. `instanceof` holds across duplicate installs. */
export class HttpSigError extends Error {
  override readonly name = 'HttpSigError';
  readonly code: HttpSigErrorCode;
  readonly label?: string;
  readonly component?: string;
  readonly parameter?: string;
  readonly field?: string;
  readonly offset?: number;
  /** With `ERR_HTTPSIG_LIMIT_EXCEEDED`: which limit, as the option that sets it. */
  readonly limit?: string;

  constructor(code: HttpSigErrorCode, message: string, details: HttpSigErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.label !== undefined) this.label = details.label;
    if (details.component !== undefined) this.component = details.component;
    if (details.parameter !== undefined) this.parameter = details.parameter;
    if (details.field !== undefined) this.field = details.field;
    if (details.offset !== undefined) this.offset = details.offset;
    if (details.limit !== undefined) this.limit = details.limit;
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/** True when `value` is an `HttpSigError`, optionally with the given code. */
export function isHttpSigError(value: unknown, code?: HttpSigErrorCode): value is HttpSigError {
  return value instanceof HttpSigError && (code === undefined || value.code === code);
}

/**
 * The HTTP status a server should answer with for each code: 401 for anything a correct
 * signature would fix, 400 for malformed input, 500 for server-side misconfiguration.
 */
export const httpStatusForError: Readonly<Record<HttpSigErrorCode, number>> = Object.freeze({
  ERR_HTTPSIG_MISSING_SIGNATURE: 401,
  ERR_HTTPSIG_INVALID_SIGNATURE: 401,
  ERR_HTTPSIG_UNKNOWN_KEY: 401,
  ERR_HTTPSIG_EXPIRED: 401,
  ERR_HTTPSIG_NOT_YET_VALID: 401,
  ERR_HTTPSIG_MISSING_COMPONENT: 400,
  ERR_HTTPSIG_INVALID_COMPONENT: 400,
  ERR_HTTPSIG_POLICY: 401,
  ERR_HTTPSIG_PARSE: 400,
  ERR_HTTPSIG_UNSUPPORTED_ALGORITHM: 401,
  ERR_HTTPSIG_ALGORITHM_MISMATCH: 401,
  ERR_HTTPSIG_INVALID_KEY: 500,
  ERR_HTTPSIG_LABEL_EXISTS: 500,
  ERR_HTTPSIG_LIMIT_EXCEEDED: 400,
  ERR_HTTPSIG_DIGEST_MISMATCH: 400,
  ERR_HTTPSIG_INSECURE_DIGEST: 400,
  ERR_HTTPSIG_UNSUPPORTED_DIGEST: 400,
  ERR_HTTPSIG_BODY_TOO_LARGE: 413,
  ERR_HTTPSIG_BODY_TIMEOUT: 408,
  ERR_HTTPSIG_REPLAY: 401,
  ERR_HTTPSIG_NONCE_STORE_FULL: 503,
  ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE: 503,
  ERR_HTTPSIG_FORBIDDEN: 403,
  ERR_HTTPSIG_TLS_REQUIRED: 403,
  ERR_HTTPSIG_KEY_UNAVAILABLE: 503,
  ERR_HTTPSIG_BODY_UNAVAILABLE: 500,
  ERR_HTTPSIG_SIGNING_FAILED: 500,
});
