/**
 * @httpsig/msw — a test kit for integrators: check inside msw request handlers that the requests
 * your code sends carry valid HTTP Message Signatures (RFC 9421), and answer with signed
 * responses, without running a server.
 */
export type { SignatureCheck } from './check';
export { checkRequestSignature } from './check';
export type { SignedResolverInfo } from './handler';
export { withSignature } from './handler';
export type { SignResponseOptions } from './respond';
export { signResponse } from './respond';
