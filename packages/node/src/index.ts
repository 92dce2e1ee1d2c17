/**
 * @httpsig/node — sign node:http, node:https and undici requests with HTTP Message Signatures
 * (RFC 9421), the body bound by a covered Content-Digest (RFC 9530).
 */
export type { NodeRequestBody } from './body';
export type {
  ResponseCallback,
  SignedRequestFunction,
  SignedRequestInit,
  SignedRequestOptions,
} from './http';
export { createSignedRequest, signedRequest } from './http';
export type {
  DispatchHandler,
  DispatchOptions,
  SigningInterceptor,
  SigningInterceptorOptions,
} from './undici';
export { createSigningInterceptor, signingInterceptor } from './undici';
