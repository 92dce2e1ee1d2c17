import { generateKey, signMessage } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { expect, it } from 'vitest';
import { createApp } from '../app.js';
import { main } from '../index.js';

it('runs the API on Node: the signed order is accepted and answered with a signed response', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    '201 {"accepted":{"item":"book","quantity":2},"by":"client-1"}',
    'response signed by api-1',
    'unsigned request: 401 ERR_HTTPSIG_MISSING_SIGNATURE',
  ]);
});

it('the same app refuses a replay and a changed body (through app.request, as on Workers)', async () => {
  const client = await generateKey('ed25519', { keyid: 'c' });
  const server = await generateKey('ed25519', { keyid: 's' });
  const app = createApp({ keys: { c: client.publicKey }, serverKey: server.privateKey });
  const sent: Request[] = [];
  const signedFetch = createSignedFetch({
    key: client.privateKey,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sent.push(request.clone());
      return app.request(request);
    },
  });
  expect(
    (await signedFetch('https://api.example.com/orders', { method: 'POST', body: '{"n":1}' })).status,
  ).toBe(201);
  const original = sent[0] as Request;
  expect(await (await app.request(original.clone())).json()).toMatchObject({ code: 'ERR_HTTPSIG_REPLAY' });
  const changed = new Request(original, { body: '{"n":2}' });
  expect(await (await app.request(changed)).json()).toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
  // A request signed without a nonce cannot be protected from replay, so it is refused.
  const bare = new Request('https://api.example.com/orders', { method: 'POST', body: '{}' });
  const signed = await signMessage(bare, { key: client.privateKey, components: ['@method', '@target-uri'] });
  for (const [name, value] of Object.entries(signed.headers)) bare.headers.set(name, value);
  expect(await (await app.request(bare)).json()).toMatchObject({ code: 'ERR_HTTPSIG_POLICY' });
});
