/**
 * Double-knock for `signedRequest`: RFC 9421 first and, when the server refuses the scheme, once
 * more with cavage. The body is read up front so that both requests carry the same bytes.
 */
import { IncomingMessage } from 'node:http';
import {
  isProblemType,
  readBody,
  refusesScheme,
  type SchemeSigner,
  type SignatureScheme,
} from '@httpsig/core';
import { fixedBytes } from './body';
import type { SignedRequestOptions } from './http';

/** The largest 400 answer read to find out whether it refuses the scheme. */
const maxProblemSize = 64 * 1024;

/** `scheme://host[:port]` of request options, as `URL.origin` writes it. */
export function originOf(options: SignedRequestOptions): string {
  const protocol = options.protocol ?? 'http:';
  const hostname = options.hostname ?? options.host ?? 'localhost';
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  const port = options.port === undefined || options.port === null ? '' : `:${options.port}`;
  return new URL(`${protocol}//${host}${port}`).origin;
}

/** A body that can be sent twice: a read-once stream becomes its bytes (up to `maxBodySize`). */
async function replayableBody(
  body: SignedRequestOptions['body'],
  maxBodySize: number | undefined,
): Promise<SignedRequestOptions['body']> {
  if (body === undefined || body === null || fixedBytes(body) !== undefined) return body;
  if (body instanceof URLSearchParams || body instanceof FormData) return body;
  return readBody(body as AsyncIterable<Uint8Array>, maxBodySize === undefined ? {} : { maxBodySize });
}

/**
 * Read at most `max` bytes of a response. When it has more, what was read is put back and the
 * stream left paused, unread, for the caller.
 */
function readUpTo(response: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      response.off('data', onData);
      response.off('end', onEnd);
      response.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= max) return;
      stop();
      response.pause();
      response.unshift(Buffer.concat(chunks));
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    response.on('data', onData);
    response.on('end', onEnd);
    response.on('error', onError);
  });
}

/**
 * Whether the response refuses the scheme. A 400 problem is read (up to 64 KiB) to see its code;
 * the response handed on then replays the bytes read.
 */
async function inspect(response: IncomingMessage): Promise<{ refused: boolean; response: IncomingMessage }> {
  const status = response.statusCode ?? 0;
  if (status !== 400 || !isProblemType(response.headers['content-type'])) {
    return { refused: refusesScheme(status), response };
  }
  const bytes = await readUpTo(response, maxProblemSize);
  if (bytes === undefined) return { refused: false, response };
  let problem: unknown;
  try {
    problem = JSON.parse(bytes.toString('utf8'));
  } catch {
    problem = undefined;
  }
  return { refused: refusesScheme(400, problem), response: replay(response, bytes) };
}

/** A response with the same status and fields whose body is `bytes` again. */
function replay(original: IncomingMessage, bytes: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket as NonNullable<IncomingMessage['socket']>);
  Object.assign(copy, {
    statusCode: original.statusCode,
    statusMessage: original.statusMessage,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    headers: original.headers,
    rawHeaders: original.rawHeaders,
    trailers: original.trailers,
    rawTrailers: original.rawTrailers,
    complete: true,
  });
  copy.push(bytes);
  copy.push(null);
  return copy;
}

export async function knockTwice(
  schemes: SchemeSigner,
  origin: string,
  options: SignedRequestOptions,
  maxBodySize: number | undefined,
  sendWith: (scheme: SignatureScheme, options: SignedRequestOptions) => Promise<IncomingMessage>,
): Promise<IncomingMessage> {
  const body = await replayableBody(options.body, maxBodySize);
  const request = body === undefined ? options : { ...options, body };
  const scheme = schemes.first(origin);
  const first = await inspect(await sendWith(scheme, request));
  const retry = schemes.retry(scheme);
  if (!first.refused || retry === undefined) {
    if (!first.refused) schemes.learn(origin, scheme);
    return first.response;
  }
  first.response.resume();
  const second = await inspect(await sendWith(retry, request));
  if (!second.refused) schemes.learn(origin, retry);
  return second.response;
}
