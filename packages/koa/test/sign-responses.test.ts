/**
 * signResponses: the bytes Koa sends for every kind of ctx.body are the bytes signed (with a
 * Content-Digest), bound to the request with `;req` components; checked by core verifyMessage.
 */
import { Readable } from 'node:stream';
import { type VerifyResult, verifyMessage } from '@httpsig/core';
import { signResponses } from '@httpsig/koa';
import Koa from 'koa';
import Koa2 from 'koa2';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientKey, type KeyPair, listen, type Running, rawRequest } from './support';

let serverKey: KeyPair;
beforeAll(async () => {
  serverKey = await clientKey('server');
});

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Routes setting ctx.body to each kind of value Koa sends. */
const bodies: Record<string, (ctx: Koa.Context) => void> = {
  '/text': (ctx) => {
    ctx.body = 'plain é';
  },
  '/html': (ctx) => {
    ctx.body = '<p>hi</p>';
  },
  '/buffer': (ctx) => {
    ctx.body = Buffer.from([0, 1, 0xff]);
  },
  '/json': (ctx) => {
    ctx.body = { a: 1, s: 'é', nested: [true, null] };
  },
  '/json-typed': (ctx) => {
    ctx.type = 'application/vnd.api+json';
    ctx.body = [1, 2];
  },
  '/stream': (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]);
  },
  '/blob': (ctx) => {
    ctx.body = new Blob(['a,b\n1,2\n'], { type: 'text/csv' });
  },
  '/web-stream': (ctx) => {
    ctx.body = new Blob(['web stream bytes']).stream();
  },
  '/response': (ctx) => {
    ctx.body = new Response('from a Response', { status: 201, headers: { 'content-type': 'text/x-custom' } });
  },
  '/created': (ctx) => {
    ctx.status = 201;
    ctx.body = { id: 9 };
  },
  '/no-content': (ctx) => {
    ctx.type = 'application/json';
    ctx.status = 204;
  },
  '/large-stream': (ctx) => {
    ctx.body = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
  },
};

const errors: unknown[] = [];

async function start(App: typeof Koa = Koa, origin?: string | string[]) {
  const app = new App();
  errors.length = 0;
  app.use(
    signResponses({
      key: serverKey.privateKey,
      maxBodySize: 1024,
      onError: (error) => errors.push(error),
      ...(origin ? { origin } : {}),
    }),
  );
  app.use((ctx) => {
    bodies[ctx.path]?.(ctx);
  });
  running = await listen(app);
  return running.origin;
}

/** Fetch `path` and verify the response as its client would: bound to the request it sent. */
async function fetchVerified(
  origin: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; publicUrl?: string } = {},
): Promise<{ response: Response; body: Buffer; signature: VerifyResult }> {
  const method = init.method ?? 'GET';
  const response = await fetch(`${origin}${path}`, { method, headers: init.headers ?? {} });
  const body = Buffer.from(await response.arrayBuffer());
  const signature = await verifyMessage(
    { status: response.status, headers: response.headers, body },
    {
      keys: { server: serverKey.publicKey },
      requiredComponents: [
        '@status',
        '"@method";req',
        '"@target-uri";req',
        ...(body.length > 0 ? ['content-digest'] : []),
      ],
      request: { method, url: init.publicUrl ?? `${origin}${path}`, headers: init.headers ?? {} },
    },
  );
  return { response, body, signature };
}

describe('every body kind is signed as sent (Koa 3)', () => {
  it.each([
    { path: '/text', text: 'plain é', type: 'text/plain; charset=utf-8' },
    { path: '/html', text: '<p>hi</p>', type: 'text/html; charset=utf-8' },
    { path: '/json', text: '{"a":1,"s":"é","nested":[true,null]}', type: 'application/json; charset=utf-8' },
    { path: '/json-typed', text: '[1,2]', type: 'application/vnd.api+json' },
    { path: '/stream', text: 'chunk one, chunk two', type: 'text/plain; charset=utf-8' },
    { path: '/blob', text: 'a,b\n1,2\n', type: 'text/csv; charset=utf-8' },
    { path: '/web-stream', text: 'web stream bytes', type: 'application/octet-stream' },
    { path: '/response', text: 'from a Response', type: 'text/x-custom', status: 201 },
    { path: '/created', text: '{"id":9}', type: 'application/json; charset=utf-8', status: 201 },
    { path: '/missing', text: 'Not Found', type: 'text/plain; charset=utf-8', status: 404 },
  ])('$path', async ({ path, text, type, status }) => {
    const { response, body, signature } = await fetchVerified(await start(), path);
    expect(response.status).toBe(status ?? 200);
    expect(body.toString('utf8')).toBe(text);
    expect(response.headers.get('content-type')).toBe(type);
    expect(signature.components).toContain('"content-type"');
    expect(signature.digests.length).toBe(1);
  });

  it('a Buffer body', async () => {
    const { body, signature } = await fetchVerified(await start(), '/buffer');
    expect([...body]).toEqual([0, 1, 0xff]);
    expect(signature.keyid).toBe('server');
  });

  it('204: no content, no Content-Type, no digest', async () => {
    const { response, body, signature } = await fetchVerified(await start(), '/no-content');
    expect(response.status).toBe(204);
    expect(body.length).toBe(0);
    expect(response.headers.has('content-type')).toBe(false);
    expect(signature.components).toEqual(['"@status"', '"@method";req', '"@target-uri";req']);
  });

  it('HEAD: signed without content', async () => {
    const { response, signature } = await fetchVerified(await start(), '/text', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(signature.digests).toEqual([]);
  });

  it('a streamed body over maxBodySize goes out whole but unsigned, and onError hears of it', async () => {
    const response = await fetch(`${await start()}/large-stream`);
    expect(response.headers.has('signature')).toBe(false);
    expect((await response.arrayBuffer()).byteLength).toBe(1200);
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['ERR_HTTPSIG_BODY_TOO_LARGE']);
  });

  it('a signing failure answers 500 rather than an unsigned response', async () => {
    const app = new Koa();
    const failures: unknown[] = [];
    app.use(
      signResponses({
        alg: 'ed25519',
        keyid: 'remote',
        sign: () => Promise.reject(new Error('signing service down')),
        onError: (error) => failures.push(error),
      }),
    );
    app.use((ctx) => {
      ctx.set('x-secret-header', 'internal');
      ctx.body = { secret: 'not for the client' };
    });
    running = await listen(app);
    const response = await fetch(`${running.origin}/`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.has('x-secret-header')).toBe(false);
    expect(await response.json()).toMatchObject({ code: 'ERR_HTTPSIG_SIGNING_FAILED' });
    expect(failures).toHaveLength(1);
  });

  it('a tampered body or another request does not verify', async () => {
    const origin = await start();
    const response = await fetch(`${origin}/json`);
    const options = {
      keys: { server: serverKey.publicKey },
      requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
    };
    const received = { status: response.status, headers: response.headers, body: await response.text() };
    await expect(
      verifyMessage(
        { ...received, body: received.body.replace('1', '2') },
        { ...options, request: { method: 'GET', url: `${origin}/json` } },
      ),
    ).rejects.toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    await expect(
      verifyMessage(received, { ...options, request: { method: 'GET', url: `${origin}/text` } }),
    ).rejects.toMatchObject({ code: 'ERR_HTTPSIG_INVALID_SIGNATURE' });
  });
});

describe('Koa 2', () => {
  it.each(['/json', '/text', '/stream', '/missing'])('%s', async (path) => {
    const { signature } = await fetchVerified(await start(Koa2 as unknown as typeof Koa), path);
    expect(signature.digests.length).toBe(1);
  });
});

describe('behind a proxy', () => {
  it('the origin option binds "@target-uri";req to the public URL the client used', async () => {
    const origin = await start(Koa, 'https://api.example.com');
    const { signature } = await fetchVerified(origin, '/json?x=1', {
      publicUrl: 'https://api.example.com/json?x=1',
    });
    expect(signature.base).toContain('"@target-uri";req: https://api.example.com/json?x=1\n');
  });

  it('of several origins, the one Host names is used', async () => {
    await start(Koa, ['https://api.example.com', 'https://eu.example.com']);
    // node:http, since fetch sets Host itself.
    const response = await rawRequest(running?.port ?? 0, {
      method: 'GET',
      path: '/text',
      headers: { host: 'eu.example.com' },
    });
    const signature = await verifyMessage(
      { status: response.status, headers: response.headers as Record<string, string>, body: response.body },
      {
        keys: { server: serverKey.publicKey },
        requiredComponents: ['"@target-uri";req'],
        request: { method: 'GET', url: 'https://eu.example.com/text' },
      },
    );
    expect(signature.base).toContain('"@target-uri";req: https://eu.example.com/text\n');
  });

  it("without the option, Koa's protocol and host (X-Forwarded-* only with app.proxy)", async () => {
    const app = new Koa({ proxy: true });
    app.use(signResponses({ key: serverKey.privateKey }));
    app.use((ctx) => {
      ctx.body = 'proxied';
    });
    running = await listen(app);
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
    const { signature } = await fetchVerified(running.origin, '/p', {
      headers: forwarded,
      publicUrl: 'https://public.example/p',
    });
    expect(signature.base).toContain('"@target-uri";req: https://public.example/p\n');
  });
});
