/**
 * node:http requests signed by @httpsig/node, checked inside msw handlers with @httpsig/msw:
 * msw's interception of node:http sees the fields and bytes the signature was made over.
 * (msw does not intercept undici.request or undici.fetch, which open their own sockets.)
 */
import { Readable } from 'node:stream';
import type { VerifyOptions } from '@httpsig/core';
import { withSignature } from '@httpsig/msw';
import { createSignedRequest, signedRequest } from '@httpsig/node';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientKeys, clientKeys, readBytes } from './lib/support';

let keys: ClientKeys;
const mock = setupServer();

beforeAll(async () => {
  keys = await clientKeys();
  const policy: VerifyOptions = {
    keys: { 'client-1': keys.publicKey },
    requiredComponents: ['@method', '@target-uri'],
  };
  mock.use(
    http.all(
      'http://api.test/*',
      withSignature(policy, async ({ request, signature }) =>
        HttpResponse.json({
          keyid: signature.keyid,
          components: signature.components,
          url: request.url,
          body: await request.text(),
        }),
      ),
    ),
  );
  mock.listen({ onUnhandledRequest: 'error' });
});
afterAll(() => mock.close());

async function json(response: { statusCode?: number } & AsyncIterable<Uint8Array>) {
  return { status: response.statusCode, body: JSON.parse((await readBytes(response)).toString()) };
}

describe('msw handlers guarded by withSignature', () => {
  it('a JSON POST is verified, digest included', async () => {
    const body = JSON.stringify({ item: 'caf\u00e9', qty: 2 });
    const result = await json(
      await signedRequest('http://api.test/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signing: { key: keys.privateKey },
      }),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ keyid: 'client-1', body });
    expect(result.body.components).toEqual([
      '"@method"',
      '"@target-uri"',
      '"content-type"',
      '"content-digest"',
    ]);
  });

  it('a streamed body through createSignedRequest, and a unicode query', async () => {
    const send = createSignedRequest({ key: keys.privateKey });
    const response = await new Promise<Parameters<typeof json>[0]>((resolve, reject) => {
      send(
        'http://api.test/upload?name=\u00fc ber&x=%26',
        { method: 'PUT', body: Readable.from(['a,', 'b,', 'c']) },
        resolve,
      ).on('error', reject);
    });
    const result = await json(response);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      body: 'a,b,c',
      url: 'http://api.test/upload?name=%C3%BC%20ber&x=%26',
    });
  });

  it('a request signed with a key the handler does not trust is refused with 401', async () => {
    const other = await clientKeys('someone-else');
    const result = await json(
      await signedRequest('http://api.test/orders', { signing: { key: other.privateKey } }),
    );
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ code: 'ERR_HTTPSIG_UNKNOWN_KEY' });
  });
});
