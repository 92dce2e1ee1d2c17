/**
 * Signed axios requests checked inside msw handlers with @httpsig/msw, as an integrator's test
 * suite would: no server, the handler verifies what the http adapter sent.
 */
import { createSigningAdapter, withSignatures } from '@httpsig/axios';
import { generateKey, type HttpSigKey, type VerifyOptions } from '@httpsig/core';
import { withSignature } from '@httpsig/msw';
import axios from 'axios';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const api = 'https://api.example.test';
let key: HttpSigKey;
let policy: VerifyOptions;

const server = setupServer(
  http.post(
    `${api}/orders`,
    withSignature(
      {
        get keys() {
          return policy.keys;
        },
        requiredComponents: ['@method', '@target-uri', 'content-digest'],
      },
      async ({ request, signature }) =>
        HttpResponse.json({ order: await request.json(), components: signature.components }),
    ),
  ),
  http.post(
    `${api}/files`,
    withSignature(
      {
        get keys() {
          return policy.keys;
        },
        requiredComponents: ['@method', '@target-uri', 'content-type', 'content-digest'],
      },
      async ({ request, signature }) => {
        const form = await request.formData();
        const file = form.get('file') as File;
        return HttpResponse.json({
          field: form.get('field'),
          file: { name: file.name, text: await file.text() },
          keyid: signature.keyid,
        });
      },
    ),
  ),
);

beforeAll(async () => {
  const pair = await generateKey('ed25519', { keyid: 'client-1' });
  key = pair.privateKey;
  policy = { keys: { 'client-1': pair.publicKey }, requiredComponents: [] };
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('msw handlers guarded by withSignature', () => {
  it('JSON', async () => {
    const client = withSignatures(axios.create({ baseURL: api }), { key });
    const response = await client.post('/orders', { item: 'thé', qty: 2 });
    expect(response.data).toEqual({
      order: { item: 'thé', qty: 2 },
      components: ['"@method"', '"@target-uri"', '"content-type"', '"content-digest"'],
    });
  });

  it('FormData with a file', async () => {
    const client = axios.create({ baseURL: api, adapter: createSigningAdapter({ key }) });
    const form = new FormData();
    form.append('field', 'value');
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const response = await client.post('/files', form);
    expect(response.data).toEqual({
      field: 'value',
      file: { name: 'hello.txt', text: 'hello' },
      keyid: 'client-1',
    });
  });

  it('an unsigned request is answered 401 by the handler', async () => {
    const failure = await axios.post(`${api}/orders`, { item: 'x' }).catch((error: unknown) => error);
    expect(axios.isAxiosError(failure)).toBe(true);
    expect(axios.isAxiosError(failure) && failure.response?.status).toBe(401);
    expect(axios.isAxiosError(failure) && failure.response?.data).toMatchObject({
      code: 'ERR_HTTPSIG_MISSING_SIGNATURE',
    });
  });
});
