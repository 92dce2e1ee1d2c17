/**
 * `verifyMessage` reads `Signature-Input`, `Signature` and `Content-Digest` through the
 * common-shape parser or, for anything else, through structured-headers: the same message
 * written either way verifies the same, and hostile values keep their error codes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpSigError, type HttpSigKey, importKey, signMessage, verifyMessage } from '../../src/index';

let key: HttpSigKey;
const components = ['@method', '@authority', '@path', 'content-digest', 'content-type'];
const body = '{"hello": "world"}';
const contentDigest =
  'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';
let signatureInput: string;
let signature: string;
let base: string;

function request(headers: Record<string, string>) {
  return {
    method: 'POST',
    url: 'https://example.com/foo?x=1',
    headers: { 'content-type': 'application/json', 'content-digest': contentDigest, ...headers },
    body,
  };
}

const options = () => ({
  keys: { k1: key },
  requiredComponents: components,
  now: 1618884480,
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpSigError) return error.code;
    throw error;
  }
  return undefined;
}

beforeAll(async () => {
  key = await importKey(new Uint8Array(32).fill(7), { alg: 'hmac-sha256', keyid: 'k1' });
  const signed = await signMessage(request({}), {
    key,
    components,
    params: { created: 1618884473, keyid: 'k1', alg: 'hmac-sha256' },
    digest: false,
  });
  ({ signatureInput, signature, base } = signed);
});

describe('verifying through either parser', () => {
  it('verifies the common shape and returns the canonical base', async () => {
    const verified = await verifyMessage(
      request({ 'signature-input': signatureInput, signature }),
      options(),
    );
    expect(verified.base).toBe(base);
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-512'] }]);
  });

  it('gives the same result for forms only the library reads', async () => {
    const members = signatureInput.slice('sig1='.length);
    const variants = [
      // Spacing the common-shape parser leaves to the library, and a non-canonical integer.
      `sig1=(  ${members.slice(1, members.indexOf(')'))} )${members.slice(members.indexOf(')') + 1)}`,
      signatureInput.replace('created=1618884473', 'created=01618884473'),
      // A boolean parameter: outside the subset, and unknown to RFC 9421 so kept as is.
      `${signatureInput};x`,
    ];
    for (const variant of variants) {
      const result = await verifyMessage(request({ 'signature-input': variant, signature }), options()).then(
        (verified) => verified.base,
        (error: HttpSigError) => error.code,
      );
      if (variant.endsWith(';x')) {
        // `;x` is covered by @signature-params, so the signature no longer matches.
        expect(result).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
      } else {
        expect(result).toBe(base);
      }
    }
  });

  it('keeps the codes of hostile and unusual values', async () => {
    const cases: [Record<string, string>, string | undefined][] = [
      [
        { 'signature-input': signatureInput.replace('keyid="k1"', 'keyid="k\\"1"'), signature },
        'ERR_HTTPSIG_UNKNOWN_KEY',
      ],
      [
        { 'signature-input': signatureInput.replace('"@method"', '"@method";bogus'), signature },
        'ERR_HTTPSIG_INVALID_COMPONENT',
      ],
      [
        { 'signature-input': signatureInput.replace('"@method"', '"@Method"'), signature },
        'ERR_HTTPSIG_INVALID_COMPONENT',
      ],
      [
        {
          'signature-input': signatureInput.replace('created=1618884473', 'created="1618884473"'),
          signature,
        },
        'ERR_HTTPSIG_PARSE',
      ],
      [
        { 'signature-input': signatureInput.replace('keyid="k1"', 'keyid=1'), signature },
        'ERR_HTTPSIG_PARSE',
      ],
      [{ 'signature-input': `${signatureInput},`, signature }, 'ERR_HTTPSIG_PARSE'],
      [{ 'signature-input': signatureInput, signature: 'sig1=:@@@@:' }, 'ERR_HTTPSIG_PARSE'],
      [{ 'signature-input': signatureInput, signature: 'sig1=("a")' }, 'ERR_HTTPSIG_PARSE'],
      [{ 'signature-input': signatureInput, signature: `${signature};p=1` }, undefined],
      [
        { 'signature-input': signatureInput, signature: signature.replace(/.:$/, 'A:') },
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ],
      [{ 'signature-input': 'sig1=:YQ==:', signature }, 'ERR_HTTPSIG_PARSE'],
      [{ 'signature-input': `${signatureInput}, sig1=("@method")`, signature }, 'ERR_HTTPSIG_POLICY'],
      [{ 'signature-input': `sig1=("@method"), ${signatureInput}`, signature }, undefined],
      [
        {
          'signature-input': signatureInput,
          signature,
          'content-digest': contentDigest.replace('==:', '=:'),
        },
        // Covered, so the signature fails before the digest is read.
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ],
      [
        { 'signature-input': signatureInput, signature, 'content-digest': contentDigest.replace('WZ', 'WY') },
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      ],
    ];
    for (const [headers, code] of cases) {
      expect(await codeOf(verifyMessage(request(headers), options())), JSON.stringify(headers)).toBe(code);
    }
  });

  it('checks the digest parsed by either parser against the body', async () => {
    // Signed over a Content-Digest that the library reads (a parameter on the member).
    const digest = `${contentDigest};p=1`;
    const signed = await signMessage(request({ 'content-digest': digest }), {
      key,
      components,
      params: { created: 1618884473, keyid: 'k1' },
      digest: false,
    });
    const headers = {
      'content-digest': digest,
      'signature-input': signed.signatureInput,
      signature: signed.signature,
    };
    expect((await verifyMessage(request(headers), options())).digests).toEqual([
      { field: 'content-digest', algorithms: ['sha-512'] },
    ]);
    expect(await codeOf(verifyMessage({ ...request(headers), body: '{}' }, options()))).toBe(
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });
});
