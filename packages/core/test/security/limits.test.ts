/**
 * Every limit of docs/limits.md: refused past it with `ERR_HTTPSIG_LIMIT_EXCEEDED` naming it,
 * accepted at it; and hostile sizes (1,000 signatures, a 1 MB field, 10,000 query parameters)
 * are refused by the pre-parse checks.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyMessage } from '../../src/index';
import type { RequestLike } from '../../src/message/types';
import { countMembers, defaultVerifyLimits, resolveLimits } from '../../src/verify/limits';
import type { KeyResolver, VerifyOptions } from '../../src/verify/types';
import {
  baseRequest,
  ED,
  expectNoLeaks,
  expectRefusal,
  field,
  keyOf,
  loadTestKeys,
  NOW,
  sign,
  type TestKeys,
  withFields,
} from './lib';

let keys: TestKeys;
beforeAll(async () => {
  keys = await loadTestKeys();
});
afterAll(() => {
  expect(expectNoLeaks()).toBeGreaterThan(10);
});

const components = ['@method', '@target-uri', 'content-digest'];

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return { keys: keys.public, requiredComponents: [], now: NOW, ...overrides };
}

async function signed(extra: object = {}, message: RequestLike = baseRequest()): Promise<RequestLike> {
  return sign(message, { key: keyOf(keys.private, ED), components, ...extra });
}

/** A resolver that must never be reached: the limit is checked before any key lookup. */
function unreachable() {
  return vi.fn<KeyResolver>(() => keyOf(keys.public, ED));
}

describe('field sizes and counts, before parsing', () => {
  it('maxSignatureInputLength and maxSignatureLength', async () => {
    const message = await signed();
    const inputLength = field(message, 'signature-input').length;
    const signatureLength = field(message, 'signature').length;
    await verifyMessage(
      message,
      options({ maxSignatureInputLength: inputLength, maxSignatureLength: signatureLength }),
    );
    await expectRefusal(
      verifyMessage(message, options({ maxSignatureInputLength: inputLength - 1 })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxSignatureInputLength',
    );
    await expectRefusal(
      verifyMessage(message, options({ maxSignatureLength: signatureLength - 1 })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxSignatureLength',
    );
  });

  it('a 1 MB Signature-Input field, also split over many lines, is refused by its length', async () => {
    const message = await signed();
    const huge = withFields(message, {
      'signature-input': `${field(message, 'signature-input')}, x=(${'"a" '.repeat(262_144)})`,
    });
    await expectRefusal(
      verifyMessage(huge, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      huge,
      'maxSignatureInputLength',
    );
    const lines: [string, string][] = Object.entries(message.headers as Record<string, string>);
    for (let i = 0; i < 2000; i++) lines.push(['signature-input', `l${i}=("${'a'.repeat(500)}")`]);
    const split = { ...message, headers: lines };
    await expectRefusal(
      verifyMessage(split, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      split,
      'maxSignatureInputLength',
    );
    const spaces = withFields(message, { signature: `${' '.repeat(1 << 20)}${field(message, 'signature')}` });
    await expectRefusal(
      verifyMessage(spaces, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      spaces,
      'maxSignatureLength',
    );
  });

  it('1,000 signatures are refused by counting members, and maxSignatures is exact', async () => {
    const message = await signed();
    const input = field(message, 'signature-input');
    const member = input.slice(input.indexOf('=') + 1);
    const many = Array.from({ length: 1000 }, (_, i) => `s${i}=()`).join(',');
    const flood = withFields(message, { 'signature-input': `${input},${many}` });
    await expectRefusal(
      verifyMessage(flood, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      flood,
      'maxSignatures',
    );
    const three = withFields(message, { 'signature-input': `${input}, a=${member}, b=${member}` });
    await verifyMessage(three, options({ maxSignatures: 3 }));
    await expectRefusal(
      verifyMessage(three, options({ maxSignatures: 2 })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      three,
      'maxSignatures',
    );
  });

  it('the member count ignores commas inside strings', () => {
    expect(countMembers(['a=("x");tag="1,2,3", b=()'])).toBe(2);
    expect(countMembers(['a=("x");tag="\\",\\""', 'b=()'])).toBe(2);
    expect(countMembers(['', '  '])).toBe(0);
  });

  it('maxSignatureAttempts: only that many candidate signatures are tried', async () => {
    const message = await signed();
    const input = field(message, 'signature-input');
    const signature = field(message, 'signature');
    const bogusSignature = signature.replace(/^sig1=:[A-Za-z0-9]/, 'x=:A');
    const bogusInput = input.replace(/^sig1=/, 'x=');
    // The bad signature comes first; the good one is only reached with two attempts.
    const ordered = withFields(message, {
      'signature-input': `${bogusInput}, ${input}`,
      signature: `${bogusSignature}, ${signature}`,
    });
    await verifyMessage(ordered, options({ maxSignatureAttempts: 2 }));
    await expectRefusal(
      verifyMessage(ordered, options({ maxSignatureAttempts: 1 })),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
      ordered,
    );
    // Under require: 'all' no signature may be skipped.
    const twoGood = withFields(message, {
      'signature-input': `${input}, again=${input.slice(input.indexOf('=') + 1)}`,
      signature: `${signature}, again=${signature.slice(signature.indexOf('=') + 1)}`,
    });
    await verifyMessage(twoGood, options({ require: 'all', maxSignatureAttempts: 2 }));
    await expectRefusal(
      verifyMessage(twoGood, options({ require: 'all', maxSignatureAttempts: 1 })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      twoGood,
      'maxSignatureAttempts',
    );
  });

  it('maxLabelLength', async () => {
    const label = 'l'.repeat(129);
    const message = await signed({ label });
    await expectRefusal(
      verifyMessage(message, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxLabelLength',
    );
    await verifyMessage(message, options({ maxLabelLength: 129 }));
  });
});

describe('per-signature limits, before any key lookup', () => {
  it('maxCoveredComponents', async () => {
    const fields = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x-f${i}`, `v${i}`]));
    const message = await signed(
      { components: [...components, ...Object.keys(fields)] },
      baseRequest({ headers: { 'content-type': 'application/json', ...fields } }),
    );
    await verifyMessage(message, options({ maxCoveredComponents: 13 }));
    const keys = unreachable();
    await expectRefusal(
      verifyMessage(message, options({ keys, maxCoveredComponents: 12 })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxCoveredComponents',
    );
    expect(keys).not.toHaveBeenCalled();
  });

  it('maxComponentIdentifierLength', async () => {
    const name = `x-${'n'.repeat(300)}`;
    const message = await signed(
      { components: [...components, name] },
      baseRequest({ headers: { [name]: 'v' } }),
    );
    await expectRefusal(
      verifyMessage(message, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxComponentIdentifierLength',
    );
    await verifyMessage(message, options({ maxComponentIdentifierLength: 400 }));
  });

  it('maxParameterLength, maxKeyidLength and maxNonceLength', async () => {
    const tagged = await signed({ params: { created: NOW, keyid: ED, tag: 't'.repeat(1025) } });
    await expectRefusal(
      verifyMessage(tagged, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      tagged,
      'maxParameterLength',
    );
    await verifyMessage(tagged, options({ maxParameterLength: 1025 }));
    const keyid = `${ED}${'k'.repeat(500)}`;
    const longKeyid = await signed({ params: { created: NOW, keyid } });
    await expectRefusal(
      verifyMessage(longKeyid, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      longKeyid,
      'maxKeyidLength',
    );
    await verifyMessage(
      longKeyid,
      options({ keys: { [keyid]: keyOf(keys.public, ED) }, maxKeyidLength: keyid.length }),
    );
    const nonce = await signed({ params: { created: NOW, keyid: ED, nonce: 'n'.repeat(257) } });
    await expectRefusal(
      verifyMessage(nonce, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      nonce,
      'maxNonceLength',
    );
  });

  it('maxSignatureBytes', async () => {
    const message = await signed();
    const long = withFields(message, { signature: `sig1=:${btoa('x'.repeat(2048))}:` });
    const keys = unreachable();
    await expectRefusal(
      verifyMessage(long, options({ keys })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      long,
      'maxSignatureBytes',
    );
    expect(keys).not.toHaveBeenCalled();
    await expectRefusal(
      verifyMessage(message, options({ maxSignatureBytes: 63 })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxSignatureBytes',
    );
    await verifyMessage(message, options({ maxSignatureBytes: 64 }));
  });
});

describe('component inputs, before the signature base is built', () => {
  it('maxStructuredFieldLength for ;sf and ;key', async () => {
    const fieldTypes = { 'x-dict': 'dictionary' } as const;
    const dictionary = Array.from({ length: 3000 }, (_, i) => `k${i}=${i}`).join(', ');
    const message = await signed(
      { components: [...components, 'x-dict;sf', 'x-dict;key="k1"'], fieldTypes },
      baseRequest({ headers: { 'x-dict': dictionary } }),
    );
    await expectRefusal(
      verifyMessage(message, options({ fieldTypes })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxStructuredFieldLength',
    );
    await verifyMessage(message, options({ fieldTypes, maxStructuredFieldLength: dictionary.length }));
  });

  it('maxQueryParams: 10,000 query parameters are refused when @query-param is covered', async () => {
    const query = Array.from({ length: 10_000 }, (_, i) => `p${i}=${i}`).join('&');
    const url = `https://api.example.com/search?${query}`;
    const component = '"@query-param";name="p1"';
    const message = await signed({ components: [...components, component] }, baseRequest({ url }));
    await expectRefusal(
      verifyMessage(message, options()),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      message,
      'maxQueryParams',
    );
    await verifyMessage(message, options({ maxQueryParams: 10_000 }));
    // Covering @query alone splits nothing: no limit applies.
    const whole = await signed({ components: [...components, '@query'] }, baseRequest({ url }));
    await verifyMessage(whole, options());
  });
});

describe('options', () => {
  it('defaults are documented values, and every limit must be a positive integer', () => {
    expect(resolveLimits({})).toEqual(defaultVerifyLimits);
    for (const name of Object.keys(defaultVerifyLimits)) {
      for (const bad of [0, -1, 1.5, Number.NaN, '8']) {
        expect(() => resolveLimits({ [name]: bad }), `${name}=${String(bad)}`).toThrow(TypeError);
      }
    }
  });
});
