/** The options of the Express middleware, and the typed `req.signature`. */
import type { SignerOptions, VerifyResult } from '@httpsig/core';
import type { RouteOverrides, VerifierOptions } from '@httpsig/server';
import type { Request } from 'express';

declare global {
  namespace Express {
    interface Request {
      /** The verified signature, set by `verifySignatures()` before any later handler runs. */
      signature?: VerifyResult;
    }
  }
}

/** Options of `verifySignatures()` and `createExpressVerifier()`. */
export interface VerifySignaturesOptions extends VerifierOptions {
  /**
   * A policy per request (stricter components, a tag, `skip`), e.g. by `req.path`. Overrides
   * given to `signatures.verify(overrides)` for one route go on top of it.
   */
  routes?: (req: Request) => RouteOverrides | undefined;
  /**
   * Refuse a request body that has not fully arrived within this many milliseconds, with 408
   * `ERR_HTTPSIG_BODY_TIMEOUT` and `Connection: close` (slow senders hold sockets and memory).
   * @default 30000
   */
  bodyTimeout?: number;
}

/** Options of `signResponses()`: how to sign, plus where the API is served. */
export interface SignResponsesOptions extends SignerOptions {
  /**
   * The origin clients address, e.g. `https://api.example.com` (or several, picked by `Host`), for
   * the `"@target-uri";req` component. @default `req.protocol` (Express's `trust proxy`) and `Host`
   */
  origin?: string | readonly string[];
  /**
   * Called when a response goes out unsigned: its body passed `maxBodySize`
   * (`ERR_HTTPSIG_BODY_TOO_LARGE`), or signing failed (the response is then replaced by a 500).
   */
  onError?: (error: unknown, req: Request) => void;
}
