/**
 * @scheme/@authority behind a proxy: forwarded fields are believed only from trustedProxies, a
 * pinned origin wins over Host, and requireTls refuses plain HTTP (per the connection or a
 * trusted proxy).
 */
import { type VerifySignaturesOptions, verifySignatures } from '@httpsig/express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKeys, testKeys } from './lib/keys';
import { closeAll, listen, type Running, versions } from './lib/server';
import { problem, send, signRequest } from './lib/sign';

afterAll(closeAll);

const publicOrigin = 'https://api.example.com';
const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  let calls = 0;

  async function start(options: Omit<VerifySignaturesOptions, 'keys'>): Promise<Running> {
    const app = express();
    app.use(verifySignatures({ keys: keys.trusted, ...options }));
    app.use((_req, res) => {
      calls++;
      res.json({ ok: true });
    });
    return listen(app);
  }

  /** Sign for `signedUrl`, send to the local server at `path` with extra (unsigned) headers. */
  async function via(server: Running, signedUrl: string, path: string, headers: Record<string, string> = {}) {
    const signed = await signRequest(signedUrl, {}, keys.client);
    return send(server.url(path), { ...signed, headers: { ...signed.headers, ...headers } });
  }

  let trusting: Running;
  let untrusting: Running;
  let pinned: Running;
  let tlsOnly: Running;

  beforeAll(async () => {
    keys = await testKeys();
    trusting = await start({ trustedProxies: ['127.0.0.1', '::1'] });
    untrusting = await start({});
    pinned = await start({ origin: publicOrigin });
    tlsOnly = await start({ trustedProxies: ['127.0.0.1', '::1'], requireTls: true });
  });

  it('believes X-Forwarded-Proto/Host from a trusted proxy', async () => {
    expect((await via(trusting, `${publicOrigin}/orders?x=1`, '/orders?x=1', forwarded)).status).toBe(200);
  });

  it('believes Forwarded (RFC 7239) from a trusted proxy', async () => {
    const res = await via(trusting, `${publicOrigin}/orders`, '/orders', {
      forwarded: 'for=203.0.113.7;proto=https;host=api.example.com',
    });
    expect(res.status).toBe(200);
  });

  it('a trusted proxy’s forwarded fields replace the local origin', async () => {
    const res = await via(trusting, trusting.url('/orders'), '/orders', forwarded);
    expect(res.status).toBe(401);
    expect((await problem(res)).code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('ignores forwarded fields without trustedProxies', async () => {
    const before = calls;
    const res = await via(untrusting, `${publicOrigin}/orders`, '/orders', forwarded);
    expect(res.status).toBe(401);
    expect((await problem(res)).code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(calls).toBe(before);
    // A client cannot move the origin by forging them either.
    expect((await via(untrusting, untrusting.url('/orders'), '/orders', forwarded)).status).toBe(200);
  });

  it('verifies against a pinned origin, whatever Host says', async () => {
    expect((await via(pinned, `${publicOrigin}/orders`, '/orders')).status).toBe(200);
    const res = await via(pinned, pinned.url('/orders'), '/orders');
    expect(res.status).toBe(401);
  });

  it('requireTls refuses plain HTTP with 403 and accepts HTTPS from a trusted proxy', async () => {
    const before = calls;
    const plain = await via(tlsOnly, tlsOnly.url('/orders'), '/orders');
    expect(plain.status).toBe(403);
    expect((await problem(plain)).code).toBe('ERR_HTTPSIG_TLS_REQUIRED');
    expect(calls).toBe(before);
    expect((await via(tlsOnly, `${publicOrigin}/orders`, '/orders', forwarded)).status).toBe(200);
  });
});
