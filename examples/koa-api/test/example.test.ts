import { createSignedFetch } from '@httpsig/fetch';
import { expect, it } from 'vitest';
import { createApp } from '../app.js';
import { listen, main, registerClient } from '../index.js';

it('lets each registered client do what its scopes allow, and no more', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'shop-backend: POST 201 {"accepted":{"item":"book","quantity":2},"by":"shop-backend"}; GET 200 {"orders":[],"by":"shop-backend"}',
    'reporting: POST 403 ERR_HTTPSIG_FORBIDDEN; GET 200 {"orders":[],"by":"reporting"}',
    'old-partner: POST 401 ERR_HTTPSIG_UNKNOWN_KEY; GET 401 ERR_HTTPSIG_UNKNOWN_KEY',
  ]);
});

it('a body changed after signing is refused before the body parser and the handler run', async () => {
  const writer = await registerClient('shop-backend', ['read', 'write']);
  const api = await listen(createApp({ registry: new Map([['shop-backend', writer.entry]]) }));
  try {
    const signedFetch = createSignedFetch({
      key: writer.privateKey,
      // Alter the body on the way out, after it was signed.
      fetch: async (input, init) => fetch(new Request(new Request(input, init), { body: '{"item":"car"}' })),
    });
    const response = await signedFetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"item":"book"}',
    });
    expect([response.status, (await response.json()).code]).toEqual([400, 'ERR_HTTPSIG_DIGEST_MISMATCH']);
  } finally {
    await api.close();
  }
});
