/**
 * The hand-written `@signature-params` serialization used when signing gives exactly what
 * structured-headers gives, and signing keeps the errors and results it had before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSignatureParamsValue } from '../../src/base/signature-input';
import type { SignatureParams } from '../../src/base/types';
import { identifierFromInput } from '../../src/components/identifier';
import { cachedIdentifier } from '../../src/internal/identifier-cache';
import { serializeNewSignatureParams, serializeSignatureParams } from '../../src/internal/signature-params';
import { generateKey } from '../../src/keys/index';
import { serializeInnerList } from '../../src/sfv/index';
import { signMessage } from '../../src/sign/sign';

const components = [
  '@method',
  '@authority',
  '"@query-param";name="a"',
  'content-type;req',
  'example-dict;key="x"',
];

/** What the generic path produces, or the error it throws. */
function generic(ids: ReturnType<typeof identifierFromInput>[], params: SignatureParams): string | Error {
  try {
    return serializeInnerList(createSignatureParamsValue(ids, params));
  } catch (error) {
    return error as Error;
  }
}

const paramName = fc.oneof(
  fc.constantFrom('created', 'expires', 'nonce', 'alg', 'keyid', 'tag', 'ext', 'a*b', 'x-1.y_z'),
  fc.string({ maxLength: 6 }),
);
const paramValue = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 999_999_999_999_999, -999_999_999_999_999, 1_000_000_000_000_000, 1.5, Number.NaN),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('a"b', 'back\\slash', 'tab\there', 'é', ''),
);

describe('serializeNewSignatureParams', () => {
  it('equals structured-headers output whenever it answers, and leaves every refusal to the generic path', () => {
    const ids = components.map(identifierFromInput);
    fc.assert(
      fc.property(fc.array(fc.tuple(paramName, paramValue), { maxLength: 6 }), (entries) => {
        const params: SignatureParams = {};
        for (const [name, value] of entries) params[name] = value;
        const fast = serializeNewSignatureParams(ids, params);
        const expected = generic(ids, params);
        if (fast !== undefined) expect(fast).toBe(expected);
        if (expected instanceof Error) expect(fast).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('serializes the structured value the same way as structured-headers, with any parameter', () => {
    const ids = components.map(identifierFromInput);
    for (const params of [
      { created: 1, keyid: 'k' },
      { created: 1, ratio: 0.5 },
      { flag: true, off: false },
    ]) {
      const value = createSignatureParamsValue(ids, params);
      expect(serializeSignatureParams(ids, value)).toBe(serializeInnerList(value));
    }
  });
});

describe('cached component identifiers', () => {
  it('give the same identifiers as parsing, and refuse invalid input every time', () => {
    for (const input of components) {
      expect(cachedIdentifier(input)).toEqual(identifierFromInput(input));
      expect(cachedIdentifier(input)).toBe(cachedIdentifier(input));
    }
    for (let i = 0; i < 2; i++) expect(() => cachedIdentifier('Bad Name')).toThrow();
  });

  it('stay correct past the cache bound', () => {
    for (let i = 0; i < 600; i++) {
      expect(cachedIdentifier(`x-field-${i}`).serialized).toBe(`"x-field-${i}"`);
    }
  });
});

describe('signMessage output', () => {
  const request = () => ({
    method: 'POST',
    url: 'https://example.com/foo',
    headers: { 'content-type': 'text/plain', 'signature-input': 'old=();created=1', signature: 'old=:AAAA:' },
  });

  it('merges with existing members and serializes a lone member the same way', async () => {
    const { privateKey } = await generateKey('ed25519');
    const options = {
      key: privateKey,
      components: ['@method', 'content-type'],
      params: { created: 1618884473, keyid: 'k"\\', ratio: 0.25 },
      digest: false as const,
    };
    const merged = await signMessage(request(), options);
    expect(merged.signatureInput).toBe(
      `old=();created=1, sig1=("@method" "content-type");created=1618884473;keyid="k\\"\\\\";ratio=0.25`,
    );
    expect(merged.signature).toBe(`old=:AAAA:, sig1=:${merged.signatureValue}:`);
    const { signature: _s, 'signature-input': _i, ...headers } = request().headers;
    const alone = await signMessage(
      { ...request(), headers },
      { ...options, params: { created: 1, keyid: 'k' } },
    );
    expect(alone.signatureInput).toBe('sig1=("@method" "content-type");created=1;keyid="k"');
    expect(alone.signature).toBe(`sig1=:${alone.signatureValue}:`);
  });

  it('keeps the TypeErrors of invalid parameters', async () => {
    const { privateKey } = await generateKey('ed25519');
    const sign = (params: Record<string, unknown>) =>
      signMessage(
        { method: 'GET', url: 'https://example.com/' },
        {
          key: privateKey,
          components: ['@method'],
          params: params as SignatureParams,
        },
      );
    await expect(sign({ created: 1.5 })).rejects.toThrow(
      'The created parameter must be an integer number of seconds',
    );
    await expect(sign({ keyid: 7 })).rejects.toThrow('The keyid parameter must be a string');
    await expect(sign({ tag: 'é' })).rejects.toThrow('The tag parameter must be printable ASCII');
    await expect(sign({ Bad: 1 })).rejects.toThrow('Invalid signature parameter name');
  });
});
