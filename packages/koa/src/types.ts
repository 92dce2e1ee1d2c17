import type { VerifyResult } from '@httpsig/core';
import type { RouteOverrides, VerifierOptions } from '@httpsig/server';
import type { Context } from 'koa';

/** The state a verified request carries: `ctx.state.signature`. Use as `new Koa<SignatureState>()`. */
export interface SignatureState {
  /** What was verified: label, keyid, algorithm, covered components, parameters, digests. */
  signature: VerifyResult;
}

declare module 'koa' {
  interface DefaultState {
    /** Set by `verifySignatures` once the request's signature is verified; absent on skipped routes. */
    signature?: VerifyResult;
  }
}

/** Per-route policy: the request's context in, the overrides for its route (or nothing) out. */
export type RouteSelector = (ctx: Context) => RouteOverrides | undefined;

export interface KoaVerifierOptions extends VerifierOptions {
  /**
   * Overrides by request, e.g. by `ctx.path`: a stricter policy (`requiredComponents`, `tag`,
   * `requireTls`, `maxBodySize`, …) or `{ skip: true }` for routes that are not verified.
   */
  routes?: RouteSelector;
  /**
   * Refuse a request body that has not fully arrived within this many milliseconds, with 408
   * `ERR_HTTPSIG_BODY_TIMEOUT` and `Connection: close` (slow senders hold sockets and memory).
   * @default 30000
   */
  bodyTimeout?: number;
}
