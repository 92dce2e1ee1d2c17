/**
 * @httpsig/express — Express 4 and 5 middleware that verifies HTTP Message Signatures (RFC 9421)
 * before any handler runs, checks the digest against the exact bytes received while the usual
 * body parsers keep working, and signs responses.
 */
export type { Problem, RouteOverrides, VerificationOutcome, VerifierOptions } from '@httpsig/server';
export { captureRawBody, rawBodyOf } from './raw-body';
export { signResponses } from './sign-responses';
export type { SignResponsesOptions, VerifySignaturesOptions } from './types';
export type { ExpressVerifier } from './verify';
export { createExpressVerifier, verifySignatures } from './verify';
