/**
 * `@authority` and `@scheme` behind a proxy: the client signs the public URL, the server is
 * reached on 127.0.0.1 with forwarded fields. They are believed only from trusted proxies; a
 * pinned origin wins over everything; requireTls refuses plain HTTP.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSignaturesOptions } from '../src/index';
import { createKeys, type Keys, problemOf, signedHeaders, startServer, type TestServer } from './support';

let keys: Keys;
let server: TestServer | undefined;
let calls = 0;

beforeAll(async () => {
  keys = await createKeys();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  calls = 0;
});

async function start(options: Partial<HttpSignaturesOptions>): Promise<TestServer> {
  server = await startServer({ keys: { 'client-1': keys.client.publicKey }, ...options }, (app) => {
    app.get('/orders', async () => {
      calls++;
      return { ok: true };
    });
  });
  return server;
}

const publicUrl = 'https://api.example.com/orders?id=7';
const xForwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };

/** Sign for the public URL; send to the local server with `forwarded` headers. */
async function viaProxy(local: TestServer, forwarded: Record<string, string>): Promise<Response> {
  const headers = await signedHeaders(publicUrl, { key: keys.client.privateKey });
  return fetch(local.url('/orders?id=7'), { headers: { ...headers, ...forwarded } });
}

describe('forwarded fields', () => {
  it('are ignored without trustedProxies: the signed public URL does not match', async () => {
    const response = await viaProxy(await start({}), xForwarded);
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(calls).toBe(0);
  });

  it('X-Forwarded-Proto/Host are believed from a trusted proxy', async () => {
    const response = await viaProxy(await start({ trustedProxies: ['127.0.0.1'] }), xForwarded);
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('Forwarded (RFC 7239) is believed from a trusted proxy given as a CIDR range', async () => {
    const response = await viaProxy(await start({ trustedProxies: ['127.0.0.0/8'] }), {
      forwarded: 'for=203.0.113.9;proto=https;host=api.example.com',
    });
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('are ignored when the peer is not one of the trusted proxies', async () => {
    const response = await viaProxy(await start({ trustedProxies: ['10.0.0.0/8'] }), xForwarded);
    expect(response.status).toBe(401);
    expect(calls).toBe(0);
  });
});

describe('a pinned origin', () => {
  it('verifies against the pinned origin whatever Host says', async () => {
    const response = await viaProxy(await start({ origin: 'https://api.example.com' }), {});
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('refuses a signature over the address the server was reached at', async () => {
    const local = await start({ origin: 'https://api.example.com' });
    const headers = await signedHeaders(local.url('/orders?id=7'), { key: keys.client.privateKey });
    const response = await fetch(local.url('/orders?id=7'), { headers });
    expect(response.status).toBe(401);
    expect(calls).toBe(0);
  });
});

describe('requireTls', () => {
  it('refuses a request that came over plain HTTP: 403', async () => {
    const local = await start({ requireTls: true });
    const headers = await signedHeaders(local.url('/orders'), { key: keys.client.privateKey });
    const response = await fetch(local.url('/orders'), { headers });
    expect(response.status).toBe(403);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_TLS_REQUIRED');
    expect(calls).toBe(0);
  });

  it('accepts a request a trusted proxy received over HTTPS', async () => {
    const response = await viaProxy(
      await start({ requireTls: true, trustedProxies: ['127.0.0.1'] }),
      xForwarded,
    );
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });
});
