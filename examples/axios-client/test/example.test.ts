import { withSignatures } from '@httpsig/axios';
import { generateKey } from '@httpsig/core';
import axios from 'axios';
import { expect, it } from 'vitest';
import { startApi } from '../api.js';
import { main } from '../index.js';

it('signs a JSON POST and a GET with params, and the API verifies both', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'POST /orders: 200, verified from client-1 covering "@method" "@target-uri" "content-type" "content-digest"',
    'the API received {"item":"book","quantity":2}',
    'GET /orders with params: 200, verified from client-1 covering "@method" "@target-uri"',
    'unsigned GET: 401 ERR_HTTPSIG_MISSING_SIGNATURE',
  ]);
});

it('a header added by a request interceptor is sent signed; a key the API does not know is refused', async () => {
  const trusted = await generateKey('ed25519', { keyid: 'client-1' });
  const stranger = await generateKey('ed25519', { keyid: 'client-2' });
  const api = await startApi({ keys: { 'client-1': trusted.publicKey } });
  try {
    const client = axios.create({ baseURL: api.url, validateStatus: () => true });
    client.interceptors.request.use((config) => {
      config.headers.set('content-type', 'application/vnd.orders+json');
      return config;
    });
    withSignatures(client, { key: trusted.privateKey });
    const accepted = await client.post('/orders', '{"quantity":1}');
    expect(accepted.status).toBe(200);
    expect(accepted.data.covered).toContain('"content-type"');

    const other = withSignatures(axios.create({ validateStatus: () => true }), { key: stranger.privateKey });
    const refused = await other.post(`${api.url}/orders`, { quantity: 1 });
    expect([refused.status, refused.data.code]).toEqual([401, 'ERR_HTTPSIG_UNKNOWN_KEY']);
  } finally {
    await api.close();
  }
});
