import type { Algorithm } from '../algorithms/registry';
import type { ComponentInput, FieldTypeOptions, SignatureParams } from '../base/types';
import type { VerifiedDigest } from '../digest/digest';
import type { HttpSigKey } from '../keys/types';
import type { HttpMessage } from '../message/types';
import type { NonceStore } from '../replay/nonce-store';

/**
 * Finds the key for a signature. `keyid` and `params` come from the message and are untrusted:
 * return a key you trust for that keyid, or undefined (→ `ERR_HTTPSIG_UNKNOWN_KEY`).
 */
export type KeyResolver = (
  keyid: string | undefined,
  params: Readonly<SignatureParams>,
  context: { readonly label: string; readonly message: HttpMessage },
) => HttpSigKey | undefined | null | Promise<HttpSigKey | undefined | null>;

export interface VerifyOptions extends FieldTypeOptions {
  /** Trusted keys by keyid, or a resolver. */
  keys: Readonly<Record<string, HttpSigKey>> | KeyResolver;
  /** Components every accepted signature must cover. Mandatory; pass `[]` to require none. */
  requiredComponents: readonly ComponentInput[];
  /** Verify only this label, or one of these labels. @default every signature on the message */
  label?: string | readonly string[];
  /** With several candidate signatures: accept when `'any'` satisfies the policy, or require `'all'`. @default 'any' */
  require?: 'any' | 'all';
  /** Required `tag` parameter value (or one of several). */
  tag?: string | readonly string[];
  /** Accepted algorithms. The key's algorithm must be listed. @default every supported algorithm */
  algorithms?: readonly Algorithm[];
  /** Maximum age of `created`, in seconds. @default no limit */
  maxAge?: number;
  /** Allowed clock difference, in seconds, for `created` in the future and for `expires`/`maxAge`. @default 0 */
  clockSkew?: number;
  /** The clock, in Unix seconds. @default Date.now() / 1000 */
  now?: number | (() => number);
  /** Require the `created` parameter. @default true */
  requireCreated?: boolean;
  /** Require the `expires` parameter. @default false */
  requireExpires?: boolean;
  /** Further parameters that must be present, e.g. `['nonce', 'keyid']`. */
  requiredParams?: readonly string[];
  /** The related request, for `;req` components when verifying a response. */
  request?: HttpMessage;
  /** How many signatures a message may carry before it is refused. @default 8 */
  maxSignatures?: number;
  /**
   * Refuse a signature that does not cover `content-digest` when the message has a body (a
   * non-empty body, `Content-Length` above 0 or `Transfer-Encoding`).
   * @default true for requests, false for responses
   */
  requireDigest?: boolean;
  /** Largest body, in bytes, read to check a covered digest. @default 10 MiB */
  maxBodySize?: number;
  /**
   * Replay protection: each verified signature's nonce is recorded here per keyid, and a nonce
   * seen before is refused with `ERR_HTTPSIG_REPLAY`. Needs `maxAge` or signatures with `expires`.
   */
  nonceStore?: NonceStore;
  /** Whether signatures must, may or must not carry a nonce. @default 'required' with a nonceStore, else 'optional' */
  nonce?: 'required' | 'optional' | 'forbidden';
  /** Longest accepted nonce, in characters. @default 256 */
  maxNonceLength?: number;
  /**
   * How many candidate signatures are tried (key lookup and cryptography) before the message is
   * refused with the first failure. @default 8
   */
  maxSignatureAttempts?: number;
  /** Longest `Signature-Input` field (all lines combined), in characters, checked before parsing. @default 16384 */
  maxSignatureInputLength?: number;
  /** Longest `Signature` field (all lines combined), in characters, checked before parsing. @default 16384 */
  maxSignatureLength?: number;
  /** Longest signature label, in characters. @default 128 */
  maxLabelLength?: number;
  /** Most components one signature may cover. @default 64 */
  maxCoveredComponents?: number;
  /** Longest serialized component identifier, e.g. `"@query-param";name="q"`, in characters. @default 256 */
  maxComponentIdentifierLength?: number;
  /** Longest string signature parameter other than `keyid` and `nonce` (e.g. `tag`, `alg`), in characters. @default 1024 */
  maxParameterLength?: number;
  /** Longest `keyid`, in characters, checked before the key resolver sees it. @default 512 */
  maxKeyidLength?: number;
  /** Largest decoded signature, in bytes (RSA-8192 signatures are 1024). @default 1024 */
  maxSignatureBytes?: number;
  /** Longest field covered with `;sf` or `;key` (parsed as a structured field), in characters. @default 16384 */
  maxStructuredFieldLength?: number;
  /** Most `&`-separated query parameters when `@query-param` is covered. @default 1024 */
  maxQueryParams?: number;
  /**
   * Milliseconds a key resolver may take; after that the signature is refused with
   * `ERR_HTTPSIG_KEY_UNAVAILABLE` (fail closed). @default 10000
   */
  keyResolverTimeout?: number;
  /**
   * Milliseconds the nonce store may take; after that the signature is refused with
   * `ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE` (fail closed). @default 10000
   */
  nonceStoreTimeout?: number;
}

/** What was verified: authorize on this. */
export interface VerifiedSignature {
  readonly label: string;
  readonly keyid: string | undefined;
  readonly alg: Algorithm;
  /** The key that verified the signature (as returned by the resolver). */
  readonly key: HttpSigKey;
  /** Every signature parameter, in order. */
  readonly params: Readonly<SignatureParams>;
  /** Covered component identifiers, serialized, in order (e.g. `"@method"`, `"content-digest";req`). */
  readonly components: readonly string[];
  readonly created: number | undefined;
  readonly expires: number | undefined;
  readonly nonce: string | undefined;
  readonly tag: string | undefined;
  /** The signature base that was verified. */
  readonly base: string;
  /** The covered digest fields checked against the body (empty when none is covered). */
  readonly digests: readonly VerifiedDigest[];
}

/** The result of `verifyMessage`: the first accepted signature, plus all accepted ones. */
export interface VerifyResult extends VerifiedSignature {
  readonly signatures: readonly VerifiedSignature[];
}
