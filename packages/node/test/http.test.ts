/**
 * node:http requests signed by signedRequest / createSignedRequest, checked by a real verifying
 * server on 127.0.0.1: the signature covers the URL on the request line and the bytes received.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { type HttpSigKey, isHttpSigError, verifyMessage } from '@httpsig/core';
import { createSignedRequest, signedRequest } from '@httpsig/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../../../test-support/verifying-server';
import { loadTestKeys } from '../../core/test/conformance/lib/messages';
import {
  bodyOf,
  type ClientKeys,
  clientKeys,
  closeServer,
  fieldLines,
  listen,
  rawPairs,
  readBytes,
  verdictOf,
} from './lib/support';

let server: VerifyingServer;
let lenient: VerifyingServer;
let keys: ClientKeys;

beforeAll(async () => {
  keys = await clientKeys();
  const rfc = await loadTestKeys();
  const trusted = {
    'client-1': keys.publicKey,
    'test-key-rsa-pss': rfc.public['test-key-rsa-pss'] as HttpSigKey,
  };
  server = await startVerifyingServer({ keys: trusted });
  // For bodies sent with `digest: false`: the default policy requires a digest for any body.
  lenient = await startVerifyingServer({ keys: trusted, policy: { requireDigest: false } });
});
afterAll(async () => {
  await server.close();
  await lenient.close();
});

const signing = () => ({ key: keys.privateKey });

/** A stream that yields `parts` one by one and records whether it was destroyed. */
function chunks(parts: readonly string[]): Readable {
  return Readable.from(parts.map((part) => Buffer.from(part)));
}

describe('signedRequest: bodies arrive exactly as signed', () => {
  it('a JSON body, with content-type and content-digest covered', async () => {
    const body = JSON.stringify({ name: 'Zo\u00eb \u2713 \u{1f600}', n: 1 });
    const response = await signedRequest(server.url('/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signing: signing(),
    });
    const verdict = await verdictOf(response);
    expect(verdict).toMatchObject({ verified: true, url: server.url('/orders'), keyid: 'client-1' });
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    expect(verdict.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    expect(bodyOf(verdict)).toEqual(Buffer.from(body, 'utf8'));
    expect(fieldLines(server.received.at(-1), 'content-length')).toEqual([String(Buffer.byteLength(body))]);
  });

  it('a binary body with every byte value', async () => {
    const body = new Uint8Array(256).map((_, i) => 255 - i);
    const response = await signedRequest(server.url('/upload'), { method: 'PUT', body, signing: signing() });
    const verdict = await verdictOf(response);
    expect(verdict.verified).toBe(true);
    expect(new Uint8Array(server.received.at(-1)?.body ?? [])).toEqual(body);
  });

  it('a Readable stream is read once and sent as the bytes signed, with a Content-Length', async () => {
    const response = await signedRequest(server.url('/stream'), {
      method: 'POST',
      body: chunks(['chunk-1;', 'chunk-\u00e9;', 'chunk-3']),
      signing: signing(),
    });
    const verdict = await verdictOf(response);
    expect(verdict.verified).toBe(true);
    expect(bodyOf(verdict).toString('utf8')).toBe('chunk-1;chunk-\u00e9;chunk-3');
    const received = server.received.at(-1);
    expect(fieldLines(received, 'content-length')).toEqual([String(bodyOf(verdict).length)]);
    expect(fieldLines(received, 'transfer-encoding')).toEqual([]);
  });

  it('a stream over maxBodySize is refused before anything is sent, and destroyed', async () => {
    const before = server.received.length;
    const stream = chunks(['0123456789', '0123456789', '0123456789']);
    const error = await signedRequest(server.url('/big'), {
      method: 'POST',
      body: stream,
      signing: { ...signing(), maxBodySize: 15 },
    }).catch((e: unknown) => e);
    expect(isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    expect(stream.destroyed).toBe(true);
    expect(server.received.length).toBe(before);
  });

  it('a POST without a body carries no digest; an empty string body is digested', async () => {
    const none = await verdictOf(
      await signedRequest(server.url('/empty'), { method: 'POST', signing: signing() }),
    );
    expect(none.verified).toBe(true);
    expect(none.components).toEqual(['"@method"', '"@target-uri"']);
    const empty = await verdictOf(
      await signedRequest(server.url('/empty'), { method: 'POST', body: '', signing: signing() }),
    );
    expect(empty.verified).toBe(true);
    expect(empty.components).toContain('"content-digest"');
    expect(fieldLines(server.received.at(-1), 'content-length')).toEqual(['0']);
  });

  it('GET and HEAD without a body: method and target URI only', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await signedRequest(server.url('/items/1'), { method, signing: signing() });
      expect(response.statusCode).toBe(200);
      await readBytes(response);
      const received = server.received.at(-1);
      expect(received?.method).toBe(method);
      expect(received?.verified?.components).toEqual(['"@method"', '"@target-uri"']);
      expect(fieldLines(received, 'content-digest')).toEqual([]);
    }
  });

  it('URLSearchParams is sent as a form, its content type covered', async () => {
    const body = new URLSearchParams({ q: 'a b&c=d', name: '\u00e9' });
    const verdict = await verdictOf(
      await signedRequest(server.url('/form'), { method: 'POST', body, signing: signing() }),
    );
    expect(verdict.verified).toBe(true);
    expect(verdict.components).toContain('"content-type"');
    expect(fieldLines(server.received.at(-1), 'content-type')).toEqual([
      'application/x-www-form-urlencoded;charset=UTF-8',
    ]);
    expect(bodyOf(verdict).toString()).toBe(body.toString());
  });

  it('FormData with a file: the boundary the signature covers is the one sent', async () => {
    const form = new FormData();
    form.append('title', 'r\u00e9sum\u00e9');
    form.append('file', new Blob(['file \u00e9 content\r\n'], { type: 'text/plain' }), 'notes.txt');
    const verdict = await verdictOf(
      await signedRequest(server.url('/upload'), { method: 'POST', body: form, signing: signing() }),
    );
    expect(verdict.verified).toBe(true);
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    const [contentType] = fieldLines(server.received.at(-1), 'content-type');
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const text = bodyOf(verdict).toString('utf8');
    expect(text).toContain(contentType?.split('boundary=')[1]);
    expect(text).toContain('file \u00e9 content');
  });

  it('digest sha-512, with an RFC 9421 RSA-PSS key', async () => {
    const rfc = await loadTestKeys();
    const verdict = await verdictOf(
      await signedRequest(server.url('/rsa'), {
        method: 'POST',
        body: 'x',
        signing: { key: rfc.private['test-key-rsa-pss'] as HttpSigKey, digest: 'sha-512' },
      }),
    );
    expect(verdict).toMatchObject({ verified: true, keyid: 'test-key-rsa-pss' });
    expect(verdict.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
  });
});

describe('signedRequest: URLs and fields', () => {
  it('unicode and reserved characters in path and query are signed as the request line carries them', async () => {
    const url = `${server.origin}/caf\u00e9/a b/%2F?q=\u00fc ber&x=a+b&x=%26&empty=&emoji=\u{1f600}`;
    const verdict = await verdictOf(await signedRequest(url, { signing: signing() }));
    expect(verdict.verified).toBe(true);
    expect(verdict.url).toBe(new URL(url).href);
  });

  it('request options without a URL: host, port and path', async () => {
    const { port } = new URL(server.origin);
    const verdict = await verdictOf(
      await signedRequest({
        host: '127.0.0.1',
        port: Number(port),
        path: '/opts?a=1',
        method: 'DELETE',
        signing: signing(),
      }),
    );
    expect(verdict).toMatchObject({ verified: true, url: server.url('/opts?a=1'), method: 'DELETE' });
  });

  it('repeated fields go as separate lines, covered', async () => {
    const verdict = await verdictOf(
      await signedRequest(server.url('/list'), {
        headers: { 'x-list': ['a', 'b, c'], 'x-one': 'z' },
        signing: { ...signing(), components: ['@method', '@target-uri', 'x-list', 'x-one'] },
      }),
    );
    expect(verdict.verified).toBe(true);
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"x-list"', '"x-one"']);
    expect(fieldLines(server.received.at(-1), 'x-list')).toEqual(['a', 'b, c']);
  });

  it('a raw header array (node:http rawHeaders format) is signed as given', async () => {
    const verdict = await verdictOf(
      await signedRequest(server.url('/raw'), {
        headers: ['X-Trace', 't-1', 'X-List', 'a', 'X-List', 'b'],
        signing: { ...signing(), components: ['@method', '@target-uri', 'x-trace', 'x-list'] },
      }),
    );
    expect(verdict.verified).toBe(true);
    expect(fieldLines(server.received.at(-1), 'x-list')).toEqual(['a', 'b']);
  });

  it('covers content-length for a body known up front', async () => {
    const verdict = await verdictOf(
      await signedRequest(server.url('/len'), {
        method: 'POST',
        body: 'twelve bytes',
        signing: { ...signing(), components: ['@method', '@target-uri', 'content-length'] },
      }),
    );
    expect(verdict.verified).toBe(true);
    expect(verdict.components).toEqual([
      '"@method"',
      '"@target-uri"',
      '"content-length"',
      '"content-digest"',
    ]);
  });

  it('an absolute-form request-target (to a proxy) is the URI signed', async () => {
    const seen: { url: string; headers: [string, string][]; method: string }[] = [];
    const proxy = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: rawPairs(req.rawHeaders), method: req.method ?? '' });
      res.end('ok');
    });
    const port = await listen(proxy);
    try {
      const target = 'http://example.test/resource?x=1';
      const response = await signedRequest({ host: '127.0.0.1', port, path: target, signing: signing() });
      await readBytes(response);
      const [request] = seen;
      expect(request?.url).toBe(target);
      const verified = await verifyMessage(
        { method: request?.method ?? '', url: target, target, headers: request?.headers ?? [] },
        { keys: { 'client-1': keys.publicKey }, requiredComponents: ['@method', '@target-uri'] },
      );
      expect(verified.base).toContain(`"@target-uri": ${target}`);
    } finally {
      await closeServer(proxy);
    }
  });

  it('replaces a stale signature and digest instead of stacking on them', async () => {
    const verdict = await verdictOf(
      await signedRequest(server.url('/stale'), {
        method: 'POST',
        headers: { signature: 'sig1=:AAAA:', 'signature-input': 'sig1=();created=1', 'content-digest': 'x' },
        body: 'fresh',
        signing: signing(),
      }),
    );
    expect(verdict.verified).toBe(true);
    expect(fieldLines(server.received.at(-1), 'signature')).toHaveLength(1);
  });
});

describe('createSignedRequest: the http.request call shapes', () => {
  const respond = (request: (cb: (res: IncomingMessage) => void) => unknown) =>
    new Promise<IncomingMessage>((resolve) => {
      request(resolve);
    });

  it('(url, options, callback), (url, callback) and (options, callback)', async () => {
    const request = createSignedRequest(signing());
    const { port } = new URL(server.origin);
    const responses = [
      await respond((cb) => request(server.url('/a'), { method: 'POST', body: 'a' }, cb)),
      await respond((cb) => request(new URL(server.url('/b')), cb)),
      await respond((cb) => request({ host: '127.0.0.1', port, path: '/c' }, cb)),
    ];
    const verdicts = await Promise.all(responses.map(verdictOf));
    expect(verdicts.map((v) => [v.verified, v.url])).toEqual([
      [true, server.url('/a')],
      [true, server.url('/b')],
      [true, server.url('/c')],
    ]);
  });

  it('fields set right after the call are covered; a bare end() is accepted', async () => {
    const request = createSignedRequest({ ...signing(), components: ['@method', '@target-uri', 'x-late'] });
    const response = await respond((cb) => {
      const req = request(server.url('/late'), { method: 'POST', body: 'late' }, cb);
      req.setHeader('x-late', 'yes');
      req.end();
    });
    expect((await verdictOf(response)).verified).toBe(true);
  });

  it('write() and end(data) throw: the body must be given up front', () => {
    const req = createSignedRequest(signing())(server.url('/w'), { method: 'POST' });
    req.on('error', () => undefined);
    expect(() => req.write('x')).toThrow(/options\.body/);
    expect(() => req.end('x')).toThrow(/options\.body/);
    req.destroy();
  });

  it("a signing failure is the request's 'error' event, and nothing is sent", async () => {
    const before = server.received.length;
    const req = createSignedRequest({ ...signing(), maxBodySize: 2 })(server.url('/e'), {
      method: 'POST',
      body: 'too long',
    });
    const error = await new Promise((resolve) => req.on('error', resolve));
    expect(isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    expect(server.received.length).toBe(before);
  });

  it('an Expect field, which makes node:http send the headers at once, is refused', async () => {
    const error = await signedRequest(server.url('/expect'), {
      method: 'POST',
      headers: { expect: '100-continue' },
      body: 'x',
      signing: signing(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/before they could be signed/);
  });

  it('aborting while a stream is read stops the request and destroys the stream', async () => {
    const before = server.received.length;
    const controller = new AbortController();
    const stream = new Readable({ read() {} });
    stream.push('first part');
    const pending = signedRequest(server.url('/slow'), {
      method: 'POST',
      body: stream,
      signal: controller.signal,
      signing: signing(),
    }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    expect((error as Error).name).toBe('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.destroyed).toBe(true);
    expect(server.received.length).toBe(before);
  });
});

describe('digest: false', () => {
  it('a stream is sent as it comes (chunked), the signature covering no body', async () => {
    const verdict = await verdictOf(
      await signedRequest(lenient.url('/raw-stream'), {
        method: 'POST',
        body: chunks(['one,', 'two']),
        signing: { ...signing(), digest: false },
      }),
    );
    expect(verdict.verified).toBe(true);
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"']);
    expect(bodyOf(verdict).toString()).toBe('one,two');
    expect(fieldLines(lenient.received.at(-1), 'transfer-encoding')).toEqual(['chunked']);
  });

  it('FormData is still encoded as multipart with its boundary', async () => {
    const form = new FormData();
    form.append('a', '1');
    const verdict = await verdictOf(
      await signedRequest(lenient.url('/raw-form'), {
        method: 'POST',
        body: form,
        signing: { ...signing(), digest: false },
      }),
    );
    expect(verdict.verified).toBe(true);
    const [contentType] = fieldLines(lenient.received.at(-1), 'content-type');
    expect(bodyOf(verdict).toString()).toContain(contentType?.split('boundary=')[1]);
  });
});
