/**
 * Reading the raw request body once, bounded, and handing the same bytes on to the body parsers
 * that run after the verifier (express.json, multer, koa-body, …): the digest is checked against
 * the exact bytes received and nothing is re-serialized.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { HttpSigError } from '@httpsig/core';

function tooLarge(limit: number): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_BODY_TOO_LARGE',
    `The request body is larger than the ${limit}-byte limit`,
  );
}

/** Whether the request declares content (RFC 9112 §6.3). */
export function hasContent(req: IncomingMessage): boolean {
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

/** Events of the readable side, served by the replay; the others (close, aborted) stay on the request. */
const readableEvents = new Set(['data', 'end', 'readable', 'error', 'pause', 'resume']);

/**
 * Make an already consumed request readable again with `bytes`, so that parsers placed after
 * the verifier read exactly what was verified. The request's readable side (reads, listeners,
 * pipe) is served by a fresh stream over the bytes.
 */
export function replayBody(req: IncomingMessage, bytes: Uint8Array): void {
  const replay = Readable.from(
    bytes.length === 0 ? [] : [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
  );
  const own = {
    on: req.on.bind(req),
    once: req.once.bind(req),
    off: req.off.bind(req),
    removeListener: req.removeListener.bind(req),
  };
  const route =
    (
      onReplay: (event: string, listener: (...args: unknown[]) => void) => unknown,
      onRequest: typeof own.on,
    ) =>
    (event: string | symbol, listener: (...args: unknown[]) => void) => {
      if (typeof event === 'string' && readableEvents.has(event)) onReplay.call(replay, event, listener);
      else onRequest(event, listener);
      return req;
    };
  const methods: Record<string, unknown> = {
    on: route(replay.on, own.on),
    addListener: route(replay.on, own.on),
    once: route(replay.once, own.once),
    off: route(replay.off, own.off),
    removeListener: route(replay.removeListener, own.removeListener),
    read: replay.read.bind(replay),
    pipe: replay.pipe.bind(replay),
    unpipe: replay.unpipe.bind(replay),
    pause: () => {
      replay.pause();
      return req;
    },
    resume: () => {
      replay.resume();
      return req;
    },
    isPaused: replay.isPaused.bind(replay),
    setEncoding: (encoding: BufferEncoding) => {
      replay.setEncoding(encoding);
      return req;
    },
    [Symbol.asyncIterator]: replay[Symbol.asyncIterator].bind(replay),
  };
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(req, name, { value, configurable: true, writable: true });
  }
  Object.defineProperty(req, Symbol.asyncIterator, {
    value: methods[Symbol.asyncIterator as unknown as string] ?? replay[Symbol.asyncIterator].bind(replay),
    configurable: true,
    writable: true,
  });
  for (const name of [
    'readable',
    'readableEnded',
    'readableFlowing',
    'readableLength',
    'destroyed',
  ] as const) {
    Object.defineProperty(req, name, { get: () => replay[name], configurable: true });
  }
  // Parsers check `complete`/`_readableState` to see whether the body was read; describe the replay.
  Object.defineProperty(req, '_readableState', {
    get: () => (replay as unknown as { _readableState: unknown })._readableState,
    configurable: true,
  });
}
