/**
 * End to end with the fetch client adapter: createSignedFetch signs what it sends, the Koa app
 * verifies it before @koa/bodyparser and signs its answer, and the client verifies that answer.
 */
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { signResponses, verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientKey, counter, type KeyPair, listen, type Running } from './support';

let client: KeyPair;
let server: KeyPair;
let running: Running;
const handler = counter();

beforeAll(async () => {
  client = await clientKey('client');
  server = await clientKey('server');
  const app = new Koa();
  // Outermost, so refusals from the verifier are signed too.
  app.use(signResponses({ key: server.privateKey }));
  app.use(verifySignatures({ keys: { client: client.publicKey } }));
  app.use(bodyParser());
  app.use((ctx) => {
    handler.calls++;
    ctx.body = {
      method: ctx.method,
      query: ctx.query,
      body: ctx.request.body ?? null,
      keyid: ctx.state.signature?.keyid,
    };
  });
  running = await listen(app);
});
afterAll(() => running.close());
beforeEach(() => handler.reset());

/** What the client requires of every answer: the server's key, bound to the request, body digested. */
const verifyResponse = () => ({
  keys: { server: server.publicKey },
  requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
});

describe('createSignedFetch against the Koa app', () => {
  it('a signed JSON POST is verified, parsed and answered with a verified signature', async () => {
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      nonce: true,
      verifyResponse: verifyResponse(),
    });
    const response = await signedFetch(`${running.origin}/orders?id=3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'lamp', qty: 2 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      method: 'POST',
      query: { id: '3' },
      body: { item: 'lamp', qty: 2 },
      keyid: 'client',
    });
    expect(responseSignature(response)?.keyid).toBe('server');
    expect(handler.calls).toBe(1);
  });

  it('a GET and a urlencoded PUT', async () => {
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      nonce: true,
      verifyResponse: verifyResponse(),
    });
    expect((await signedFetch(`${running.origin}/items`)).status).toBe(200);
    const put = await signedFetch(`${running.origin}/items/1`, {
      method: 'PUT',
      body: new URLSearchParams({ name: 'chair' }),
    });
    expect((await put.json()).body).toEqual({ name: 'chair' });
    expect(handler.calls).toBe(2);
  });

  it('without a nonce the server refuses with a signed 401 the client can check', async () => {
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      nonce: false,
      verifyResponse: verifyResponse(),
    });
    const response = await signedFetch(`${running.origin}/items`);
    expect(response.status).toBe(401);
    expect(responseSignature(response)?.keyid).toBe('server');
    expect(handler.calls).toBe(0);
  });

  it('answering the Accept-Signature challenge succeeds', async () => {
    // Signed without a nonce first; the 401's Accept-Signature asks for one.
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      nonce: false,
      fulfilAcceptSignature: true,
    });
    const response = await signedFetch(`${running.origin}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"retry":true}',
    });
    expect(response.status).toBe(200);
    expect((await response.json()).body).toEqual({ retry: true });
    expect(handler.calls).toBe(1);
  });
});
