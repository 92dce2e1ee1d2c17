/**
 * The request body as the exact bytes to sign and to send. Axios's adapters would otherwise
 * serialize some bodies themselves (a FormData with their own boundary, a Blob, a stream), out
 * of reach of the signature.
 */
import { type Bytes, readBody } from '@httpsig/core';

export interface OutgoingBody {
  readonly bytes: Bytes;
  /** The Content-Type these bytes need (a multipart boundary, a Blob's type): it replaces any other. */
  readonly contentType?: string;
  /** The Content-Type to send when the request has none. */
  readonly defaultContentType?: string;
}

/**
 * A classic (pre-streams3) Node stream, not async-iterable: the `form-data` package that axios
 * uses for `postForm` in Node is one, with its own multipart boundary in `getHeaders()`.
 */
interface ClassicStream {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  resume(): unknown;
  destroy?(): unknown;
  getHeaders?(): Record<string, string | undefined>;
}

function isClassicStream(data: object): data is ClassicStream {
  const stream = data as Partial<ClassicStream> & { pipe?: unknown };
  return (
    typeof stream.pipe === 'function' &&
    typeof stream.on === 'function' &&
    typeof stream.resume === 'function' &&
    typeof (data as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function'
  );
}

/** The `form-data` package's stream: it must be read for its bytes, its boundary is in its headers. */
function isLegacyFormData(data: object): boolean {
  return isClassicStream(data) && typeof data.getHeaders === 'function';
}

function isFormData(data: object): data is FormData {
  return typeof FormData !== 'undefined' && data instanceof FormData;
}

function isBlob(data: object): data is Blob {
  return typeof Blob !== 'undefined' && data instanceof Blob;
}

/** A stream nobody has read yet, whose bytes are only needed for a digest. */
export function isStreamBody(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || isLegacyFormData(data)) return false;
  return (
    typeof (data as Partial<ReadableStream>).getReader === 'function' ||
    typeof (data as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function' ||
    isClassicStream(data)
  );
}

/** A classic stream's chunks as a web stream, which the body reader bounds by maxBodySize. */
function classicStreamChunks(stream: ClassicStream): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      stream.on('data', (chunk) => {
        controller.enqueue(
          typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk as Uint8Array),
        );
      });
      stream.on('end', () => controller.close());
      stream.on('error', (error) => controller.error(error));
      stream.resume();
    },
    cancel() {
      stream.destroy?.();
    },
  });
}

/**
 * Read `data` (as axios's transformRequest left it) into bytes, at most `maxBodySize`.
 * FormData is encoded by the runtime's own multipart encoder, the one fetch uses.
 */
export async function readOutgoingBody(
  data: unknown,
  maxBodySize: number | undefined,
): Promise<OutgoingBody> {
  const limit = maxBodySize === undefined ? {} : { maxBodySize };
  if (typeof data === 'object' && data !== null) {
    if (isFormData(data)) {
      const encoded = new Response(data);
      const contentType = encoded.headers.get('content-type');
      return { bytes: await readBody(encoded.body, limit), ...(contentType ? { contentType } : {}) };
    }
    if (isClassicStream(data)) {
      const contentType = data.getHeaders?.()['content-type'];
      return {
        bytes: await readBody(classicStreamChunks(data), limit),
        ...(contentType ? { contentType } : {}),
      };
    }
    if (isBlob(data)) {
      return { bytes: await readBody(data, limit), ...(data.type ? { contentType: data.type } : {}) };
    }
    if (data instanceof URLSearchParams) {
      return {
        bytes: await readBody(data, limit),
        defaultContentType: 'application/x-www-form-urlencoded;charset=utf-8',
      };
    }
  }
  // Strings (UTF-8), bytes, web and Node streams; anything else is refused with a TypeError.
  return { bytes: await readBody(data as Parameters<typeof readBody>[0], limit) };
}

/** The bytes as an ArrayBuffer of exactly their length: the one binary type every adapter sends as is. */
export function toArrayBuffer(bytes: Bytes): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer;
  return bytes.slice().buffer;
}
