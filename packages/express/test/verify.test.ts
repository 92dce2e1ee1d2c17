/**
 * verifySignatures on Express 5 and 4, against requests signed with @httpsig/core: a valid
 * request reaches the handler with req.signature set; every tampering and policy failure is
 * refused with its status and code, and the handler never runs.
 */
import { verifySignatures } from '@httpsig/express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKeys, testKeys } from './lib/keys';
import { closeAll, listen, type Running, versions } from './lib/server';
import { problem, type SignedRequest, send, signAndSend, signRequest } from './lib/sign';

afterAll(closeAll);

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  let server: Running;
  let calls = 0;

  beforeAll(async () => {
    keys = await testKeys();
    const app = express();
    app.use(verifySignatures({ keys: keys.trusted }));
    app.use(express.json());
    app.use((req, res) => {
      calls++;
      res.json({ keyid: req.signature?.keyid, components: req.signature?.components, body: req.body });
    });
    server = await listen(app);
  });

  /** Send and expect a refusal; the handler must not have run. */
  async function refused(response: Promise<Response>, status: number, code: string) {
    const before = calls;
    const res = await response;
    expect(res.status).toBe(status);
    expect((await problem(res)).code).toBe(code);
    expect(calls).toBe(before);
    return res;
  }

  const json = (value: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('runs the handler for a valid GET, with the verified signature on req.signature', async () => {
    const before = calls;
    const res = await signAndSend(server.url('/orders?id=1'), {}, keys.client);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ keyid: 'client-1', components: ['"@method"', '"@target-uri"'] });
    expect(calls).toBe(before + 1);
  });

  it('runs the handler for a valid JSON POST, parsed by express.json() after the verifier', async () => {
    const res = await signAndSend(server.url('/orders'), json({ amount: 10 }), keys.client);
    expect(res.status).toBe(200);
    const result = (await res.json()) as { body: unknown; components: string[] };
    expect(result.body).toEqual({ amount: 10 });
    expect(result.components).toContain('"content-digest"');
  });

  describe('tampering', () => {
    const tamper = async (change: (signed: SignedRequest) => [string, SignedRequest]) => {
      const signed = await signRequest(server.url('/orders?id=1'), json({ amount: 10 }), keys.client);
      const [url, altered] = change(signed);
      return send(url, altered);
    };

    it('the method', () =>
      refused(
        tamper((s) => [server.url('/orders?id=1'), { ...s, method: 'PUT' }]),
        401,
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ));
    it('the path', () =>
      refused(
        tamper((s) => [server.url('/orders2?id=1'), s]),
        401,
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ));
    it('the query', () =>
      refused(
        tamper((s) => [server.url('/orders?id=2'), s]),
        401,
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ));
    it('a covered header', () =>
      refused(
        tamper((s) => [
          server.url('/orders?id=1'),
          { ...s, headers: { ...s.headers, 'content-type': 'application/vnd.other+json' } },
        ]),
        401,
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ));
    it('the body (same length)', () =>
      refused(
        tamper((s) => [server.url('/orders?id=1'), { ...s, body: JSON.stringify({ amount: 99 }) }]),
        400,
        'ERR_HTTPSIG_DIGEST_MISMATCH',
      ));
  });

  it('refuses a request without a signature and says what to sign in Accept-Signature', async () => {
    const res = await refused(
      fetch(server.url('/orders'), json({ amount: 10 })),
      401,
      'ERR_HTTPSIG_MISSING_SIGNATURE',
    );
    expect(res.headers.get('accept-signature')).toContain('"@method" "@target-uri" "content-digest"');
  });

  it('refuses a body the signature does not cover', () =>
    refused(
      signAndSend(server.url('/orders'), json({ amount: 10 }), keys.client, { digest: false }),
      401,
      'ERR_HTTPSIG_POLICY',
    ));

  it('refuses an expired signature', () =>
    refused(
      signAndSend(server.url('/orders'), {}, keys.client, {
        params: { created: now() - 3600, keyid: 'client-1', nonce: true },
      }),
      401,
      'ERR_HTTPSIG_EXPIRED',
    ));

  it('refuses a signature created in the future', () =>
    refused(
      signAndSend(server.url('/orders'), {}, keys.client, {
        params: { created: now() + 3600, keyid: 'client-1', nonce: true },
      }),
      401,
      'ERR_HTTPSIG_NOT_YET_VALID',
    ));

  it('refuses an unknown key', () =>
    refused(signAndSend(server.url('/orders'), {}, keys.stranger), 401, 'ERR_HTTPSIG_UNKNOWN_KEY'));

  it('refuses an algorithm other than the trusted key’s', () =>
    refused(
      signAndSend(server.url('/orders'), {}, keys.impostor, {
        params: { created: true, keyid: 'client-1', nonce: true, alg: 'ecdsa-p256-sha256' },
      }),
      401,
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    ));

  it('refuses a replayed request (same nonce)', async () => {
    const signed = await signRequest(server.url('/orders'), json({ amount: 1 }), keys.client);
    expect((await send(server.url('/orders'), signed)).status).toBe(200);
    await refused(send(server.url('/orders'), signed), 401, 'ERR_HTTPSIG_REPLAY');
  });

  it('requires a nonce by default (the replay store is on)', () =>
    refused(
      signAndSend(server.url('/orders'), {}, keys.client, { params: { created: true, keyid: 'client-1' } }),
      401,
      'ERR_HTTPSIG_POLICY',
    ));
});
