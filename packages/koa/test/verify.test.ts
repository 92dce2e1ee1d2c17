/**
 * verifySignatures on a real Koa 3 server: a valid signature reaches the handler with the result
 * on ctx.state.signature; every tampering and policy failure is refused with its status, code
 * and problem+json, and the handler never runs.
 */

import { generateKey, type HttpSigError, type NonceStore, type VerifyResult } from '@httpsig/core';
import { verifySignatures } from '@httpsig/koa';
import type { IncomingRequestInfo } from '@httpsig/server';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
let stranger: KeyPair;
let ecdsa: KeyPair;
let server: Running;
const handler = counter();
const errors: HttpSigError[] = [];
const verified: VerifyResult[] = [];

beforeAll(async () => {
  client = await clientKey('client');
  stranger = await clientKey('stranger');
  ecdsa = await generateKey('ecdsa-p256-sha256', { keyid: 'client' });
  const app = new Koa();
  app.use(
    verifySignatures({
      keys: { client: client.publicKey },
      onError: (error: HttpSigError, _request: IncomingRequestInfo) => errors.push(error),
      onVerified: (signature) => verified.push(signature),
      authorize: (_signature, request) => request.target !== '/forbidden',
    }),
  );
  app.use(bodyParser());
  app.use((ctx) => {
    handler.calls++;
    ctx.body = { keyid: ctx.state.signature?.keyid, body: ctx.request.body ?? null };
  });
  server = await listen(app);
});
afterAll(() => server.close());
beforeEach(() => {
  handler.reset();
  errors.length = 0;
  verified.length = 0;
});

const url = (path: string) => `${server.origin}${path}`;
const now = () => Math.floor(Date.now() / 1000);

describe('a valid signature', () => {
  it('reaches the handler with the verified result on ctx.state.signature', async () => {
    const response = await sendSigned(client.privateKey, url('/orders?id=1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"item":"book"}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keyid: 'client', body: { item: 'book' } });
    expect(handler.calls).toBe(1);
    expect(verified.map((v) => v.keyid)).toEqual(['client']);
    expect(errors).toEqual([]);
  });
});

describe('refusals: the handler does not run', () => {
  /** Each case signs one request and sends another (or a changed copy). */
  const cases: {
    name: string;
    send: () => Promise<Response>;
    status: number;
    code: string;
  }[] = [
    {
      name: 'method changed',
      send: async () =>
        fetch(url('/orders'), {
          method: 'PUT',
          headers: await signedHeaders(client.privateKey, url('/orders'), { method: 'DELETE' }),
        }),
      status: 401,
      code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    },
    {
      name: 'path changed',
      send: async () =>
        fetch(url('/orders/2'), { headers: await signedHeaders(client.privateKey, url('/orders/1')) }),
      status: 401,
      code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    },
    {
      name: 'query changed',
      send: async () =>
        fetch(url('/orders?id=2'), { headers: await signedHeaders(client.privateKey, url('/orders?id=1')) }),
      status: 401,
      code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    },
    {
      name: 'covered header changed',
      send: async () => {
        const headers = await signedHeaders(
          client.privateKey,
          url('/orders'),
          { headers: { 'x-account': 'alice' } },
          { components: ['@method', '@target-uri', 'x-account'] },
        );
        return fetch(url('/orders'), { headers: { ...headers, 'x-account': 'mallory' } });
      },
      status: 401,
      code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    },
    {
      name: 'body changed',
      send: async () => {
        const headers = await signedHeaders(client.privateKey, url('/orders'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"amount":1}',
        });
        return fetch(url('/orders'), { method: 'POST', headers, body: '{"amount":9}' });
      },
      status: 400,
      code: 'ERR_HTTPSIG_DIGEST_MISMATCH',
    },
    {
      name: 'body not covered by a digest',
      send: async () => {
        const headers = await signedHeaders(
          client.privateKey,
          url('/orders'),
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":1}' },
          { digest: false },
        );
        return fetch(url('/orders'), { method: 'POST', headers, body: '{"amount":1}' });
      },
      status: 401,
      code: 'ERR_HTTPSIG_POLICY',
    },
    {
      name: 'missing signature',
      send: () => fetch(url('/orders')),
      status: 401,
      code: 'ERR_HTTPSIG_MISSING_SIGNATURE',
    },
    {
      name: 'expired (created beyond maxAge)',
      send: () =>
        sendSigned(
          client.privateKey,
          url('/orders'),
          {},
          { params: { created: now() - 3600, keyid: 'client', nonce: true } },
        ),
      status: 401,
      code: 'ERR_HTTPSIG_EXPIRED',
    },
    {
      name: 'created in the future',
      send: () =>
        sendSigned(
          client.privateKey,
          url('/orders'),
          {},
          { params: { created: now() + 3600, keyid: 'client', nonce: true } },
        ),
      status: 401,
      code: 'ERR_HTTPSIG_NOT_YET_VALID',
    },
    {
      name: 'unknown key',
      send: () => sendSigned(stranger.privateKey, url('/orders')),
      status: 401,
      code: 'ERR_HTTPSIG_UNKNOWN_KEY',
    },
    {
      name: 'wrong algorithm (an ECDSA signature for the Ed25519 keyid)',
      send: () =>
        sendSigned(
          ecdsa.privateKey,
          url('/orders'),
          {},
          { params: { created: true, keyid: 'client', nonce: true, alg: 'ecdsa-p256-sha256' } },
        ),
      status: 401,
      code: 'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    },
    {
      name: 'nonce missing where required',
      send: () =>
        sendSigned(client.privateKey, url('/orders'), {}, { params: { created: true, keyid: 'client' } }),
      status: 401,
      code: 'ERR_HTTPSIG_POLICY',
    },
    {
      name: 'authorization rule refuses',
      send: () => sendSigned(client.privateKey, url('/forbidden')),
      status: 403,
      code: 'ERR_HTTPSIG_FORBIDDEN',
    },
  ];

  it.each(cases)('$name → $status $code', async ({ send, status, code }) => {
    const refused = await problemOf(await send());
    expect(refused.status).toBe(status);
    expect(refused.code).toBe(code);
    expect(refused.contentType).toBe('application/problem+json');
    expect(refused.problem).toMatchObject({ status, code, type: 'about:blank' });
    expect(handler.calls).toBe(0);
    expect(errors.map((e) => e.code)).toEqual([code]);
  });

  it('a replayed request (same nonce) is refused the second time', async () => {
    const headers = await signedHeaders(client.privateKey, url('/orders'));
    expect((await fetch(url('/orders'), { headers })).status).toBe(200);
    const replay = await problemOf(await fetch(url('/orders'), { headers }));
    expect(replay).toMatchObject({ status: 401, code: 'ERR_HTTPSIG_REPLAY' });
    expect(handler.calls).toBe(1);
  });

  it('a 401 says what to sign in Accept-Signature', async () => {
    const response = await fetch(url('/orders'));
    expect(response.headers.get('accept-signature')).toMatch(/^sig1=\("@method" "@target-uri".*nonce/);
    expect(handler.calls).toBe(0);
  });
});

describe('problem documents', () => {
  it('hold nothing secret, and the server base only with debug', async () => {
    const app = new Koa();
    app.use(verifySignatures({ keys: { client: client.publicKey }, debug: true }));
    app.use((ctx) => {
      ctx.body = 'unreachable';
    });
    const debugServer = await listen(app);
    try {
      const target = `${debugServer.origin}/orders`;
      const headers = await signedHeaders(client.privateKey, `${target}?id=1`);
      const refused = await problemOf(await fetch(target, { headers }));
      expect(refused.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
      expect(refused.problem.debug).toMatchObject({
        targetUri: target,
        signatureBase: expect.stringContaining(`"@target-uri": ${target}\n`),
      });
    } finally {
      await debugServer.close();
    }
    const plain = await problemOf(await fetch(url('/orders')));
    expect(plain.problem.debug).toBeUndefined();
    expect(JSON.stringify(plain.problem)).not.toMatch(/signature-input|base/i);
  });

  it('a failing nonce store answers 503 and the handler does not run', async () => {
    const failing: NonceStore = {
      consume: () => Promise.reject(new Error('store down')),
    };
    const app = new Koa();
    let calls = 0;
    app.use(verifySignatures({ keys: { client: client.publicKey }, nonceStore: failing }));
    app.use((ctx) => {
      calls++;
      ctx.body = 'ok';
    });
    const storeServer = await listen(app);
    try {
      const refused = await problemOf(await sendSigned(client.privateKey, `${storeServer.origin}/x`));
      expect(refused).toMatchObject({ status: 503, code: 'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE' });
      expect(calls).toBe(0);
    } finally {
      await storeServer.close();
    }
  });
});
