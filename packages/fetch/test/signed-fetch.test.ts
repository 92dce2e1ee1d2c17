/**
 * createSignedFetch against a real verifying server on 127.0.0.1: every body type fetch accepts
 * arrives with a signature over exactly the URL and bytes received.
 */
import { generateKey, type HttpSigKey, isHttpSigError } from '@httpsig/core';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../../../test-support/verifying-server';

let server: VerifyingServer;
let clientKey: HttpSigKey;
let serverKeys: { privateKey: HttpSigKey; publicKey: HttpSigKey };

beforeAll(async () => {
  const client = await generateKey('ed25519', { keyid: 'client-1' });
  clientKey = client.privateKey;
  serverKeys = await generateKey('ecdsa-p256-sha256', { keyid: 'server-1' });
  server = await startVerifyingServer({
    keys: { 'client-1': client.publicKey },
    responseKey: serverKeys.privateKey,
  });
});
afterAll(() => server.close());

interface Verdict {
  verified: boolean;
  code?: string;
  url?: string;
  components?: string[];
  digests?: { field: string; algorithms: string[] }[];
  bodyBase64?: string;
  params?: Record<string, unknown>;
}

const signedFetch = () => createSignedFetch({ key: clientKey });

async function verdict(response: Response): Promise<Verdict> {
  return (await response.json()) as Verdict;
}

describe('bodies: the server verifies the signature and the digest of the bytes it received', () => {
  const file = new Blob(['file \u00e9 content\r\n'], { type: 'text/plain' });
  const cases: [string, () => BodyInit, string | undefined][] = [
    ['a string', () => 'plain text', 'text/plain;charset=UTF-8'],
    [
      'JSON with unicode',
      () => JSON.stringify({ name: 'Zo\u00eb \u2713 \u{1f600}' }),
      'text/plain;charset=UTF-8',
    ],
    ['a Uint8Array', () => new Uint8Array([0, 1, 2, 253, 254, 255]), undefined],
    ['an ArrayBuffer', () => new Uint8Array([9, 8, 7]).buffer, undefined],
    [
      'a DataView over part of a buffer',
      () => new DataView(new Uint8Array([1, 2, 3, 4, 5]).buffer, 1, 3),
      undefined,
    ],
    [
      'a Blob',
      () => new Blob(['blob body'], { type: 'application/octet-stream' }),
      'application/octet-stream',
    ],
    [
      'URLSearchParams',
      () => new URLSearchParams({ q: 'a b&c=d', name: '\u00e9' }),
      'application/x-www-form-urlencoded;charset=UTF-8',
    ],
    ['an empty string', () => '', 'text/plain;charset=UTF-8'],
  ];
  it.each(cases)('%s', async (_name, body, contentType) => {
    const response = await signedFetch()(server.url('/orders'), { method: 'POST', body: body() });
    const result = await verdict(response);
    expect(result).toMatchObject({ verified: true, url: server.url('/orders') });
    expect(result.components).toContain('"content-digest"');
    if (contentType) expect(result.components).toContain('"content-type"');
    expect(result.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    const sent = new Uint8Array(
      await new Request('http://x', { method: 'POST', body: body() }).arrayBuffer(),
    );
    expect(Buffer.from(result.bodyBase64 ?? '', 'base64')).toEqual(Buffer.from(sent));
  });

  it('FormData with a file: the boundary the signature covers is the one sent', async () => {
    const form = new FormData();
    form.append('title', 'r\u00e9sum\u00e9');
    form.append('file', file, 'notes.txt');
    const response = await signedFetch()(server.url('/upload'), { method: 'POST', body: form });
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    const received = server.received.at(-1);
    const contentType = received?.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const text = Buffer.from(received?.body ?? []).toString('utf8');
    expect(text).toContain(contentType?.split('boundary=')[1]);
    expect(text).toContain('file \u00e9 content');
  });

  it('a ReadableStream body (duplex: half) is read once, bounded, and sent as signed', async () => {
    const chunks = ['chunk-1;', 'chunk-2;', 'chunk-3'];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await signedFetch()(server.url('/stream'), {
      method: 'PUT',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(Buffer.from(result.bodyBase64 ?? '', 'base64').toString()).toBe('chunk-1;chunk-2;chunk-3');
  });

  it('a Request object as input is sent with its method, headers and body', async () => {
    const request = new Request(server.url('/req'), {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'x-trace': 'abc' },
      body: '{"a":1}',
    });
    const response = await createSignedFetch({
      key: clientKey,
      components: ['@method', '@target-uri', 'x-trace', 'content-type'],
    })(request);
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.components).toEqual([
      '"@method"',
      '"@target-uri"',
      '"x-trace"',
      '"content-type"',
      '"content-digest"',
    ]);
    expect(Buffer.from(result.bodyBase64 ?? '', 'base64').toString()).toBe('{"a":1}');
  });

  it('GET and HEAD without a body carry no Content-Digest', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await signedFetch()(server.url('/items/1'), { method });
      expect(response.status).toBe(200);
      const received = server.received.at(-1);
      expect(received?.verified?.components).toEqual(['"@method"', '"@target-uri"']);
      expect(received?.headers.some(([n]) => n.toLowerCase() === 'content-digest')).toBe(false);
    }
  });

  it('a body over maxBodySize rejects the call with ERR_HTTPSIG_BODY_TOO_LARGE and sends nothing', async () => {
    const before = server.received.length;
    const error = await createSignedFetch({ key: clientKey, maxBodySize: 8 })(server.url('/big'), {
      method: 'POST',
      body: 'more than eight bytes',
    }).catch((e: unknown) => e);
    expect(isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    expect(server.received.length).toBe(before);
  });
});

describe('URLs and fields', () => {
  it('unicode and reserved characters in path and query are signed as sent', async () => {
    const url = `${server.origin}/caf\u00e9/a b/%2F?q=\u00fc ber&x=a+b&x=%26&empty=`;
    const response = await signedFetch()(url);
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.url).toBe(new URL(url).href);
  });

  it('repeated header values, covered, verify', async () => {
    const headers = new Headers();
    headers.append('x-list', 'a');
    headers.append('x-list', 'b');
    const response = await createSignedFetch({
      key: clientKey,
      components: ['@method', '@target-uri', 'x-list'],
    })(server.url('/list'), { headers });
    expect((await verdict(response)).verified).toBe(true);
  });

  it('signature parameters: expiresIn, nonce, tag and keyid', async () => {
    let n = 0;
    const response = await createSignedFetch({
      key: clientKey,
      expiresIn: 60,
      nonce: () => `nonce-${++n}`,
      tag: 'fetch-test',
      digest: 'sha-512',
    })(server.url('/params'), { method: 'POST', body: 'x' });
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.params).toMatchObject({ nonce: 'nonce-1', tag: 'fetch-test', keyid: 'client-1' });
    expect(Number(result.params?.expires) - Number(result.params?.created)).toBe(60);
    expect(result.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
  });
});

describe('redirects', () => {
  it('a 307 is followed with the method and body, re-signed for the new URL', async () => {
    const response = await signedFetch()(server.url('/redirect/307?to=/moved'), {
      method: 'POST',
      body: 'keep me',
    });
    const result = await verdict(response);
    expect(result).toMatchObject({ verified: true, url: server.url('/moved') });
    expect(Buffer.from(result.bodyBase64 ?? '', 'base64').toString()).toBe('keep me');
  });

  it('a 303 turns a POST into a signed GET without body fields', async () => {
    const response = await signedFetch()(server.url('/redirect/303?to=/see-other'), {
      method: 'POST',
      body: 'form',
    });
    const received = server.received.at(-1);
    expect((await verdict(response)).verified).toBe(true);
    expect(received?.method).toBe('GET');
    expect(received?.headers.some(([n]) => /^content-(digest|type)$/i.test(n))).toBe(false);
  });

  it('maxRedirects bounds the chain; redirect: manual returns the redirect itself', async () => {
    const error = await createSignedFetch({ key: clientKey, maxRedirects: 0 })(
      server.url('/redirect/302?to=/x'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    const manual = await signedFetch()(server.url('/redirect/302?to=/x'), { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/x');
  });
});

describe('Accept-Signature and signed responses', () => {
  it('fulfils a 401 Accept-Signature challenge once when asked to', async () => {
    const plain = await signedFetch()(server.url('/accept-signature?x=1'));
    expect(plain.status).toBe(401);
    const response = await createSignedFetch({ key: clientKey, fulfilAcceptSignature: true })(
      server.url('/accept-signature?x=1'),
    );
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.params).toMatchObject({
      tag: 'challenge',
      nonce: 'server-issued-nonce',
      keyid: 'client-1',
    });
  });

  it('verifies a signed response bound to the request just sent', async () => {
    const verifying = createSignedFetch({
      key: clientKey,
      verifyResponse: {
        keys: { 'server-1': serverKeys.publicKey },
        requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
        requireDigest: true,
      },
    });
    const response = await verifying(server.url('/signed-response'), { method: 'POST', body: 'hi' });
    expect(responseSignature(response)).toMatchObject({ keyid: 'server-1', alg: 'ecdsa-p256-sha256' });
    expect(await response.json()).toEqual({ ok: true, method: 'POST' });
  });

  it('refuses a response whose body was altered in transit', async () => {
    // The transport hands back the server's response with one byte of the body changed.
    const alteringTransport = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      const body = (await response.text()).replace('"ok":true', '"ok":fals');
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const verifying = createSignedFetch({
      key: clientKey,
      fetch: alteringTransport,
      verifyResponse: {
        keys: { 'server-1': serverKeys.publicKey },
        requiredComponents: ['@status'],
        requireDigest: true,
      },
    });
    const error = await verifying(server.url('/signed-response')).catch((e: unknown) => e);
    expect(isHttpSigError(error, 'ERR_HTTPSIG_DIGEST_MISMATCH')).toBe(true);
  });
});
