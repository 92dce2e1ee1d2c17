/**
 * HTTP/2 (cleartext, Node's compatibility API): the authority comes from `:authority`, and a
 * body is read even without Content-Length, so an undigested body is refused rather than missed.
 */
import { connect, createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientKey, counter, type KeyPair, signedHeaders } from './support';

let client: KeyPair;
let server: Http2Server;
let origin: string;
const handler = counter();

beforeAll(async () => {
  client = await clientKey();
  const app = new Koa();
  app.use(verifySignatures({ keys: { client: client.publicKey } }));
  app.use(bodyParser());
  app.use((ctx) => {
    handler.calls++;
    ctx.body = {
      body: ctx.request.body ?? null,
      authority: ctx.state.signature?.base.match(/"@authority": (.*)/)?.[1],
    };
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => handler.reset());

/** One HTTP/2 request; the client sends `:authority`, no Host and (here) no Content-Length. */
function h2(path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const session = connect(origin);
    session.on('error', reject);
    const stream = session.request({ ':method': method, ':path': path, ...headers });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      session.close();
      resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('HTTP/2', () => {
  it('@authority is verified against :authority', async () => {
    const headers = await signedHeaders(
      client.privateKey,
      `${origin}/h2`,
      {},
      {
        components: ['@method', '@target-uri', '@authority'],
      },
    );
    const response = await h2('/h2', headers);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).authority).toBe(origin.slice('http://'.length));
  });

  it('a digested JSON body without Content-Length is verified and parsed', async () => {
    const body = '{"over":"h2"}';
    const headers = await signedHeaders(client.privateKey, `${origin}/h2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const response = await h2('/h2', headers, 'POST', body);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).body).toEqual({ over: 'h2' });
  });

  it('a body the signature does not digest is refused, even without Content-Length', async () => {
    const headers = await signedHeaders(client.privateKey, `${origin}/h2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    const response = await h2('/h2', headers, 'POST', '{"unsigned":true}');
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).code).toBe('ERR_HTTPSIG_POLICY');
    expect(handler.calls).toBe(0);
  });
});
