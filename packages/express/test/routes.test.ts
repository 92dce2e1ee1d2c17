/**
 * Per-route policy with one verifier (one replay store): the routes option, per-route verify()
 * overrides, skip, mounting under a router prefix; hooks, debug, authorization, and errors that
 * are bugs or misconfiguration reaching Express's error handler.
 */
import type { HttpSigError, VerifyResult } from '@httpsig/core';
import { createExpressVerifier, verifySignatures } from '@httpsig/express';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestKeys, testKeys } from './lib/keys';
import { closeAll, listen, type Running, versions } from './lib/server';
import { problem, send, signAndSend, signRequest } from './lib/sign';

afterAll(closeAll);
afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(versions)('%s', (_name, express) => {
  let keys: TestKeys;
  let calls = 0;
  const handler = (req: Request, res: Response) => {
    calls++;
    res.json({ signed: req.signature !== undefined, keyid: req.signature?.keyid });
  };
  const errorHandler: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    res.status(500).json({ handled: error.message });
  };

  beforeAll(async () => {
    keys = await testKeys();
  });

  describe('the routes option', () => {
    let server: Running;
    beforeAll(async () => {
      const app = express();
      app.use(
        verifySignatures({
          keys: keys.trusted,
          routes: (req) => {
            if (req.path === '/health') return { skip: true };
            if (req.path.startsWith('/admin')) {
              return { requiredComponents: ['@method', '@target-uri', 'x-request-id'], tag: 'admin' };
            }
            return undefined;
          },
        }),
      );
      app.use(handler);
      server = await listen(app);
    });

    it('skip lets a route through unsigned, without req.signature', async () => {
      const res = await fetch(server.url('/health'));
      expect(await res.json()).toEqual({ signed: false });
    });

    it('a stricter route refuses what the default policy accepts', async () => {
      const before = calls;
      const res = await signAndSend(server.url('/admin/users'), {}, keys.client);
      expect(res.status).toBe(401);
      expect((await problem(res)).code).toBe('ERR_HTTPSIG_POLICY');
      // The hint asks for what this route wants.
      expect(res.headers.get('accept-signature')).toContain('"x-request-id"');
      expect(res.headers.get('accept-signature')).toContain('tag="admin"');
      expect(calls).toBe(before);
      expect((await signAndSend(server.url('/users'), {}, keys.client)).status).toBe(200);
    });

    it('accepts a signature that meets the stricter route policy', async () => {
      const res = await signAndSend(
        server.url('/admin/users'),
        { headers: { 'x-request-id': 'r-1' } },
        keys.client,
        {
          components: ['@method', '@target-uri', 'x-request-id'],
          params: { created: true, keyid: 'client-1', nonce: true, tag: 'admin' },
        },
      );
      expect(res.status).toBe(200);
    });
  });

  describe('per-route verify() from one createExpressVerifier', () => {
    let server: Running;
    beforeAll(async () => {
      const app = express();
      const signatures = createExpressVerifier({ keys: keys.trusted, requiredComponents: ['@method'] });
      const separate = [verifySignatures({ keys: keys.trusted, requiredComponents: ['@method'] })];
      separate.push(verifySignatures({ keys: keys.trusted, requiredComponents: ['@method'] }));
      app.post('/a', signatures.verify(), handler);
      app.post('/b', signatures.verify({ maxAge: 60 }), handler);
      app.post('/tagged', signatures.verify({ tag: 'payments' }), handler);
      app.post('/separate-a', separate[0] as never, handler);
      app.post('/separate-b', separate[1] as never, handler);
      // Mounted both app-wide and on a route: a mistake, reported to the error handler.
      app.post('/twice', signatures.verify(), signatures.verify({ tag: 'x' }), handler);
      app.use(errorHandler);
      server = await listen(app);
    });

    /** A signature over the method only, so the same one is valid on every route. */
    const methodOnly = (url: string) =>
      signRequest(url, { method: 'POST' }, keys.client, { components: ['@method'] });

    it('routes share the replay store: a nonce used on one route is a replay on another', async () => {
      const signed = await methodOnly(server.url('/a'));
      expect((await send(server.url('/a'), signed)).status).toBe(200);
      const before = calls;
      const replay = await send(server.url('/b'), signed);
      expect(replay.status).toBe(401);
      expect((await problem(replay)).code).toBe('ERR_HTTPSIG_REPLAY');
      expect(calls).toBe(before);
    });

    it('(separate verifySignatures() calls each keep their own store)', async () => {
      const signed = await methodOnly(server.url('/separate-a'));
      expect((await send(server.url('/separate-a'), signed)).status).toBe(200);
      expect((await send(server.url('/separate-b'), signed)).status).toBe(200);
    });

    it('a route override applies to its route only', async () => {
      const untagged = await send(server.url('/tagged'), await methodOnly(server.url('/tagged')));
      expect(untagged.status).toBe(401);
      const tagged = await signRequest(server.url('/tagged'), { method: 'POST' }, keys.client, {
        components: ['@method'],
        params: { created: true, keyid: 'client-1', nonce: true, tag: 'payments' },
      });
      expect((await send(server.url('/tagged'), tagged)).status).toBe(200);
    });

    it('verifying one request twice with the same verifier is an error, not a replay refusal', async () => {
      const before = calls;
      const res = await send(server.url('/twice'), await methodOnly(server.url('/twice')));
      expect(res.status).toBe(500);
      expect(((await res.json()) as { handled: string }).handled).toContain('already verified');
      expect(calls).toBe(before);
    });
  });

  it('verifies the URL the client sent when mounted in a router under a prefix', async () => {
    const app = express();
    const router = express.Router();
    router.use(verifySignatures({ keys: keys.trusted }));
    router.get('/orders', handler);
    app.use('/api/v1', router);
    const server = await listen(app);
    const res = await signAndSend(server.url('/api/v1/orders?page=2'), {}, keys.client);
    expect(await res.json()).toEqual({ signed: true, keyid: 'client-1' });
  });

  it('hands errors that are not refusals (a throwing authorize rule) to next(err)', async () => {
    const app = express();
    app.use(
      verifySignatures({
        keys: keys.trusted,
        authorize: () => {
          throw new Error('key service is down');
        },
      }),
    );
    app.use(handler);
    app.use(errorHandler);
    const server = await listen(app);
    const before = calls;
    const res = await signAndSend(server.url('/x'), {}, keys.client);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ handled: 'key service is down' });
    expect(calls).toBe(before);
  });

  it('403 when the authorization rule refuses a valid signature', async () => {
    const app = express();
    app.use(verifySignatures({ keys: keys.trusted, authorize: (_signature, info) => info.method === 'GET' }));
    app.use(handler);
    const server = await listen(app);
    expect((await signAndSend(server.url('/x'), {}, keys.client)).status).toBe(200);
    const before = calls;
    const res = await signAndSend(server.url('/x'), { method: 'DELETE' }, keys.client);
    expect(res.status).toBe(403);
    expect((await problem(res)).code).toBe('ERR_HTTPSIG_FORBIDDEN');
    expect(calls).toBe(before);
  });

  it('calls onVerified and onError, and logs nothing by default', async () => {
    const log = [vi.spyOn(console, 'log'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'error')];
    const verified: VerifyResult[] = [];
    const refused: HttpSigError[] = [];
    const app = express();
    const quiet = verifySignatures({ keys: keys.trusted });
    app.use(
      '/hooks',
      verifySignatures({
        keys: keys.trusted,
        onVerified: (signature) => verified.push(signature),
        onError: (error) => refused.push(error),
      }),
    );
    app.use('/quiet', quiet);
    app.use(handler);
    const server = await listen(app);
    await signAndSend(server.url('/hooks/ok'), {}, keys.client);
    await fetch(server.url('/hooks/unsigned'));
    await fetch(server.url('/quiet/unsigned'));
    expect(verified.map((s) => s.keyid)).toEqual(['client-1']);
    expect(refused.map((e) => e.code)).toEqual(['ERR_HTTPSIG_MISSING_SIGNATURE']);
    for (const spy of log) expect(spy).not.toHaveBeenCalled();
  });

  it('debug adds the server’s signature base to a refusal; without it there is none', async () => {
    const app = express();
    app.use('/debug', verifySignatures({ keys: keys.trusted, debug: true }));
    app.use('/plain', verifySignatures({ keys: keys.trusted }));
    app.use(handler);
    const server = await listen(app);
    const tampered = async (path: string) => {
      const signed = await signRequest(server.url(path), {}, keys.client);
      return problem(await send(server.url(`${path}?changed`), signed));
    };
    const withDebug = await tampered('/debug/x');
    expect(withDebug.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(withDebug.debug?.signatureBase).toContain(`"@target-uri": ${server.url('/debug/x?changed')}`);
    expect((await tampered('/plain/x')).debug).toBeUndefined();
  });
});
