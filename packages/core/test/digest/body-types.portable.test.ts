/**
 * Every body shape digests to the digest of its bytes on the wire; fetch messages stay usable
 * after signing and verifying; FormData is signed over exactly the bytes that are sent; and the
 * size limit stops reading early.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDigestField,
  defaultMaxBodySize,
  readBody,
  signMessage,
  verifyDigestField,
  verifyMessage,
} from '../../src/index';
import type { RequestLike, ResponseLike } from '../../src/message/types';
import {
  expectHttpSigError,
  keyOf,
  loadTestKeys,
  rejectionOf,
  type TestKeys,
  withSignature,
} from '../conformance/lib/messages';
import {
  chunksOf,
  countingStream,
  EMPTY_SHA256,
  expectedField,
  HELLO,
  HELLO_SHA256,
  patternBytes,
  streamOf,
  utf8,
} from './lib/bodies';

const ED = 'test-key-ed25519';
const NOW = 1_700_000_000;
const URL_ = 'https://api.example.com/upload?x=1';

let keys: TestKeys;
beforeAll(async () => {
  keys = await loadTestKeys();
});

const signOptions = (components: string[] = ['@method', '@authority', '@path']) => ({
  key: keyOf(keys.private, ED),
  components,
  params: { created: NOW, keyid: ED },
});

const verifyOptions = (extra: Record<string, unknown> = {}) => ({
  keys: keys.public,
  requiredComponents: ['@authority'],
  now: NOW,
  ...extra,
});

/** Put every field of a sign result on a fetch message. */
function applyHeaders(message: Request | Response, headers: Readonly<Record<string, string>>) {
  for (const [name, value] of Object.entries(headers)) message.headers.set(name, value);
}

/** A buffer with `bytes` in the middle, so views over it have an offset. */
function embedded(bytes: Uint8Array, before = 13, after = 29): { buffer: ArrayBuffer; offset: number } {
  const buffer = new ArrayBuffer(before + bytes.length + after);
  const all = new Uint8Array(buffer);
  all.fill(0xee);
  all.set(bytes, before);
  return { buffer, offset: before };
}

// ---------------------------------------------------------------------------------------------
// One content, every shape
// ---------------------------------------------------------------------------------------------

/** Text with multi-byte UTF-8 characters, so chunk boundaries fall inside characters. */
const TEXT = 'Grüße, 世界 — {"hello": "world"} ✓';

const shapes: [string, (text: string) => unknown][] = [
  ['string', (t) => t],
  ['Uint8Array', (t) => utf8(t)],
  [
    'Uint8Array view with an offset',
    (t) => {
      const bytes = utf8(t);
      const { buffer, offset } = embedded(bytes);
      return new Uint8Array(buffer, offset, bytes.length);
    },
  ],
  ['ArrayBuffer', (t) => utf8(t).buffer],
  [
    'DataView over a larger buffer (offset)',
    (t) => {
      const bytes = utf8(t);
      const { buffer, offset } = embedded(bytes);
      return new DataView(buffer, offset, bytes.length);
    },
  ],
  ['Blob', (t) => new Blob([t], { type: 'text/plain' })],
  ['Blob of several parts', (t) => new Blob([t.slice(0, 3), utf8(t.slice(3, 9)), new Blob([t.slice(9)])])],
  ['ReadableStream of 1-byte chunks', (t) => streamOf(utf8(t), 1)],
  ['ReadableStream of 7-byte chunks', (t) => streamOf(utf8(t), 7)],
  ['async generator of byte chunks', (t) => chunksOf(utf8(t), 4)],
  [
    'async generator of text chunks',
    (t) =>
      (async function* () {
        for (const ch of t) yield ch;
      })(),
  ],
  [
    'async iterable mixing text and bytes',
    (t) => ({
      async *[Symbol.asyncIterator]() {
        yield t.slice(0, 5);
        yield utf8(t.slice(5, 12));
        yield t.slice(12);
      },
    }),
  ],
];

describe.each(shapes)('body as %s', (_shape, make) => {
  it('digests {"hello": "world"} to the RFC 9530 Appendix D value', async () => {
    await expect(createDigestField(make(HELLO) as never)).resolves.toBe(`sha-256=:${HELLO_SHA256}:`);
  });

  it('digests non-ASCII text as its UTF-8 bytes, for sha-256 and sha-512', async () => {
    const bytes = utf8(TEXT);
    await expect(createDigestField(make(TEXT) as never)).resolves.toBe(await expectedField(bytes));
    await expect(createDigestField(make(TEXT) as never, { algorithm: 'sha-512' })).resolves.toBe(
      await expectedField(bytes, 'sha-512'),
    );
  });

  it('verifies against the independent digest, and not against another content', async () => {
    const field = await expectedField(utf8(TEXT));
    await expect(verifyDigestField(field, make(TEXT) as never)).resolves.toMatchObject({
      algorithms: ['sha-256'],
    });
    expectHttpSigError(
      await rejectionOf(verifyDigestField(field, make(`${TEXT}.`) as never)),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('reads back as the same bytes', async () => {
    await expect(readBody(make(TEXT) as never)).resolves.toEqual(utf8(TEXT));
  });
});

describe('empty content', () => {
  const empties: [string, () => unknown][] = [
    ['undefined', () => undefined],
    ['null', () => null],
    ['an empty string', () => ''],
    ['an empty Uint8Array', () => new Uint8Array(0)],
    ['an empty ArrayBuffer', () => new ArrayBuffer(0)],
    ['an empty Blob', () => new Blob([])],
    ['an empty URLSearchParams', () => new URLSearchParams()],
    ['an empty stream', () => streamOf(new Uint8Array(0))],
    ['an empty async generator', () => chunksOf(new Uint8Array(0))],
  ];

  it.each(empties)('%s digests to the empty digest of RFC 9530 B.2', async (_what, make) => {
    await expect(createDigestField(make() as never)).resolves.toBe(`sha-256=:${EMPTY_SHA256}:`);
    await expect(verifyDigestField(`sha-256=:${EMPTY_SHA256}:`, make() as never)).resolves.toBeDefined();
    await expect(readBody(make() as never)).resolves.toHaveLength(0);
  });
});

describe('URLSearchParams', () => {
  const params = () =>
    new URLSearchParams([
      ['a', '1'],
      ['b', 'é x'],
    ]);
  // application/x-www-form-urlencoded: UTF-8 percent-encoding, space as '+'.
  const WIRE = 'a=1&b=%C3%A9+x';

  it('digests to the digest of its urlencoded serialization', async () => {
    const expected = await expectedField(utf8(WIRE));
    await expect(createDigestField(params())).resolves.toBe(expected);
    await expect(verifyDigestField(expected, WIRE)).resolves.toBeDefined();
    await expect(readBody(params())).resolves.toEqual(utf8(WIRE));
  });

  it('signing reports the form content type and the body verifies as sent', async () => {
    const message: RequestLike = { method: 'POST', url: URL_, headers: [], body: params() };
    const result = await signMessage(message, signOptions());
    expect(result.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(result.contentDigest).toBe(await expectedField(utf8(WIRE)));
    // URLSearchParams can be sent again as is: no bytes are handed back.
    expect(result.body).toBeUndefined();
    const signed = withSignature(message, result);
    await expect(verifyMessage(signed, verifyOptions())).resolves.toBeDefined();
    await expect(verifyMessage({ ...signed, body: WIRE }, verifyOptions())).resolves.toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// FormData
// ---------------------------------------------------------------------------------------------

describe('FormData', () => {
  function form(): FormData {
    const data = new FormData();
    data.append('title', 'Grüße');
    data.append('file', new File(['file contents\n', utf8('✓')], 'notes.txt', { type: 'text/plain' }));
    return data;
  }

  async function signForm() {
    const message: RequestLike = { method: 'POST', url: URL_, headers: [], body: form() };
    const result = await signMessage(
      message,
      signOptions(['@method', '@authority', '@path', 'content-type']),
    );
    return { message, result };
  }

  it('is signed over the multipart bytes it returns, with the boundary in the content type', async () => {
    const { result } = await signForm();
    const contentType = result.headers['content-type'] as string;
    expect(contentType).toMatch(/^multipart\/form-data; ?boundary=\S+$/);
    const boundary = contentType.split('boundary=')[1] as string;
    expect(result.body).toBeInstanceOf(Uint8Array);
    const body = result.body as Uint8Array<ArrayBuffer>;
    expect(new TextDecoder().decode(body)).toContain(`--${boundary}`);
    expect(result.contentDigest).toBe(await expectedField(body));
    expect(result.headers['content-digest']).toBe(result.contentDigest);
    expect(result.base).toContain(`"content-type": ${contentType}`);
  });

  it('the returned bytes parse back to the same fields', async () => {
    const { result } = await signForm();
    const parsed = await new Response(result.body, {
      headers: { 'content-type': result.headers['content-type'] as string },
    }).formData();
    expect(parsed.get('title')).toBe('Grüße');
    const file = parsed.get('file') as File;
    expect(file.name).toBe('notes.txt');
    await expect(file.text()).resolves.toBe('file contents\n✓');
  });

  it('verifies as a plain message carrying the returned bytes', async () => {
    const { message, result } = await signForm();
    const sent = { ...withSignature(message, result), body: result.body };
    const verified = await verifyMessage(sent, verifyOptions());
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
  });

  it('verifies as a fetch Request built from the returned bytes and headers', async () => {
    const { result } = await signForm();
    const request = new Request(URL_, { method: 'POST', body: result.body, headers: result.headers });
    const verified = await verifyMessage(request, verifyOptions());
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
  });

  it("replaces a caller's multipart Content-Type that names no (or another) boundary", async () => {
    const message: RequestLike = {
      method: 'POST',
      url: URL_,
      headers: [['Content-Type', 'multipart/form-data']],
      body: form(),
    };
    const result = await signMessage(
      message,
      signOptions(['@method', '@authority', '@path', 'content-type']),
    );
    const contentType = result.headers['content-type'] as string;
    expect(contentType).toMatch(/boundary=\S+$/);
    expect(new TextDecoder().decode(result.body)).toContain(contentType.split('boundary=')[1]);
    const sent = { ...withSignature(message, result), body: result.body };
    await expect(verifyMessage(sent, verifyOptions())).resolves.toBeDefined();
  });

  it('a fresh serialization of the same form (new boundary) does not verify', async () => {
    const { message, result } = await signForm();
    const again = await readBody(new Response(form()).body);
    const sent = { ...withSignature(message, result), body: again };
    expectHttpSigError(
      await rejectionOf(verifyMessage(sent, verifyOptions())),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('cannot be verified or read as received content (TypeError)', async () => {
    await expect(verifyDigestField(`sha-256=:${HELLO_SHA256}:`, form())).rejects.toThrow(TypeError);
    await expect(readBody(form())).rejects.toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// fetch Request and Response
// ---------------------------------------------------------------------------------------------

describe('fetch messages', () => {
  const COMPONENTS = ['@method', '@authority', '@path', 'content-type'];

  it('a Request with a JSON body is signed, verified, and still readable', async () => {
    const request = new Request(URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: HELLO,
    });
    const result = await signMessage(request, signOptions(COMPONENTS));
    expect(result.contentDigest).toBe(`sha-256=:${HELLO_SHA256}:`);
    expect(result.body).toBeUndefined();
    expect(request.bodyUsed).toBe(false);
    applyHeaders(request, result.headers);

    const verified = await verifyMessage(request, verifyOptions());
    expect(verified.components).toContain('"content-digest"');
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    expect(request.bodyUsed).toBe(false);
    await expect(request.text()).resolves.toBe(HELLO);
  });

  it('a Request with the same headers but another body is a mismatch', async () => {
    const request = new Request(URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: HELLO,
    });
    const result = await signMessage(request, signOptions(COMPONENTS));
    applyHeaders(request, result.headers);
    const forged = new Request(URL_, {
      method: 'POST',
      headers: request.headers,
      body: '{"hello": "WORLD"}',
    });
    expectHttpSigError(
      await rejectionOf(verifyMessage(forged, verifyOptions())),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('a Request with a stream body (duplex: half) is signed, verified, and still readable', async () => {
    const init = {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=utf-8' },
      body: streamOf(utf8(TEXT), 3),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' };
    const request = new Request(URL_, init);
    const result = await signMessage(request, signOptions(COMPONENTS));
    expect(result.contentDigest).toBe(await expectedField(utf8(TEXT)));
    // The Request can still send its own stream: no copy is handed back.
    expect(result.body).toBeUndefined();
    expect(request.bodyUsed).toBe(false);
    applyHeaders(request, result.headers);

    const verified = await verifyMessage(request, verifyOptions());
    expect(verified.digests).toHaveLength(1);
    expect(request.bodyUsed).toBe(false);
    await expect(request.text()).resolves.toBe(TEXT);
  });

  it('a Request whose body was already read is refused with a TypeError', async () => {
    const request = new Request(URL_, { method: 'POST', body: HELLO });
    await request.text();
    await expect(signMessage(request, signOptions())).rejects.toThrow(TypeError);
  });

  it('a GET Request has no body and gets no digest', async () => {
    const request = new Request(URL_);
    const result = await signMessage(request, signOptions());
    expect(result.contentDigest).toBeUndefined();
    expect(result.headers).not.toHaveProperty('content-digest');
    applyHeaders(request, result.headers);
    const verified = await verifyMessage(request, verifyOptions());
    expect(verified.digests).toEqual([]);
  });

  it('a Response is signed, verified, and still readable', async () => {
    const response = new Response(HELLO, { status: 201, headers: { 'content-type': 'application/json' } });
    const result = await signMessage(response, signOptions(['@status', 'content-type']));
    expect(result.contentDigest).toBe(`sha-256=:${HELLO_SHA256}:`);
    applyHeaders(response, result.headers);
    const verified = await verifyMessage(response, {
      keys: keys.public,
      requiredComponents: ['@status', 'content-digest'],
      now: NOW,
    });
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    expect(response.bodyUsed).toBe(false);
    await expect(response.text()).resolves.toBe(HELLO);
  });

  it('a Response with a stream body is signed and verified, and still readable', async () => {
    const response = new Response(streamOf(utf8(TEXT), 2), { status: 200 });
    const result = await signMessage(response, signOptions(['@status']));
    expect(result.contentDigest).toBe(await expectedField(utf8(TEXT)));
    applyHeaders(response, result.headers);
    const verified = await verifyMessage(response, {
      keys: keys.public,
      requiredComponents: ['@status'],
      now: NOW,
    });
    expect(verified.digests).toHaveLength(1);
    await expect(response.text()).resolves.toBe(TEXT);
  });

  it('a plain message with a stream body hands back the bytes it read', async () => {
    const bytes = utf8(TEXT);
    const message: RequestLike = { method: 'PUT', url: URL_, headers: [], body: streamOf(bytes, 5) };
    const result = await signMessage(message, signOptions());
    expect(result.body).toEqual(bytes);
    expect(result.contentDigest).toBe(await expectedField(bytes));
    const sent = { ...withSignature(message, result), body: streamOf(result.body as Uint8Array, 9) };
    await expect(verifyMessage(sent, verifyOptions())).resolves.toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Size limits
// ---------------------------------------------------------------------------------------------

describe('maxBodySize', () => {
  it('bytes: the limit is inclusive and counts bytes, not characters', async () => {
    await expect(createDigestField(new Uint8Array(10), { maxBodySize: 10 })).resolves.toBeDefined();
    expectHttpSigError(
      await rejectionOf(createDigestField(new Uint8Array(11), { maxBodySize: 10 })),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
    // Five characters, ten UTF-8 bytes.
    const text = 'é'.repeat(5);
    await expect(createDigestField(text, { maxBodySize: 10 })).resolves.toBeDefined();
    expectHttpSigError(
      await rejectionOf(createDigestField(text, { maxBodySize: 9 })),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
  });

  it('Blob: a Blob over the limit is refused before any of it is read', async () => {
    // stream() is replaced by a counting stream of the same bytes (patternBytes) as the Blob.
    class WatchedBlob extends Blob {
      reads = 0;
      watched = countingStream(0, 1);
      override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
        this.watched = countingStream(this.size, 16);
        return this.watched.stream as ReadableStream<Uint8Array<ArrayBuffer>>;
      }
      override arrayBuffer(): Promise<ArrayBuffer> {
        this.reads++;
        return super.arrayBuffer();
      }
      override text(): Promise<string> {
        this.reads++;
        return super.text();
      }
    }
    const big = new WatchedBlob([patternBytes(1000)]);
    const error = await rejectionOf(createDigestField(big, { maxBodySize: 999 }));
    expectHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE');
    expect(big.watched.stats.pulls).toBe(0);
    expect(big.reads).toBe(0);

    // The same watch sees a Blob within the limit being read.
    const small = new WatchedBlob([patternBytes(1000)]);
    await expect(createDigestField(small, { maxBodySize: 1000 })).resolves.toBe(
      await expectedField(patternBytes(1000)),
    );
    expect(small.watched.stats.pulls + small.reads).toBeGreaterThan(0);
  });

  it('ReadableStream: reading stops past the limit and the stream is cancelled', async () => {
    const total = 1024 * 1024;
    const { stream, stats } = countingStream(total, 1024);
    const error = await rejectionOf(createDigestField(stream, { maxBodySize: 10 * 1024 }));
    expectHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE');
    expect(stats.cancelled).toBe(true);
    expect(stats.closed).toBe(false);
    // Eleven 1 KiB chunks cross the limit; allow a little read-ahead.
    expect(stats.bytes).toBeGreaterThan(10 * 1024);
    expect(stats.bytes).toBeLessThanOrEqual(13 * 1024);
  });

  it('ReadableStream: exactly at the limit is read whole', async () => {
    const { stream, stats } = countingStream(10 * 1024, 1024);
    await expect(readBody(stream, { maxBodySize: 10 * 1024 })).resolves.toEqual(patternBytes(10 * 1024));
    expect(stats.cancelled).toBe(false);
    expect(stats.closed).toBe(true);
  });

  it('async generator: reading stops past the limit and the generator is closed', async () => {
    let produced = 0;
    let finished = false;
    async function* source() {
      try {
        for (let i = 0; i < 1000; i++) {
          produced += 100;
          yield new Uint8Array(100);
        }
      } finally {
        finished = true;
      }
    }
    expectHttpSigError(
      await rejectionOf(readBody(source(), { maxBodySize: 250 })),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
    expect(finished).toBe(true);
    expect(produced).toBe(300);
  });

  it(`the default limit is 10 MiB (${defaultMaxBodySize} bytes)`, async () => {
    expect(defaultMaxBodySize).toBe(10 * 1024 * 1024);
    const fill = () => 0x61;
    const atLimit = countingStream(defaultMaxBodySize, 256 * 1024, fill);
    await expect(readBody(atLimit.stream)).resolves.toHaveLength(defaultMaxBodySize);
    const over = countingStream(defaultMaxBodySize + 1, 256 * 1024, fill);
    expectHttpSigError(await rejectionOf(readBody(over.stream)), 'ERR_HTTPSIG_BODY_TOO_LARGE');
    expect(over.stats.cancelled).toBe(true);
  });

  it('readBody: 0 allows only empty content; invalid limits are TypeErrors', async () => {
    await expect(readBody('', { maxBodySize: 0 })).resolves.toHaveLength(0);
    expectHttpSigError(await rejectionOf(readBody('x', { maxBodySize: 0 })), 'ERR_HTTPSIG_BODY_TOO_LARGE');
    await expect(readBody('abc', { maxBodySize: 3 })).resolves.toEqual(utf8('abc'));
    for (const maxBodySize of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      await expect(readBody('abc', { maxBodySize: maxBodySize as number })).rejects.toThrow(TypeError);
    }
  });

  it('signMessage and verifyMessage honour maxBodySize', async () => {
    const body = 'x'.repeat(100);
    const message: RequestLike = { method: 'POST', url: URL_, headers: [], body };
    expectHttpSigError(
      await rejectionOf(signMessage(message, { ...signOptions(), maxBodySize: 99 })),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
    const signed = withSignature(message, await signMessage(message, signOptions()));
    await expect(verifyMessage(signed, verifyOptions({ maxBodySize: 100 }))).resolves.toBeDefined();
    expectHttpSigError(
      await rejectionOf(verifyMessage(signed, verifyOptions({ maxBodySize: 99 }))),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
  });
});

describe('refused body values', () => {
  it('a value that is no body shape is a TypeError', async () => {
    for (const body of [42, true, { not: 'a body' }, Symbol('x')]) {
      await expect(createDigestField(body as never)).rejects.toThrow(TypeError);
    }
  });

  it('a chunk that is neither bytes nor text is a TypeError', async () => {
    async function* numbers() {
      yield 1;
    }
    await expect(createDigestField(numbers() as never)).rejects.toThrow(TypeError);
  });

  it('a locked stream is a TypeError', async () => {
    const stream = streamOf(utf8(HELLO));
    const reader = stream.getReader();
    await expect(createDigestField(stream)).rejects.toThrow(TypeError);
    reader.releaseLock();
  });

  it('a response signed with a body that is a plain message, not fetch, keeps its string body', async () => {
    const response: ResponseLike = { status: 200, headers: [], body: HELLO };
    const result = await signMessage(response, signOptions(['@status']));
    expect(result.contentDigest).toBe(`sha-256=:${HELLO_SHA256}:`);
    expect(result.body).toBeUndefined();
  });
});
