import { generateKey } from '@httpsig/core';
import { createSigningInterceptor } from '@httpsig/node';
import { Pool } from 'undici';
import { expect, it } from 'vitest';
import { startApi } from '../api.js';
import { main } from '../index.js';

it('signs undici request() and fetch() through one dispatcher, and the API verifies both', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'request() POST /orders: 200, verified from client-1 covering "@method" "@target-uri" "content-type" "content-digest"',
    'fetch() GET /orders?status=open: 200, verified from client-1 covering "@method" "@target-uri"',
    'unsigned request(): 401 ERR_HTTPSIG_MISSING_SIGNATURE',
  ]);
});

it('a Pool signs path-only requests for its origin, query option included', async () => {
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
  const api = await startApi({ keys: { 'client-1': publicKey } });
  const pool = new Pool(api.url).compose(createSigningInterceptor({ key: privateKey, origin: api.url }));
  try {
    const response = await pool.request({ method: 'GET', path: '/orders', query: { page: 3 } });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toMatchObject({
      keyid: 'client-1',
      covered: ['"@method"', '"@target-uri"'],
    });
  } finally {
    await pool.close();
    await api.close();
  }
});
