/**
 * @httpsig/fetch — sign `fetch` requests with HTTP Message Signatures (RFC 9421) and verify
 * signed responses, in browsers, Node, Deno, Bun and edge workers.
 */
export { responseSignature } from './response-signature';
export type { SchemeMemory, SignatureScheme } from './schemes';
export { createSignedFetch } from './signed-fetch';
export type { Fetch, SignedFetchOptions } from './types';
