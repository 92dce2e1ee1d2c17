/**
 * Per-route policy through `config.httpSignatures`: opt out, stricter components and tag,
 * authorization; `global: false` to verify only routes that opt in; the plugin's scope.
 */
import type { HttpSigError, VerifyResult } from '@httpsig/core';
import Fastify, { type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpSignatures } from '../src/index';
import { createKeys, type Keys, problemOf, sendSigned, startServer, type TestServer } from './support';

let keys: Keys;
let calls = 0;
const handler = async (request: FastifyRequest) => {
  calls++;
  return { signature: request.signature?.keyid ?? null };
};

beforeAll(async () => {
  keys = await createKeys();
});
beforeEach(() => {
  calls = 0;
});

describe('global (the default): every route is verified unless it opts out', () => {
  let server: TestServer;
  const verified: VerifyResult[] = [];
  const refused: HttpSigError[] = [];
  beforeAll(async () => {
    server = await startServer(
      {
        keys: { 'client-1': keys.client.publicKey },
        onVerified: (signature) => verified.push(signature),
        onError: (error) => refused.push(error),
      },
      (app) => {
        app.get('/verified', handler);
        app.get('/public', { config: { httpSignatures: false } }, handler);
        app.get('/skipped', { config: { httpSignatures: { skip: true } } }, handler);
        app.get(
          '/strict',
          {
            config: {
              httpSignatures: { requiredComponents: ['@method', '@target-uri', 'x-account'], tag: 'orders' },
            },
          },
          handler,
        );
        app.get(
          '/admin',
          { config: { httpSignatures: { authorize: (signature) => signature.keyid === 'admin' } } },
          handler,
        );
      },
    );
  });
  afterAll(() => server.close());

  it('verifies a route without config', async () => {
    expect((await fetch(server.url('/verified'))).status).toBe(401);
    const response = await sendSigned(server.url('/verified'), { key: keys.client.privateKey });
    expect(await response.json()).toEqual({ signature: 'client-1' });
    expect(calls).toBe(1);
  });

  it('lets `httpSignatures: false` and `{ skip: true }` through unverified, with a null signature', async () => {
    for (const path of ['/public', '/skipped']) {
      const response = await fetch(server.url(path));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ signature: null });
    }
    expect(calls).toBe(2);
  });

  it('applies a stricter route policy: required components', async () => {
    const response = await sendSigned(server.url('/strict'), { key: keys.client.privateKey, tag: 'orders' });
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_POLICY');
    // The hint names what this route wants.
    expect(response.headers.get('accept-signature')).toContain('"x-account"');
    expect(response.headers.get('accept-signature')).toContain('tag="orders"');
    expect(calls).toBe(0);
  });

  it('applies a stricter route policy: the tag', async () => {
    const init = {
      key: keys.client.privateKey,
      headers: { 'x-account': 'alice' },
      components: ['@method', '@target-uri', 'x-account'],
    };
    const wrongTag = await sendSigned(server.url('/strict'), { ...init, tag: 'other' });
    expect(wrongTag.status).toBe(401);
    expect((await problemOf(wrongTag)).code).toBe('ERR_HTTPSIG_POLICY');
    expect(calls).toBe(0);
    const ok = await sendSigned(server.url('/strict'), { ...init, tag: 'orders' });
    expect(ok.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('refuses a valid signature that the route’s authorize rule rejects: 403', async () => {
    const response = await sendSigned(server.url('/admin'), { key: keys.client.privateKey });
    expect(response.status).toBe(403);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_FORBIDDEN');
    expect(response.headers.get('accept-signature')).toBeNull();
    expect(calls).toBe(0);
  });

  it('reports to onVerified and onError', async () => {
    verified.length = 0;
    refused.length = 0;
    await sendSigned(server.url('/verified'), { key: keys.client.privateKey });
    await fetch(server.url('/verified'));
    expect(verified.map((signature) => signature.keyid)).toEqual(['client-1']);
    expect(refused.map((error) => error.code)).toEqual(['ERR_HTTPSIG_MISSING_SIGNATURE']);
  });

  it('verifies requests to unknown paths too, so routes cannot be probed unsigned', async () => {
    expect((await fetch(server.url('/nowhere'))).status).toBe(401);
    expect((await sendSigned(server.url('/nowhere'), { key: keys.client.privateKey })).status).toBe(404);
  });
});

describe('global: false: only routes that opt in are verified', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ keys: { 'client-1': keys.client.publicKey }, global: false }, (app) => {
      app.get('/open', handler);
      app.get('/signed', { config: { httpSignatures: true } }, handler);
      app.get('/tagged', { config: { httpSignatures: { tag: 'orders' } } }, handler);
    });
  });
  afterAll(() => server.close());

  it('leaves a route without config open', async () => {
    const response = await fetch(server.url('/open'));
    expect(await response.json()).toEqual({ signature: null });
  });

  it('verifies `httpSignatures: true` and a policy object', async () => {
    expect((await fetch(server.url('/signed'))).status).toBe(401);
    expect((await fetch(server.url('/tagged'))).status).toBe(401);
    const signed = await sendSigned(server.url('/signed'), { key: keys.client.privateKey });
    expect(await signed.json()).toEqual({ signature: 'client-1' });
    const tagged = await sendSigned(server.url('/tagged'), { key: keys.client.privateKey, tag: 'orders' });
    expect(await tagged.json()).toEqual({ signature: 'client-1' });
    expect(calls).toBe(2);
  });
});

describe('scope', () => {
  it('verifies only the routes of the context the plugin is registered in', async () => {
    const app = Fastify();
    app.get('/outside', handler);
    await app.register(
      async (api) => {
        await api.register(httpSignatures, { keys: { 'client-1': keys.client.publicKey } });
        api.get('/inside', handler);
      },
      { prefix: '/api' },
    );
    const outside = await app.inject({ url: '/outside' });
    const inside = await app.inject({ url: '/api/inside' });
    expect(outside.statusCode).toBe(200);
    expect(inside.statusCode).toBe(401);
    await app.close();
  });

  it('refuses a malformed route config when the route is declared', async () => {
    const app = Fastify();
    await app.register(httpSignatures, { keys: { 'client-1': keys.client.publicKey } });
    expect(() =>
      app.get('/bad', { config: { httpSignatures: 'yes' as unknown as boolean } }, handler),
    ).toThrow(/config.httpSignatures must be a boolean or an object/);
    expect(() =>
      app.get('/keys', { config: { httpSignatures: { keys: {} } as unknown as boolean } }, handler),
    ).toThrow(/keys can only be set on the plugin/);
    // The origin is settled by the plugin for its whole scope, so a route cannot loosen or tighten it.
    expect(() =>
      app.get('/tls', { config: { httpSignatures: { requireTls: true } as unknown as boolean } }, handler),
    ).toThrow(/requireTls can only be set on the plugin/);
    await app.close();
  });

  it('refuses options without keys at registration', async () => {
    const app = Fastify();
    await expect(app.register(httpSignatures, {} as never)).rejects.toThrow(/keys/);
    await app.close();
  });
});
