/**
 * Bodies of every shape a user has, turned into bytes or a chunk stream for digesting, with an
 * explicit size limit: nothing here buffers more than `maxBodySize` bytes.
 */
import { HttpSigError } from '../errors';
import { concatBytes, toBytes, utf8Encode } from '../internal/bytes';
import type { Bytes } from '../keys/types';

/** Every body shape that can be digested. A Node `Readable` is an `AsyncIterable`. */
export type BodyInput =
  | string
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | URLSearchParams
  | FormData
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | null
  | undefined;

/** The default `maxBodySize`: 10 MiB. */
export const defaultMaxBodySize = 10 * 1024 * 1024;

/** A body ready to digest: its bytes, or a stream of chunks (read once). */
export type BodySource =
  | { readonly kind: 'bytes'; readonly bytes: Bytes; readonly contentType?: string }
  | {
      readonly kind: 'stream';
      readonly chunks: AsyncIterable<Uint8Array>;
      /** The size when known before reading (a Blob). */
      readonly size?: number;
      readonly contentType?: string;
      /** `contentType` names the multipart boundary of these bytes: it replaces any other. */
      readonly contentTypeBinding?: true;
      /** The caller's body cannot give these bytes again (a stream, or FormData given a fresh boundary). */
      readonly readOnce: boolean;
    };

export interface BodyOptions {
  /** Largest body, in bytes, that is read. @default 10 MiB */
  maxBodySize?: number;
}

export function resolveMaxBodySize(options: BodyOptions | undefined): number {
  const limit = options?.maxBodySize ?? defaultMaxBodySize;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError('maxBodySize must be a non-negative integer number of bytes');
  }
  return limit;
}

export function bodyTooLarge(limit: number): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_BODY_TOO_LARGE',
    `The body is larger than the ${limit}-byte limit for digesting (maxBodySize)`,
  );
}

const isBlob = (v: object): v is Blob => typeof Blob !== 'undefined' && v instanceof Blob;
const isFormData = (v: object): v is FormData => typeof FormData !== 'undefined' && v instanceof FormData;
const isReadableStream = (v: object): v is ReadableStream<Uint8Array> =>
  typeof (v as ReadableStream).getReader === 'function';
const isAsyncIterable = (v: object): v is AsyncIterable<Uint8Array | string> =>
  typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/**
 * Resolve a body. FormData is serialized exactly as `fetch` sends it (multipart with a fresh
 * boundary, reported as `contentType`); that bytes-on-the-wire form only exists when signing, so
 * `purpose: 'verify'` refuses FormData: verify the raw bytes that were received instead.
 */
export function resolveBody(body: BodyInput, purpose: 'sign' | 'verify'): BodySource {
  if (body === undefined || body === null) return { kind: 'bytes', bytes: new Uint8Array(0) as Bytes };
  if (typeof body === 'string') return { kind: 'bytes', bytes: utf8Encode(body) };
  if (typeof body !== 'object') throw new TypeError('body must be a string, bytes, Blob, FormData or stream');
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return { kind: 'bytes', bytes: toBytes(body) };
  if (body instanceof URLSearchParams) {
    return {
      kind: 'bytes',
      bytes: utf8Encode(body.toString()),
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (isBlob(body)) {
    return {
      kind: 'stream',
      chunks: streamChunks(body.stream()),
      size: body.size,
      readOnce: false,
      ...(body.type ? { contentType: body.type } : {}),
    };
  }
  if (isFormData(body)) {
    if (purpose === 'verify') {
      throw new TypeError('a received body cannot be verified as FormData: pass the raw bytes received');
    }
    // The Fetch standard's own multipart encoder: the same bytes and boundary fetch would send.
    const encoded = new Response(body);
    return {
      kind: 'stream',
      chunks: streamChunks(encoded.body as ReadableStream<Uint8Array>),
      contentType: encoded.headers.get('content-type') ?? undefined,
      contentTypeBinding: true,
      readOnce: true,
    };
  }
  if (isReadableStream(body)) {
    if (body.locked) throw new TypeError('the body stream is locked (already being read)');
    return { kind: 'stream', chunks: streamChunks(body), readOnce: true };
  }
  if (isAsyncIterable(body)) return { kind: 'stream', chunks: iterableChunks(body), readOnce: true };
  throw new TypeError('body must be a string, bytes, Blob, URLSearchParams, FormData or stream');
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopped early (limit reached, error): tell the source to stop producing. Not awaited: on
    // one branch of a tee (a cloned Request), cancel settles only once both branches cancel.
    if (!done) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* iterableChunks(iterable: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  const iterator = iterable[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        return;
      }
      const chunk = next.value;
      if (typeof chunk === 'string') yield utf8Encode(chunk);
      else if (chunk instanceof Uint8Array) yield chunk;
      else throw new TypeError('body stream chunks must be bytes or strings');
    }
  } finally {
    // Stopped early: return() destroys a Node Readable. Not awaited, because fetch's body
    // generator stops by cancelling a tee branch, which settles only when both branches do.
    if (!done) iterator.return?.()?.catch(() => undefined);
  }
}

/** Feed each chunk to `consume`, refusing the body as soon as it passes `limit` bytes. */
export async function forEachChunk(
  source: Extract<BodySource, { kind: 'stream' }>,
  limit: number,
  consume: (chunk: Uint8Array) => void,
): Promise<number> {
  if (source.size !== undefined && source.size > limit) throw bodyTooLarge(limit);
  let total = 0;
  for await (const chunk of source.chunks) {
    total += chunk.byteLength;
    if (total > limit) throw bodyTooLarge(limit);
    consume(chunk);
  }
  return total;
}

/** Read a resolved body into one byte array, at most `limit` bytes. */
export async function collectBody(source: BodySource, limit: number): Promise<Bytes> {
  if (source.kind === 'bytes') {
    if (source.bytes.byteLength > limit) throw bodyTooLarge(limit);
    return source.bytes;
  }
  const parts: Uint8Array[] = [];
  await forEachChunk(source, limit, (chunk) => parts.push(chunk));
  return concatBytes(parts);
}

/**
 * Read any body into bytes, refusing it with `ERR_HTTPSIG_BODY_TOO_LARGE` past `maxBodySize`
 * (the stream is cancelled there, not drained).
 */
export async function readBody(body: BodyInput, options?: BodyOptions): Promise<Bytes> {
  return collectBody(resolveBody(body, 'verify'), resolveMaxBodySize(options));
}
