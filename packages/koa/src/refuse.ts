/** Answering a refusal: status, the outcome's headers and its problem+json document. */
import type { Problem, Refusal } from '@httpsig/server';
import type { Context } from 'koa';

export type { Refusal };

function send(ctx: Context, status: number, headers: Readonly<Record<string, string>>, problem: Problem) {
  ctx.status = status;
  // Content-Type first: a string body then keeps application/problem+json.
  ctx.set(headers as Record<string, string>);
  ctx.body = JSON.stringify(problem);
}

export function refuse(ctx: Context, outcome: Refusal): void {
  send(ctx, outcome.status, outcome.headers, outcome.problem);
  // The rest of an oversized or too slow body is never read: close the connection instead of draining it.
  if (outcome.status === 413 || outcome.status === 408) ctx.set('connection', 'close');
}

/** A parser read the body before the verifier and kept no raw copy: the digest cannot be checked. */
export function refuseUnavailableBody(ctx: Context): void {
  send(
    ctx,
    500,
    { 'content-type': 'application/problem+json' },
    {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail:
        'A body parser read the request body before the signature verifier and kept no raw bytes: ' +
        'mount verifySignatures() before the body parser (@koa/bodyparser, koa-body)',
      code: 'ERR_HTTPSIG_BODY_UNAVAILABLE',
    },
  );
}
