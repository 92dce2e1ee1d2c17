import type { SchemeOptions, SignerOptions, VerifyOptions } from '@httpsig/core';

/** The `fetch` signature. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Core's client signer options, the scheme (`scheme`: 'rfc9421', 'cavage' or 'double-knock';
 * `cavage`; `schemeMemory`), and how fetch is wrapped.
 */
export interface SignedFetchOptions extends SignerOptions, SchemeOptions {
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
}
