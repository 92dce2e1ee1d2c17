/**
 * In headless Chromium, with axios's xhr and fetch adapters, against the verifying server (a
 * Node process reached over CORS): the browser's own URL parsing and body handling.
 */
import { withSignatures } from '@httpsig/axios';
import { HttpSigError, type HttpSigKey, importKey, isHttpSigError } from '@httpsig/core';
import axios, { type AxiosInstance } from 'axios';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import keys from '../../core/test/vectors/rfc9421-keys.json';
import { receivedBody, text, utf8, type Verdict, verified } from './support';

const origin = inject('verifyingServerOrigin');
let key: HttpSigKey;

beforeAll(async () => {
  const entry = keys.keys.find((k) => k.keyid === 'test-key-ed25519');
  if (!entry) throw new Error('the RFC 9421 ed25519 test key is missing');
  key = await importKey(entry.jwkPrivate as JsonWebKey, { alg: 'ed25519', keyid: entry.keyid });
});

const client = (adapter: 'xhr' | 'fetch', extra: Parameters<typeof withSignatures>[1] = {}): AxiosInstance =>
  withSignatures(axios.create({ baseURL: `${origin}/browser/`, adapter }), { key, ...extra });

describe.each(['xhr', 'fetch'] as const)('the %s adapter', (adapter) => {
  it('JSON with unicode', async () => {
    const value = { name: 'Zoë 😀' };
    const verdict = verified(await client(adapter).post<Verdict>('json', value));
    expect(verdict.keyid).toBe('test-key-ed25519');
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    expect(receivedBody(verdict)).toEqual(utf8(JSON.stringify(value)));
  });

  it('URLSearchParams', async () => {
    const form = new URLSearchParams({ q: 'a b&c', e: 'é' });
    const verdict = verified(await client(adapter).post<Verdict>('form', form));
    expect(text(receivedBody(verdict))).toBe(form.toString());
  });

  it('FormData with a text field and a file', async () => {
    const form = new FormData();
    form.append('field', 'value é');
    form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'a.txt');
    const verdict = verified(await client(adapter).post<Verdict>('upload', form));
    const body = text(receivedBody(verdict));
    expect(body).toContain('name="field"\r\n\r\nvalue é\r\n');
    expect(body).toContain('filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n');
  });

  it('a Blob', async () => {
    const blob = new Blob([new Uint8Array([0, 255, 10, 13])], { type: 'application/octet-stream' });
    const verdict = verified(await client(adapter).put<Verdict>('blob', blob));
    expect(receivedBody(verdict)).toEqual(new Uint8Array([0, 255, 10, 13]));
  });

  it('params with arrays and special characters, and unicode in the path', async () => {
    const params = { 'a[]': ['1', '2'], sp: 'a b', amp: 'a&b', eq: 'a=b', uni: 'é😀', plus: 'a+b' };
    const verdict = verified(await client(adapter).get<Verdict>('café/ü x', { params }));
    expect(verdict.url).toBe(
      `${origin}/browser/caf%C3%A9/%C3%BC%20x?a%5B%5D=1&a%5B%5D=2&sp=a+b&amp=a%26b&eq=a%3Db&uni=%C3%A9%F0%9F%98%80&plus=a%2Bb`,
    );
  });

  it("a serializer's quotes, percent-encoded by the browser before they are signed", async () => {
    const verdict = verified(
      await client(adapter).get<Verdict>('quotes', {
        params: { any: 1 },
        paramsSerializer: () => `n=O'B&q="x"`,
      }),
    );
    expect(verdict.url).toBe(`${origin}/browser/quotes?n=O%27B&q=%22x%22`);
  });

  it('GET without a body', async () => {
    const verdict = verified(await client(adapter).get<Verdict>('get'));
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"']);
  });

  it('POST without data', async () => {
    const verdict = verified(await client(adapter).post<Verdict>('empty'));
    expect(receivedBody(verdict)).toEqual(new Uint8Array(0));
  });

  it('a signing failure rejects with the HttpSigError', async () => {
    const failure = await client(adapter, { maxBodySize: 1 })
      .post('too-large', { a: 1 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpSigError);
    expect(isHttpSigError(failure, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
  });
});
