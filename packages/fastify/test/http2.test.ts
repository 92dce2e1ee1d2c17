/**
 * HTTP/2 (`http2: true`, cleartext): `@authority` comes from `:authority`, bodies sent without
 * Content-Length are still read and verified before parsing, and responses are signed.
 */
import {
  type ClientHttp2Session,
  connect,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type IncomingHttpHeaders,
} from 'node:http2';
import { verifyMessage } from '@httpsig/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpSignatures } from '../src/index';
import { createKeys, type Keys, signedHeaders } from './support';

let keys: Keys;
let app: FastifyInstance<Http2Server, Http2ServerRequest, Http2ServerResponse>;
let origin: string;
let session: ClientHttp2Session;
let calls = 0;

beforeAll(async () => {
  keys = await createKeys();
  app = Fastify({ http2: true });
  await app.register(httpSignatures, {
    keys: { 'client-1': keys.client.publicKey },
    signResponses: { key: keys.server.privateKey },
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/orders',
    handler: async (request) => {
      calls++;
      return { keyid: request.signature?.keyid, body: request.body ?? null };
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  session = connect(origin);
});
afterAll(async () => {
  session.close();
  await app.close();
});
beforeEach(() => {
  calls = 0;
});

interface H2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

/** One HTTP/2 request; the body is written as a stream, without Content-Length. */
function h2(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request(
      { ':method': method, ':path': path, ...headers },
      { endStream: body === undefined },
    );
    const chunks: Buffer[] = [];
    let responseHeaders: IncomingHttpHeaders = {};
    stream.on('response', (received) => {
      responseHeaders = received;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () =>
      resolve({
        status: Number(responseHeaders[':status']),
        headers: responseHeaders,
        body: Buffer.concat(chunks),
      }),
    );
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

const json = (response: H2Response) => JSON.parse(Buffer.from(response.body).toString('utf8'));

describe('HTTP/2', () => {
  it('verifies a GET against :authority', async () => {
    const headers = await signedHeaders(`${origin}/orders?x=1`, { key: keys.client.privateKey });
    const response = await h2('GET', '/orders?x=1', headers);
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ keyid: 'client-1', body: null });
  });

  it('refuses a signature made for another authority', async () => {
    const headers = await signedHeaders('http://api.example.com/orders', { key: keys.client.privateKey });
    const response = await h2('GET', '/orders', headers);
    expect(response.status).toBe(401);
    expect(response.headers.connection).toBeUndefined();
    expect(calls).toBe(0);
  });

  it('verifies and parses a JSON body sent without Content-Length', async () => {
    const body = JSON.stringify({ item: 'book' });
    const headers = await signedHeaders(`${origin}/orders`, {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const response = await h2('POST', '/orders', headers, body);
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ keyid: 'client-1', body: { item: 'book' } });
  });

  it('refuses a tampered body sent without Content-Length before parsing it', async () => {
    const headers = await signedHeaders(`${origin}/orders`, {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body: '{"amount":1}',
    });
    const response = await h2('POST', '/orders', headers, '{"amount":9}');
    expect(response.status).toBe(400);
    expect(json(response)).toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(calls).toBe(0);
  });

  it('refuses an unsigned body, and signs the responses', async () => {
    const response = await h2('POST', '/orders', { 'content-type': 'application/json' }, '{}');
    expect(response.status).toBe(401);
    expect(calls).toBe(0);
    const headers = Object.entries(response.headers).filter(
      (entry): entry is [string, string] => !entry[0].startsWith(':') && typeof entry[1] === 'string',
    );
    const result = await verifyMessage(
      { status: response.status, headers, body: response.body },
      {
        keys: { 'server-1': keys.server.publicKey },
        requiredComponents: ['@status', '"@target-uri";req', 'content-digest'],
        request: { method: 'POST', url: `${origin}/orders`, headers: {} },
      },
    );
    expect(result.keyid).toBe('server-1');
  });
});
