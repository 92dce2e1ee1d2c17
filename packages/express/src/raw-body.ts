/**
 * The raw request bytes the signature is checked against: read by the verifier itself when it runs
 * before the body parsers, or captured by a body-parser `verify` hook when a parser ran first.
 */
import type { IncomingMessage } from 'node:http';

const rawBodyKey = Symbol.for('@httpsig/express/rawBody');

type WithRawBody = IncomingMessage & { [rawBodyKey]?: Uint8Array };

/** The raw body bytes of a request, as read by the verifier or captured by `captureRawBody`. */
export function rawBodyOf(req: IncomingMessage): Uint8Array | undefined {
  return (req as WithRawBody)[rawBodyKey];
}

export function storeRawBody(req: IncomingMessage, bytes: Uint8Array): void {
  Object.defineProperty(req, rawBodyKey, { value: bytes, configurable: true, writable: true });
}

/**
 * A body-parser `verify` hook that keeps the bytes the parser read, for a verifier placed after
 * the parser: `express.json({ verify: captureRawBody })`. body-parser hands the hook the body
 * after content-coding is undone, so a `Content-Digest` over a compressed body will not match.
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buf: Uint8Array): void {
  storeRawBody(req, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

/** Whether something already read the request body (a parser placed before the verifier). */
export function bodyConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || req.readableDidRead || (req as { _body?: unknown })._body === true;
}
