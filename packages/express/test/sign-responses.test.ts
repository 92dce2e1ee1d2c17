/**
 * signResponses: every way a handler writes a response (res.json, writeHead + end, several
 * writes, no content) goes out signed and bound to its request, as core verifyMessage and
 * createSignedFetch's verifyResponse check it. Past the buffer limit the response goes out
 * unsigned; a signing failure answers 500 instead of an unsigned response.
 */
import {
  generateKey,
  type HttpSigKey,
  isHttpSigError,
  type RequestLike,
  type VerifyOptions,
  verifyMessage,
} from '@httpsig/core';
import { signResponses, verifySignatures } from '@httpsig/express';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKeys, testKeys } from './lib/keys';
import { closeAll, listen, type Running, versions } from './lib/server';

afterAll(closeAll);

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  let server: { privateKey: HttpSigKey; publicKey: HttpSigKey };
  let app: Running;
  const unsigned: unknown[] = [];

  const responsePolicy = (): VerifyOptions => ({
    keys: { 'server-1': server.publicKey },
    requiredComponents: ['@status', '"@method";req', '"@target-uri";req'],
  });

  beforeAll(async () => {
    keys = await testKeys();
    server = await generateKey('ecdsa-p256-sha256', { keyid: 'server-1' });
    const application = express();
    application.use(
      signResponses({ key: server.privateKey, maxBodySize: 1024, onError: (e) => unsigned.push(e) }),
    );
    application.get('/json', (_req, res) => {
      res.json({ hello: 'w\u00f6rld' });
    });
    application.get('/write-head', (_req, res) => {
      res.writeHead(201, 'Made', { 'content-type': 'text/plain', 'x-extra': 'yes' });
      res.end('created');
    });
    application.get('/pieces', (_req, res) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.write('one,');
      res.write(Buffer.from('two,'));
      res.write(new Uint8Array([0x74, 0x68, 0x72, 0x65, 0x65]), () => undefined);
      res.end();
    });
    application.get('/empty', (_req, res) => {
      res.status(204).end();
    });
    application.get('/big', (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      for (let i = 0; i < 8; i++) res.write('x'.repeat(256));
      res.end('end');
    });
    // Refusals are signed too: the verifier runs after signResponses.
    application.use('/protected', verifySignatures({ keys: keys.trusted }), (req, res) => {
      res.json({ body: req.body, keyid: req.signature?.keyid });
    });
    app = await listen(application);
  });

  /** Fetch `path` and verify the response with core, bound to the request that was sent. */
  async function fetchAndVerify(path: string) {
    const url = app.url(path);
    const sentHeaders = { accept: '*/*', 'x-trace': 't-1' };
    const res = await fetch(url, { headers: sentHeaders });
    const body = new Uint8Array(await res.arrayBuffer());
    const request: RequestLike = { method: 'GET', url, headers: sentHeaders };
    const result = await verifyMessage(
      { status: res.status, headers: res.headers, ...(body.length ? { body } : {}) },
      { ...responsePolicy(), request },
    );
    return { res, body: new TextDecoder().decode(body), result };
  }

  it('signs res.json() with Content-Digest', async () => {
    const { res, body, result } = await fetchAndVerify('/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(body)).toEqual({ hello: 'w\u00f6rld' });
    expect(result.components).toEqual([
      '"@status"',
      '"content-type"',
      '"@method";req',
      '"@target-uri";req',
      '"content-digest"',
    ]);
    expect(result.digests.map((d) => d.field)).toEqual(['content-digest']);
  });

  it('signs a writeHead() status, message and headers', async () => {
    const { res, body, result } = await fetchAndVerify('/write-head');
    expect([res.status, res.statusText, res.headers.get('x-extra'), body]).toEqual([
      201,
      'Made',
      'yes',
      'created',
    ]);
    expect(result.components).toContain('"content-digest"');
  });

  it('signs a body written in pieces', async () => {
    const { body, result } = await fetchAndVerify('/pieces');
    expect(body).toBe('one,two,three');
    expect(result.digests).toHaveLength(1);
  });

  it('signs a response without content, with no digest', async () => {
    const { res, result } = await fetchAndVerify('/empty');
    expect(res.status).toBe(204);
    expect(result.components).not.toContain('"content-digest"');
  });

  it('a response bound to another request does not verify', async () => {
    const res = await fetch(app.url('/json'));
    const body = new Uint8Array(await res.arrayBuffer());
    const other: RequestLike = { method: 'GET', url: app.url('/json?other') };
    const failure = await verifyMessage(
      { status: res.status, headers: res.headers, body },
      { ...responsePolicy(), request: other },
    ).catch((error: unknown) => error);
    expect(isHttpSigError(failure, 'ERR_HTTPSIG_INVALID_SIGNATURE')).toBe(true);
  });

  it('past the buffer limit, sends the complete response unsigned and reports it', async () => {
    const before = unsigned.length;
    const res = await fetch(app.url('/big'));
    expect(res.headers.get('signature')).toBeNull();
    expect(await res.text()).toBe(`${'x'.repeat(2048)}end`);
    expect(unsigned.slice(before).map((e) => (e as { code: string }).code)).toEqual([
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    ]);
  });

  it('createSignedFetch verifies the signed response to a signed request', async () => {
    const signedFetch = createSignedFetch({
      key: keys.client,
      nonce: true,
      verifyResponse: responsePolicy(),
    });
    const res = await signedFetch(app.url('/protected/items?x=1'));
    expect(await res.json()).toEqual({ keyid: 'client-1' });
    expect(responseSignature(res)?.keyid).toBe('server-1');
  });

  it('signs the refusal of an unsigned request', async () => {
    const verifyingFetch = createSignedFetch({
      sign: () => new Uint8Array(64),
      alg: 'ed25519',
      keyid: 'nobody',
      verifyResponse: responsePolicy(),
    });
    const res = await verifyingFetch(app.url('/protected/items'));
    expect(res.status).toBe(401);
    expect(responseSignature(res)?.components).toContain('"content-digest"');
  });
});

describe('signResponses options', () => {
  it('binds "@target-uri";req to the configured origin', async () => {
    const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'server-1' });
    const { default: express } = await import('express');
    const application = express();
    application.use(signResponses({ key: privateKey, origin: 'https://api.example.com' }));
    application.get('/x', (_req, res) => {
      res.send('ok');
    });
    const app = await listen(application);
    const res = await fetch(app.url('/x?y=1'));
    const body = new Uint8Array(await res.arrayBuffer());
    const result = await verifyMessage(
      { status: res.status, headers: res.headers, body },
      {
        keys: { 'server-1': publicKey },
        requiredComponents: ['"@target-uri";req'],
        request: { method: 'GET', url: 'https://api.example.com/x?y=1' },
      },
    );
    expect(result.keyid).toBe('server-1');
  });

  it('answers 500 instead of an unsigned response when signing fails', async () => {
    const { default: express } = await import('express');
    const failures: unknown[] = [];
    const application = express();
    application.use(
      signResponses({
        alg: 'ed25519',
        keyid: 'hsm-key',
        sign: () => {
          throw new Error('HSM unavailable');
        },
        onError: (error) => failures.push(error),
      }),
    );
    application.get('/x', (_req, res) => {
      res.set('x-secret-route-header', 'v').send('payload');
    });
    const app = await listen(application);
    const res = await fetch(app.url('/x'));
    expect(res.status).toBe(500);
    expect(res.headers.get('x-secret-route-header')).toBeNull();
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('ERR_HTTPSIG_SIGNING_FAILED');
    expect(problem.detail).not.toContain('HSM');
    // The cause reaches onError only.
    expect(failures).toHaveLength(1);
    expect(
      ((failures[0] as Error).cause as Error | undefined)?.message ?? (failures[0] as Error).message,
    ).toBe('HSM unavailable');
  });
});
