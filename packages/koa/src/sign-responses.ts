/**
 * Signing responses for clients that verify them: after the downstream middleware ran, the
 * final body bytes, status and headers are signed as the answer to the request (`;req`).
 */
import { defaultMaxBodySize, HttpSigError, type RequestLike, type SignerOptions } from '@httpsig/core';
import { createResponseSigner, signingFailed } from '@httpsig/server';
import { incomingRequestInfo } from '@httpsig/server/node';
import type { Context, Middleware } from 'koa';
import { type OriginOption, originResolver } from './origin';
import { refuse } from './refuse';
import { finalBody } from './response-body';

export interface KoaResponseSignerOptions extends SignerOptions {
  /**
   * The public origin clients address, e.g. `https://api.example.com` (or several, picked by
   * host), for `"@target-uri";req`; or a function of the context.
   * @default `${ctx.protocol}://${ctx.host}` (Koa believes X-Forwarded-Proto/Host only with `app.proxy = true`)
   */
  origin?: OriginOption;
  /** Leave this response unsigned. */
  skip?: (ctx: Context) => boolean;
  /**
   * Called when a response goes out unsigned: a streamed body passed `maxBodySize`
   * (`ERR_HTTPSIG_BODY_TOO_LARGE`), or signing failed (the response is then replaced by a 500).
   */
  onError?: (error: unknown, ctx: Context) => void;
}

/** Sign every response passing through. Mount it before (outside) the middleware whose answers it signs. */
export function signResponses(options: KoaResponseSignerOptions): Middleware {
  const { origin, skip, onError, ...signerOptions } = options;
  const sign = createResponseSigner(signerOptions);
  const originOf = originResolver(origin);
  const limit = signerOptions.maxBodySize ?? defaultMaxBodySize;

  return async function signResponse(ctx, next) {
    await next();
    // Nothing to sign when the application answered by itself (ctx.respond = false, or wrote to ctx.res).
    if (ctx.respond === false || ctx.headerSent || !ctx.writable || skip?.(ctx)) return;
    const body = await finalBody(ctx, limit);
    if (body.kind === 'too-large') {
      onError?.(
        new HttpSigError(
          'ERR_HTTPSIG_BODY_TOO_LARGE',
          `The response body is larger than the ${limit}-byte signing limit; it was sent unsigned`,
        ),
        ctx,
      );
      return;
    }
    const request: RequestLike = {
      method: ctx.method,
      url: `${originOf(ctx)}${ctx.originalUrl}`,
      headers: incomingRequestInfo(ctx.req, undefined).headers,
    };
    try {
      const signed = await sign(
        {
          status: ctx.status,
          headers: ctx.response.headers as Record<string, string | string[] | number>,
          ...(body.kind === 'bytes' ? { body: body.bytes } : {}),
        },
        request,
      );
      ctx.set(signed.headers as Record<string, string>);
    } catch (error) {
      onError?.(error, ctx);
      // Nothing was sent yet: answer 500 rather than an unsigned response.
      for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
      refuse(ctx, signingFailed());
    }
  };
}
