import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { expect, it } from 'vitest';
import { startApi } from '../api.js';
import { main } from '../index.js';

it('signs a POST with its body digest and a GET, and the API verifies both', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'POST /orders: 200, verified from client-1 covering "@method" "@target-uri" "content-type" "content-digest"',
    'GET /orders?status=open: 200, verified from client-1 covering "@method" "@target-uri"',
    'unsigned GET: 401 ERR_HTTPSIG_MISSING_SIGNATURE, accept-signature: sig1=("@method" "@target-uri");created;nonce;keyid',
  ]);
});

it('a recorded request sent again, or with another body, is refused', async () => {
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
  const api = await startApi({ keys: { 'client-1': publicKey } });
  try {
    let recorded: Request | undefined;
    const signedFetch = createSignedFetch({
      key: privateKey,
      fetch: (input, init) => {
        recorded = new Request(input, init);
        return fetch(recorded.clone());
      },
    });
    const first = await signedFetch(`${api.url}/orders`, { method: 'POST', body: '{"quantity":1}' });
    expect(first.status).toBe(200);
    const sent = recorded as Request;
    const replay = await fetch(sent.clone());
    expect(await replay.json()).toMatchObject({ code: 'ERR_HTTPSIG_REPLAY' });
    const changed = await fetch(new Request(sent, { body: '{"quantity":100}' }));
    expect(await changed.json()).toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
  } finally {
    await api.close();
  }
});
