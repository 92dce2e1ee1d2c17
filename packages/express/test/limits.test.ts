/**
 * The body size limit: a body past maxBodySize is refused with 413 and Connection: close, before
 * it is all read and before any handler runs; a route can raise the limit.
 */
import { request as httpRequest } from 'node:http';
import type { HttpSigError } from '@httpsig/core';
import { verifySignatures } from '@httpsig/express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowPost } from '../../../test-support/slow-body';
import { type TestKeys, testKeys } from './lib/keys';
import { closeAll, listen, type Running, versions } from './lib/server';
import { problem, send, signRequest } from './lib/sign';

afterAll(closeAll);

/** POST with node:http, writing `body` in pieces without Content-Length (chunked). */
function postChunked(url: string, headers: Record<string, string>, body: Uint8Array) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      // The server may close before the whole body is written: that is the point.
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 1024) req.write(body.subarray(i, i + 1024));
      req.end();
    },
  );
}

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  let server: Running;
  let calls = 0;
  const errors: HttpSigError[] = [];

  beforeAll(async () => {
    keys = await testKeys();
    const app = express();
    app.use(
      verifySignatures({
        keys: keys.trusted,
        maxBodySize: 1024,
        bodyTimeout: 300,
        routes: (req) => (req.path === '/large' ? { maxBodySize: 64 * 1024 } : undefined),
        onError: (error) => errors.push(error),
      }),
    );
    app.use(express.raw({ limit: '1mb' }));
    app.use((req, res) => {
      calls++;
      res.json({ bytes: (req.body as Buffer).length });
    });
    server = await listen(app);
  });

  const body = new Uint8Array(4096).fill(97);
  const octets = { 'content-type': 'application/octet-stream' };

  it('refuses a declared Content-Length over the limit with 413 and Connection: close', async () => {
    const before = calls;
    const signed = await signRequest(
      server.url('/small'),
      { method: 'POST', headers: octets, body },
      keys.client,
    );
    const res = await send(server.url('/small'), signed);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect((await problem(res)).code).toBe('ERR_HTTPSIG_BODY_TOO_LARGE');
    expect(calls).toBe(before);
    expect(errors.at(-1)?.code).toBe('ERR_HTTPSIG_BODY_TOO_LARGE');
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const before = calls;
    const signed = await signRequest(
      server.url('/small'),
      { method: 'POST', headers: octets, body },
      keys.client,
    );
    const res = await postChunked(server.url('/small'), signed.headers, body);
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.text)).toMatchObject({ code: 'ERR_HTTPSIG_BODY_TOO_LARGE', status: 413 });
    expect(calls).toBe(before);
  });

  it('a route override raises the limit for that route', async () => {
    const signed = await signRequest(
      server.url('/large'),
      { method: 'POST', headers: octets, body },
      keys.client,
    );
    const res = await send(server.url('/large'), signed);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 4096 });
  });

  it('refuses a body that does not arrive within bodyTimeout with 408 and Connection: close', async () => {
    const before = calls;
    const answer = slowPost(server.origin, '/small');
    // Served while the slow client is still dripping.
    const signed = await signRequest(
      server.url('/small'),
      { method: 'POST', headers: octets, body: new Uint8Array(8) },
      keys.client,
    );
    expect((await send(server.url('/small'), signed)).status).toBe(200);
    const raw = await answer;
    expect(raw.startsWith('HTTP/1.1 408')).toBe(true);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(raw).toContain('ERR_HTTPSIG_BODY_TIMEOUT');
    expect(calls).toBe(before + 1);
  });
});

it('refuses a bodyTimeout that is not a positive number when it is created', () => {
  expect(() => verifySignatures({ keys: {}, bodyTimeout: 0 })).toThrow(/bodyTimeout/);
});
