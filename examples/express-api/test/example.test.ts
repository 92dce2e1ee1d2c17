import { exportKey, generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { createJwksResolver } from '@httpsig/keys';
import { expect, it } from 'vitest';
import { createApp } from '../app.js';
import { listen, main } from '../index.js';

it('accepts signed calls with keys from a JWK Set, and refuses unsigned, replayed and altered ones', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'signed POST /orders: 201 {"accepted":{"item":"book","quantity":2},"by":"client-1"}',
    'signed GET /orders/42: 200 {"id":"42","by":"client-1"}',
    'unsigned GET /health: 200 (not verified)',
    'unsigned POST /orders: 401 ERR_HTTPSIG_MISSING_SIGNATURE',
    'replayed POST /orders: 401 ERR_HTTPSIG_REPLAY',
    'POST /orders with another body: 400 ERR_HTTPSIG_DIGEST_MISMATCH',
  ]);
});

it('refuses a key missing from the JWK Set and a signature older than the 60-second limit', async () => {
  const known = await generateKey('ed25519', { keyid: 'known' });
  const unknown = await generateKey('ed25519', { keyid: 'unknown' });
  const jwks = { keys: [await exportKey(known.publicKey, 'jwk')] };
  const api = await listen(createApp({ keys: createJwksResolver({ fetchJwks: () => jwks }) }));
  try {
    const post = (options: Parameters<typeof createSignedFetch>[0]) =>
      createSignedFetch(options)(`${api.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"quantity":1}',
      });
    expect((await post({ key: known.privateKey })).status).toBe(201);
    const stranger = await post({ key: unknown.privateKey });
    expect([stranger.status, (await stranger.json()).code]).toEqual([401, 'ERR_HTTPSIG_UNKNOWN_KEY']);
    const old = await post({ key: known.privateKey, now: Date.now() / 1000 - 120 });
    expect([old.status, (await old.json()).code]).toEqual([401, 'ERR_HTTPSIG_EXPIRED']);
  } finally {
    await api.close();
  }
});
