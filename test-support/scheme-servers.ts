/**
 * Two kinds of verifying server on 127.0.0.1 for the double-knock tests of every client: one
 * accepts only draft-cavage-12 signatures, the other only RFC 9421. Each request is counted with
 * the scheme it carried; a refusal is a problem+json with the error's code and status.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  generateKey,
  type HttpSigKey,
  httpStatusForError,
  isHttpSigError,
  type RequestLike,
  type SignatureScheme,
  verifyCavage,
  verifyMessage,
} from '@httpsig/core';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface SchemeServer {
  url: string;
  /** The scheme each request arrived with, in order. */
  seen: SignatureScheme[];
  close(): Promise<void>;
}

function schemeOf(request: IncomingMessage): SignatureScheme {
  return request.headers['signature-input'] === undefined ? 'cavage' : 'rfc9421';
}

/** A server that accepts `accepts` signatures by `keyid` → key, and answers `{ verified, body }`. */
export async function startSchemeServer(
  accepts: SignatureScheme,
  keys: Record<string, HttpSigKey>,
): Promise<SchemeServer> {
  const seen: SignatureScheme[] = [];
  let port = 0;
  const server: Server = createServer(async (request, response) => {
    seen.push(schemeOf(request));
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: [string, string][] = [];
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      headers.push([request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string]);
    }
    const message: RequestLike = {
      method: request.method ?? 'GET',
      url: `http://127.0.0.1:${port}${request.url}`,
      headers,
      ...(body.length === 0 ? {} : { body: new Uint8Array(body) }),
    };
    try {
      if (accepts === 'cavage') await verifyCavage(message, { keys });
      else await verifyMessage(message, { keys, requiredComponents: ['@method', '@target-uri'] });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ verified: accepts, body: body.toString('utf8') }));
    } catch (error) {
      // Anything else is a bug of the test: answer 500 rather than leave the client hanging.
      const code = isHttpSigError(error) ? error.code : 'INTERNAL';
      const status = isHttpSigError(error) ? (httpStatusForError[error.code] ?? 400) : 500;
      response.writeHead(status, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ status, code }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface SchemeServers {
  /** The client's private key, keyid `client-1`. */
  clientKey: HttpSigKey;
  cavage: SchemeServer;
  rfc9421: SchemeServer;
}

/**
 * For a test file: a client key and one server of each kind, started before its tests and
 * closed after them, with their `seen` lists emptied before each test. Read it inside tests.
 */
export function useSchemeServers(): SchemeServers {
  const fixture = {} as SchemeServers;
  beforeAll(async () => {
    const pair = await generateKey('ed25519', { keyid: 'client-1' });
    fixture.clientKey = pair.privateKey;
    fixture.cavage = await startSchemeServer('cavage', { 'client-1': pair.publicKey });
    fixture.rfc9421 = await startSchemeServer('rfc9421', { 'client-1': pair.publicKey });
  });
  afterAll(async () => {
    await fixture.cavage?.close();
    await fixture.rfc9421?.close();
  });
  beforeEach(() => {
    fixture.cavage.seen.length = 0;
    fixture.rfc9421.seen.length = 0;
  });
  return fixture;
}
