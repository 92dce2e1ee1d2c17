import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { expect, it } from 'vitest';
import { createApp } from '../app.js';
import { main, throughProxy } from '../index.js';
import { startProxy } from '../proxy.js';

it('accepts requests signed for the public https origin through the trusted proxy, with either rotating key', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'signed with the previous key: 201 {"accepted":{"item":"book","quantity":2},"by":"client-1"}',
    'signed with the current key: 201 {"accepted":{"item":"book","quantity":2},"by":"client-1"}',
    'the same request to an API that does not trust the proxy: 403 ERR_HTTPSIG_TLS_REQUIRED',
    "signed for the API's own address, bypassing the proxy: 403 ERR_HTTPSIG_TLS_REQUIRED",
  ]);
});

it('refuses a signature made for another host, and leaves the unsigned health route open', async () => {
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
  const app = await createApp({ keys: { 'client-1': publicKey }, trustedProxies: ['127.0.0.1'] });
  const upstream = await app.listen({ host: '127.0.0.1', port: 0 });
  const proxy = await startProxy({ upstream, publicHost: 'api.example.com' });
  try {
    const signedFetch = createSignedFetch({ key: privateKey, fetch: throughProxy(proxy.url) });
    const elsewhere = await signedFetch('https://other.example.com/orders', { method: 'POST', body: '{}' });
    expect([elsewhere.status, (await elsewhere.json()).code]).toEqual([401, 'ERR_HTTPSIG_INVALID_SIGNATURE']);
    const health = await fetch(`${proxy.url}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  } finally {
    await proxy.close();
    await app.close();
  }
});
