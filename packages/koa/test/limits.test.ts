/**
 * Oversized bodies: refused with 413 and `Connection: close` as soon as Content-Length says so
 * or a chunked body passes the limit, before the parser or the handler sees any of it.
 */
import type { HttpSigError } from '@httpsig/core';
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { slowPost } from '../../../test-support/slow-body';
import { clientKey, counter, type KeyPair, listen, type Running, rawRequest, signedHeaders } from './support';

let client: KeyPair;
beforeAll(async () => {
  client = await clientKey();
});

const handler = counter();
const errors: HttpSigError[] = [];
let running: Running;
afterEach(async () => {
  await running.close();
  handler.reset();
  errors.length = 0;
});

async function start() {
  const app = new Koa();
  app.use(
    verifySignatures({
      keys: { client: client.publicKey },
      maxBodySize: 1024,
      bodyTimeout: 300,
      onError: (error) => errors.push(error),
      routes: (ctx) => (ctx.path === '/small' ? { maxBodySize: 16 } : undefined),
    }),
  );
  app.use(bodyParser());
  app.use((ctx) => {
    handler.calls++;
    ctx.body = 'ok';
  });
  running = await listen(app);
}

/** A signed JSON POST of `size` bytes, sent with node:http (declared length or chunked). */
async function postLarge(path: string, size: number, framing: 'content-length' | 'chunked') {
  const body = Buffer.alloc(size, 0x20);
  body.write('{}');
  const headers = await signedHeaders(client.privateKey, `${running.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  });
  const framed =
    framing === 'chunked'
      ? { ...headers, 'transfer-encoding': 'chunked' }
      : { ...headers, 'content-length': String(size) };
  // 4 KiB pieces: a chunked body passes the limit part way, while the client is still sending.
  const pieces = Array.from({ length: Math.ceil(size / 4096) }, (_, i) =>
    body.subarray(i * 4096, (i + 1) * 4096),
  );
  return rawRequest(running.port, { method: 'POST', path, headers: framed, body: pieces });
}

describe('413 for an oversized body', () => {
  it.each(['content-length', 'chunked'] as const)('declared by %s', async (framing) => {
    await start();
    const response = await postLarge('/upload', 256 * 1024, framing);
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status: 413, code: 'ERR_HTTPSIG_BODY_TOO_LARGE' });
    expect(handler.calls).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['ERR_HTTPSIG_BODY_TOO_LARGE']);
  });

  it('a body within the limit passes; a route may lower the limit', async () => {
    await start();
    expect((await postLarge('/upload', 512, 'content-length')).status).toBe(200);
    expect((await postLarge('/upload', 1000, 'chunked')).status).toBe(200);
    expect((await postLarge('/small', 512, 'content-length')).status).toBe(413);
    expect(handler.calls).toBe(2);
  });
});

describe('bodyTimeout', () => {
  it('refuses a body that does not arrive in time with 408 and Connection: close, serving others', async () => {
    await start();
    const answer = slowPost(running.origin, '/');
    const headers = await signedHeaders(client.privateKey, `${running.origin}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode('{}'),
    });
    const served = await fetch(`${running.origin}/`, { method: 'POST', headers, body: '{}' });
    expect(served.status).toBe(200);
    const raw = await answer;
    expect(raw.startsWith('HTTP/1.1 408')).toBe(true);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(raw).toContain('ERR_HTTPSIG_BODY_TIMEOUT');
    expect(errors.map((error) => error.code)).toEqual(['ERR_HTTPSIG_BODY_TIMEOUT']);
    expect(handler.calls).toBe(1);
  });

  it('refuses a bodyTimeout that is not a positive number when it is created', () => {
    expect(() => verifySignatures({ keys: {}, bodyTimeout: -1 })).toThrow(/bodyTimeout/);
  });
});
