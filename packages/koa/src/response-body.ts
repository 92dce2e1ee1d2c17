/**
 * The bytes Koa will send for `ctx.body`, made final before signing: Koa's own serialization
 * (a JSON body is stringified, an empty body becomes the status text), and a streamed body is
 * buffered (bounded) and replaced by those bytes, so what is signed is exactly what is sent.
 */
import { Readable } from 'node:stream';
import type { Context } from 'koa';

/** Statuses whose responses have no content (Koa strips the body and its type). */
const emptyStatuses = new Set([204, 205, 304]);

export type FinalBody =
  /** No content is sent (HEAD, 204, 304, an explicit `null` body). */
  | { readonly kind: 'none' }
  /** Exactly these bytes are sent. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** A streamed body passed the limit: `ctx.body` now streams it all, and it cannot be signed. */
  | { readonly kind: 'too-large' };

const toBuffer = (chunk: unknown): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);

/** What was read, then the rest of the same source, as one stream. */
function rejoin(read: readonly Buffer[], rest: AsyncIterator<unknown>): Readable {
  async function* chunks() {
    try {
      yield* read;
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield toBuffer(next.value);
    } finally {
      // Stopped early (the client went away): release the source.
      await rest.return?.();
    }
  }
  return Readable.from(chunks());
}

/** Read `source` up to `limit` bytes: all of it, or (past the limit) a stream of all of it. */
async function collect(
  source: AsyncIterable<unknown>,
  limit: number,
): Promise<{ bytes: Buffer } | { stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]();
  const read: Buffer[] = [];
  let size = 0;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const buffer = toBuffer(next.value);
    read.push(buffer);
    size += buffer.length;
    if (size > limit) return { stream: rejoin(read, iterator) };
  }
  return { bytes: Buffer.concat(read) };
}

function isNodeStream(body: object): body is Readable {
  return body instanceof Readable || typeof (body as { pipe?: unknown }).pipe === 'function';
}

/** The chunks of a streamed body (a Node stream; on Koa 3 also a ReadableStream or Response). */
function streamOf(body: object): AsyncIterable<unknown> | undefined {
  if (isNodeStream(body)) return body as Readable;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    return body as ReadableStream<Uint8Array> & AsyncIterable<Uint8Array>;
  }
  if (typeof Response !== 'undefined' && body instanceof Response) {
    return body.body === null ? Readable.from([]) : (body.body as unknown as AsyncIterable<Uint8Array>);
  }
  return undefined;
}

/** Settle `ctx.body` into the bytes Koa sends, replacing it where Koa would serialize or stream. */
export async function finalBody(ctx: Context, limit: number): Promise<FinalBody> {
  const status = ctx.status;
  if (emptyStatuses.has(status)) {
    // Koa answers these with no body and without Content-Type: do it now, before signing.
    ctx.body = null;
    return { kind: 'none' };
  }
  if (ctx.method === 'HEAD') return { kind: 'none' };
  const body: unknown = ctx.body;
  if (body === null || body === undefined) {
    if ((ctx.response as { _explicitNullBody?: boolean })._explicitNullBody) {
      ctx.remove('Content-Type');
      ctx.remove('Transfer-Encoding');
      return { kind: 'none' };
    }
    // Koa sends the status text (or, over HTTP/2, the status code) as text/plain.
    const text = ctx.req.httpVersionMajor >= 2 ? String(status) : ctx.message || String(status);
    ctx.status = status;
    ctx.body = text;
    ctx.type = 'text';
    return { kind: 'bytes', bytes: Buffer.from(text) };
  }
  if (Buffer.isBuffer(body)) return { kind: 'bytes', bytes: body };
  if (typeof body === 'string') return { kind: 'bytes', bytes: Buffer.from(body) };
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    // Its size is known: a Blob over the limit is left as it is and sent unsigned.
    if (body.size > limit) return { kind: 'too-large' };
    const bytes = Buffer.from(await body.arrayBuffer());
    ctx.body = bytes;
    return { kind: 'bytes', bytes };
  }
  const stream = typeof body === 'object' ? streamOf(body) : undefined;
  if (stream) {
    const read = await collect(stream, limit);
    ctx.body = 'bytes' in read ? read.bytes : read.stream;
    return 'bytes' in read ? { kind: 'bytes', bytes: read.bytes } : { kind: 'too-large' };
  }
  // Anything else Koa sends as JSON.stringify(body): send that very text.
  const json = JSON.stringify(body) ?? '';
  ctx.body = json;
  return { kind: 'bytes', bytes: Buffer.from(json) };
}
