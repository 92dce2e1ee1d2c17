/** `fastify.inject` (light-my-request) goes through the same hooks, so tests of apps can use it. */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSignatures } from '../src/index';
import { createKeys, type Keys, signedHeaders } from './support';

let keys: Keys;
const app = Fastify();

beforeAll(async () => {
  keys = await createKeys();
  await app.register(httpSignatures, {
    keys: { 'client-1': keys.client.publicKey },
    origin: 'http://localhost',
  });
  app.post('/orders', async (request) => ({ keyid: request.signature?.keyid, body: request.body }));
});
afterAll(() => app.close());

describe('inject', () => {
  it('verifies a signed injected request', async () => {
    const body = JSON.stringify({ item: 'book' });
    const headers = await signedHeaders('http://localhost/orders', {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const response = await app.inject({ method: 'POST', url: '/orders', headers, payload: body });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ keyid: 'client-1', body: { item: 'book' } });
  });

  it('refuses an injected request whose body was changed', async () => {
    const headers = await signedHeaders('http://localhost/orders', {
      method: 'POST',
      key: keys.client.privateKey,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    const response = await app.inject({ method: 'POST', url: '/orders', headers, payload: '{"a":2}' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
  });
});
