/** scheme 'cavage' in headless Chromium: a browser drops a script-set Date, so it is not signed. */
import { generateKey, verifyCavage } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { describe, expect, it } from 'vitest';

describe("scheme 'cavage' in a browser", () => {
  it('leaves date out of the default headers and the signature still verifies', async () => {
    const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'k1' });
    const sent: Request[] = [];
    const fetch = createSignedFetch({
      key: privateKey,
      scheme: 'cavage',
      fetch: async (input) => {
        sent.push(input as Request);
        return new Response('ok');
      },
    });
    await fetch('https://api.example/inbox?x=1', { method: 'POST', body: '{"a":1}' });
    const request = sent[0] as Request;
    expect(request.headers.get('signature')).toMatch(
      /^keyId="k1",algorithm="ed25519",headers="\(request-target\) host digest",signature="/,
    );
    expect(request.headers.get('digest')).toMatch(/^SHA-256=/);
    const result = await verifyCavage(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: new Uint8Array(await request.arrayBuffer()),
      },
      { keys: { k1: publicKey }, requiredHeaders: ['(request-target)', 'host', 'digest'] },
    );
    expect(result.digest?.field).toBe('digest');
  });
});
