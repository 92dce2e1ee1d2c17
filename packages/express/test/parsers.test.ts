/**
 * Raw body and parser order on Express 5 and 4. With the verifier before the parsers, the digest
 * is checked against the bytes received and express.json/urlencoded/text/raw and multer parse
 * exactly those bytes. With a parser first, its bytes are checked through captureRawBody, and a
 * body consumed without them is refused, never accepted unchecked.
 */
import { gzipSync } from 'node:zlib';
import { captureRawBody, rawBodyOf, verifySignatures } from '@httpsig/express';
import type { Request, Response } from 'express';
import multer from 'multer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKeys, testKeys } from './lib/keys';
import { multipartBody } from './lib/multipart';
import { closeAll, listen, type Running, versions } from './lib/server';
import { problem, send, signAndSend, signRequest } from './lib/sign';

afterAll(closeAll);

/** What the handler saw: the parsed body, an uploaded file, and whether raw bytes were kept. */
function echo(counter: { calls: number }) {
  return (req: Request, res: Response) => {
    counter.calls++;
    const file = req.file ?? (req.files as Express.Multer.File[] | undefined)?.[0];
    res.json({
      keyid: req.signature?.keyid,
      body: Buffer.isBuffer(req.body) ? { base64: req.body.toString('base64') } : req.body,
      file: file && { name: file.originalname, content: file.buffer.toString('utf8') },
      rawBytes: rawBodyOf(req)?.byteLength,
    });
  };
}

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  beforeAll(async () => {
    keys = await testKeys();
  });

  describe('verifier before the parsers (recommended)', () => {
    let server: Running;
    const counter = { calls: 0 };

    beforeAll(async () => {
      const app = express();
      app.use(verifySignatures({ keys: keys.trusted }));
      app.use(express.json());
      app.use(express.urlencoded({ extended: false }));
      app.use(express.text());
      app.use(express.raw());
      app.post('/upload', multer({ storage: multer.memoryStorage() }).single('file'), echo(counter));
      app.use(echo(counter));
      server = await listen(app);
    });

    const post = async (contentType: string, body: string | Uint8Array, path = '/items') => {
      const res = await signAndSend(
        server.url(path),
        { method: 'POST', headers: { 'content-type': contentType }, body },
        keys.client,
      );
      expect(res.status).toBe(200);
      return (await res.json()) as { keyid: string; body: unknown; file?: unknown; rawBytes?: number };
    };

    it('express.json()', async () => {
      const result = await post('application/json', JSON.stringify({ name: 'Zo\u00eb', n: [1, 2] }));
      expect(result).toMatchObject({ keyid: 'client-1', body: { name: 'Zo\u00eb', n: [1, 2] } });
    });

    it('express.urlencoded()', async () => {
      const result = await post('application/x-www-form-urlencoded', 'a=1&b=%C3%A9+x');
      expect(result.body).toEqual({ a: '1', b: '\u00e9 x' });
    });

    it('express.text()', async () => {
      expect((await post('text/plain; charset=utf-8', 'caf\u00e9\r\nline')).body).toBe('caf\u00e9\r\nline');
    });

    it('express.raw()', async () => {
      const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
      const result = await post('application/octet-stream', bytes);
      expect(result.body).toEqual({ base64: Buffer.from(bytes).toString('base64') });
    });

    it('multer (multipart/form-data with a file)', async () => {
      const form = multipartBody(
        { title: 'report' },
        { field: 'file', name: 'a.txt', type: 'text/plain', content: 'file \u00e9 content' },
      );
      const result = await post(form.contentType, form.body, '/upload');
      expect(result.body).toEqual({ title: 'report' });
      expect(result.file).toEqual({ name: 'a.txt', content: 'file \u00e9 content' });
    });

    it('refuses an altered multipart body before multer sees it', async () => {
      const form = multipartBody(
        { title: 'report' },
        { field: 'file', name: 'a.txt', type: 'text/plain', content: 'AAAA' },
      );
      const signed = await signRequest(
        server.url('/upload'),
        { method: 'POST', headers: { 'content-type': form.contentType }, body: form.body },
        keys.client,
      );
      const altered = new TextEncoder().encode(new TextDecoder().decode(form.body).replace('AAAA', 'BBBB'));
      const before = counter.calls;
      const res = await send(server.url('/upload'), { ...signed, body: altered });
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
      expect(counter.calls).toBe(before);
    });

    it('a chunked body (no Content-Length)', async () => {
      const text = JSON.stringify({ streamed: true });
      const signed = await signRequest(
        server.url('/items'),
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: text },
        keys.client,
      );
      const res = await fetch(server.url('/items'), {
        method: 'POST',
        headers: signed.headers,
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { body: unknown }).body).toEqual({ streamed: true });
    });

    it('a gzip-encoded body: the digest covers the encoded bytes, the parser still inflates them', async () => {
      const encoded = gzipSync(JSON.stringify({ compressed: true }));
      const res = await signAndSend(
        server.url('/items'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: new Uint8Array(encoded),
        },
        keys.client,
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { body: unknown }).body).toEqual({ compressed: true });
    });

    it('a signed but malformed JSON body still gets the parser’s own 400', async () => {
      const before = counter.calls;
      const res = await signAndSend(
        server.url('/items'),
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": ' },
        keys.client,
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).not.toBe('application/problem+json');
      expect(counter.calls).toBe(before);
    });

    it('reads no body for a GET without content', async () => {
      const res = await signAndSend(server.url('/items'), {}, keys.client);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { rawBytes?: number }).rawBytes).toBeUndefined();
    });
  });

  describe('a parser before the verifier', () => {
    let server: Running;
    const counter = { calls: 0 };

    beforeAll(async () => {
      const app = express();
      const verify = verifySignatures({ keys: keys.trusted });
      // Captured: the verifier checks the bytes the parser read.
      app.use('/captured', express.json({ verify: captureRawBody }), verify, echo(counter));
      // Not captured: the bytes are gone and the body cannot be checked.
      app.use('/plain', express.json(), verify, echo(counter));
      app.use('/multer', multer({ storage: multer.memoryStorage() }).any(), verify, echo(counter));
      // A parser for another media type leaves the body unread: the verifier reads it.
      app.use('/other-type', express.json(), verify, express.text(), echo(counter));
      server = await listen(app);
    });

    const jsonRequest = (body: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    it('with verify: captureRawBody, a valid body is accepted', async () => {
      const res = await signAndSend(server.url('/captured/x'), jsonRequest('{"a": 1}'), keys.client);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ keyid: 'client-1', body: { a: 1 }, rawBytes: 8 });
    });

    it('with verify: captureRawBody, an altered body is refused', async () => {
      const signed = await signRequest(server.url('/captured/x'), jsonRequest('{"a": 1}'), keys.client);
      const before = counter.calls;
      const res = await send(server.url('/captured/x'), { ...signed, body: '{"a": 2}' });
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
      expect(counter.calls).toBe(before);
    });

    it('with verify: captureRawBody, a compressed body fails its digest (the hook sees inflated bytes)', async () => {
      const res = await signAndSend(
        server.url('/captured/x'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: new Uint8Array(gzipSync('{"a": 1}')),
        },
        keys.client,
      );
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    });

    it.each(['/plain/x', '/multer/x'])(
      'without captured bytes (%s), answers 500 and explains the order',
      async (path) => {
        const form = multipartBody(
          { a: '1' },
          { field: 'f', name: 'f.txt', type: 'text/plain', content: 'x' },
        );
        const request = path.startsWith('/plain')
          ? jsonRequest('{"a": 1}')
          : { method: 'POST', headers: { 'content-type': form.contentType }, body: form.body };
        const before = counter.calls;
        const res = await signAndSend(server.url(path), request, keys.client);
        expect(res.status).toBe(500);
        const body = await problem(res);
        expect(body.code).toBe('ERR_HTTPSIG_BODY_UNAVAILABLE');
        expect(body.detail).toContain('captureRawBody');
        expect(counter.calls).toBe(before);
      },
    );

    it('a parser that skipped the body (other media type) leaves it to the verifier', async () => {
      const res = await signAndSend(
        server.url('/other-type/x'),
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain words' },
        keys.client,
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ keyid: 'client-1', body: 'plain words' });
    });
  });
});
