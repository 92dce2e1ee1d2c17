/**
 * The signing interceptor on undici 7 dispatchers, checked by a real verifying server: every
 * attempt (redirects, retries) is signed for the URL and bytes it carries.
 */
import { createServer } from 'node:http';
import { stringify } from 'node:querystring';
import { Readable } from 'node:stream';
import { isHttpSigError, verifyMessage } from '@httpsig/core';
import { createSigningInterceptor, signingInterceptor } from '@httpsig/node';
import {
  Agent,
  type Dispatcher,
  interceptors,
  Pool,
  request,
  FormData as UndiciFormData,
  fetch as undiciFetch,
} from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../../../test-support/verifying-server';
import {
  bodyOf,
  type ClientKeys,
  clientKeys,
  closeServer,
  fieldLines,
  listen,
  rawPairs,
  type Verdict,
} from './lib/support';

let server: VerifyingServer;
let keys: ClientKeys;
let agent: Dispatcher;

beforeAll(async () => {
  keys = await clientKeys();
  server = await startVerifyingServer({ keys: { 'client-1': keys.publicKey } });
  agent = new Agent().compose(createSigningInterceptor({ key: keys.privateKey }));
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

async function* generate(parts: readonly string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function verdict(response: Dispatcher.ResponseData): Promise<Verdict> {
  return (await response.body.json()) as Verdict;
}

describe('undici.request through Agent.compose(signing)', () => {
  // undici's types list fewer body shapes than it takes at runtime.
  const cases: [string, () => unknown, string][] = [
    ['a string', () => 'plain \u00e9 text', 'plain \u00e9 text'],
    ['a Buffer', () => Buffer.from([0, 1, 2, 253, 254, 255]), '\u0000\u0001\u0002\ufffd\ufffd\ufffd'],
    ['a Readable', () => Readable.from([Buffer.from('part-1;'), Buffer.from('part-2')]), 'part-1;part-2'],
    ['an async generator', () => generate(['gen-1;', 'gen-2']), 'gen-1;gen-2'],
    ['a web ReadableStream', () => new Blob(['web stream']).stream(), 'web stream'],
    ['a Blob', () => new Blob(['blob body']), 'blob body'],
  ];
  it.each(cases)('%s body', async (_name, body, text) => {
    const response = await request(server.url('/orders'), {
      dispatcher: agent,
      method: 'POST',
      body: body() as Dispatcher.DispatchOptions['body'],
    });
    const result = await verdict(response);
    expect(result).toMatchObject({ verified: true, url: server.url('/orders') });
    expect(result.components).toContain('"content-digest"');
    expect(bodyOf(result).toString('utf8')).toBe(text);
  });

  it("undici's FormData: the boundary signed is the one sent, content-type covered", async () => {
    const form = new UndiciFormData();
    form.append('title', 'r\u00e9sum\u00e9');
    form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'notes.txt');
    const response = await request(server.url('/upload'), { dispatcher: agent, method: 'POST', body: form });
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    const [contentType] = fieldLines(server.received.at(-1), 'content-type');
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(bodyOf(result).toString()).toContain(contentType?.split('boundary=')[1]);
    expect(bodyOf(result).toString()).toContain('file content');
  });

  it('URLSearchParams (which undici alone does not take) is sent as a signed form', async () => {
    const body = new URLSearchParams({ q: 'a b&c', name: '\u00e9' });
    const response = await request(server.url('/form'), {
      dispatcher: agent,
      method: 'POST',
      body: body as unknown as string,
    });
    const result = await verdict(response);
    expect(result.verified).toBe(true);
    expect(result.components).toContain('"content-type"');
    expect(bodyOf(result).toString()).toBe(body.toString());
  });

  it('the query option and unicode paths are signed as sent', async () => {
    const query = { q: '\u00fc ber', x: ['a&b', 'c'], empty: '' };
    const response = await request(server.url('/search/caf%C3%A9'), { dispatcher: agent, query });
    const result = await verdict(response);
    expect(result).toMatchObject({
      verified: true,
      url: server.url(`/search/caf%C3%A9?${stringify(query)}`),
    });
  });

  it('headers as a flat array, as pairs and with repeated values, covered', async () => {
    const covering = new Agent().compose(
      createSigningInterceptor({
        key: keys.privateKey,
        components: ['@method', '@target-uri', 'x-list', 'x-one'],
      }),
    );
    try {
      const shapes = [
        ['x-list', 'a', 'x-list', 'b', 'X-One', '1'],
        [
          ['x-list', 'a'],
          ['x-list', 'b'],
          ['x-one', '1'],
        ],
        { 'x-list': ['a', 'b'], 'x-one': '1' },
      ] as Dispatcher.DispatchOptions['headers'][];
      for (const headers of shapes) {
        const result = await verdict(await request(server.url('/h'), { dispatcher: covering, headers }));
        expect(result.verified).toBe(true);
        expect(fieldLines(server.received.at(-1), 'x-list')).toEqual(['a', 'b']);
      }
    } finally {
      await covering.close();
    }
  });

  it('GET and HEAD without a body carry no digest', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await request(server.url('/items/1'), { dispatcher: agent, method });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
      expect(server.received.at(-1)?.verified?.components).toEqual(['"@method"', '"@target-uri"']);
    }
  });

  it('signingInterceptor is the same factory', () => {
    expect(signingInterceptor).toBe(createSigningInterceptor);
  });
});

describe('Pool and undici.fetch', () => {
  it('a Pool dispatches paths only: the origin option says what to sign', async () => {
    const pool = new Pool(server.origin).compose(
      createSigningInterceptor({ key: keys.privateKey, origin: server.origin }),
    );
    try {
      const response = await pool.request({ path: '/pooled?x=1', method: 'PUT', body: 'p' });
      expect(await verdict(response)).toMatchObject({ verified: true, url: server.url('/pooled?x=1') });
    } finally {
      await pool.close();
    }
  });

  it('a Pool without the origin option rejects the request, nothing sent', async () => {
    const pool = new Pool(server.origin).compose(createSigningInterceptor({ key: keys.privateKey }));
    const before = server.received.length;
    try {
      const error = await pool.request({ path: '/x', method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(String(error)).toMatch(/no origin/);
      expect(server.received.length).toBe(before);
    } finally {
      await pool.close();
    }
  });

  it('undici.fetch with the dispatcher: string body and FormData', async () => {
    const plain = await undiciFetch(server.url('/f?a=1'), { dispatcher: agent, method: 'POST', body: 'hi' });
    expect(await plain.json()).toMatchObject({ verified: true, url: server.url('/f?a=1') });
    const form = new UndiciFormData();
    form.append('a', '\u00e9');
    const multipart = await undiciFetch(server.url('/f'), { dispatcher: agent, method: 'POST', body: form });
    const result = (await multipart.json()) as Verdict;
    expect(result.verified).toBe(true);
    expect(result.components).toContain('"content-type"');
  });

  it('undici.fetch follows a 307 itself; each hop is dispatched, and signed, anew', async () => {
    const response = await undiciFetch(server.url('/redirect/307?to=/moved'), {
      dispatcher: agent,
      method: 'POST',
      body: 'keep me',
    });
    const result = (await response.json()) as Verdict;
    expect(result).toMatchObject({ verified: true, url: server.url('/moved') });
    expect(bodyOf(result).toString()).toBe('keep me');
    expect(server.received.at(-2)?.url).toBe(server.url('/redirect/307?to=/moved'));
  });
});

describe('redirects and retries: the interceptor closest to the dispatcher signs every attempt', () => {
  it('compose(signing, redirect): a 307 reaches the new URL with a signature for it', async () => {
    const following = new Agent().compose(
      createSigningInterceptor({ key: keys.privateKey }),
      interceptors.redirect({ maxRedirections: 3 }),
    );
    try {
      const response = await request(server.url('/redirect/307?to=/moved?y=2'), {
        dispatcher: following,
        method: 'POST',
        body: 'keep me',
      });
      const result = await verdict(response);
      expect(result).toMatchObject({ verified: true, url: server.url('/moved?y=2'), method: 'POST' });
      expect(bodyOf(result).toString()).toBe('keep me');
      expect(server.received.at(-2)?.verified?.components).toBeDefined();
    } finally {
      await following.close();
    }
  });

  it('a stream body, read for the digest, is not replayed: the 307 itself is returned', async () => {
    const following = new Agent().compose(
      createSigningInterceptor({ key: keys.privateKey }),
      interceptors.redirect({ maxRedirections: 3 }),
    );
    try {
      const response = await request(server.url('/redirect/307?to=/moved'), {
        dispatcher: following,
        method: 'POST',
        body: Readable.from([Buffer.from('once')]),
      });
      await response.body.dump();
      expect(response.statusCode).toBe(307);
      expect(server.received.at(-1)?.url).toBe(server.url('/redirect/307?to=/moved'));
    } finally {
      await following.close();
    }
  });

  it('compose(redirect, signing) replays the first signature to the new URL, which refuses it', async () => {
    const wrongOrder = new Agent().compose(
      interceptors.redirect({ maxRedirections: 3 }),
      createSigningInterceptor({ key: keys.privateKey }),
    );
    try {
      const response = await request(server.url('/redirect/307?to=/moved'), { dispatcher: wrongOrder });
      expect(response.statusCode).toBe(401);
      expect(await verdict(response)).toMatchObject({
        verified: false,
        code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
      });
    } finally {
      await wrongOrder.close();
    }
  });

  it('compose(signing, retry): the retried request is signed again (a fresh nonce)', async () => {
    const seen: { method: string; url: string; headers: [string, string][]; body: Buffer }[] = [];
    const flaky = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: rawPairs(req.rawHeaders),
        body: Buffer.concat(chunks),
      });
      res.writeHead(seen.length === 1 ? 503 : 200).end('done');
    });
    const port = await listen(flaky);
    const retrying = new Agent().compose(
      createSigningInterceptor({ key: keys.privateKey, nonce: true }),
      interceptors.retry({ minTimeout: 5, maxRetries: 2 }),
    );
    try {
      const response = await request(`http://127.0.0.1:${port}/flaky`, {
        dispatcher: retrying,
        method: 'PUT',
        body: 'again',
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(seen).toHaveLength(2);
      const nonces: (string | undefined)[] = [];
      for (const attempt of seen) {
        const verified = await verifyMessage(
          { ...attempt, url: `http://127.0.0.1:${port}${attempt.url}` },
          { keys: { 'client-1': keys.publicKey }, requiredComponents: ['@method', '@target-uri'] },
        );
        nonces.push(verified.nonce);
        expect(attempt.body.toString()).toBe('again');
      }
      expect(nonces[0]).not.toBe(nonces[1]);
    } finally {
      await retrying.close();
      await closeServer(flaky);
    }
  });
});

describe('signing failures reject the request through the handler', () => {
  it('a Readable over maxBodySize: HttpSigError, stream destroyed, nothing sent, no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const limited = new Agent().compose(createSigningInterceptor({ key: keys.privateKey, maxBodySize: 10 }));
    const before = server.received.length;
    try {
      const stream = Readable.from([Buffer.from('0123456789'), Buffer.from('0123456789')]);
      const error = await request(server.url('/big'), {
        dispatcher: limited,
        method: 'POST',
        body: stream,
      }).catch((e: unknown) => e);
      expect(isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
      expect(stream.destroyed).toBe(true);

      const fetched = await undiciFetch(server.url('/big'), {
        dispatcher: limited,
        method: 'POST',
        body: 'more than ten bytes',
      }).catch((e: unknown) => e);
      expect(fetched).toBeInstanceOf(TypeError);
      expect(isHttpSigError((fetched as Error).cause, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).not.toHaveBeenCalled();
      expect(server.received.length).toBe(before);
    } finally {
      process.off('unhandledRejection', unhandled);
      await limited.close();
    }
  });

  it('aborting while a stream is read rejects at once and destroys the stream', async () => {
    const before = server.received.length;
    const controller = new AbortController();
    const stream = new Readable({ read() {} });
    stream.push('never ends');
    const pending = request(server.url('/slow'), {
      dispatcher: agent,
      method: 'POST',
      body: stream,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    expect((error as Error).name).toBe('AbortError');
    expect(stream.destroyed).toBe(true);
    expect(server.received.length).toBe(before);
  });

  it('the interceptor alone: onResponseError(null, error) for undici 7 handlers, onError for legacy ones', async () => {
    const dispatch = vi.fn(() => true);
    const intercept = createSigningInterceptor({ key: keys.privateKey, maxBodySize: 1 })(dispatch);
    const options = { origin: 'http://a.test', path: '/', method: 'POST', body: 'too big' };
    const modern = await new Promise<unknown[]>((resolve) => {
      expect(intercept(options, { onResponseError: (...args: unknown[]) => resolve(args) })).toBe(true);
    });
    expect(modern[0]).toBeNull();
    expect(isHttpSigError(modern[1], 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    const legacy = await new Promise<unknown>((resolve) => intercept(options, { onError: resolve }));
    expect(isHttpSigError(legacy, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('the interceptor alone: a Host field is the authority signed, the query merged into the path', async () => {
    type Dispatched = { path: string; headers?: unknown; query?: unknown };
    const dispatched = await new Promise<Dispatched>((resolve, reject) => {
      const intercept = createSigningInterceptor({ key: keys.privateKey })((opts: Dispatched) => {
        resolve(opts);
        return true;
      });
      intercept(
        {
          origin: 'http://10.0.0.1:8080',
          path: '/p',
          method: 'GET',
          headers: { host: 'api.example' },
          query: { a: 'b c' },
        },
        { onResponseError: (_c, error) => reject(error) },
      );
    });
    expect(dispatched.path).toBe('/p?a=b%20c');
    expect(dispatched.query).toBeUndefined();
    const verified = await verifyMessage(
      {
        method: 'GET',
        url: 'http://api.example/p?a=b%20c',
        headers: dispatched.headers as Record<string, string>,
      },
      { keys: { 'client-1': keys.publicKey }, requiredComponents: ['@method', '@target-uri'] },
    );
    expect(verified.base).toContain('"@target-uri": http://api.example/p?a=b%20c');
  });
});
