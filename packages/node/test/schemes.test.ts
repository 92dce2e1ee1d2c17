/**
 * draft-cavage signing and double-knock through node:http and undici, against real servers on
 * 127.0.0.1 that accept only cavage or only RFC 9421.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { generateKey, type SignatureScheme } from '@httpsig/core';
import { createSignedRequest, createSigningInterceptor, signedRequest } from '@httpsig/node';
import { Agent, request as undiciRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { useSchemeServers } from '../../../test-support/scheme-servers';

const servers = useSchemeServers();

async function json(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const jsonPost = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe("node:http with scheme 'cavage'", () => {
  it('createSignedRequest signs a Signature, Date and Digest the cavage server accepts', async () => {
    const send = createSignedRequest({ key: servers.clientKey, scheme: 'cavage' });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      send(`${servers.cavage.url}/inbox?x=1`, jsonPost({ a: 1 }), resolve).on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    expect(await json(response)).toEqual({ verified: 'cavage', body: '{"a":1}' });
    expect(servers.cavage.seen).toEqual(['cavage']);
  });

  it('signs a streamed body: the Digest covers the bytes that are sent', async () => {
    const response = await signedRequest(`${servers.cavage.url}/inbox`, {
      method: 'POST',
      body: Readable.from([Buffer.from('stre'), Buffer.from('amed')]),
      signing: { key: servers.clientKey, scheme: 'cavage' },
    });
    expect(await json(response)).toEqual({ verified: 'cavage', body: 'streamed' });
  });

  it('refuses double-knock where a request cannot be sent twice', () => {
    expect(() => createSignedRequest({ key: servers.clientKey, scheme: 'double-knock' })).toThrow(
      /signedRequest/,
    );
    expect(() => createSigningInterceptor({ key: servers.clientKey, scheme: 'double-knock' })).toThrow(
      TypeError,
    );
  });
});

describe("signedRequest with scheme 'double-knock'", () => {
  const signing = () => ({ key: servers.clientKey, scheme: 'double-knock' as const });

  it('reaches both servers, and goes straight to cavage the second time', async () => {
    const options = signing();
    const first = await signedRequest(`${servers.cavage.url}/inbox`, {
      ...jsonPost({ n: 1 }),
      signing: options,
    });
    expect(await json(first)).toEqual({ verified: 'cavage', body: '{"n":1}' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);

    const rfc = await signedRequest(`${servers.rfc9421.url}/inbox`, {
      ...jsonPost({ n: 2 }),
      signing: options,
    });
    expect(await json(rfc)).toEqual({ verified: 'rfc9421', body: '{"n":2}' });
    expect(servers.rfc9421.seen).toEqual(['rfc9421']);
  });

  it('remembers per origin through the persistence hook, and relearns on a refusal', async () => {
    const stored = new Map<string, SignatureScheme>();
    const schemeMemory = {
      get: (origin: string) => stored.get(origin),
      set: (origin: string, scheme: SignatureScheme) => stored.set(origin, scheme),
    };
    const options = { ...signing(), schemeMemory };
    await json(await signedRequest(`${servers.cavage.url}/`, { signing: options }));
    expect([...stored]).toEqual([[servers.cavage.url, 'cavage']]);
    // Another client sharing the store starts with cavage at once.
    await json(await signedRequest(`${servers.cavage.url}/`, { signing: { ...options } }));
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'cavage']);

    // A remembered cavage refused with a 400 problem (an unreadable RFC 9421 Signature) is relearnt.
    stored.set(servers.rfc9421.url, 'cavage');
    const response = await signedRequest(`${servers.rfc9421.url}/`, { signing: { ...options } });
    expect(await json(response)).toEqual({ verified: 'rfc9421', body: '' });
    expect(servers.rfc9421.seen).toEqual(['cavage', 'rfc9421']);
    expect(stored.get(servers.rfc9421.url)).toBe('rfc9421');
  });

  it('sends the same bytes twice, even from a stream', async () => {
    const response = await signedRequest(`${servers.cavage.url}/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: Readable.from([Buffer.from('once '), Buffer.from('only')]),
      signing: signing(),
    });
    expect(await json(response)).toEqual({ verified: 'cavage', body: 'once only' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);
  });

  it('hands on a 400 it read to decide with its body intact, and knocks no more', async () => {
    let requests = 0;
    // /large pads the problem past the 64 KiB read to decide: it is handed on unread.
    const server: Server = createServer((request, response) => {
      requests++;
      const pad = request.url === '/large' ? { pad: 'x'.repeat(100_000) } : {};
      response.writeHead(400, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH', ...pad }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await signedRequest(`http://127.0.0.1:${port}/`, { signing: signing() });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(await json(response)).toEqual({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
      expect(requests).toBe(1);

      const large = await signedRequest(`http://127.0.0.1:${port}/large`, { signing: signing() });
      expect(await json(large)).toEqual({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH', pad: 'x'.repeat(100_000) });
      expect(requests).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('returns the second refusal when neither scheme is accepted', async () => {
    const other = await generateKey('ed25519', { keyid: 'client-1' });
    const response = await signedRequest(`${servers.cavage.url}/`, {
      signing: { key: other.privateKey, scheme: 'double-knock' },
    });
    expect(response.statusCode).toBe(401);
    expect(await json(response)).toEqual({ status: 401, code: 'ERR_HTTPSIG_INVALID_SIGNATURE' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);
  });
});

describe("undici interceptor with scheme 'cavage'", () => {
  it('signs every request the cavage way', async () => {
    const agent = new Agent().compose(createSigningInterceptor({ key: servers.clientKey, scheme: 'cavage' }));
    try {
      const response = await undiciRequest(`${servers.cavage.url}/inbox?page=1`, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"u":1}',
      });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({ verified: 'cavage', body: '{"u":1}' });
    } finally {
      await agent.close();
    }
  });
});
