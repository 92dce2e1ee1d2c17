/**
 * Response signing (`signResponses`): every response carries a signature bound to the request
 * it answers and a Content-Digest of the bytes sent, verified here with core and by
 * createSignedFetch. Also the problem responses themselves.
 */
import { Readable } from 'node:stream';
import { verifyMessage } from '@httpsig/core';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys, type Keys, problemOf, signedHeaders, startServer, type TestServer } from './support';

let keys: Keys;
let server: TestServer;

const responsePolicy = () => ({
  keys: { 'server-1': keys.server.publicKey },
  requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
  requireDigest: true,
});

beforeAll(async () => {
  keys = await createKeys();
  server = await startServer(
    {
      keys: { 'client-1': keys.client.publicKey },
      signResponses: { key: keys.server.privateKey },
      debug: true,
    },
    (app) => {
      app.post('/orders', async (request) => ({ received: request.body }));
      app.get('/stream', { config: { httpSignatures: false } }, (_request, reply) => {
        reply.type('text/plain').send(Readable.from(['streamed ', 'response ', 'body']));
      });
      app.get(
        '/unsigned',
        { config: { httpSignatures: { skip: true, signResponses: false } } },
        async () => ({
          plain: true,
        }),
      );
    },
  );
});
afterAll(() => server.close());

/** Verify a fetch response with core, bound to the request that was sent. */
async function verifyResponse(
  response: Response,
  request: { method: string; url: string; headers: Record<string, string> },
  body?: Uint8Array,
) {
  const bytes = body ?? new Uint8Array(await response.arrayBuffer());
  return verifyMessage(
    { status: response.status, headers: response.headers, body: bytes },
    { ...responsePolicy(), request },
  );
}

describe('signResponses', () => {
  it('signs a JSON response to a verified request, verifiable with core', async () => {
    const url = server.url('/orders');
    const body = JSON.stringify({ item: 'book' });
    const headers = await signedHeaders(url, {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const response = await fetch(url, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    const result = await verifyResponse(response, { method: 'POST', url, headers });
    expect(result.keyid).toBe('server-1');
    expect(result.components).toEqual([
      '"@status"',
      '"content-type"',
      '"@method";req',
      '"@target-uri";req',
      '"content-digest"',
    ]);
  });

  it('fails core verification when the response is bound to another request', async () => {
    const url = server.url('/orders');
    const body = '{}';
    const headers = await signedHeaders(url, {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const response = await fetch(url, { method: 'POST', headers, body });
    await expect(
      verifyResponse(response, { method: 'POST', url: server.url('/elsewhere'), headers }),
    ).rejects.toMatchObject({ code: 'ERR_HTTPSIG_INVALID_SIGNATURE' });
  });

  it('is verified by createSignedFetch’s verifyResponse', async () => {
    const signedFetch = createSignedFetch({
      key: keys.client.privateKey,
      nonce: true,
      verifyResponse: responsePolicy(),
    });
    const response = await signedFetch(server.url('/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"n":1}',
    });
    expect(responseSignature(response)?.keyid).toBe('server-1');
    expect(await response.json()).toEqual({ received: { n: 1 } });
  });

  it('buffers a streamed response so that its digest covers the bytes sent', async () => {
    const url = server.url('/stream');
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(bytes).toString()).toBe('streamed response body');
    const result = await verifyResponse(response, { method: 'GET', url, headers: {} }, bytes);
    expect(result.digests).toHaveLength(1);
    await expect(
      verifyResponse(response, { method: 'GET', url, headers: {} }, new TextEncoder().encode('other body')),
    ).rejects.toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
  });

  it('signs refusals too, and the problem is the exact JSON with debug details', async () => {
    const url = server.url('/orders');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'signature-input': 'sig1=("@method");created=1',
        signature: 'sig1=:AAAA:',
      },
      body: '{}',
    });
    expect(response.status).toBe(401);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const problem = JSON.parse(Buffer.from(bytes).toString('utf8'));
    expect(problem).toMatchObject({ status: 401, type: 'about:blank', title: 'Unauthorized' });
    expect(problem.debug.targetUri).toBe(url);
    expect(problem.debug.signatureBase).toContain('"@method": POST');
    await verifyResponse(response, { method: 'POST', url, headers: {} }, bytes);
  });

  it('leaves a route with `signResponses: false` unsigned', async () => {
    const response = await fetch(server.url('/unsigned'));
    expect(response.status).toBe(200);
    expect(response.headers.get('signature')).toBeNull();
    expect(response.headers.get('content-digest')).toBeNull();
  });
});

describe('limits of response signing', () => {
  it('fails a streamed response larger than signResponses.maxBodySize rather than send it unsigned', async () => {
    const small = await startServer(
      {
        keys: { 'client-1': keys.client.publicKey },
        signResponses: { key: keys.server.privateKey, maxBodySize: 8 },
      },
      (app) => {
        app.get('/big', { config: { httpSignatures: false } }, (_request, reply) => {
          reply.send(Readable.from([Buffer.from('more than eight bytes')]));
        });
      },
    );
    const response = await fetch(small.url('/big'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('more than eight bytes');
    await small.close();
  });
});

describe('problem responses', () => {
  it('carry no debug details without the debug option', async () => {
    const plain = await startServer({ keys: { 'client-1': keys.client.publicKey } }, (app) => {
      app.get('/', async () => ({}));
    });
    const response = await fetch(plain.url('/'), {
      headers: { 'signature-input': 'sig1=("@method");created=1', signature: 'sig1=:AAAA:' },
    });
    const problem = await problemOf(response);
    expect(problem.debug).toBeUndefined();
    expect(problem.code).toMatch(/^ERR_HTTPSIG_/);
    await plain.close();
  });
});
