/**
 * @authority and @scheme behind a proxy: a client signs the public URL, the Koa app sees the
 * backend address. Forwarded fields count only from trusted proxies; a pinned origin always;
 * the request line is the one received, whatever a mount rewrites in ctx.path.
 */
import { type KoaVerifierOptions, verifySignatures } from '@httpsig/koa';
import Koa from 'koa';
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

const publicUrl = 'https://api.example.com/orders?id=7';
const components = ['@method', '@target-uri', '@authority', '@scheme'];

async function start(options: Partial<KoaVerifierOptions>, before?: Koa.Middleware) {
  const app = new Koa();
  if (before) app.use(before);
  app.use(verifySignatures({ keys: { client: client.publicKey }, ...options }));
  app.use((ctx) => {
    handler.calls++;
    ctx.body = 'ok';
  });
  running = await listen(app);
  return running.origin;
}

/** The request a proxy in front of the app forwards: signed for `publicUrl`, sent to the backend. */
async function viaProxy(origin: string, forwarded: Record<string, string>, path = '/orders?id=7') {
  const headers = await signedHeaders(client.privateKey, publicUrl, {}, { components });
  return fetch(`${origin}${path}`, { headers: { ...headers, ...forwarded } });
}

const xForwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };

describe('forwarded fields', () => {
  it('X-Forwarded-Proto/Host from a trusted proxy give the public origin', async () => {
    const origin = await start({ trustedProxies: ['127.0.0.1'] });
    expect((await viaProxy(origin, xForwarded)).status).toBe(200);
    expect(handler.calls).toBe(1);
  });

  it('Forwarded (RFC 7239) from a trusted proxy gives the public origin', async () => {
    const origin = await start({ trustedProxies: ['127.0.0.0/8'] });
    const response = await viaProxy(origin, {
      forwarded: 'for=198.51.100.7;proto=https;host=api.example.com',
    });
    expect(response.status).toBe(200);
  });

  it('without trustedProxies the same fields are ignored and the request refused', async () => {
    const origin = await start({});
    const refused = await problemOf(await viaProxy(origin, xForwarded));
    expect(refused).toMatchObject({ status: 401, code: 'ERR_HTTPSIG_INVALID_SIGNATURE' });
    expect(handler.calls).toBe(0);
  });

  it('from a peer outside trustedProxies they are ignored too', async () => {
    const origin = await start({ trustedProxies: ['10.0.0.0/8'] });
    const refused = await problemOf(await viaProxy(origin, xForwarded));
    expect(refused.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(handler.calls).toBe(0);
  });

  it('a pinned origin wins over Host and forwarded fields', async () => {
    const origin = await start({ origin: 'https://api.example.com' });
    expect((await viaProxy(origin, { 'x-forwarded-host': 'evil.example' })).status).toBe(200);
  });
});

describe('requireTls', () => {
  it('plain http is refused with 403 unless a trusted proxy says https', async () => {
    const trusting = await start({ requireTls: true, trustedProxies: ['127.0.0.1'] });
    expect((await viaProxy(trusting, xForwarded)).status).toBe(200);
    const plain = await problemOf(await viaProxy(trusting, {}));
    expect(plain).toMatchObject({ status: 403, code: 'ERR_HTTPSIG_TLS_REQUIRED' });
    expect(handler.calls).toBe(1);
  });
});

describe('the request target', () => {
  it('is the one received, even when a middleware before the verifier rewrites ctx.path', async () => {
    // A mount strips its prefix from ctx.path (and so from req.url) before inner middleware runs.
    const stripPrefix: Koa.Middleware = async (ctx, next) => {
      ctx.path = ctx.path.replace(/^\/v1/, '') || '/';
      await next();
    };
    const origin = await start({ origin: 'https://api.example.com' }, stripPrefix);
    const headers = await signedHeaders(
      client.privateKey,
      'https://api.example.com/v1/orders?id=7',
      {},
      {
        components,
      },
    );
    expect((await fetch(`${origin}/v1/orders?id=7`, { headers })).status).toBe(200);
  });
});
