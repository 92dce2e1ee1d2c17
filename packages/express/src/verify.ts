/**
 * The verifying middleware: one verifier (and so one replay store) per `createExpressVerifier()`
 * or `verifySignatures()` call, mounted app-wide or per route with route overrides.
 */
import type { IncomingMessage } from 'node:http';
import { defaultMaxBodySize, isHttpSigError } from '@httpsig/core';
import {
  createVerifier,
  type IncomingRequestInfo,
  problemFor,
  type RouteOverrides,
  type Verifier,
} from '@httpsig/server';
import { hasContent, incomingRequestInfo, readRawBody, replayBody } from '@httpsig/server/node';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { bodyUnavailableProblem, sendProblem } from './problem';
import { bodyConsumed, rawBodyOf, storeRawBody } from './raw-body';
import type { VerifySignaturesOptions } from './types';

export interface ExpressVerifier {
  /**
   * The middleware, with optional overrides for the routes it is mounted on:
   * `app.post('/payments', signatures.verify({ requiredComponents: [...] }), handler)`.
   */
  verify(overrides?: RouteOverrides): RequestHandler;
  /** The framework-neutral verifier underneath (it holds the replay store). */
  readonly verifier: Verifier;
}

/** The request as received: routers and mounted apps rewrite `req.url`, never `req.originalUrl`. */
function requestInfo(req: Request, body: Uint8Array | undefined): IncomingRequestInfo {
  return { ...incomingRequestInfo(req, body), target: req.originalUrl || req.url };
}

type BodyResult = { ok: true; body: Uint8Array | undefined } | { ok: false };

/**
 * The raw body bytes to verify, or a refusal already sent. Bytes read here are handed back to the
 * request so that parsers mounted after the verifier read exactly them.
 */
async function rawBody(
  req: Request,
  res: Response,
  limit: number,
  timeoutMs: number | undefined,
  onError: VerifySignaturesOptions['onError'],
): Promise<BodyResult> {
  const captured = rawBodyOf(req);
  if (captured) return { ok: true, body: captured };
  if (!hasContent(req)) return { ok: true, body: undefined };
  if (bodyConsumed(req)) {
    sendProblem(res, 500, { 'content-type': 'application/problem+json' }, bodyUnavailableProblem);
    return { ok: false };
  }
  try {
    const body = await readRawBody(req, limit, timeoutMs === undefined ? {} : { timeoutMs });
    storeRawBody(req, body);
    replayBody(req, body);
    return { ok: true, body };
  } catch (error) {
    if (!isHttpSigError(error)) throw error;
    onError?.(error, requestInfo(req, undefined));
    const problem = problemFor(error);
    sendProblem(res, problem.status, { 'content-type': 'application/problem+json' }, problem);
    return { ok: false };
  }
}

export function createExpressVerifier(options: VerifySignaturesOptions): ExpressVerifier {
  const { routes, bodyTimeout, ...verifierOptions } = options ?? ({} as VerifySignaturesOptions);
  // Checked now, so that a bad value fails at start-up rather than on the first request with a body.
  if (bodyTimeout !== undefined && !(typeof bodyTimeout === 'number' && bodyTimeout > 0)) {
    throw new TypeError('bodyTimeout must be a positive number of milliseconds');
  }
  const verifier = createVerifier(verifierOptions);
  // A request's nonce is spent by its first verification: a second one here would be a replay.
  const verified = new WeakSet<IncomingMessage>();

  async function handle(req: Request, res: Response, mounted: RouteOverrides | undefined): Promise<boolean> {
    const overrides: RouteOverrides = { ...routes?.(req), ...mounted };
    if (overrides.skip) return true;
    if (verified.has(req)) {
      throw new Error(
        'This request was already verified by this verifier: mount it once per request (use the routes ' +
          'option or per-route verify() instead of both app-wide and per-route)',
      );
    }
    verified.add(req);
    const limit = overrides.maxBodySize ?? verifierOptions.maxBodySize ?? defaultMaxBodySize;
    const body = await rawBody(req, res, limit, bodyTimeout, overrides.onError ?? verifierOptions.onError);
    if (!body.ok) return false;
    const outcome = await verifier.verify(requestInfo(req, body.body), overrides);
    if (!outcome.ok) {
      sendProblem(res, outcome.status, outcome.headers, outcome.problem);
      return false;
    }
    req.signature = outcome.signature;
    return true;
  }

  return {
    verifier,
    verify(overrides) {
      // Not an async function: Express 4 ignores returned promises, so errors go to next(err) here.
      return (req: Request, res: Response, next: NextFunction) => {
        handle(req, res, overrides).then((proceed) => {
          if (proceed) next();
        }, next);
      };
    },
  };
}

/** Verify every request the middleware is mounted on; `req.signature` holds what was verified. */
export function verifySignatures(options: VerifySignaturesOptions): RequestHandler {
  return createExpressVerifier(options).verify();
}
