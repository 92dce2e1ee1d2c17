/**
 * RFC 9421 component values (§2.1–§2.2, §2.4, §2.5, §7.5.6): every case gives its printed
 * base line, or fails with the right error code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpSigError, type HttpSigErrorCode } from '../../src/errors';
import { createSignatureBase, signMessage, verifyMessage } from '../../src/index';
import type { RequestLike } from '../../src/message/types';
import {
  type ComponentCase,
  expectHttpSigError,
  keyOf,
  loadTestKeys,
  messageFrom,
  type ParsedMessage,
  rejectionOf,
  type TestKeys,
  thrownBy,
  vectors,
  withSignature,
} from './lib/messages';

/** Field structured types the examples need for `sf` / `key` (Example-Dict is not a registered field). */
const fieldTypes = { 'example-dict': 'dictionary' } as const;

const cases = vectors.components;
const valueCases = cases.filter((c) => c.expectedLine !== undefined);
const errorCases = cases.filter((c) => c.expectedError === true);
const illustrations = cases.filter((c) => c.kind === 'invalid-base-illustration');

/** The error each error case must raise (the RFC only says "produce an error"). */
const expectedCodes: Readonly<Record<string, HttpSigErrorCode>> = {
  '2.5-error-missing-dict-key': 'ERR_HTTPSIG_MISSING_COMPONENT',
  '2.2.9-error-status-on-request': 'ERR_HTTPSIG_INVALID_COMPONENT',
  '2.4-error-req-on-request': 'ERR_HTTPSIG_INVALID_COMPONENT',
  '2.2.8-error-missing-param': 'ERR_HTTPSIG_MISSING_COMPONENT',
  '2.5-error-missing-field': 'ERR_HTTPSIG_MISSING_COMPONENT',
  '2.5-error-unknown-derived': 'ERR_HTTPSIG_INVALID_COMPONENT',
  '2.5-error-bs-with-sf': 'ERR_HTTPSIG_INVALID_COMPONENT',
  '2.5-error-duplicate-component': 'ERR_HTTPSIG_INVALID_COMPONENT',
};

function identifiersOf(c: ComponentCase): string[] {
  if (c.componentIdentifiers) return c.componentIdentifiers;
  if (c.componentIdentifier !== undefined) return [c.componentIdentifier];
  throw new Error(`case ${c.id} has no identifier`);
}

/**
 * Fragments (header-only figures) are wrapped in `GET https://www.example.com/`
 * (see FRAGMENT_REQUEST); every other case uses its own request or response.
 */
function baseFor(parsed: ParsedMessage, components: readonly string[]): string {
  return createSignatureBase(messageFrom(parsed), { components, fieldTypes });
}

it('covers all 50 component cases', () => {
  expect(cases).toHaveLength(50);
  expect(valueCases.length + errorCases.length + illustrations.length).toBe(cases.length);
  expect(Object.keys(expectedCodes).sort()).toEqual(errorCases.map((c) => c.id).sort());
});

describe.each(valueCases.map((c) => [c.id, c.componentIdentifier ?? '', c] as const))(
  '%s %s',
  (_id, _ident, c) => {
    const identifier = c.componentIdentifier as string;

    it('gives the expected line as the first line of the signature base', () => {
      expect(c.expectedLine).toBe(`${identifier}: ${c.expectedValue}`);
      const base = baseFor(c.message.parsed, [identifier]);
      const lines = base.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(c.expectedLine);
      expect(lines[1]).toBe(`"@signature-params": (${identifier})`);
    });
  },
);

describe.each(errorCases.map((c) => [c.id, c] as const))('%s', (id, c) => {
  it(`refuses with ${expectedCodes[id]}`, () => {
    const error = thrownBy(() => baseFor(c.message.parsed, identifiersOf(c)));
    expectHttpSigError(error, expectedCodes[id] as HttpSigErrorCode);
  });

  it('the signer refuses it too', async () => {
    const keys = await loadTestKeys();
    const error = await rejectionOf(() =>
      signMessage(messageFrom(c.message.parsed), {
        key: keyOf(keys.private, 'test-key-ed25519'),
        components: identifiersOf(c),
        params: { created: 1618884473, keyid: 'test-key-ed25519' },
        fieldTypes,
      }),
    );
    expectHttpSigError(error, expectedCodes[id] as HttpSigErrorCode);
  });
});

describe.each(illustrations.map((c) => [c.id, c] as const))(
  '%s (§2.2.8: lines a base must never contain)',
  (_id, c) => {
    it('percent-encodes @query-param values, so no printed invalid line appears', () => {
      const identifiers = [
        '"@query-param";name="var"',
        '"@query-param";name="bar"',
        '"@query-param";name="fa%C3%A7ade%22%3A%20"',
      ];
      const base = baseFor(c.message.parsed, identifiers);
      const lines = base.split('\n');
      expect(lines).toHaveLength(identifiers.length + 1);
      for (const printed of (c.printedLines ?? '').split('\n')) expect(lines).not.toContain(printed);
      // Every line is printable ASCII (RFC 9421 §2.5: no CR/LF, no non-ASCII in values).
      for (const line of lines) expect(line).toMatch(/^[\x20-\x7e]*$/);
    });
  },
);

describe('component details beyond the printed lines', () => {
  const sec21 = cases.find((c) => c.id === '2.1#3') as ComponentCase;

  it('§2.1: trailing spaces and tabs on X-OWS-Header do not change its value', () => {
    const parsed = sec21.message.parsed;
    const raw = (parsed.headersRaw ?? parsed.headers).map(([n, v]) =>
      n === 'X-OWS-Header' ? ([n, `${v}  \t `] as [string, string]) : ([n, v] as [string, string]),
    );
    const base = baseFor({ ...parsed, headersRaw: raw }, ['"x-ows-header"']);
    expect(base.split('\n')[0]).toBe('"x-ows-header": Leading and trailing whitespace.');
  });

  it('§2.1: a bare field name means the same identifier as its quoted form', () => {
    const parsed = sec21.message.parsed;
    expect(baseFor(parsed, ['cache-control'])).toBe(baseFor(parsed, ['"cache-control"']));
  });

  it('§2.1: field names are matched case-insensitively (Cache-Control lines found for "cache-control")', () => {
    const parsed = sec21.message.parsed;
    const upper = (parsed.headersRaw ?? parsed.headers).map(
      ([n, v]) => [n.toUpperCase(), v] as [string, string],
    );
    expect(baseFor({ ...parsed, headersRaw: upper }, ['"cache-control"']).split('\n')[0]).toBe(
      '"cache-control": max-age=60, must-revalidate',
    );
  });

  it('§2.1.2: key implies a Dictionary, so it needs no field type', () => {
    const parsed = sec21.message.parsed;
    const base = createSignatureBase(messageFrom(parsed), { components: ['"example-dict";key="b"'] });
    expect(base.split('\n')[0]).toBe('"example-dict";key="b": 2;x=1;y=2');
  });

  it('§2.1.1: sf on a field of unknown type is refused unless a type is given or detection is on', () => {
    const parsed = sec21.message.parsed;
    const error = thrownBy(() =>
      createSignatureBase(messageFrom(parsed), { components: ['"example-dict";sf'] }),
    );
    expect(error).toBeInstanceOf(HttpSigError);
    const auto = createSignatureBase(messageFrom(parsed), {
      components: ['"example-dict";sf'],
      unknownFieldType: 'auto',
    });
    expect(auto.split('\n')[0]).toBe('"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)');
  });

  it('§2.1.1: fieldTypes declares the structured type sf parses with', () => {
    const parsed = sec21.message.parsed;
    const base = createSignatureBase(messageFrom(parsed), {
      components: ['"cache-control";sf'],
      fieldTypes: { 'cache-control': 'dictionary' },
    });
    expect(base.split('\n')[0]).toBe('"cache-control";sf: max-age=60, must-revalidate');
  });

  it('§2.1.4: a trailer is not read from the header section and vice versa', () => {
    const parsed = (cases.find((c) => c.id === '2.1.4#3') as ComponentCase).message.parsed;
    const { trailers: _trailers, ...noTrailers } = parsed;
    expectHttpSigError(
      thrownBy(() => baseFor(noTrailers, ['"expires";tr'])),
      'ERR_HTTPSIG_MISSING_COMPONENT',
    );
    expectHttpSigError(
      thrownBy(() => baseFor(parsed, ['"expires"'])),
      'ERR_HTTPSIG_MISSING_COMPONENT',
    );
  });

  it('§2.2.8: a repeated query parameter gives one base line per occurrence, in order', () => {
    // RFC 9421 §2.2.8 tells signers not to cover a repeated name. The project contract covers it
    // line by line, which still binds every occurrence: adding, removing or reordering one
    // changes the base, so parameter pollution cannot slip past a verifier.
    const request = { method: 'GET', url: 'https://www.example.com/path?a=1&b=2&a=3', headers: [] };
    const base = createSignatureBase(request, { components: ['"@query-param";name="a"'] });
    expect(base.split('\n').slice(0, 2)).toEqual([
      '"@query-param";name="a": 1',
      '"@query-param";name="a": 3',
    ]);
    const polluted = { ...request, url: `${request.url}&a=4` };
    expect(createSignatureBase(polluted, { components: ['"@query-param";name="a"'] })).not.toBe(base);
  });

  it('§2.2.8: a parameter without "=" has an empty value; names are matched after decoding', () => {
    const request = { method: 'GET', url: 'https://www.example.com/path?flag&sp%61ce=x+y', headers: [] };
    const base = createSignatureBase(request, {
      components: ['"@query-param";name="flag"', '"@query-param";name="space"'],
    });
    expect(base.split('\n').slice(0, 2)).toEqual([
      '"@query-param";name="flag": ',
      '"@query-param";name="space": x%20y',
    ]);
  });

  it('§2.2.3/§2.2.4: @authority and @scheme are normalized (lower case, default port dropped)', () => {
    const lines = (url: string) =>
      createSignatureBase({ method: 'GET', url, headers: [] }, { components: ['@authority', '@scheme'] })
        .split('\n')
        .slice(0, 2);
    expect(lines('HTTPS://WWW.Example.COM:443/x')).toEqual([
      '"@authority": www.example.com',
      '"@scheme": https',
    ]);
    expect(lines('http://www.example.com:80/x')).toEqual([
      '"@authority": www.example.com',
      '"@scheme": http',
    ]);
    expect(lines('http://www.example.com:8080/x')).toEqual([
      '"@authority": www.example.com:8080',
      '"@scheme": http',
    ]);
  });

  it('§2.2.6: an empty path is "/"', () => {
    const base = createSignatureBase(
      { method: 'OPTIONS', url: 'https://www.example.com', headers: [] },
      { components: ['@path', '@query'] },
    );
    expect(base.split('\n').slice(0, 2)).toEqual(['"@path": /', '"@query": ?']);
  });

  it('§2.1.3: bs wraps each field line, keeping commas inside a line', () => {
    const request = {
      method: 'GET',
      url: 'https://www.example.com/',
      headers: [
        ['X-Multi', '  a, b  '],
        ['X-Multi', 'c'],
      ] as [string, string][],
    };
    const base = createSignatureBase(request, { components: ['"x-multi";bs', '"x-multi"'] });
    expect(base.split('\n').slice(0, 2)).toEqual([
      `"x-multi";bs: :${btoa('a, b')}:, :${btoa('c')}:`,
      '"x-multi": a, b, c',
    ]);
  });

  it.each<[string, Partial<RequestLike>, string]>([
    ['a field value (obs-text)', { headers: [['X-Name', 'caf\u00e9']] }, 'x-name'],
    ['a raw path', { url: 'https://www.example.com/caf\u00e9' }, '@path'],
    ['a raw query', { url: 'https://www.example.com/p?x=caf\u00e9' }, '@query'],
    ['a method', { method: 'G\u00c9T' }, '@method'],
  ])('§2.5 step 4: non-ASCII in %s makes the base an error', (_what, patch, component) => {
    const request: RequestLike = { method: 'GET', url: 'https://www.example.com/', headers: [], ...patch };
    const error = thrownBy(() => createSignatureBase(request, { components: [component] }));
    expect(error, 'RFC 9421 §2.5-7.4: produce an error if the output contains non-ASCII').toBeInstanceOf(
      HttpSigError,
    );
  });

  it.each<[string, Partial<RequestLike>, string]>([
    ['a field value with a bare LF', { headers: [['X-Evil', 'a\n"@method": POST']] }, 'x-evil'],
    ['a field value with a bare CR', { headers: [['X-Evil', 'a\r"@method": POST']] }, 'x-evil'],
    ['a field value with CRLF not followed by whitespace', { headers: [['X-Evil', 'a\r\nb']] }, 'x-evil'],
    ['a method with LF', { method: 'GET\n"@path": /admin' }, '@method'],
    ['a request target with LF', { target: '/x\n"@authority": evil' }, '@request-target'],
  ])('§2.5: %s cannot inject a line into the base', (_what, patch, component) => {
    const request: RequestLike = { method: 'GET', url: 'https://www.example.com/', headers: [], ...patch };
    const error = thrownBy(() => createSignatureBase(request, { components: [component] }));
    expect(error, 'a base line break must never come from a component value').toBeInstanceOf(HttpSigError);
  });

  it('§2.2.7: @query of a request without a query is "?"', () => {
    const parsed = (cases.find((c) => c.id === '2.2.7-absent') as ComponentCase).message.parsed;
    expect(baseFor(parsed, ['@query']).split('\n')[0]).toBe('"@query": ?');
  });
});

describe('every printed component line survives a sign → verify round trip', () => {
  let keys: TestKeys;
  beforeAll(async () => {
    keys = await loadTestKeys();
  });

  it.each(valueCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const identifier = c.componentIdentifier as string;
    const message = messageFrom(c.message.parsed);
    const key = keyOf(keys.private, 'test-key-ed25519');
    const signed = await signMessage(message, {
      key,
      components: [identifier],
      params: { created: 1618884473, keyid: 'test-key-ed25519' },
      fieldTypes,
      digest: false,
    });
    expect(signed.base.split('\n')[0]).toBe(c.expectedLine);
    const result = await verifyMessage(withSignature(message, signed), {
      keys: keys.public,
      requiredComponents: [identifier],
      now: 1618884473,
      fieldTypes,
      requireDigest: false,
    });
    expect(result.components).toEqual([identifier]);
  });
});
