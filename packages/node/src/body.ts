/** Request bodies: what is digested and sent, the bytes known before signing, and cleanup after a failure. */
import type { Readable } from 'node:stream';

/** A request body for node:http. A `Readable` (or any async iterable) is read once, bounded by `maxBodySize`. */
export type NodeRequestBody =
  | string
  | Uint8Array
  | URLSearchParams
  | FormData
  | Readable
  | AsyncIterable<Uint8Array | string>;

/** A body ready to sign: the value to digest and send, and the content type it implies. */
export interface PreparedBody {
  readonly body: unknown;
  readonly contentType?: string;
}

/** FormData from any implementation (undici's own differs from the global one on Node 20). */
function isFormDataLike(value: unknown): value is FormData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData' &&
    typeof (value as FormData).append === 'function' &&
    typeof (value as FormData).entries === 'function'
  );
}

/** The global `Response` only encodes the global `FormData`: another implementation's entries are copied. */
function globalFormData(form: FormData): FormData {
  // TypeScript narrows the rest to never, but undici's FormData does get past this check.
  if (form instanceof FormData) return form;
  const copy = new FormData();
  for (const [name, value] of (form as FormData).entries()) {
    if (typeof value === 'string') copy.append(name, value);
    else copy.append(name, value, value.name);
  }
  return copy;
}

/** An async iterable that is neither a Node stream nor a web stream (a generator, such as fetch's body). */
function isPlainAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' &&
    typeof (value as Readable).destroy !== 'function' &&
    typeof (value as ReadableStream).getReader !== 'function'
  );
}

/**
 * The same iteration, but stopping early does not wait for the source to stop. fetch's
 * request-body generator stops by cancelling one branch of a tee, which never settles: waiting
 * would hang a body refused at `maxBodySize` instead of failing the request.
 */
function unawaitedReturn<T>(iterable: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        next: () => iterator.next(),
        return: (value?: unknown) => {
          iterator.return?.(value).catch(() => undefined);
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}

/**
 * Give a body its wire form before signing, so that its content type is a field when the
 * components are chosen (and covered by default): FormData becomes the multipart stream fetch
 * would send, with its boundary; URLSearchParams becomes its text.
 */
export function prepareBody(body: unknown): PreparedBody {
  if (body instanceof URLSearchParams) {
    return { body: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (isFormDataLike(body)) {
    const encoded = new Response(globalFormData(body));
    const contentType = encoded.headers.get('content-type');
    return { body: encoded.body, ...(contentType === null ? {} : { contentType }) };
  }
  if (isPlainAsyncIterable(body)) return { body: unawaitedReturn(body) };
  return { body };
}

/** The bytes of a body whose content is known without reading it. */
export function fixedBytes(body: unknown): Uint8Array | undefined {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  return undefined;
}

/**
 * Release a body that will not be sent: a Node stream is destroyed and a web stream cancelled,
 * so that files and sockets behind them are closed (core already stops a stream it was reading).
 */
export function discardBody(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const stream = body as Partial<Readable>;
  if (typeof stream.destroy === 'function' && typeof stream.on === 'function') {
    if (!stream.destroyed) stream.destroy();
    return;
  }
  const web = body as Partial<ReadableStream>;
  if (typeof web.getReader === 'function' && typeof web.cancel === 'function' && !web.locked) {
    web.cancel().catch(() => undefined);
  }
}
