/**
 * Every body shape axios sends, against a real verifying server: the signature covers the bytes
 * the server received (Content-Digest) and the server verifies them.
 */
import { Readable } from 'node:stream';
import { withSignatures } from '@httpsig/axios';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLines, lastReceived, startTestServer, type TestServer } from './node-server';
import { anyStatus, receivedBody, text, utf8, type Verdict, verified } from './support';

let test: TestServer;
let api: AxiosInstance;

beforeAll(async () => {
  test = await startTestServer();
  api = withSignatures(axios.create({ baseURL: test.server.origin, ...anyStatus }), { key: test.key });
});
afterAll(() => test.server.close());

const withDigest = ['"@method"', '"@target-uri"', '"content-type"', '"content-digest"'];

describe('bodies serialized by axios', () => {
  it('JSON with unicode is sent and signed as UTF-8', async () => {
    const value = { name: 'Zoë 😀', note: 'ü' };
    const verdict = verified(await api.post<Verdict>('/json', value));
    expect(text(receivedBody(verdict))).toBe(JSON.stringify(value));
    expect(receivedBody(verdict)).toEqual(utf8(JSON.stringify(value)));
    expect(verdict.components).toEqual(withDigest);
    expect(fieldLines(lastReceived(test.server), 'content-type')).toEqual(['application/json']);
  });

  it('a string', async () => {
    const verdict = verified(await api.put<Verdict>('/string', 'plain text é', anyStatus));
    expect(text(receivedBody(verdict))).toBe('plain text é');
  });

  it('URLSearchParams as application/x-www-form-urlencoded', async () => {
    const form = new URLSearchParams({ q: 'a b&c', e: 'é' });
    const verdict = verified(await api.post<Verdict>('/form', form));
    expect(text(receivedBody(verdict))).toBe(form.toString());
    expect(fieldLines(lastReceived(test.server), 'content-type')).toEqual([
      'application/x-www-form-urlencoded;charset=utf-8',
    ]);
  });

  it('the output of a custom transformRequest', async () => {
    const shouting = withSignatures(
      axios.create({
        baseURL: test.server.origin,
        transformRequest: [(data: string) => data.toUpperCase()],
        ...anyStatus,
      }),
      { key: test.key },
    );
    const verdict = verified(await shouting.post<Verdict>('/transformed', 'quiet'));
    expect(text(receivedBody(verdict))).toBe('QUIET');
  });
});

describe('bodies the adapter would otherwise serialize itself', () => {
  it('FormData with a text field and a file: the multipart bytes and boundary that were signed', async () => {
    const form = new FormData();
    form.append('field', 'value é');
    form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'a.txt');
    const verdict = verified(await api.post<Verdict>('/upload', form));
    expect(verdict.components).toEqual(withDigest);

    const body = text(receivedBody(verdict));
    const [contentType] = fieldLines(lastReceived(test.server), 'content-type');
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(contentType ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(body.startsWith(`--${boundary}\r\n`)).toBe(true);
    expect(body).toContain('name="field"\r\n\r\nvalue é\r\n');
    expect(body).toContain('filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n');
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it('postForm: the form-data stream axios builds in Node, with its boundary', async () => {
    const verdict = verified(
      await api.postForm<Verdict>('/post-form', { a: 'b', bytes: Buffer.from('xyz') }),
    );
    const [contentType] = fieldLines(lastReceived(test.server), 'content-type');
    const boundary = /boundary=(.+)$/.exec(contentType ?? '')?.[1];
    const body = text(receivedBody(verdict));
    expect(body).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n`);
    expect(body).toContain('\r\n\r\nxyz\r\n');
  });

  it('a Blob, with its type', async () => {
    const blob = new Blob([new Uint8Array([0, 255, 10, 13])], { type: 'application/x-thing' });
    const verdict = verified(await api.post<Verdict>('/blob', blob));
    expect(receivedBody(verdict)).toEqual(new Uint8Array([0, 255, 10, 13]));
    expect(fieldLines(lastReceived(test.server), 'content-type')).toEqual(['application/x-thing']);
  });

  it('a Buffer', async () => {
    const verdict = verified(await api.post<Verdict>('/buffer', Buffer.from([1, 2, 3, 0xff])));
    expect(receivedBody(verdict)).toEqual(new Uint8Array([1, 2, 3, 0xff]));
  });

  it('a Uint8Array', async () => {
    const verdict = verified(await api.post<Verdict>('/bytes', new Uint8Array([9, 8, 7])));
    expect(receivedBody(verdict)).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('a Node Readable stream: read once, and the bytes read are the bytes sent', async () => {
    const stream = Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]);
    const verdict = verified(await api.post<Verdict>('/stream', stream));
    expect(text(receivedBody(verdict))).toBe('chunk one, chunk two');
    expect(verdict.components).toContain('"content-digest"');
  });

  it('a web ReadableStream', async () => {
    const stream = new Blob(['web stream']).stream();
    const verdict = verified(await api.post<Verdict>('/web-stream', stream));
    expect(text(receivedBody(verdict))).toBe('web stream');
  });
});

describe('no body', () => {
  it('POST without data: nothing to digest, the Content-Type axios sends is covered', async () => {
    const verdict = verified(await api.post<Verdict>('/empty'));
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"content-type"']);
    expect(receivedBody(verdict)).toEqual(new Uint8Array(0));
  });

  it('POST with an empty string: the empty body is digested', async () => {
    const verdict = verified(await api.post<Verdict>('/empty-string', ''));
    expect(verdict.components).toContain('"content-digest"');
    expect(receivedBody(verdict)).toEqual(new Uint8Array(0));
  });

  it('GET', async () => {
    const verdict = verified(await api.get<Verdict>('/get'));
    expect(verdict.method).toBe('GET');
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"']);
  });

  it('HEAD', async () => {
    const response = await api.head('/head');
    expect(response.status).toBe(200);
    const received = lastReceived(test.server);
    expect(received.method).toBe('HEAD');
    expect(received.error).toBeUndefined();
    expect(received.verified?.components).toEqual(['"@method"', '"@target-uri"']);
  });
});
