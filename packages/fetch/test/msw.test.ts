/** createSignedFetch checked through msw handlers with the @httpsig/msw test kit. */
import { generateKey, type HttpSigKey, isHttpSigError } from '@httpsig/core';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { signResponse, withSignature } from '@httpsig/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';

const api = 'https://api.example.test';
let client: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let serverKeys: { privateKey: HttpSigKey; publicKey: HttpSigKey };
const server = setupServer();

beforeAll(async () => {
  client = await generateKey('ed25519', { keyid: 'client-1' });
  serverKeys = await generateKey('ed25519', { keyid: 'server-1' });
  const policy = {
    keys: { 'client-1': client.publicKey },
    requiredComponents: ['@method', '@target-uri', 'content-digest'],
  };
  server.use(
    http.post(
      `${api}/upload`,
      withSignature(policy, async ({ request, signature }) =>
        HttpResponse.json({ components: signature.components, text: await request.text() }),
      ),
    ),
    http.put(
      `${api}/signed`,
      withSignature(policy, ({ request }) =>
        signResponse(HttpResponse.json({ done: true }), {
          key: serverKeys.privateKey,
          components: ['@status', '"@method";req', '"@target-uri";req'],
          request,
        }),
      ),
    ),
  );
  server.listen({ onUnhandledRequest: 'error' });
});
afterAll(() => server.close());

it('a FormData upload verifies inside the handler, boundary included', async () => {
  const form = new FormData();
  form.append('file', new Blob(['data']), 'f.bin');
  const response = await createSignedFetch({ key: client.privateKey })(`${api}/upload`, {
    method: 'POST',
    body: form,
  });
  const result = (await response.json()) as { components: string[]; text: string };
  expect(result.components).toContain('"content-digest"');
  expect(result.text).toContain('filename="f.bin"');
});

it('a JSON request and its signed response both verify', async () => {
  const signedFetch = createSignedFetch({
    key: client.privateKey,
    verifyResponse: {
      keys: { 'server-1': serverKeys.publicKey },
      requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
      requireDigest: true,
    },
  });
  const response = await signedFetch(`${api}/signed`, { method: 'PUT', body: JSON.stringify({ a: 1 }) });
  expect(responseSignature(response)?.keyid).toBe('server-1');
});

it('a response signed with an unknown key rejects the call', async () => {
  const signedFetch = createSignedFetch({
    key: client.privateKey,
    verifyResponse: { keys: {}, requiredComponents: ['@status'] },
  });
  const error = await signedFetch(`${api}/signed`, { method: 'PUT', body: '{}' }).catch((e: unknown) => e);
  expect(isHttpSigError(error, 'ERR_HTTPSIG_UNKNOWN_KEY')).toBe(true);
});
