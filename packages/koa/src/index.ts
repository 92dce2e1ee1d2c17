/**
 * @httpsig/koa — Koa middleware (Koa 3 and Koa 2) that verifies HTTP Message Signatures
 * (RFC 9421) and their digests (RFC 9530) before any later middleware runs, and signs responses.
 */
export type {
  Problem,
  RouteOverrides,
  VerificationOutcome,
  Verifier,
  VerifierOptions,
} from '@httpsig/server';
export type { OriginOption } from './origin';
export type { KoaResponseSignerOptions } from './sign-responses';
export { signResponses } from './sign-responses';
export type { KoaVerifierOptions, RouteSelector, SignatureState } from './types';
export type { KoaVerifier } from './verifier';
export { createKoaVerifier, verifySignatures } from './verifier';
