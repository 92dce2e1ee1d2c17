/**
 * Bodies reach Fastify's usual parsers (JSON, @fastify/formbody, @fastify/multipart, text, raw
 * buffers, a stream-reading parser) as the exact bytes that were verified; a tampered body is
 * refused before any parser runs.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { createSignedFetch } from '@httpsig/fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeys, type Keys, problemOf, sendSigned, startServer, type TestServer } from './support';

let keys: Keys;
let server: TestServer;
let handlerCalls = 0;
let parserCalls = 0;
let signedFetch: typeof fetch;

beforeAll(async () => {
  keys = await createKeys();
  signedFetch = createSignedFetch({ key: keys.client.privateKey, nonce: true });
  server = await startServer({ keys: { 'client-1': keys.client.publicKey } }, async (app) => {
    await app.register(formbody);
    await app.register(multipart);
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => {
      parserCalls++;
      done(null, body);
    });
    // A parser that reads the payload stream itself, as streaming parsers do.
    app.addContentTypeParser('application/x-ndjson', (_request, payload, done) => {
      parserCalls++;
      const chunks: Buffer[] = [];
      payload.on('data', (chunk: Buffer) => chunks.push(chunk));
      payload.on('end', () => {
        const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
        done(
          null,
          lines.map((line) => JSON.parse(line)),
        );
      });
      payload.on('error', done);
    });
    app.post('/echo', async (request) => {
      handlerCalls++;
      const body = request.body;
      return { body: Buffer.isBuffer(body) ? { base64: body.toString('base64') } : body };
    });
    app.post('/upload', async (request) => {
      handlerCalls++;
      const fields: Record<string, unknown> = {};
      const files: { field: string; filename: string; type: string; content: string }[] = [];
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const content = (await part.toBuffer()).toString('utf8');
          files.push({ field: part.fieldname, filename: part.filename, type: part.mimetype, content });
        } else {
          fields[part.fieldname] = part.value;
        }
      }
      return { fields, files };
    });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  handlerCalls = 0;
  parserCalls = 0;
});

describe('signed bodies are parsed by the usual parsers', () => {
  it('JSON, with unicode', async () => {
    const value = { name: 'Zo\u00eb \u2713 \u{1f600}', list: [1, 2, 3] };
    const response = await signedFetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(value),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: value });
  });

  it('urlencoded through @fastify/formbody', async () => {
    const response = await signedFetch(server.url('/echo'), {
      method: 'POST',
      body: new URLSearchParams({ q: 'a b&c=d', name: '\u00e9' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: { q: 'a b&c=d', name: '\u00e9' } });
  });

  it('multipart through @fastify/multipart (fields and a file)', async () => {
    const form = new FormData();
    form.append('title', 'report \u00e9');
    form.append('file', new Blob(['line 1\r\nline 2\r\n'], { type: 'text/plain' }), 'report.txt');
    const response = await signedFetch(server.url('/upload'), { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      fields: { title: 'report \u00e9' },
      files: [{ field: 'file', filename: 'report.txt', type: 'text/plain', content: 'line 1\r\nline 2\r\n' }],
    });
    expect(handlerCalls).toBe(1);
  });

  it('text/plain through Fastify’s text parser', async () => {
    const response = await signedFetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'just text \u00e9',
    });
    expect(await response.json()).toEqual({ body: 'just text \u00e9' });
  });

  it('raw bytes through a buffer parser, byte for byte', async () => {
    const bytes = new Uint8Array([0, 1, 2, 127, 128, 253, 254, 255]);
    const response = await signedFetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(await response.json()).toEqual({ body: { base64: Buffer.from(bytes).toString('base64') } });
    expect(parserCalls).toBe(1);
  });

  it('a parser that reads the payload stream itself', async () => {
    const response = await signedFetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: '{"a":1}\n{"b":2}\n',
    });
    expect(await response.json()).toEqual({ body: [{ a: 1 }, { b: 2 }] });
  });

  it('a body larger than one network chunk', async () => {
    const big = 'x'.repeat(300_000);
    const response = await signedFetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: big,
    });
    expect(await response.json()).toEqual({ body: big });
  });
});

describe('a tampered body never reaches a parser or the handler', () => {
  const cases: [string, string, string, string][] = [
    ['JSON', 'application/json', '{"amount":100}', '{"amount":900}'],
    ['urlencoded', 'application/x-www-form-urlencoded', 'amount=100', 'amount=900'],
    ['raw bytes', 'application/octet-stream', 'AAAA', 'BBBB'],
    ['a streaming parser', 'application/x-ndjson', '{"a":1}\n', '{"a":9}\n'],
  ];
  it.each(cases)('%s', async (_name, contentType, signedBody, sentBody) => {
    const response = await sendSigned(
      server.url('/echo'),
      {
        method: 'POST',
        key: keys.client.privateKey,
        headers: { 'content-type': contentType },
        body: signedBody,
      },
      { body: sentBody },
    );
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(parserCalls).toBe(0);
    expect(handlerCalls).toBe(0);
  });

  it('multipart', async () => {
    const boundary = 'boundary123';
    const part = (value: string) =>
      `--${boundary}\r\ncontent-disposition: form-data; name="amount"\r\n\r\n${value}\r\n--${boundary}--\r\n`;
    const response = await sendSigned(
      server.url('/upload'),
      {
        method: 'POST',
        key: keys.client.privateKey,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: part('100'),
      },
      { body: part('900') },
    );
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(handlerCalls).toBe(0);
  });

  it('an unsigned body is refused without parsing it', async () => {
    const response = await fetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'unsigned',
    });
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_MISSING_SIGNATURE');
    expect(parserCalls).toBe(0);
    expect(handlerCalls).toBe(0);
  });
});
