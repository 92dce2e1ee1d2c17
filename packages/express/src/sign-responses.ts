/**
 * Signing responses: the body is held until the handler ends the response, then signed (with
 * `Content-Digest`) as the answer to the request, bound by `"@method";req` and `"@target-uri";req`.
 */
import { defaultMaxBodySize, HttpSigError, type RequestLike, type ResponseLike } from '@httpsig/core';
import { createResponseSigner, signingFailed } from '@httpsig/server';
import { incomingRequestInfo } from '@httpsig/server/node';
import type { Request, RequestHandler } from 'express';
import { bufferResponse } from './buffer-response';
import { compileOrigins, requestOrigin } from './origin';
import { sendProblem } from './problem';
import type { SignResponsesOptions } from './types';

/** The request as the client sent it, for the `;req` components. */
function requestMessage(req: Request, origin: string): RequestLike {
  const target = req.originalUrl || '/';
  const path = target.startsWith('/') ? target : `${new URL(target).pathname}${new URL(target).search}`;
  return {
    method: req.method,
    url: `${origin}${path}`,
    headers: incomingRequestInfo(req, undefined).headers,
  };
}

/** Responses without content (RFC 9110 §6.4.1): nothing to digest. */
function carriesContent(req: Request, status: number): boolean {
  return req.method !== 'HEAD' && status !== 204 && status !== 304 && (status < 100 || status >= 200);
}

/** Sign every response the middleware is mounted on. Mount it before the routes it signs. */
export function signResponses(options: SignResponsesOptions): RequestHandler {
  const { origin, onError, ...signerOptions } = options;
  const sign = createResponseSigner(signerOptions);
  const origins = compileOrigins(origin);
  const limit = signerOptions.maxBodySize ?? defaultMaxBodySize;

  return (req, res, next) => {
    if (res.headersSent) {
      next();
      return;
    }
    bufferResponse(res, limit, {
      async finish(body) {
        const response: ResponseLike = {
          status: res.statusCode,
          headers: res.getHeaders() as ResponseLike['headers'],
          ...(body.length > 0 && carriesContent(req, res.statusCode) ? { body } : {}),
        };
        const signed = await sign(response, requestMessage(req, requestOrigin(req, origins)));
        for (const [name, value] of Object.entries(signed.headers)) res.setHeader(name, value);
      },
      overflow() {
        onError?.(
          new HttpSigError(
            'ERR_HTTPSIG_BODY_TOO_LARGE',
            `The response body is larger than the ${limit}-byte signing limit; it was sent unsigned`,
          ),
          req,
        );
      },
      failed(error) {
        onError?.(error, req);
        // Nothing was sent yet: answer 500 rather than an unsigned response.
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        const refusal = signingFailed();
        sendProblem(res, refusal.status, refusal.headers, refusal.problem);
      },
    });
    next();
  };
}
