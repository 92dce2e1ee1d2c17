/**
 * @httpsig/server — verify HTTP Message Signatures (RFC 9421) on servers: Web-standard `Request`
 * handlers, and the framework-neutral verifier the Express, Fastify and Koa packages build on.
 */
export { acceptSignatureHint } from './accept-hint';
export type { Refusal } from './problem';
export { problemFor, refusalFor, signingFailed } from './problem';
export type { ResponseSigner } from './response-signer';
export { createResponseSigner, defaultResponseComponents } from './response-signer';
export type {
  DebugReport,
  IncomingRequestInfo,
  Problem,
  RouteOverrides,
  ServerCavageOptions,
  SignatureScheme,
  VerificationOutcome,
  VerifierOptions,
} from './types';
export type { Verifier } from './verifier';
export { createVerifier } from './verifier';
export type { WebRequestContext } from './web';
export { checkRequest, problemResponse, signResponse, verifyRequest, webRequestInfo } from './web';
