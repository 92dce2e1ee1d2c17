/** A Node `IncomingMessage` (HTTP/1.1 or the HTTP/2 compatibility API) as the verifier sees it. */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { IncomingRequestInfo } from '../types';

/**
 * Field lines as received, in order; HTTP/2 pseudo-headers are left out (`:authority` is kept
 * apart). `target` is the request target as received: pass it when a framework rewrote `req.url`
 * (Express routers and mounted apps: `req.originalUrl`).
 */
export function incomingRequestInfo(
  req: IncomingMessage | Http2ServerRequest,
  body: Uint8Array | undefined,
  target: string = req.url ?? '/',
): IncomingRequestInfo {
  const headers: [string, string][] = [];
  let authority: string | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (name === ':authority') authority = value;
    else if (!name.startsWith(':')) headers.push([name, value]);
  }
  const socket = req.socket as { remoteAddress?: string; encrypted?: boolean } | null;
  return {
    method: req.method ?? 'GET',
    target,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(socket?.remoteAddress === undefined ? {} : { remoteAddress: socket.remoteAddress }),
    encrypted: socket?.encrypted === true,
    ...(authority === undefined ? {} : { authority }),
  };
}
