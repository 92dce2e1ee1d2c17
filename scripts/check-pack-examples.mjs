/**
 * The README examples of each package, as scripts that run in an outside project where the packed
 * tarballs are installed (scripts/check-pack.mjs). Each follows its README's first example, with
 * the README's free names (privateJwk, clientPublicKey, api.example.com, …) bound to generated
 * keys and servers on 127.0.0.1, and checks the outcome the README promises. Exit 0 = it worked.
 */

/** Shared by the examples: keys, a loopback Express verifier, and a check that exits loudly. */
const support = `
import { createServer } from 'node:http';
import { exportKey, generateKey, importKey } from '@httpsig/core';

export function check(condition, message) {
  if (!condition) {
    console.error('example check failed: ' + message);
    process.exit(1);
  }
}

export async function clientKeys() {
  const pair = await generateKey('ed25519', { keyid: 'client-1', extractable: true });
  const privateJwk = await exportKey(pair.privateKey, 'jwk');
  const clientPublicJwk = await exportKey(pair.publicKey, 'jwk');
  const clientPublicKey = await importKey(clientPublicJwk, { alg: 'ed25519', keyid: 'client-1' });
  return { privateJwk, clientPublicJwk, clientPublicKey, privateKey: pair.privateKey };
}

/** A Node server that answers through a Web handler (Request -> Response). */
export async function listenWeb(handler) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const url = 'http://' + req.headers.host + req.url;
    const body = ['GET', 'HEAD'].includes(req.method) ? undefined : Buffer.concat(chunks);
    const response = await handler(new Request(url, { method: req.method, headers: req.headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: 'http://127.0.0.1:' + server.address().port, close: () => server.close() };
}

export async function listenNode(app) {
  const server = createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: 'http://127.0.0.1:' + server.address().port, close: () => server.close() };
}
`;

export const examples = {
  'support.mjs': support,

  // Repository README, "Signing and verifying".
  'core.mjs': `
import { generateKey, signMessage, verifyMessage } from '@httpsig/core';
import { check } from './support.mjs';

const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
const request = new Request('https://api.example.com/orders?currency=EUR', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"amount":10}',
});
const signed = await signMessage(request, {
  key: privateKey,
  components: ['@method', '@authority', '@path', '@query', 'content-type'],
  params: { created: true, keyid: 'client-1' },
});
for (const [name, value] of Object.entries(signed.headers)) request.headers.set(name, value);
const verified = await verifyMessage(request, {
  keys: { 'client-1': publicKey },
  requiredComponents: ['@method', '@authority', '@path'],
  algorithms: ['ed25519'],
  maxAge: 300,
  clockSkew: 5,
});
check(verified.keyid === 'client-1', 'keyid');
check(verified.components.includes('"content-digest"'), 'content-digest covered');
`,

  // packages/express and packages/fetch READMEs: an Express verifier and a signing fetch.
  'express-fetch.mjs': `
import { importKey } from '@httpsig/core';
import { verifySignatures } from '@httpsig/express';
import { createSignedFetch } from '@httpsig/fetch';
import express from 'express';
import { check, clientKeys, listenNode } from './support.mjs';

const { privateJwk, clientPublicJwk } = await clientKeys();
const app = express();
const server = await listenNode(app);
app.use(
  verifySignatures({
    keys: { 'client-1': await importKey(clientPublicJwk, { alg: 'ed25519', keyid: 'client-1' }) },
    origin: server.url,
  }),
);
app.use(express.json());
app.post('/orders', (req, res) => res.json({ from: req.signature?.keyid, order: req.body }));

const key = await importKey(privateJwk, { alg: 'ed25519', keyid: 'client-1' });
const signedFetch = createSignedFetch({ key });
const order = { item: 'book', qty: 2 };
const response = await signedFetch(server.url + '/orders', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(order),
});
const answer = await response.json();
check(response.status === 200 && answer.from === 'client-1' && answer.order.qty === 2, JSON.stringify(answer));
const unsigned = await fetch(server.url + '/orders', { method: 'POST', body: '{}' });
check(unsigned.status === 401, 'unsigned request status ' + unsigned.status);
server.close();
`,

  // packages/koa README, with packages/axios README as the client.
  'koa-axios.mjs': `
import { importKey } from '@httpsig/core';
import { verifySignatures } from '@httpsig/koa';
import { withSignatures } from '@httpsig/axios';
import { bodyParser } from '@koa/bodyparser';
import axios from 'axios';
import Koa from 'koa';
import { check, clientKeys, listenNode } from './support.mjs';

const { privateJwk, clientPublicJwk } = await clientKeys();
const app = new Koa();
// Koa composes its middleware when callback() is called: call it per request.
const server = await listenNode((req, res) => app.callback()(req, res));
app.use(
  verifySignatures({
    keys: { 'client-1': await importKey(clientPublicJwk, { alg: 'ed25519', keyid: 'client-1' }) },
    origin: server.url,
  }),
);
app.use(bodyParser());
app.use((ctx) => {
  ctx.body = { from: ctx.state.signature?.keyid, order: ctx.request.body };
});

const key = await importKey(privateJwk, { alg: 'ed25519', keyid: 'client-1' });
const api = withSignatures(axios.create({ baseURL: server.url }), { key });
const { data } = await api.post('/orders', { item: 'th\\u00e9', qty: 2 }, { params: { currency: 'EUR' } });
check(data.from === 'client-1' && data.order.item === 'th\\u00e9', JSON.stringify(data));
server.close();
`,

  // packages/fastify README (without @fastify/formbody), with packages/node README as the client.
  'fastify-node.mjs': `
import { importKey } from '@httpsig/core';
import { httpSignatures } from '@httpsig/fastify';
import { signedRequest } from '@httpsig/node';
import Fastify from 'fastify';
import { check, clientKeys } from './support.mjs';

const { privateJwk, clientPublicKey } = await clientKeys();
const app = Fastify();
// The origin is pinned before listening: the port is chosen first.
const probe = await import('node:net').then(({ createServer }) => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const port = s.address().port; s.close(() => resolve(port)); });
}));
const origin = 'http://127.0.0.1:' + probe;
await app.register(httpSignatures, { keys: { 'client-1': clientPublicKey }, origin });
app.post('/orders', async (request) => ({ from: request.signature?.keyid, order: request.body }));
app.get('/health', { config: { httpSignatures: false } }, async () => ({ ok: true }));
await app.listen({ port: probe, host: '127.0.0.1' });

const key = await importKey(privateJwk, { alg: 'ed25519', keyid: 'client-1' });
const response = await signedRequest(origin + '/orders?ref=42', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ item: 'book' }),
  signing: { key, expiresIn: 60 },
});
let text = '';
for await (const chunk of response) text += chunk;
const answer = JSON.parse(text);
check(response.statusCode === 200 && answer.from === 'client-1' && answer.order.item === 'book', text);
const health = await fetch(origin + '/health');
check(health.status === 200, 'health status ' + health.status);
await app.close();
`,

  // packages/server README: a Web-standard handler.
  'server.mjs': `
import { checkRequest } from '@httpsig/server';
import { createSignedFetch } from '@httpsig/fetch';
import { check, clientKeys, listenWeb } from './support.mjs';

const { privateKey, clientPublicKey } = await clientKeys();
let signatures;
const worker = {
  async fetch(request) {
    const result = await checkRequest(request, signatures);
    if (!result.ok) return result.response;
    const order = await request.json();
    return Response.json({ from: result.signature.keyid, order });
  },
};
const server = await listenWeb((request) => worker.fetch(request));
signatures = { keys: { 'client-1': clientPublicKey }, origin: server.url };
const response = await createSignedFetch({ key: privateKey })(server.url + '/orders', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ qty: 1 }),
});
const answer = await response.json();
check(answer.from === 'client-1' && answer.order.qty === 1, JSON.stringify(answer));
const refused = await fetch(server.url + '/orders', { method: 'POST', body: '{}' });
check(refused.status === 401 && refused.headers.get('accept-signature') !== null, 'refusal ' + refused.status);
server.close();
`,

  // packages/msw README: a verifying handler in setupServer.
  'msw.mjs': `
import { withSignature } from '@httpsig/msw';
import { createSignedFetch } from '@httpsig/fetch';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { check, clientKeys } from './support.mjs';

const { privateKey, clientPublicKey } = await clientKeys();
const policy = { keys: { 'client-1': clientPublicKey }, requiredComponents: ['@method', '@target-uri'] };
const server = setupServer(
  http.post(
    'https://api.example.com/orders',
    withSignature(policy, ({ signature }) => HttpResponse.json({ keyid: signature.keyid })),
  ),
);
server.listen({ onUnhandledRequest: 'error' });
const signed = await createSignedFetch({ key: privateKey })('https://api.example.com/orders', { method: 'POST', body: '{}' });
check((await signed.json()).keyid === 'client-1', 'signed request accepted');
const unsigned = await fetch('https://api.example.com/orders', { method: 'POST', body: '{}' });
check(unsigned.status === 401, 'unsigned status ' + unsigned.status);
server.close();
`,

  // packages/keys README: key resolvers (staticKeys: the JWKS example needs an https identity provider).
  'keys.mjs': `
import { signMessage, verifyMessage } from '@httpsig/core';
import { staticKeys } from '@httpsig/keys';
import { check, clientKeys } from './support.mjs';

const { privateKey, clientPublicKey } = await clientKeys();
const request = { method: 'GET', url: 'https://api.example.com/a', headers: {} };
const signed = await signMessage(request, { key: privateKey, components: ['@method', '@path'] });
const verified = await verifyMessage(
  { ...request, headers: signed.headers },
  { keys: staticKeys({ 'client-1': clientPublicKey }), requiredComponents: ['@method', '@path'] },
);
check(verified.keyid === 'client-1', 'keyid');
`,

  // packages/redis README: a shared nonce store behind createVerifier (needs REDIS_URL).
  'redis.mjs': `
import { createRedisNonceStore } from '@httpsig/redis';
import { createVerifier, checkRequest } from '@httpsig/server';
import { signMessage } from '@httpsig/core';
import { Redis } from 'ioredis';
import { check, clientKeys } from './support.mjs';

const redis = new Redis(process.env.REDIS_URL);
redis.on('error', (error) => console.error('redis', error.message));
const { privateKey, clientPublicKey } = await clientKeys();
const verifier = createVerifier({
  keys: { 'client-1': clientPublicKey },
  origin: 'https://api.example.com',
  nonceStore: createRedisNonceStore({ client: redis }),
});
const url = 'https://api.example.com/pay';
const signed = await signMessage(new Request(url, { method: 'POST', body: 'once' }), {
  key: privateKey,
  components: ['@method', '@target-uri'],
  params: { created: true, keyid: 'client-1', nonce: true },
});
const send = () => new Request(url, { method: 'POST', body: 'once', headers: signed.headers });
check((await checkRequest(send(), verifier)).ok, 'first request accepted');
const replay = await checkRequest(send(), verifier);
check(!replay.ok && replay.error.code === 'ERR_HTTPSIG_REPLAY', 'replay refused: ' + replay.error?.code);
redis.disconnect();
`,
};
