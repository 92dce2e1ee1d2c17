/**
 * Signer options as the server sees them, the body bound by the digest, failures that reject
 * the request, and the ways of installing the signing adapter.
 */
import { Readable } from 'node:stream';
import { createSigningAdapter, withSignatures } from '@httpsig/axios';
import { HttpSigError, isHttpSigError } from '@httpsig/core';
import axios, { type AxiosAdapter } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLines, lastReceived, startTestServer, type TestServer } from './node-server';
import { anyStatus, receivedBody, text, type Verdict, verified } from './support';

let test: TestServer;
let origin: string;

beforeAll(async () => {
  test = await startTestServer();
  origin = test.server.origin;
});
afterAll(() => test.server.close());

describe('signer options', () => {
  it('a sha-512 digest', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key, digest: 'sha-512' });
    const verdict = verified(await api.post<Verdict>('/sha512', { a: 1 }));
    expect(verdict.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
    expect(fieldLines(lastReceived(test.server), 'content-digest')[0]).toMatch(/^sha-512=:/);
  });

  it('expires, nonce, tag and label as the server read them', async () => {
    const now = Math.floor(Date.now() / 1000);
    const api = withSignatures(axios.create({ baseURL: origin }), {
      key: test.key,
      expiresIn: 60,
      nonce: () => 'nonce-1',
      tag: 'axios-test',
      label: 'client',
      now,
    });
    const verdict = verified(await api.get<Verdict>('/params', anyStatus));
    expect(verdict.label).toBe('client');
    expect(verdict.params).toEqual({
      created: now,
      expires: now + 60,
      nonce: 'nonce-1',
      keyid: 'client-1',
      tag: 'axios-test',
    });
  });

  it('a random nonce is new for each request', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key, nonce: true });
    const first = verified(await api.get<Verdict>('/nonce'));
    const second = verified(await api.get<Verdict>('/nonce'));
    expect(typeof first.params?.nonce).toBe('string');
    expect(first.params?.nonce).not.toBe(second.params?.nonce);
  });

  it('a sign callback instead of a key', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), {
      sign: (data) => test.key.sign(data),
      alg: 'ed25519',
      keyid: 'client-1',
    });
    expect(verified(await api.post<Verdict>('/callback', 'x')).keyid).toBe('client-1');
  });
});

describe('the body is bound to the signature', () => {
  it('a body changed after signing is refused with ERR_HTTPSIG_DIGEST_MISMATCH', async () => {
    const http = axios.getAdapter('http');
    const tamper: AxiosAdapter = (config) =>
      http({ ...config, data: new TextEncoder().encode('{"amount":1000}').buffer });
    const api = axios.create({ baseURL: origin, adapter: createSigningAdapter({ key: test.key }, tamper) });
    const response = await api.post<Verdict>('/pay', { amount: 1 }, anyStatus);
    expect(response.status).toBe(401);
    expect(response.data).toMatchObject({ verified: false, code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(text(lastReceived(test.server).body)).toBe('{"amount":1000}');
  });

  it('without a digest, a stream is sent unread and only the headers are signed', async () => {
    const lax = await startTestServer({ requireDigest: false });
    try {
      const api = withSignatures(axios.create({ baseURL: lax.server.origin }), {
        key: lax.key,
        digest: false,
      });
      const verdict = verified(await api.post<Verdict>('/stream', Readable.from(['a', 'b', 'c'])));
      expect(text(receivedBody(verdict))).toBe('abc');
      expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"content-type"']);
      expect(fieldLines(lastReceived(lax.server), 'content-digest')).toEqual([]);
    } finally {
      await lax.server.close();
    }
  });
});

describe('signing failures reject the request', () => {
  it('a body over maxBodySize rejects with the HttpSigError, and nothing is sent', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key, maxBodySize: 1 });
    const before = test.server.received.length;
    const failure = await api.post('/too-large', 'ab').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpSigError);
    expect(isHttpSigError(failure, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    expect((failure as HttpSigError).code).toBe('ERR_HTTPSIG_BODY_TOO_LARGE');
    expect(test.server.received.length).toBe(before);
  });

  it('a stream over maxBodySize is refused without being read to the end', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key, maxBodySize: 4 });
    let pulled = 0;
    const stream = new Readable({
      read() {
        pulled += 1;
        this.push(pulled > 100 ? null : Buffer.from('0123'));
      },
    });
    await expect(api.post('/too-large', stream)).rejects.toMatchObject({
      code: 'ERR_HTTPSIG_BODY_TOO_LARGE',
    });
    expect(pulled).toBeLessThan(10);
  });

  it('response interceptors see the failure in their error handler', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key, maxBodySize: 1 });
    const seen: unknown[] = [];
    api.interceptors.response.use(undefined, (error: unknown) => {
      seen.push(error);
      return Promise.reject(error);
    });
    await expect(api.put('/x', 'too long')).rejects.toBeInstanceOf(HttpSigError);
    expect(seen).toHaveLength(1);
    expect(isHttpSigError(seen[0], 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
  });

  it('invalid options are refused when signing is installed', () => {
    expect(() => withSignatures(axios.create(), { alg: 'ed25519' })).toThrow(TypeError);
    expect(() => createSigningAdapter({ key: test.key, expiresIn: -1 })).toThrow(TypeError);
  });

  it('signing is installed once per instance', () => {
    const api = withSignatures(axios.create(), { key: test.key });
    expect(() => withSignatures(api, { key: test.key })).toThrow(/already/);
  });
});

describe('installing', () => {
  it('createSigningAdapter as the adapter of a new instance', async () => {
    const api = axios.create({ baseURL: origin, adapter: createSigningAdapter({ key: test.key }) });
    expect(verified(await api.post<Verdict>('/adapter', { a: 1 })).keyid).toBe('client-1');
  });

  it('createSigningAdapter over a named adapter', async () => {
    const api = axios.create({ baseURL: origin, adapter: createSigningAdapter({ key: test.key }, 'fetch') });
    const verdict = verified(await api.post<Verdict>('/fetch/é', { a: 1 }));
    expect(verdict.url).toBe(`${origin}/fetch/%C3%A9`);
  });

  it('a per-request adapter is signed too', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key });
    const used: string[] = [];
    const http = axios.getAdapter('http');
    const custom: AxiosAdapter = (config) => {
      used.push(String(config.headers.get('signature-input')));
      return http(config);
    };
    verified(await api.post<Verdict>('/custom', 'x', { adapter: custom }));
    expect(used).toHaveLength(1);
    expect(used[0]).toMatch(/^sig1=\("@method" "@target-uri"/);
  });

  it('a re-sent config (a retry) is signed afresh, not with the previous signature', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key, nonce: true });
    const first = await api.post<Verdict>('/retry', { n: 1 });
    const second = await api.request<Verdict>(first.config);
    expect(verified(second).params?.nonce).not.toBe(verified(first).params?.nonce);
    expect(fieldLines(lastReceived(test.server), 'signature')).toHaveLength(1);
    expect(text(receivedBody(second.data))).toBe('{"n":1}');
  });

  it("the caller's config and headers are left as they were", async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), { key: test.key });
    const headers = new axios.AxiosHeaders({ 'X-Mine': '1' });
    const form = new FormData();
    form.append('a', 'b');
    const config = { url: '/untouched', method: 'post', data: form, headers };
    verified(await api.request<Verdict>(config));
    expect(config.data).toBe(form);
    expect(headers.has('signature')).toBe(false);
  });
});
