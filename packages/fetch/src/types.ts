import type { CavageSignOptions, SignerOptions, VerifyOptions } from '@httpsig/core';
import type { SchemeMemory } from './schemes';

/** The `fetch` signature. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface SignedFetchOptions extends SignerOptions {
  /** The fetch to wrap. @default globalThis.fetch, looked up at each call */
  fetch?: Fetch;
  /**
   * Follow redirects by re-signing each follow-up request (a signature covers one URL), up to
   * `maxRedirects`. Applies when the request's `redirect` mode is `follow` (fetch's default) and
   * the runtime exposes redirects to code (Node, Deno, Bun, edge workers). In a browser, fetch
   * hides redirect responses from scripts, so the browser follows them itself and the next
   * target sees the first URL's signature, which it refuses if it checks `@target-uri`.
   * @default true
   */
  resignRedirects?: boolean;
  /** The most redirects followed for one call. @default 20 (as fetch) */
  maxRedirects?: number;
  /**
   * When a server answers 401 with an `Accept-Signature` field, sign what it asks for and
   * retry once (RFC 9421 §5). @default false
   */
  fulfilAcceptSignature?: boolean;
  /**
   * Verify every response's signature (with `;req` components bound to the request just sent,
   * and its `Content-Digest`) before returning it; a failure rejects the call with the
   * `HttpSigError`. Get what was verified with `responseSignature(response)`.
   */
  verifyResponse?: VerifyOptions;
  /**
   * How requests are signed: `'rfc9421'`, `'cavage'` (a draft-cavage-12 `Signature` header, as
   * ActivityPub servers expect), or `'double-knock'`: RFC 9421 first and, when the server refuses
   * it (401, 403, or a 400 problem whose code says the signature is missing or unreadable), once
   * more with cavage. The scheme that worked is remembered per origin. @default 'rfc9421'
   */
  scheme?: 'rfc9421' | 'cavage' | 'double-knock';
  /**
   * Options for cavage signatures: `headers`, `algorithm` ('legacy' or 'hs2019'), `form`, … The
   * key and keyId default to `key` and `keyid`. In a browser `Date` cannot be set, so unless
   * `headers` says otherwise `date` is left out of the default list there.
   */
  cavage?: Partial<CavageSignOptions>;
  /**
   * Where double-knock also remembers schemes (e.g. across restarts): read when an origin is not
   * in the in-memory list (at most 1000 origins, least recently used forgotten first), written
   * whenever a scheme is learnt.
   */
  schemeMemory?: SchemeMemory;
}
