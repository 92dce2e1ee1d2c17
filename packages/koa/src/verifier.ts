/**
 * The Koa verifier: one replay store per `createKoaVerifier`, mounted app-wide or per route
 * with its own overrides. The downstream middleware runs only for a verified request.
 */
import { defaultMaxBodySize, isHttpSigError } from '@httpsig/core';
import {
  createVerifier,
  type IncomingRequestInfo,
  type RouteOverrides,
  refusalFor,
  type Verifier,
} from '@httpsig/server';
import { incomingRequestInfo } from '@httpsig/server/node';
import type { Context, Middleware } from 'koa';
import { rawBodyOf } from './raw-body';
import { refuse, refuseUnavailableBody } from './refuse';
import type { KoaVerifierOptions, RouteSelector } from './types';

export interface KoaVerifier {
  /**
   * A middleware verifying with this verifier's options, `routes(ctx)` on top, then `overrides`
   * (an object, or a function of the context) on top of that. Every middleware made here
   * shares one replay store.
   */
  verify(overrides?: RouteOverrides | RouteSelector): Middleware;
  /** The framework-neutral verifier underneath. */
  readonly verifier: Verifier;
}

export function createKoaVerifier(options: KoaVerifierOptions): KoaVerifier {
  const { routes, bodyTimeout, ...verifierOptions } = options;
  // Checked now, so that a bad value fails at start-up rather than on the first request with a body.
  if (bodyTimeout !== undefined && !(typeof bodyTimeout === 'number' && bodyTimeout > 0)) {
    throw new TypeError('bodyTimeout must be a positive number of milliseconds');
  }
  const verifier = createVerifier(verifierOptions);
  // A request verified twice (app-wide, then a stricter route) would replay its own nonce in
  // this verifier's store: the second pass checks the policy without consuming it again.
  const recheck = createVerifier({ ...verifierOptions, nonceStore: false });
  const verified = new WeakSet<Context>();

  function verify(mounted?: RouteOverrides | RouteSelector): Middleware {
    return async function verifySignatures(ctx, next) {
      const overrides: RouteOverrides = {
        ...routes?.(ctx),
        ...(typeof mounted === 'function' ? mounted(ctx) : mounted),
      };
      if (overrides.skip) return next();
      const limit = overrides.maxBodySize ?? verifierOptions.maxBodySize ?? defaultMaxBodySize;
      let body: Awaited<ReturnType<typeof rawBodyOf>>;
      try {
        body = await rawBodyOf(ctx, limit, bodyTimeout);
      } catch (error) {
        if (
          !isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE') &&
          !isHttpSigError(error, 'ERR_HTTPSIG_BODY_TIMEOUT')
        ) {
          throw error;
        }
        (overrides.onError ?? verifierOptions.onError)?.(error, requestInfo(ctx, undefined));
        return refuse(ctx, refusalFor(error));
      }
      if (body.kind === 'consumed') return refuseUnavailableBody(ctx);
      const again = verified.has(ctx);
      const outcome = await (again ? recheck : verifier).verify(requestInfo(ctx, body.bytes), overrides);
      if (!outcome.ok) return refuse(ctx, outcome);
      verified.add(ctx);
      ctx.state.signature = outcome.signature;
      return next();
    };
  }

  return { verify, verifier };
}

/** The request as received; the target is the original URL, before any mount or rewrite. */
function requestInfo(ctx: Context, body: Uint8Array | undefined): IncomingRequestInfo {
  return { ...incomingRequestInfo(ctx.req, body), target: ctx.originalUrl };
}

/** Verify every request (or as `routes` says) before any later middleware runs. */
export function verifySignatures(options: KoaVerifierOptions): Middleware {
  return createKoaVerifier(options).verify();
}
