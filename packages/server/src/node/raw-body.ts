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

/** How long reading one body may take before it is refused, in milliseconds. */
export const defaultBodyTimeout = 30_000;

export interface ReadRawBodyOptions {
  /**
   * Refuse with `ERR_HTTPSIG_BODY_TIMEOUT` when the whole body has not arrived within this many
   * milliseconds (slow senders hold a connection and memory). @default 30000
   */
  timeoutMs?: number;
}

function tooSlow(ms: number): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_BODY_TIMEOUT', `The request body did not arrive within ${ms} ms`);
}

/**
 * Read the whole body, refusing (`ERR_HTTPSIG_BODY_TOO_LARGE`) as soon as it passes `limit`
 * bytes, or at once when `Content-Length` says it will, and (`ERR_HTTPSIG_BODY_TIMEOUT`) when it
 * takes longer than `timeoutMs`. Reading stops there; answer with `Connection: close` so the
 * rest is never read. A stream error (the client aborted) rejects with that error.
 */
export function readRawBody(
  req: IncomingMessage,
  limit: number,
  options: ReadRawBodyOptions = {},
): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? defaultBodyTimeout;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw new TypeError('timeoutMs must be a positive number of milliseconds');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => fail(tooSlow(timeoutMs)), timeoutMs);
    function settle(): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', fail);
      req.off('close', onClose);
    }
    function fail(error: unknown): void {
      settle();
      // Stop reading: what is left of the body is never buffered.
      req.pause();
      reject(error);
    }
    function onData(chunk: Buffer | string): void {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) fail(tooLarge(limit));
      else chunks.push(buffer);
    }
    function onEnd(): void {
      settle();
      resolve(new Uint8Array(Buffer.concat(chunks)));
    }
    function onClose(): void {
      // Closed before `end`: the client went away mid-body.
      if (!req.readableEnded)
        fail(Object.assign(new Error('The client aborted the request body'), { code: 'ECONNRESET' }));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', fail);
    req.on('close', onClose);
  });
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
