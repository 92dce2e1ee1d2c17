/**
 * Reading the raw request body once, bounded, and handing the same bytes on to the body parsers
 * that run after the verifier (express.json, multer, koa-body, …): the digest is checked against
 * the exact bytes received and nothing is re-serialized.
 */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { Readable } from 'node:stream';
import { HttpSigError } from '@httpsig/core';

function tooLarge(limit: number): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_BODY_TOO_LARGE',
    `The request body is larger than the ${limit}-byte limit`,
  );
}

/**
 * Whether the request has content: per RFC 9112 §6.3 for HTTP/1.1; for HTTP/2, whose bodies need
 * no Content-Length, unless the stream ended with the headers.
 */
export function hasContent(req: IncomingMessage | Http2ServerRequest): boolean {
  if (req.httpVersionMajor === 2) return !(req as Http2ServerRequest).stream.endAfterHeaders;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Read the whole body, refusing (`ERR_HTTPSIG_BODY_TOO_LARGE`) as soon as it passes `limit`
 * bytes, or at once when `Content-Length` says it will. Reading stops there; answer with
 * `Connection: close` so the rest is never read.
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Events of the readable side, served by the replay; `aborted` stays on the request. `close`
 * moves too: the request emitted it when it was drained, and `pipeline`/`finished` wait for it.
 */
const readableEvents = new Set(['data', 'end', 'readable', 'error', 'pause', 'resume', 'close']);

/**
 * Make an already consumed request readable again with `bytes`, so that parsers placed after
 * the verifier read exactly what was verified. The request's readable side (reads, listeners,
 * pipe) is served by a fresh stream over the bytes.
 */
export function replayBody(req: IncomingMessage, bytes: Uint8Array): void {
  // Byte mode, like the request itself: read(n) returns at most n bytes.
  const chunks = bytes.length === 0 ? [] : [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
  const replay = Readable.from(chunks, { objectMode: false });
  type Listener = (...args: unknown[]) => void;
  type Subscribe = (event: string | symbol, listener: Listener) => unknown;
  // Readable-side events go to the replay, the others (aborted) stay on the request.
  const route =
    (onReplay: Subscribe, onRequest: Subscribe) => (event: string | symbol, listener: Listener) => {
      if (typeof event === 'string' && readableEvents.has(event)) onReplay.call(replay, event, listener);
      else onRequest.call(req, event, listener);
      return req;
    };
  const chain =
    <A extends unknown[]>(method: (...args: A) => unknown) =>
    (...args: A) => {
      method.apply(replay, args);
      return req;
    };
  const methods: [string | symbol, unknown][] = [
    ['on', route(replay.on, req.on)],
    ['addListener', route(replay.on, req.on)],
    ['once', route(replay.once, req.once)],
    ['off', route(replay.off, req.off)],
    ['removeListener', route(replay.removeListener, req.removeListener)],
    ['read', replay.read.bind(replay)],
    ['pipe', replay.pipe.bind(replay)],
    ['unpipe', replay.unpipe.bind(replay)],
    ['pause', chain(replay.pause)],
    ['resume', chain(replay.resume)],
    ['setEncoding', chain(replay.setEncoding)],
    ['isPaused', replay.isPaused.bind(replay)],
    [Symbol.asyncIterator, replay[Symbol.asyncIterator].bind(replay)],
  ];
  for (const [name, value] of methods) {
    Object.defineProperty(req, name, { value, configurable: true, writable: true });
  }
  const state = [
    'readable',
    'readableEnded',
    'readableFlowing',
    'readableLength',
    'readableObjectMode',
    'destroyed',
    'closed',
    'readableDidRead',
    'readableAborted',
    // Parsers look at the stream state to see whether the body was read.
    '_readableState',
  ] as const;
  for (const name of state) {
    Object.defineProperty(req, name, {
      get: () => (replay as unknown as Record<string, unknown>)[name],
      configurable: true,
    });
  }
}
