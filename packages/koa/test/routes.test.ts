/**
 * Per-route policy: `routes(ctx)` on an app-wide verifier, and one createKoaVerifier mounted on
 * @koa/router routes with different overrides, sharing a single replay store.
 */
import type { VerifyResult } from '@httpsig/core';
import { createKoaVerifier, type SignatureState, verifySignatures } from '@httpsig/koa';
import Router from '@koa/router';
import Koa from 'koa';
import { afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  clientKey,
  counter,
  type KeyPair,
  listen,
  problemOf,
  type Running,
  sendSigned,
  signedHeaders,
} from './support';

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

const echo: Koa.Middleware = (ctx) => {
  handler.calls++;
  ctx.body = { path: ctx.path, keyid: ctx.state.signature?.keyid ?? null };
};

const now = () => Math.floor(Date.now() / 1000);

describe('routes(ctx) on an app-wide verifier', () => {
  async function start() {
    const app = new Koa();
    app.use(
      verifySignatures({
        keys: { client: client.publicKey },
        routes: (ctx) => {
          if (ctx.path === '/health') return { skip: true };
          if (ctx.path.startsWith('/admin')) {
            return { requiredComponents: ['@method', '@target-uri', 'x-admin-reason'], maxAge: 30 };
          }
          return undefined;
        },
      }),
    );
    app.use(echo);
    running = await listen(app);
    return running.origin;
  }

  it('a skipped route runs without a signature, and without ctx.state.signature', async () => {
    const origin = await start();
    const response = await fetch(`${origin}/health`);
    expect(await response.json()).toEqual({ path: '/health', keyid: null });
  });

  it('a stricter route refuses what the default policy accepts', async () => {
    const origin = await start();
    expect((await sendSigned(client.privateKey, `${origin}/orders`)).status).toBe(200);
    const refused = await problemOf(await sendSigned(client.privateKey, `${origin}/admin/users`));
    expect(refused).toMatchObject({ status: 401, code: 'ERR_HTTPSIG_POLICY' });
    // Two minutes old: fine by the default maxAge, too old for this route's 30 seconds.
    const old = await sendSigned(
      client.privateKey,
      `${origin}/admin/users`,
      { headers: { 'x-admin-reason': 'audit' } },
      {
        components: ['@method', '@target-uri', 'x-admin-reason'],
        params: { created: now() - 120, keyid: 'client', nonce: true },
      },
    );
    expect((await problemOf(old)).code).toBe('ERR_HTTPSIG_EXPIRED');
    const fresh = await sendSigned(
      client.privateKey,
      `${origin}/admin/users`,
      { headers: { 'x-admin-reason': 'audit' } },
      { components: ['@method', '@target-uri', 'x-admin-reason'] },
    );
    expect(fresh.status).toBe(200);
    expect(handler.calls).toBe(2);
  });

  it('the 401 hint of a stricter route names its components', async () => {
    const origin = await start();
    const response = await fetch(`${origin}/admin/users`);
    expect(response.headers.get('accept-signature')).toContain('"x-admin-reason"');
  });
});

describe('createKoaVerifier with @koa/router', () => {
  async function start(mountAppWide = false) {
    const signatures = createKoaVerifier({ keys: { client: client.publicKey } });
    const app = new Koa<SignatureState>();
    if (mountAppWide) app.use(signatures.verify());
    const router = new Router<SignatureState>();
    router.get('/public', (ctx) => {
      handler.calls++;
      ctx.body = 'public';
    });
    router.get('/orders', signatures.verify(), echo);
    router.get('/reports', signatures.verify({ tag: 'reporting' }), echo);
    router.get('/typed', signatures.verify(), (ctx) => {
      // With SignatureState the result is there without a check.
      expectTypeOf(ctx.state.signature).toEqualTypeOf<VerifyResult>();
      ctx.body = ctx.state.signature.components;
    });
    app.use(router.routes());
    running = await listen(app);
    return running.origin;
  }

  it('each route applies its own overrides; unmounted routes are open', async () => {
    const origin = await start();
    expect(await (await fetch(`${origin}/public`)).text()).toBe('public');
    expect((await sendSigned(client.privateKey, `${origin}/orders`)).status).toBe(200);
    const untagged = await problemOf(await sendSigned(client.privateKey, `${origin}/reports`));
    expect(untagged).toMatchObject({ status: 401, code: 'ERR_HTTPSIG_POLICY' });
    const tagged = await sendSigned(
      client.privateKey,
      `${origin}/reports`,
      {},
      { params: { created: true, keyid: 'client', nonce: true, tag: 'reporting' } },
    );
    expect(tagged.status).toBe(200);
    expect(await (await sendSigned(client.privateKey, `${origin}/typed`)).json()).toEqual([
      '"@method"',
      '"@target-uri"',
    ]);
    expect(handler.calls).toBe(3);
  });

  it('routes share one replay store: a nonce used on one route is refused on another', async () => {
    const origin = await start();
    const nonce = 'shared-nonce-1';
    const params = { created: true as const, keyid: 'client', nonce, tag: 'reporting' };
    expect((await sendSigned(client.privateKey, `${origin}/orders`, {}, { params })).status).toBe(200);
    const replayed = await problemOf(
      await sendSigned(client.privateKey, `${origin}/reports`, {}, { params }),
    );
    expect(replayed).toMatchObject({ status: 401, code: 'ERR_HTTPSIG_REPLAY' });
    expect(handler.calls).toBe(1);
  });

  it('app-wide and again on a route: the stricter route policy applies, the nonce is not replayed', async () => {
    const origin = await start(true);
    expect((await sendSigned(client.privateKey, `${origin}/orders`)).status).toBe(200);
    const untagged = await problemOf(await sendSigned(client.privateKey, `${origin}/reports`));
    expect(untagged.code).toBe('ERR_HTTPSIG_POLICY');
    const headers = await signedHeaders(
      client.privateKey,
      `${origin}/reports`,
      {},
      { params: { created: true, keyid: 'client', nonce: true, tag: 'reporting' } },
    );
    expect((await fetch(`${origin}/reports`, { headers })).status).toBe(200);
    // The same request again is still a replay.
    expect((await problemOf(await fetch(`${origin}/reports`, { headers }))).code).toBe('ERR_HTTPSIG_REPLAY');
    expect(handler.calls).toBe(2);
  });
});
