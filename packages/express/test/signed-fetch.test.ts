/**
 * Requests signed by the fetch client adapter (createSignedFetch, real fetch to 127.0.0.1) reach
 * Express handlers verified, with every body type parsed by the usual parser after the verifier.
 */
import { verifySignatures } from '@httpsig/express';
import { createSignedFetch, type Fetch } from '@httpsig/fetch';
import type { Request, Response } from 'express';
import multer from 'multer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKeys, testKeys } from './lib/keys';
import { closeAll, listen, type Running, versions } from './lib/server';

afterAll(closeAll);

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  let server: Running;
  let signedFetch: Fetch;
  let calls = 0;

  beforeAll(async () => {
    keys = await testKeys();
    signedFetch = createSignedFetch({ key: keys.client, nonce: true });
    const app = express();
    app.use(verifySignatures({ keys: keys.trusted }));
    app.use(express.json(), express.urlencoded({ extended: false }), express.raw());
    const echo = (req: Request, res: Response) => {
      calls++;
      res.json({
        keyid: req.signature?.keyid,
        components: req.signature?.components,
        body: Buffer.isBuffer(req.body) ? [...req.body] : req.body,
        file: req.file && { name: req.file.originalname, content: req.file.buffer.toString('utf8') },
      });
    };
    app.post('/upload', multer({ storage: multer.memoryStorage() }).single('file'), echo);
    app.use(echo);
    server = await listen(app);
  });

  const result = async (response: Promise<Response | globalThis.Response>) => {
    const res = (await response) as globalThis.Response;
    expect(res.status).toBe(200);
    return (await res.json()) as { keyid: string; components: string[]; body: unknown; file?: unknown };
  };

  it('a GET with a query', async () => {
    const body = await result(signedFetch(server.url('/search?q=a%20b&page=2')));
    expect(body.keyid).toBe('client-1');
    expect(body.components).toEqual(['"@method"', '"@target-uri"']);
  });

  it('JSON', async () => {
    const body = await result(
      signedFetch(server.url('/items'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '\u2713' }),
      }),
    );
    expect(body.body).toEqual({ name: '\u2713' });
    expect(body.components).toContain('"content-digest"');
  });

  it('URLSearchParams (urlencoded)', async () => {
    const body = await result(
      signedFetch(server.url('/items'), {
        method: 'POST',
        body: new URLSearchParams({ a: '1 2', b: '\u00e9' }),
      }),
    );
    expect(body.body).toEqual({ a: '1 2', b: '\u00e9' });
  });

  it('FormData with a file (multer)', async () => {
    const form = new FormData();
    form.append('title', 'report');
    form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'r.txt');
    const body = await result(signedFetch(server.url('/upload'), { method: 'POST', body: form }));
    expect(body.body).toEqual({ title: 'report' });
    expect(body.file).toEqual({ name: 'r.txt', content: 'file content' });
  });

  it('raw bytes', async () => {
    const body = await result(
      signedFetch(server.url('/items'), {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array([1, 2, 255]),
      }),
    );
    expect(body.body).toEqual([1, 2, 255]);
  });

  it('the same call without signing is refused and the handler does not run', async () => {
    const before = calls;
    const res = await fetch(server.url('/items'), { method: 'POST', body: 'x' });
    expect(res.status).toBe(401);
    expect(calls).toBe(before);
  });
});
