/**
 * The raw request body for the digest check: read once from `ctx.req` (bounded) and replayed so
 * the body parsers after the verifier parse exactly those bytes, or taken from the raw text a
 * parser placed before the verifier kept. A parsed body is never serialized again.
 */
import type { IncomingMessage } from 'node:http';
import { hasContent, readRawBody, replayBody } from '@httpsig/server/node';
import type { Context } from 'koa';

export type RawBody =
  /** The bytes received; `undefined` when the request has no content. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array | undefined }
  /** A body parser read the body before the verifier and kept no raw copy of it. */
  | { readonly kind: 'consumed' };

// Bytes already read for this request, so that a second verifier (app-wide, then per route)
// checks the same bytes even though a parser may have consumed the replay in between.
const received = new WeakMap<IncomingMessage, Uint8Array>();

function mayHaveContent(req: IncomingMessage): boolean {
  // HTTP/2 frames the body itself: a request may carry one without Content-Length. Only a
  // stream that ended with its headers surely has none.
  if (req.httpVersionMajor >= 2)
    return (req as { stream?: { endAfterHeaders?: boolean } }).stream?.endAfterHeaders !== true;
  return hasContent(req);
}

function alreadyRead(req: IncomingMessage): boolean {
  return req.readableDidRead || req.readableEnded;
}

/**
 * The raw text that @koa/bodyparser (always, for the types it parses) and koa-body (with
 * `includeUnparsed`) keep as `ctx.request.rawBody`. It is the UTF-8 decoding of the bytes, so it
 * only stands for them when the body was sent as UTF-8 without a content coding; anything else
 * (or a BOM the decoder dropped) makes the digest differ, and the request is refused.
 */
function capturedRawBody(ctx: Context): Uint8Array | undefined {
  const raw = (ctx.request as { rawBody?: unknown }).rawBody;
  if (typeof raw !== 'string') return undefined;
  const coding = ctx.get('content-encoding').trim().toLowerCase();
  if (coding !== '' && coding !== 'identity') return undefined;
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') return undefined;
  return new Uint8Array(Buffer.from(raw, 'utf8'));
}

/** The raw body of the request in `ctx`: at most `limit` bytes (BODY_TOO_LARGE), within `timeoutMs` (BODY_TIMEOUT). */
export async function rawBodyOf(ctx: Context, limit: number, timeoutMs?: number): Promise<RawBody> {
  const req = ctx.req;
  const known = received.get(req);
  if (known) return { kind: 'bytes', bytes: known };
  if (!mayHaveContent(req)) return { kind: 'bytes', bytes: undefined };
  if (alreadyRead(req)) {
    const captured = capturedRawBody(ctx);
    return captured ? { kind: 'bytes', bytes: captured } : { kind: 'consumed' };
  }
  const bytes = await readRawBody(req, limit, timeoutMs === undefined ? {} : { timeoutMs });
  received.set(req, bytes);
  replayBody(req, bytes);
  return { kind: 'bytes', bytes };
}
