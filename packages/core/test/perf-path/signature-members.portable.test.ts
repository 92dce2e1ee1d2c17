/**
 * The hand-written parser for the common shape of `Signature-Input`, `Signature` and
 * `Content-Digest` gives exactly what structured-headers gives (values, and the canonical
 * `@signature-params` text), and gives up, so that the library decides, on everything else.
 */
import fc from 'fast-check';
import { parseDictionary as sfParseDictionary, Token } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { type InnerList, isInnerList, serializeInnerList } from '../../src/sfv/index';
import { parseByteSequenceMembers, parseSignatureInputMembers } from '../../src/sfv/signature-members';
import signatureVectors from '../vectors/rfc9421-vectors.json';
import digestVectors from '../vectors/rfc9530-vectors.json';
import sfDictionary from '../vectors/structured-field-tests/dictionary.json';
import sfExamples from '../vectors/structured-field-tests/examples.json';
import sfParamDict from '../vectors/structured-field-tests/param-dict.json';

/** A comparable form of parsed structured values: types made explicit, Maps as entry lists. */
function plain(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { bytes: [...new Uint8Array(value)] };
  if (value instanceof Token) return { token: value.toString() };
  if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v)]);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'number') return { number: Object.is(value, -0) ? '-0' : String(value) };
  return value;
}

/** What structured-headers gives: the dictionary, or that it refuses the input. */
function library(input: string): { dictionary: unknown; params: Map<string, string> } | 'error' {
  try {
    const dictionary = sfParseDictionary(input);
    const params = new Map<string, string>();
    for (const [label, member] of dictionary) {
      if (isInnerList(member)) params.set(label, serializeInnerList(member as InnerList));
    }
    return { dictionary: plain(dictionary), params };
  } catch {
    return 'error';
  }
}

/** The fast parsers either agree with the library or give up; they never accept what it refuses. */
function expectEquivalent(input: string): void {
  const expected = library(input);
  const fastInput = parseSignatureInputMembers(input);
  if (fastInput !== undefined) {
    expect(expected).not.toBe('error');
    if (expected === 'error') return;
    expect(plain(fastInput.dictionary)).toEqual(expected.dictionary);
    expect([...fastInput.signatureParams]).toEqual([...expected.params]);
  }
  const fastBytes = parseByteSequenceMembers(input);
  if (fastBytes !== undefined) {
    expect(expected).not.toBe('error');
    if (expected === 'error') return;
    expect(plain(fastBytes)).toEqual(expected.dictionary);
  }
}

/** Every string anywhere in a JSON document. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) strings(item, out);
  return out;
}

interface SfTest {
  raw?: string[];
  header_type?: string;
}

describe('the common-shape parser', () => {
  it('reads the B.2 Signature-Input and gives the @signature-params text', () => {
    const input =
      'sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"';
    // An item parameter is outside the subset: the library reads this one.
    expect(parseSignatureInputMembers(input)).toBeUndefined();
    const common =
      'sig1=("@method" "@authority" "@path" "content-digest" "content-type" "content-length");created=1618884473;keyid="test-key-ecc-p256"';
    const parsed = parseSignatureInputMembers(common);
    expect(parsed).toBeDefined();
    expect(parsed?.signatureParams.get('sig1')).toBe(common.slice('sig1='.length));
    expectEquivalent(common);
  });

  it('leaves every form outside the subset to the library', () => {
    const outside = [
      'sig1=("@method");created=01',
      'sig1=("@method");created=-0',
      'sig1=("@method");created=1.5',
      'sig1=("@method");created=1234567890123456',
      'sig1=("@method");keyid="a\\"b"',
      'sig1=("@method");keyid=tok',
      'sig1=("@method");flag',
      'sig1=("@method");flag=?1',
      'sig1=("@method");a=1;a=2',
      'sig1=("@method";req)',
      'sig1=("@method""@path")',
      'sig1=("@method" "@path"',
      'sig1=("@method"), sig1=("@path")',
      'sig1=("@method"),',
      'sig1=:YQ==:',
      'sig1',
      'Sig1=()',
    ];
    for (const input of outside) {
      expect(parseSignatureInputMembers(input), input).toBeUndefined();
      expectEquivalent(input);
    }
    const bytesOutside = [
      'a=:YR==:',
      'a=:YQ:',
      'a=:-_8=:',
      'a=:YQ===:',
      'a=:YQ==:;p=1',
      'a=:YQ==',
      'a=("x")',
    ];
    for (const input of bytesOutside) {
      expect(parseByteSequenceMembers(input), input).toBeUndefined();
      expectEquivalent(input);
    }
    // Inside the subset, with the canonical text even where the input spacing is not.
    const inside = parseSignatureInputMembers('a=(  "@method"   "x" );created=0;n=-12;k="" ,\tb=()');
    expect(inside?.signatureParams.get('a')).toBe('("@method" "x");created=0;n=-12;k=""');
    expect(inside?.signatureParams.get('b')).toBe('()');
    expect(parseSignatureInputMembers(' sig1=() ')?.signatureParams.get('sig1')).toBe('()');
    expectEquivalent(' sig1=() ');
  });

  it('agrees with structured-headers on every string of the RFC 9421 and RFC 9530 vectors', () => {
    const all = [...strings(signatureVectors), ...strings(digestVectors)];
    let accepted = 0;
    for (const text of all) {
      expectEquivalent(text);
      // Field values printed as `Name: value` lines too.
      const colon = text.indexOf(': ');
      if (colon > 0) expectEquivalent(text.slice(colon + 2));
      if (parseSignatureInputMembers(text) || parseByteSequenceMembers(text)) accepted++;
    }
    // The vectors do exercise the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(5);
  });

  it('agrees with structured-headers on the structured field test suite', () => {
    const suites = [sfDictionary, sfParamDict, sfExamples] as SfTest[][];
    for (const suite of suites) {
      for (const test of suite) {
        if (test.header_type !== 'dictionary' || !test.raw) continue;
        expectEquivalent(test.raw.join(', '));
      }
    }
  });

  const keyChar = fc.constantFrom(...'abz019_-.*'.split(''));
  const key = fc
    .tuple(fc.constantFrom('a', 's', 'z', '*', 'A', '1', '-'), fc.array(keyChar, { maxLength: 6 }))
    .map(([first, rest]) => first + rest.join(''));
  const stringChar = fc.constantFrom(...'a@-:;,()= "\\éZ\t'.split(''), 'content-digest', '@method', '\u007f');
  const sfString = fc.array(stringChar, { maxLength: 6 }).map((chars) => `"${chars.join('')}"`);
  const integer = fc.oneof(
    fc.integer({ min: -1e6, max: 2e9 }).map(String),
    fc.constantFrom('0', '-0', '01', '999999999999999', '1000000000000000', '1.5', '12.', '-'),
  );
  const otherBare = fc.constantFrom('?1', '?0', 'tok', ':YQ==:', '@12', '%"x"', '');
  const bare = fc.oneof(sfString, integer, otherBare);
  const space = fc.constantFrom('', ' ', '  ', '\t');
  const parameter = fc
    .tuple(space, key, fc.option(bare, { nil: undefined }))
    .map(([sp, k, v]) => `;${sp}${k}${v === undefined ? '' : `=${v}`}`);
  const parameters = fc.array(parameter, { maxLength: 4 }).map((ps) => ps.join(''));
  const innerItem = fc.tuple(sfString, fc.oneof(fc.constant(''), parameters)).map(([s, p]) => s + p);
  const innerList = fc
    .tuple(space, fc.array(fc.tuple(innerItem, fc.constantFrom(' ', '  ', '')), { maxLength: 7 }), space)
    .map(([lead, items, trail]) => `(${lead}${items.map(([item, sep]) => item + sep).join('')}${trail})`);
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 80 }).map((b) => `:${btoa(String.fromCharCode(...b))}:`),
    fc.constantFrom(':YQ:', ':YR==:', ':YQ===:', ':-_8=:', ':YQ=:', '::', ':YQ==', ':a b:'),
  );
  const memberValue = fc.oneof(
    fc.tuple(innerList, parameters).map(([l, p]) => l + p),
    fc.tuple(bytes, fc.oneof(fc.constant(''), parameters)).map(([b, p]) => b + p),
    bare,
  );
  const member = fc
    .tuple(key, fc.option(memberValue, { nil: undefined }))
    .map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
  const dictionary = fc
    .tuple(
      space,
      fc.array(fc.tuple(member, fc.constantFrom(',', ', ', ' ,\t', ',,', '')), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(
      ([lead, members]) =>
        lead +
        members
          .map(([m, sep], i) => (i === members.length - 1 ? m : m + sep))
          .join('')
          .concat(''),
    );

  it('agrees with structured-headers on generated dictionaries near the common shape', () => {
    fc.assert(
      fc.property(dictionary, (input) => {
        expectEquivalent(input);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for generated common-shape members and serializes them canonically', () => {
    const name = fc.constantFrom('@method', '@path', 'content-digest', 'x-a.b', '@query', 'date');
    const param = fc.oneof(
      fc.tuple(fc.constantFrom('created', 'expires'), fc.integer({ min: 0, max: 2 ** 40 })),
      fc.tuple(
        fc.constantFrom('keyid', 'alg', 'nonce', 'tag'),
        fc.string({ unit: fc.constantFrom(...'abc -_=:/+'.split('')), maxLength: 20 }),
      ),
    );
    const shape = fc.tuple(
      fc.uniqueArray(fc.constantFrom('sig1', 'sig2', 'a', 'x-y'), { minLength: 1, maxLength: 3 }),
      fc.array(name, { maxLength: 6 }),
      fc.uniqueArray(param, { selector: ([k]) => k, maxLength: 6 }),
    );
    fc.assert(
      fc.property(shape, ([labels, names, params]) => {
        const value = `(${names.map((n) => `"${n}"`).join(' ')})${params
          .map(([k, v]) => `;${k}=${typeof v === 'number' ? v : `"${v}"`}`)
          .join('')}`;
        const input = labels.map((label) => `${label}=${value}`).join(', ');
        const parsed = parseSignatureInputMembers(input);
        expect(parsed).toBeDefined();
        for (const label of labels) expect(parsed?.signatureParams.get(label)).toBe(value);
        expectEquivalent(input);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with structured-headers on arbitrary short strings', () => {
    const unit = fc.constantFrom(...'sig1=("@a" b);c=1"\\:YQ==, \t?*-.é'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (input) => {
        expectEquivalent(input);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes byte sequences of every length exactly as the library does', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 130 }), { minLength: 1, maxLength: 3 }), (values) => {
        const input = values.map((b, i) => `k${i}=:${btoa(String.fromCharCode(...b))}:`).join(', ');
        expect(parseByteSequenceMembers(input)).toBeDefined();
        expectEquivalent(input);
      }),
      { numRuns: 500 },
    );
  });
});
