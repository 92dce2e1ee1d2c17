/** The body of a message, read without consuming it, and whether the message declares one. */
import type { BodyInput } from '../digest/body';
import type { FieldLines } from './fields';
import type { HttpMessage, RequestLike } from './types';

/** A fetch `Request` or `Response` (its body is a stream that a clone can read). */
export function isFetchMessage(message: HttpMessage): message is Request | Response {
  return (
    typeof (message as Request).clone === 'function' && typeof (message as Request).bodyUsed === 'boolean'
  );
}

/**
 * The body to digest. A fetch `Request`/`Response` is cloned so that it can still be sent or read
 * afterwards; a plain message gives its `body` as is.
 */
export function messageBody(message: HttpMessage): BodyInput {
  if (!isFetchMessage(message)) return (message as RequestLike).body as BodyInput;
  if (message.body === null) return undefined;
  if (message.bodyUsed) {
    throw new TypeError('the message body was already read: digest it before reading it');
  }
  return message.clone().body as ReadableStream<Uint8Array>;
}

/** Whether the message has a body (not null/undefined; a fetch message's `body` is not null). */
export function hasBody(message: HttpMessage): boolean {
  const body = isFetchMessage(message) ? message.body : (message as RequestLike).body;
  return body !== undefined && body !== null;
}

/** Size of a body known without reading it, or undefined (streams). */
function knownSize(body: unknown): number | undefined {
  if (typeof body === 'string') return body.length;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof URLSearchParams) return body.toString().length;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.size;
  return undefined;
}

/**
 * Whether the message carries content: a non-empty body, or (whatever body the caller passed)
 * a `Content-Length` above zero or a `Transfer-Encoding`. A stream of unknown length counts unless
 * `Content-Length: 0` says otherwise.
 */
export function declaresBody(message: HttpMessage, fields: FieldLines): boolean {
  const contentLength = fields.get('content-length')?.[0]?.trim();
  if (fields.has('transfer-encoding') || (contentLength !== undefined && contentLength !== '0')) return true;
  if (!hasBody(message)) return false;
  if (isFetchMessage(message)) return contentLength !== '0';
  const size = knownSize((message as RequestLike).body);
  return size === undefined ? contentLength !== '0' : size > 0;
}
