/**
 * The body is bound to the signature through a covered Content-Digest: any change to the body,
 * to the digest or to a covered field is caught, and the requireDigest policy refuses a request
 * body that the signature does not cover. Error messages never contain the body.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpSigErrorCode } from '../../src/errors';
import { type HttpSigError, signMessage, verifyMessage } from '../../src/index';
import type { RequestLike, ResponseLike } from '../../src/message/types';
import type { SignOptions } from '../../src/sign/types';
import type { VerifyOptions } from '../../src/verify/types';
import {
  createdOf,
  expectHttpSigError,
  headerOf,
  keyOf,
  loadTestKeys,
  rejectionOf,
  relatedRequestOf,
  signatureVector,
  signedMessageOf,
  type TestKeys,
  vectors,
  withHeader,
  withoutHeader,
  withSignature,
} from '../conformance/lib/messages';
import { countingStream, digestBase64, expectedField, patternBytes, streamOf, utf8 } from './lib/bodies';

const ED = 'test-key-ed25519';
const EC = 'test-key-ecc-p256';
const NOW = 1_700_000_000;
/** A body whose text must never show up in an error message. */
const BODY = '{"order":"SECRET-BODY-CONTENT-4d1e","amount":125}';
const COMPONENTS = ['@method', '@authority', '@path', 'content-type'];

let keys: TestKeys;
beforeAll(async () => {
  keys = await loadTestKeys();
});

function postRequest(body: unknown = BODY): RequestLike {
  return {
    method: 'POST',
    url: 'https://shop.example/orders',
    headers: [
      ['Host', 'shop.example'],
      ['Content-Type', 'application/json'],
    ],
    body,
  };
}

async function sign<T extends RequestLike | ResponseLike>(message: T, options: Partial<SignOptions> = {}) {
  const result = await signMessage(message, {
    key: keyOf(keys.private, ED),
    components: COMPONENTS,
    params: { created: NOW, keyid: ED },
    ...options,
  });
  return { signed: withSignature(message, result), result };
}

function verifyOptions(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return { keys: keys.public, requiredComponents: ['@method', '@authority'], now: NOW, ...extra };
}

/** Assert the code and that the message does not leak the body. */
async function expectRefused(
  promise: Promise<unknown>,
  code: HttpSigErrorCode,
  ...secrets: string[]
): Promise<HttpSigError> {
  const error = await rejectionOf(promise);
  expectHttpSigError(error, code);
  for (const secret of [BODY, 'SECRET-BODY-CONTENT', ...secrets]) expect(error.message).not.toContain(secret);
  return error;
}

/** `text` with the character at `index` replaced by the next code point. */
const changeChar = (text: string, index: number) =>
  text.slice(0, index) + String.fromCharCode(text.charCodeAt(index) + 1) + text.slice(index + 1);

describe('a request signed with the default options', () => {
  it('covers a sha-256 Content-Digest of the body and verifies', async () => {
    const { signed, result } = await sign(postRequest());
    expect(result.contentDigest).toBe(await expectedField(utf8(BODY)));
    expect(headerOf(signed, 'content-digest')).toBe(result.contentDigest);
    expect(result.signatureInput).toContain('"content-digest"');
    const verified = await verifyMessage(signed, verifyOptions());
    expect(verified.components).toEqual([...COMPONENTS.map((c) => `"${c}"`), '"content-digest"']);
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
  });

  it.each([0, 10, BODY.length - 1])(
    'one changed body character (at %i) is a digest mismatch',
    async (index) => {
      const { signed } = await sign(postRequest());
      const tampered = { ...signed, body: changeChar(BODY, index) };
      const error = await expectRefused(
        verifyMessage(tampered, verifyOptions()),
        'ERR_HTTPSIG_DIGEST_MISMATCH',
      );
      expect(error.field).toBe('content-digest');
    },
  );

  it('one changed body byte (as bytes) is a digest mismatch', async () => {
    const { signed } = await sign(postRequest(utf8(BODY)));
    const bytes = utf8(BODY);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0x20;
    await expectRefused(
      verifyMessage({ ...signed, body: bytes }, verifyOptions()),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('an extra byte appended or the body truncated is a digest mismatch', async () => {
    const { signed } = await sign(postRequest());
    for (const body of [`${BODY}\n`, BODY.slice(0, -1), ` ${BODY}`]) {
      await expectRefused(verifyMessage({ ...signed, body }, verifyOptions()), 'ERR_HTTPSIG_DIGEST_MISMATCH');
    }
  });

  it('a changed body with a recomputed Content-Digest breaks the signature', async () => {
    const { signed } = await sign(postRequest());
    const forgedBody = changeChar(BODY, 20);
    const forged = withHeader(
      { ...signed, body: forgedBody },
      'Content-Digest',
      await expectedField(utf8(forgedBody)),
    );
    await expectRefused(verifyMessage(forged, verifyOptions()), 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('a Content-Digest switched to sha-512 of the same body breaks the signature', async () => {
    const { signed } = await sign(postRequest());
    const switched = withHeader(signed, 'Content-Digest', await expectedField(utf8(BODY), 'sha-512'));
    await expectRefused(verifyMessage(switched, verifyOptions()), 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('a changed covered header is an invalid signature', async () => {
    const { signed } = await sign(postRequest());
    const changed = withHeader(signed, 'Content-Type', 'text/plain');
    await expectRefused(verifyMessage(changed, verifyOptions()), 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('a removed Content-Digest is a missing component', async () => {
    const { signed } = await sign(postRequest());
    await expectRefused(
      verifyMessage(withoutHeader(signed, 'Content-Digest'), verifyOptions()),
      'ERR_HTTPSIG_MISSING_COMPONENT',
    );
  });

  it('a dropped body (undefined: empty content) is a digest mismatch', async () => {
    const { signed } = await sign(postRequest());
    await expectRefused(
      verifyMessage({ ...signed, body: undefined }, verifyOptions()),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('the same body in another shape (bytes, stream) still verifies', async () => {
    const { signed } = await sign(postRequest());
    for (const body of [utf8(BODY), streamOf(utf8(BODY), 4), new Blob([BODY])]) {
      await expect(verifyMessage({ ...signed, body }, verifyOptions())).resolves.toBeDefined();
    }
  });
});

describe('requireDigest', () => {
  it('a request with a body signed with digest: false is refused by default, accepted when not required', async () => {
    const { signed, result } = await sign(postRequest(), { digest: false });
    expect(result.contentDigest).toBeUndefined();
    expect(headerOf(signed, 'content-digest')).toBeUndefined();
    const error = await expectRefused(verifyMessage(signed, verifyOptions()), 'ERR_HTTPSIG_POLICY');
    expect(error.component).toBe('"content-digest"');
    expect(error.label).toBe('sig1');
    const verified = await verifyMessage(signed, verifyOptions({ requireDigest: false }));
    expect(verified.digests).toEqual([]);
  });

  it('a GET without body gets no Content-Digest and verifies under the default policy', async () => {
    const get: RequestLike = { method: 'GET', url: 'https://shop.example/orders/1', headers: [] };
    const { signed, result } = await sign(get, { components: ['@method', '@authority', '@path'] });
    expect(result.contentDigest).toBeUndefined();
    expect(result.headers).not.toHaveProperty('content-digest');
    expect(result.signatureInput).not.toContain('content-digest');
    const verified = await verifyMessage(signed, verifyOptions());
    expect(verified.digests).toEqual([]);
  });

  it('a request declaring Content-Length: 10 without a body passed still needs content-digest', async () => {
    const declared: RequestLike = {
      method: 'POST',
      url: 'https://shop.example/orders',
      headers: [['Content-Length', '10']],
    };
    const { signed } = await sign(declared, { components: ['@method', '@authority'] });
    expect(headerOf(signed, 'content-digest')).toBeUndefined();
    const error = await expectRefused(verifyMessage(signed, verifyOptions()), 'ERR_HTTPSIG_POLICY');
    expect(error.component).toBe('"content-digest"');
  });

  it('Transfer-Encoding also declares a body', async () => {
    const chunked: RequestLike = {
      method: 'POST',
      url: 'https://shop.example/orders',
      headers: [['Transfer-Encoding', 'chunked']],
    };
    const { signed } = await sign(chunked, { components: ['@method', '@authority'] });
    await expectRefused(verifyMessage(signed, verifyOptions()), 'ERR_HTTPSIG_POLICY');
  });

  it('Content-Length: 0 and an empty body need no digest', async () => {
    const empty: RequestLike = {
      method: 'POST',
      url: 'https://shop.example/orders',
      headers: [['Content-Length', '0']],
      body: '',
    };
    const { signed } = await sign(empty, { components: ['@method', '@authority'], digest: false });
    await expect(verifyMessage(signed, verifyOptions())).resolves.toBeDefined();
  });

  it('a response body is not required to be covered by default, but is under requireDigest: true', async () => {
    const response: ResponseLike = {
      status: 200,
      headers: [['Content-Type', 'application/json']],
      body: BODY,
    };
    const { signed } = await sign(response, { components: ['@status', 'content-type'], digest: false });
    const options = verifyOptions({ requiredComponents: ['@status'] });
    await expect(verifyMessage(signed, options)).resolves.toBeDefined();
    const error = await expectRefused(
      verifyMessage(signed, { ...options, requireDigest: true }),
      'ERR_HTTPSIG_POLICY',
    );
    expect(error.component).toBe('"content-digest"');
  });
});

describe('choosing and checking the digest when signing', () => {
  it('a response honours the Want-Content-Digest of its request', async () => {
    const request: RequestLike = {
      method: 'GET',
      url: 'https://shop.example/orders/1',
      headers: [['Want-Content-Digest', 'sha-512=10, sha-256=1']],
    };
    const expected = await expectedField(utf8(BODY), 'sha-512');
    const viaProperty: ResponseLike = { status: 200, headers: [], body: BODY, request };
    const first = await sign(viaProperty, { components: ['@status'] });
    expect(first.result.contentDigest).toBe(expected);

    const viaOption: ResponseLike = { status: 200, headers: [], body: BODY };
    const second = await sign(viaOption, { components: ['@status'], request });
    expect(second.result.contentDigest).toBe(expected);

    const verified = await verifyMessage(first.signed, verifyOptions({ requiredComponents: ['@status'] }));
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
  });

  it('an explicit digest option wins over Want-Content-Digest; an unusable want falls back to sha-256', async () => {
    const want = (value: string): RequestLike => ({
      method: 'GET',
      url: 'https://shop.example/',
      headers: [['Want-Content-Digest', value]],
    });
    const response = (value: string): ResponseLike => ({
      status: 200,
      headers: [],
      body: BODY,
      request: want(value),
    });
    const sha256 = await expectedField(utf8(BODY));
    expect(
      (await sign(response('sha-512=10'), { components: ['@status'], digest: 'sha-256' })).result
        .contentDigest,
    ).toBe(sha256);
    for (const value of ['sha=10', 'md5=5, sha-256=0', 'not a dictionary(']) {
      expect((await sign(response(value), { components: ['@status'] })).result.contentDigest).toBe(sha256);
    }
  });

  it('digest: sha-512 is used for a request', async () => {
    const { result } = await sign(postRequest(), { digest: 'sha-512' });
    expect(result.contentDigest).toBe(await expectedField(utf8(BODY), 'sha-512'));
  });

  it('an existing correct Content-Digest is covered, not replaced', async () => {
    const existing = `sha-512=:${await digestBase64('sha-512', utf8(BODY))}:`;
    const message = withHeader(postRequest(), 'Content-Digest', existing);
    const { signed, result } = await sign(message);
    expect(result.contentDigest).toBeUndefined();
    expect(result.headers).not.toHaveProperty('content-digest');
    expect(result.signatureInput).toContain('"content-digest"');
    expect(headerOf(signed, 'content-digest')).toBe(existing);
    const verified = await verifyMessage(signed, verifyOptions());
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
  });

  it('an existing wrong Content-Digest is refused when signing', async () => {
    const wrong = await expectedField(utf8(`${BODY} `));
    const message = withHeader(postRequest(), 'Content-Digest', wrong);
    await expectRefused(sign(message), 'ERR_HTTPSIG_DIGEST_MISMATCH');
  });

  it('content-digest listed in components explicitly is covered once', async () => {
    const { result } = await sign(postRequest(), { components: [...COMPONENTS, 'content-digest'] });
    expect(result.signatureInput.match(/"content-digest"/g)).toHaveLength(1);
  });
});

describe('result.digests', () => {
  it('reports Content-Digest and Repr-Digest when both are covered', async () => {
    const sha512 = await digestBase64('sha-512', utf8(BODY));
    const sha256 = await digestBase64('sha-256', utf8(BODY));
    const message = withHeader(
      withHeader(postRequest(), 'Repr-Digest', `sha-512=:${sha512}:`),
      'Content-Digest',
      `sha-256=:${sha256}:, sha-512=:${sha512}:`,
    );
    const { signed } = await sign(message, { components: [...COMPONENTS, 'content-digest', 'repr-digest'] });
    const verified = await verifyMessage(signed, verifyOptions());
    expect(verified.digests).toEqual([
      { field: 'content-digest', algorithms: ['sha-256', 'sha-512'] },
      { field: 'repr-digest', algorithms: ['sha-512'] },
    ]);
  });

  it('a wrong covered Repr-Digest on a request is a mismatch', async () => {
    const message = withHeader(postRequest(), 'Repr-Digest', await expectedField(utf8(`${BODY}x`)));
    const { signed } = await sign(message, { components: [...COMPONENTS, 'repr-digest'] });
    const error = await expectRefused(verifyMessage(signed, verifyOptions()), 'ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(error.field).toBe('repr-digest');
  });

  it('an uncovered Content-Digest is not checked (and not reported)', async () => {
    const message = withHeader(postRequest(), 'Content-Digest', await expectedField(utf8('other')));
    const { signed } = await sign(message, { digest: false });
    const verified = await verifyMessage(signed, verifyOptions({ requireDigest: false }));
    expect(verified.digests).toEqual([]);
  });
});

describe('covering one member of Content-Digest (;key=)', () => {
  /** A Content-Digest with an md5-named member (never verified) next to a correct sha-256. */
  async function fieldFor(body: string): Promise<string> {
    return `md5=:${btoa('0123456789abcdef')}:, sha-256=:${await digestBase64('sha-256', utf8(body))}:`;
  }

  it('covering the sha-256 member binds the body', async () => {
    const message = withHeader(postRequest(), 'Content-Digest', await fieldFor(BODY));
    const { signed } = await sign(message, {
      components: ['@method', '@authority', '"content-digest";key="sha-256"'],
    });
    await expect(verifyMessage(signed, verifyOptions())).resolves.toBeDefined();
    const forgedBody = changeChar(BODY, 3);
    const forged = withHeader({ ...signed, body: forgedBody }, 'Content-Digest', await fieldFor(forgedBody));
    await expectRefused(verifyMessage(forged, verifyOptions()), 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('covering only a member that is never verified (md5) does not bind the body', async () => {
    // The signature covers the md5 bytes only; the sha-256 member that is checked is unsigned,
    // so a new body with a recomputed sha-256 member must not be accepted.
    const message = withHeader(postRequest(), 'Content-Digest', await fieldFor(BODY));
    const { signed } = await sign(message, {
      components: ['@method', '@authority', '"content-digest";key="md5"'],
    });
    const forgedBody = '{"order":"FORGED","amount":1}';
    const forged = withHeader({ ...signed, body: forgedBody }, 'Content-Digest', await fieldFor(forgedBody));
    const error = await rejectionOf(verifyMessage(forged, verifyOptions()));
    expect(error, 'a forged body was accepted').toBeDefined();
    expect(['ERR_HTTPSIG_POLICY', 'ERR_HTTPSIG_INSECURE_DIGEST']).toContain((error as HttpSigError).code);
  });
});

describe('several signatures over one stream body', () => {
  const bytes = patternBytes(64 * 1024 + 3);

  async function twiceSigned(): Promise<RequestLike> {
    const message: RequestLike = {
      method: 'PUT',
      url: 'https://shop.example/blob',
      headers: [],
      body: bytes,
    };
    const first = await sign(message, { components: ['@method', '@authority'], label: 'sig1' });
    const second = await signMessage(first.signed, {
      key: keyOf(keys.private, EC),
      components: ['@method', '@authority', '@path'],
      params: { created: NOW, keyid: EC },
      label: 'sig2',
    });
    // The second signer finds the Content-Digest the first added, checks it and covers it.
    expect(second.contentDigest).toBeUndefined();
    expect(second.signatureInput).toMatch(/sig2=\([^)]*"content-digest"/);
    return withSignature(first.signed, second);
  }

  it("require: 'all' verifies both and reads the stream once", async () => {
    const message = await twiceSigned();
    const { stream, stats } = countingStream(bytes.length, 4096);
    const verified = await verifyMessage({ ...message, body: stream }, verifyOptions({ require: 'all' }));
    expect(verified.signatures.map((s) => s.label)).toEqual(['sig1', 'sig2']);
    for (const s of verified.signatures) {
      expect(s.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    }
    expect(stats.bytes).toBe(bytes.length);
    expect(stats.pulls).toBe(Math.ceil(bytes.length / 4096));
  });

  it("require: 'any' verifies with one read", async () => {
    const message = await twiceSigned();
    const { stream, stats } = countingStream(bytes.length, 4096);
    const verified = await verifyMessage({ ...message, body: stream }, verifyOptions({ require: 'any' }));
    expect(verified.label).toBe('sig1');
    expect(stats.bytes).toBe(bytes.length);
  });

  it("require: 'all' with a changed stream fails on the digest", async () => {
    const message = await twiceSigned();
    const { stream } = countingStream(bytes.length, 4096, (i) => (i === 5000 ? 0 : i & 0xff));
    await expectRefused(
      verifyMessage({ ...message, body: stream }, verifyOptions({ require: 'all' })),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });
});

describe('RFC 9421 signature vectors that cover content-digest', () => {
  const covering = vectors.signatures.filter((v) => v.coveredComponents.includes('"content-digest"'));

  it('include B.2.4', () => {
    expect(covering.map((v) => v.id)).toContain('B.2.4');
  });

  function optionsFor(v: (typeof covering)[number]): VerifyOptions {
    const request = relatedRequestOf(v);
    return {
      keys: keys.public,
      requiredComponents: v.coveredComponents,
      label: v.label,
      now: createdOf(v),
      ...(request === undefined ? {} : { request }),
    };
  }

  it('B.2.4 (response, ecdsa-p256-sha256) verifies with its sha-512 Content-Digest checked', async () => {
    const v = signatureVector('B.2.4');
    const verified = await verifyMessage(signedMessageOf(v), optionsFor(v));
    expect(verified.label).toBe('sig-b24');
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
  });

  it('B.2.4 with a changed body is a digest mismatch that does not quote the body', async () => {
    const v = signatureVector('B.2.4');
    const message = signedMessageOf(v);
    const original = message.body as string;
    expect(original).toBe('{"message": "good dog"}');
    await expectRefused(
      verifyMessage({ ...message, body: original.replace('good', 'bad!') }, optionsFor(v)),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
      original,
      'good dog',
    );
  });

  it.each(covering.map((v) => [v.id, v] as const))(
    '%s: verifies, checks the digest, and rejects a changed body',
    async (_id, v) => {
      const message = signedMessageOf(v);
      const verified = await verifyMessage(message, { ...optionsFor(v), requireDigest: false });
      expect(verified.digests).toHaveLength(1);
      expect(verified.digests[0]?.field).toBe('content-digest');
      const body = message.body as string;
      await expectRefused(
        verifyMessage({ ...message, body: `${body} ` }, { ...optionsFor(v), requireDigest: false }),
        'ERR_HTTPSIG_DIGEST_MISMATCH',
        body,
      );
    },
  );
});
