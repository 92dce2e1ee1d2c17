/**
 * Body size: over the verifier's maxBodySize or the route's bodyLimit → 413 problem with
 * `Connection: close`, answered without reading the rest of the body; an unsigned request is
 * refused without waiting for its body at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { head, rawExchange } from './raw-http';
import { createKeys, type Keys, signedHeaders, startServer, type TestServer } from './support';

let keys: Keys;
let server: TestServer;
let port: number;
let calls = 0;

beforeAll(async () => {
  keys = await createKeys();
  server = await startServer({ keys: { 'client-1': keys.client.publicKey }, maxBodySize: 1024 }, (app) => {
    const handler = async () => {
      calls++;
      return { ok: true };
    };
    app.post('/upload', handler);
    app.post('/small', { bodyLimit: 64 }, handler);
    app.post('/open', { bodyLimit: 64, config: { httpSignatures: false } }, handler);
  });
  port = Number(new URL(server.origin).port);
});
afterAll(() => server.close());
beforeEach(() => {
  calls = 0;
});

async function signedHead(path: string, body: string, extra: Record<string, string> = {}): Promise<string> {
  const headers = await signedHeaders(server.url(path), {
    method: 'POST',
    key: keys.client.privateKey,
    headers: { 'content-type': 'text/plain' },
    body,
  });
  return head(`POST ${path} HTTP/1.1`, { host: `127.0.0.1:${port}`, ...headers, ...extra });
}

describe('413', () => {
  it('a declared Content-Length over maxBodySize, answered before the body is sent', async () => {
    const body = 'x'.repeat(2000);
    // Only the head goes out: the answer must not wait for the body.
    const response = await rawExchange(port, await signedHead('/upload', body, { 'content-length': '2000' }));
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status: 413, code: 'ERR_HTTPSIG_BODY_TOO_LARGE' });
    expect(calls).toBe(0);
  });

  it('a chunked body that grows past maxBodySize', async () => {
    const body = 'x'.repeat(3000);
    const chunked = `${(1500).toString(16)}\r\n${'x'.repeat(1500)}\r\n`.repeat(2);
    const response = await rawExchange(
      port,
      await signedHead('/upload', body, { 'transfer-encoding': 'chunked' }),
      `${chunked}0\r\n\r\n`,
    );
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(calls).toBe(0);
  });

  it('a body over the route’s bodyLimit (smaller than maxBodySize)', async () => {
    const body = 'y'.repeat(100);
    const response = await fetch(server.url('/small'), {
      method: 'POST',
      headers: await signedHeaders(server.url('/small'), {
        method: 'POST',
        key: keys.client.privateKey,
        headers: { 'content-type': 'text/plain' },
        body,
      }),
      body,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'ERR_HTTPSIG_BODY_TOO_LARGE' });
    expect(calls).toBe(0);
  });

  it('leaves an unverified route to Fastify’s own bodyLimit error', async () => {
    const response = await fetch(server.url('/open'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'z'.repeat(100),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(calls).toBe(0);
  });

  it('accepts a body of exactly maxBodySize', async () => {
    const body = 'x'.repeat(1024);
    const headers = await signedHeaders(server.url('/upload'), {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'text/plain' },
      body,
    });
    const response = await fetch(server.url('/upload'), { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });
});

describe('an unsigned request with a body', () => {
  it('is refused with Connection: close without waiting for its body', async () => {
    const response = await rawExchange(
      port,
      head('POST /upload HTTP/1.1', {
        host: `127.0.0.1:${port}`,
        'content-type': 'text/plain',
        'content-length': 500,
      }),
      'only the first bytes',
    );
    expect(response.status).toBe(401);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(response.body)).toMatchObject({ code: 'ERR_HTTPSIG_MISSING_SIGNATURE' });
    expect(calls).toBe(0);
  });
});
