/**
 * The request body as received: read once from the payload stream, bounded, then handed on to
 * Fastify's content-type parsers as a fresh stream of the same bytes (never re-serialized).
 */
import { Readable } from 'node:stream';
import { HttpSigError } from '@httpsig/core';

export function bodyTooLarge(limit: number): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_BODY_TOO_LARGE',
    `The request body is larger than the ${limit}-byte limit`,
  );
}

/**
 * Read the whole stream, refusing with `ERR_HTTPSIG_BODY_TOO_LARGE` as soon as it passes
 * `limit` bytes. Reading then stops without destroying the stream (which would reset the
 * connection before the 413 is written); the answer closes the connection instead.
 */
export function readPayload(stream: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // Already read to its end by someone else: nothing is left to verify (and 'end' will not come again).
    if ((stream as NodeJS.ReadableStream & { readableEnded?: boolean }).readableEnded === true) {
      resolve(new Uint8Array());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    function onData(chunk: Buffer | string) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        stop();
        stream.pause();
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(buffer);
    }
    function onEnd() {
      stop();
      resolve(new Uint8Array(Buffer.concat(chunks, size)));
    }
    function onError(error: Error) {
      stop();
      reject(error);
    }
    function onClose() {
      // Closed before the end: the client went away mid-body.
      stop();
      reject(new Error('The request was closed before its body was complete'));
    }
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

/** A stream of exactly `bytes`, as Fastify expects a preParsing hook to return it. */
export function payloadStream(bytes: Uint8Array): Readable & { receivedEncodedLength: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stream = Readable.from(buffer.length === 0 ? [] : [buffer], { objectMode: false });
  // Fastify compares this with Content-Length and with bodyLimit (bytes as received on the wire).
  return Object.assign(stream, { receivedEncodedLength: buffer.length });
}
