/**
 * Raw bodies with the usual Koa parsers mounted after the verifier: the digest is checked on the
 * bytes received and the parser then parses those same bytes (JSON, urlencoded, text, multipart
 * with files, gzip, raw binary), on Koa 3 and Koa 2. A changed body never reaches the handler.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { signMessage } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import Koa2 from 'koa2';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientKey, counter, type KeyPair, listen, problemOf, type Running, signedHeaders } from './support';

let client: KeyPair;
beforeAll(async () => {
  client = await clientKey();
});

const handler = counter();
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  handler.reset();
});

type KoaClass = typeof Koa;

/** verifySignatures, then `parser`, then a handler echoing what it parsed (files by content). */
async function start(App: KoaClass, parser: Koa.Middleware) {
  const app = new App();
  app.use(verifySignatures({ keys: { client: client.publicKey } }));
  app.use(parser);
  app.use(async (ctx) => {
    handler.calls++;
    const files = (ctx.request as { files?: Record<string, { filepath: string }> }).files ?? {};
    const contents: Record<string, string> = {};
    for (const [name, file] of Object.entries(files))
      contents[name] = (await readFile(file.filepath)).toString('hex');
    ctx.body = { body: ctx.request.body ?? null, files: contents };
  });
  running = await listen(app);
  return running.origin;
}

async function post(
  origin: string,
  contentType: string,
  body: string | Uint8Array<ArrayBuffer>,
  sent = body,
) {
  const url = `${origin}/submit`;
  const headers = await signedHeaders(client.privateKey, url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return fetch(url, { method: 'POST', headers, body: sent });
}

const textual = [
  {
    name: 'JSON',
    type: 'application/json',
    body: '{"name":"Zoë","n":[1,2]}',
    parsed: { name: 'Zoë', n: [1, 2] },
  },
  {
    name: 'urlencoded',
    type: 'application/x-www-form-urlencoded',
    body: 'a=1&b=%C3%A9',
    parsed: { a: '1', b: 'é' },
  },
  { name: 'text', type: 'text/plain', body: 'plain words', parsed: 'plain words' },
];

const parsers: { name: string; make: () => Koa.Middleware }[] = [
  { name: '@koa/bodyparser', make: () => bodyParser({ enableTypes: ['json', 'form', 'text'] }) },
  { name: 'koa-body', make: () => koaBody() },
];

describe.each(parsers)('Koa 3 with $name after the verifier', ({ make }) => {
  it.each(textual)('$name: parsed from the verified bytes', async ({ type, body, parsed }) => {
    const response = await post(await start(Koa, make()), type, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: parsed, files: {} });
    expect(handler.calls).toBe(1);
  });

  it.each(textual)('$name: a changed body is refused before the parser', async ({ type, body }) => {
    const refused = await problemOf(await post(await start(Koa, make()), type, body, `${body} `));
    expect(refused).toMatchObject({ status: 400, code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(handler.calls).toBe(0);
  });
});

describe('Koa 2 after the verifier', () => {
  it.each(parsers)('JSON with $name', async ({ make }) => {
    const App = Koa2 as unknown as KoaClass;
    const response = await post(await start(App, make()), 'application/json', '{"v":2}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: { v: 2 }, files: {} });
    const refused = await problemOf(
      await post(running?.origin ?? '', 'application/json', '{"v":2}', '{"v":3}'),
    );
    expect(refused).toMatchObject({ status: 400, code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(handler.calls).toBe(1);
  });

  it('urlencoded with koa-body', async () => {
    const App = Koa2 as unknown as KoaClass;
    const response = await post(await start(App, koaBody()), 'application/x-www-form-urlencoded', 'k=v');
    expect(await response.json()).toEqual({ body: { k: 'v' }, files: {} });
  });
});

describe('multipart with koa-body (formidable)', () => {
  const fileBytes = new Uint8Array([0, 1, 2, 0xfe, 0xff, 13, 10, 45, 45]);

  it('fields and file bytes arrive as signed by createSignedFetch', async () => {
    const origin = await start(Koa, koaBody({ multipart: true }));
    const signedFetch = createSignedFetch({ key: client.privateKey, nonce: true });
    const form = new FormData();
    form.append('title', 'report');
    form.append('upload', new Blob([fileBytes]), 'data.bin');
    const response = await signedFetch(`${origin}/submit`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      body: { title: 'report' },
      files: { upload: Buffer.from(fileBytes).toString('hex') },
    });
    expect(handler.calls).toBe(1);
  });

  it('a changed part is refused before formidable runs', async () => {
    const origin = await start(Koa, koaBody({ multipart: true }));
    const form = new FormData();
    form.append('title', 'report');
    const url = `${origin}/submit`;
    const signed = await signMessage(
      { method: 'POST', url, headers: {}, body: form },
      {
        key: client.privateKey,
        components: ['@method', '@target-uri'],
        params: { created: true, keyid: 'client', nonce: true },
      },
    );
    const sent = Buffer.from(signed.body ?? new Uint8Array())
      .toString('latin1')
      .replace('report', 'r3port');
    const refused = await problemOf(
      await fetch(url, { method: 'POST', headers: signed.headers, body: Buffer.from(sent, 'latin1') }),
    );
    expect(refused).toMatchObject({ status: 400, code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(handler.calls).toBe(0);
  });
});

describe('bytes no parser claims', () => {
  it('binary content is read by the handler from ctx.req exactly as verified', async () => {
    const app = new Koa();
    const bytes = new Uint8Array([0xff, 0x00, 0xc3, 0x28, 0x7b, 0x0a]);
    app.use(verifySignatures({ keys: { client: client.publicKey } }));
    app.use(bodyParser());
    app.use(async (ctx) => {
      handler.calls++;
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.body = Buffer.concat(chunks).toString('hex');
    });
    running = await listen(app);
    const response = await post(running.origin, 'application/octet-stream', bytes);
    expect(await response.text()).toBe(Buffer.from(bytes).toString('hex'));
    expect(handler.calls).toBe(1);
  });

  it('gzip content: the digest covers the encoded bytes, the parser inflates them', async () => {
    const origin = await start(Koa, bodyParser());
    const url = `${origin}/submit`;
    const gzipped = new Uint8Array(gzipSync('{"compressed":true}'));
    const headers = await signedHeaders(client.privateKey, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipped,
    });
    const response = await fetch(url, { method: 'POST', headers, body: gzipped });
    expect(await response.json()).toEqual({ body: { compressed: true }, files: {} });
  });
});

describe('a body parser mounted before the verifier', () => {
  /** `parser`, then verifySignatures, then a handler echoing the parsed body. */
  async function startReversed(parser: Koa.Middleware) {
    const app = new Koa();
    app.use(parser);
    app.use(verifySignatures({ keys: { client: client.publicKey } }));
    app.use((ctx) => {
      handler.calls++;
      ctx.body = { body: ctx.request.body ?? null };
    });
    running = await listen(app);
    return running.origin;
  }

  it('with no raw copy kept (koa-body): 500 naming the order, handler not run', async () => {
    const origin = await startReversed(koaBody());
    const refused = await problemOf(await post(origin, 'application/json', '{"a":1}'));
    expect(refused).toMatchObject({ status: 500, code: 'ERR_HTTPSIG_BODY_UNAVAILABLE' });
    expect(refused.problem.detail).toMatch(/before the body parser/);
    expect(handler.calls).toBe(0);
  });

  it('multipart is always refused: formidable keeps no raw bytes', async () => {
    const origin = await startReversed(koaBody({ multipart: true }));
    const form = new FormData();
    form.append('a', 'b');
    const signedFetch = createSignedFetch({ key: client.privateKey, nonce: true });
    const refused = await problemOf(await signedFetch(`${origin}/submit`, { method: 'POST', body: form }));
    expect(refused).toMatchObject({ status: 500, code: 'ERR_HTTPSIG_BODY_UNAVAILABLE' });
    expect(handler.calls).toBe(0);
  });

  it.each([
    { name: '@koa/bodyparser rawBody', make: () => bodyParser() },
    { name: 'koa-body includeUnparsed', make: () => koaBody({ includeUnparsed: true }) },
  ])('the raw text kept by $name is verified (and a change refused)', async ({ make }) => {
    const origin = await startReversed(make());
    const ok = await post(origin, 'application/json', '{"kept":"é"}');
    expect(await ok.json()).toEqual({ body: { kept: 'é' } });
    const refused = await problemOf(await post(origin, 'application/json', '{"kept":"é"}', '{"kept":"e"}'));
    expect(refused).toMatchObject({ status: 400, code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(handler.calls).toBe(1);
  });
});
