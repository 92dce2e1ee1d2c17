/**
 * Holding a response back until it is complete: `writeHead`, `write` and `end` are intercepted,
 * the body is buffered (bounded), and the head and body go out together once `finish` has set
 * the signature fields. Past the limit the response streams on as it was, unsigned.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface BufferHooks {
  /** Called with the complete body before anything is sent; may set headers. */
  finish(body: Uint8Array): Promise<void>;
  /** The body passed the limit: the response goes out unsigned. */
  overflow(): void;
  /** `finish` failed: nothing was sent yet, so the response can still be replaced. */
  failed(error: unknown): void;
}

type Callback = (error?: Error | null) => void;

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === 'string')
    return Buffer.from(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8');
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('The response body chunk must be a string, a Buffer or a Uint8Array');
}

/** Apply `writeHead(status, [message], headers)` to the response without sending anything. */
function recordHead(res: ServerResponse, args: unknown[]): void {
  const [status, second, third] = args;
  res.statusCode = status as number;
  const headers = typeof second === 'string' ? third : second;
  if (typeof second === 'string') res.statusMessage = second;
  if (Array.isArray(headers)) {
    // A flat [name, value, name, value] list; repeated names keep every value.
    const values = new Map<string, string[]>();
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = String(headers[i]).toLowerCase();
      values.set(name, [...(values.get(name) ?? []), String(headers[i + 1])]);
    }
    for (const [name, list] of values) res.setHeader(name, list.length === 1 ? (list[0] as string) : list);
  } else if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
      if (value !== undefined) res.setHeader(name, value);
    }
  }
}

export function bufferResponse(res: ServerResponse, limit: number, hooks: BufferHooks): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  type Loose<R> = (this: ServerResponse, ...args: unknown[]) => R;
  const send = { write: res.write as Loose<boolean>, end: res.end as Loose<ServerResponse> };
  let chunks: Buffer[] = [];
  let size = 0;
  let ending = false;

  const restore = () => {
    res.writeHead = original.writeHead;
    res.write = original.write;
    res.end = original.end;
  };
  /** Past the limit: send what was held and let the rest stream. */
  const passThrough = () => {
    restore();
    hooks.overflow();
    const held = Buffer.concat(chunks);
    chunks = [];
    if (held.length > 0) send.write.call(res, held);
  };
  /** Hold a chunk; false when it passed the limit (and the response now streams). */
  const hold = (chunk: unknown, encoding: unknown): Buffer | undefined => {
    const buffer = toBuffer(chunk, encoding);
    size += buffer.length;
    if (size > limit) {
      passThrough();
      return buffer;
    }
    chunks.push(buffer);
    return undefined;
  };

  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    recordHead(res, args);
    return res;
  } as ServerResponse['writeHead'];

  res.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown) {
    const cb = (typeof encoding === 'function' ? encoding : callback) as Callback | undefined;
    const enc = typeof encoding === 'function' ? undefined : encoding;
    const overflowed = hold(chunk, enc);
    if (overflowed) return send.write.call(res, overflowed, cb as Callback);
    if (cb) process.nextTick(cb);
    return true;
  } as ServerResponse['write'];

  res.end = function end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
    let cb = callback as Callback | undefined;
    let data = chunk;
    let enc = encoding;
    if (typeof data === 'function') {
      cb = data as Callback;
      data = undefined;
    } else if (typeof enc === 'function') {
      cb = enc as Callback;
      enc = undefined;
    }
    if (ending) return res;
    if (data !== undefined && data !== null) {
      const overflowed = hold(data, enc);
      if (overflowed) return send.end.call(res, overflowed, cb);
    }
    ending = true;
    const body = Buffer.concat(chunks);
    chunks = [];
    hooks.finish(body).then(
      () => {
        restore();
        send.end.call(res, body, cb);
      },
      (error: unknown) => {
        restore();
        hooks.failed(error);
      },
    );
    return res;
  } as ServerResponse['end'];
}
