/**
 * A real Fastify server on 127.0.0.1: requests signed with core and with createSignedFetch reach
 * the handler with `request.signature`; every tampering and every failure is refused with its
 * status and code before the handler runs.
 */
import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeys, type Keys, problemOf, sendSigned, startServer, type TestServer } from './support';

let keys: Keys;
let server: TestServer;
let calls = 0;

beforeAll(async () => {
  keys = await createKeys();
  server = await startServer({ keys: { 'client-1': keys.client.publicKey } }, (app) => {
    const handler = async (request: import('fastify').FastifyRequest) => {
      calls++;
      return {
        keyid: request.signature?.keyid,
        components: request.signature?.components,
        body: request.body ?? null,
      };
    };
    app.route({ method: ['GET', 'POST', 'PUT', 'DELETE'], url: '/orders', handler });
    app.get('/other', handler);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  calls = 0;
});

describe('accepted', () => {
  it('runs the handler with the verified signature for a GET signed with core', async () => {
    const response = await sendSigned(server.url('/orders?id=1'), { key: keys.client.privateKey });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      keyid: 'client-1',
      components: ['"@method"', '"@target-uri"'],
    });
    expect(calls).toBe(1);
  });

  it('runs the handler for a JSON POST signed by createSignedFetch', async () => {
    const signedFetch = createSignedFetch({ key: keys.client.privateKey, nonce: true });
    const response = await signedFetch(server.url('/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', qty: 2 }),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { body: unknown; components: string[] };
    expect(result.body).toEqual({ item: 'book', qty: 2 });
    expect(result.components).toContain('"content-digest"');
    expect(calls).toBe(1);
  });
});

describe('refused before the handler runs', () => {
  async function expectRefused(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect((await problemOf(response)).code).toBe(code);
    expect(calls).toBe(0);
  }

  it('a missing signature: 401 with Accept-Signature saying what to sign', async () => {
    const response = await fetch(server.url('/orders'));
    // A GET has no content to digest, so the hint does not ask for content-digest.
    expect(response.headers.get('accept-signature')).toBe(
      'sig1=("@method" "@target-uri");created;nonce;keyid',
    );
    await expectRefused(response, 401, 'ERR_HTTPSIG_MISSING_SIGNATURE');
    const post = await fetch(server.url('/orders'), { method: 'POST', body: '{}' });
    expect(post.headers.get('accept-signature')).toBe(
      'sig1=("@method" "@target-uri" "content-digest");created;nonce;keyid',
    );
  });

  it('a tampered method', async () => {
    const body = JSON.stringify({ a: 1 });
    const init = {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body,
    };
    await expectRefused(
      await sendSigned(server.url('/orders'), init, { method: 'PUT' }),
      401,
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    );
  });

  it('a tampered path', async () => {
    const response = await sendSigned(
      server.url('/orders'),
      { key: keys.client.privateKey },
      { url: server.url('/other') },
    );
    await expectRefused(response, 401, 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('a tampered query', async () => {
    const response = await sendSigned(
      server.url('/orders?id=1'),
      { key: keys.client.privateKey },
      { url: server.url('/orders?id=2') },
    );
    await expectRefused(response, 401, 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('a tampered covered header', async () => {
    const response = await sendSigned(
      server.url('/orders'),
      {
        key: keys.client.privateKey,
        headers: { 'x-account': 'alice' },
        components: ['@method', '@target-uri', 'x-account'],
      },
      { headers: { 'x-account': 'mallory' } },
    );
    await expectRefused(response, 401, 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('a tampered body of the same length', async () => {
    const init = {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body: '{"amount":100}',
    };
    const response = await sendSigned(server.url('/orders'), init, { body: '{"amount":999}' });
    await expectRefused(response, 400, 'ERR_HTTPSIG_DIGEST_MISMATCH');
  });

  it('a body the signature does not cover', async () => {
    const response = await sendSigned(
      server.url('/orders'),
      { method: 'POST', key: keys.client.privateKey },
      { body: 'added later', headers: { 'content-type': 'text/plain' } },
    );
    await expectRefused(response, 401, 'ERR_HTTPSIG_POLICY');
  });

  it('an expired signature', async () => {
    const created = Math.floor(Date.now() / 1000) - 3600;
    const response = await sendSigned(server.url('/orders'), {
      key: keys.client.privateKey,
      params: { created, nonce: true, keyid: 'client-1' },
    });
    await expectRefused(response, 401, 'ERR_HTTPSIG_EXPIRED');
  });

  it('a signature created in the future', async () => {
    const created = Math.floor(Date.now() / 1000) + 3600;
    const response = await sendSigned(server.url('/orders'), {
      key: keys.client.privateKey,
      params: { created, nonce: true, keyid: 'client-1' },
    });
    await expectRefused(response, 401, 'ERR_HTTPSIG_NOT_YET_VALID');
  });

  it('an unknown key', async () => {
    const stranger = await generateKey('ed25519', { keyid: 'stranger' });
    const response = await sendSigned(server.url('/orders'), { key: stranger.privateKey });
    await expectRefused(response, 401, 'ERR_HTTPSIG_UNKNOWN_KEY');
  });

  it('an algorithm other than the key’s', async () => {
    const other = await generateKey('ecdsa-p256-sha256', { keyid: 'client-1' });
    const response = await sendSigned(server.url('/orders'), {
      key: other.privateKey,
      params: { created: true, nonce: true, keyid: 'client-1', alg: 'ecdsa-p256-sha256' },
    });
    await expectRefused(response, 401, 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('a replayed request (same nonce)', async () => {
    const url = server.url('/orders');
    const { signedHeaders } = await import('./support');
    const headers = await signedHeaders(url, { key: keys.client.privateKey });
    expect((await fetch(url, { headers })).status).toBe(200);
    expect(calls).toBe(1);
    calls = 0;
    await expectRefused(await fetch(url, { headers }), 401, 'ERR_HTTPSIG_REPLAY');
  });

  it('a signature without a nonce while the replay store needs one', async () => {
    const response = await sendSigned(server.url('/orders'), {
      key: keys.client.privateKey,
      params: { created: true, keyid: 'client-1' },
    });
    await expectRefused(response, 401, 'ERR_HTTPSIG_POLICY');
  });

  it('a malformed Signature-Input', async () => {
    const response = await fetch(server.url('/orders'), {
      headers: { 'signature-input': 'sig1=(', signature: 'sig1=:AAAA:' },
    });
    await expectRefused(response, 400, 'ERR_HTTPSIG_PARSE');
  });
});
