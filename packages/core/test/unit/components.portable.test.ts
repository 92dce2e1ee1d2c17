import { describe, expect, it } from 'vitest';
import { createSignatureBase } from '../../src/base/create-signature-base';
import { HttpSigError } from '../../src/errors';

const firstLine = (base: string) => base.split('\n')[0];

function baseLine(message: Parameters<typeof createSignatureBase>[0], component: string): string | undefined {
  return firstLine(createSignatureBase(message, { components: [component] }));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpSigError) return error.code;
    throw error;
  }
  return undefined;
}

describe('derived components from a plain request', () => {
  const request = { method: 'GET', url: 'HTTPS://WWW.Example.COM:443/a%20b/c?x=1&y=%2F', headers: {} };

  it('normalizes scheme and authority but keeps path and query bytes', () => {
    expect(baseLine(request, '@authority')).toBe('"@authority": www.example.com');
    expect(baseLine(request, '@scheme')).toBe('"@scheme": https');
    expect(baseLine(request, '@path')).toBe('"@path": /a%20b/c');
    expect(baseLine(request, '@query')).toBe('"@query": ?x=1&y=%2F');
    expect(baseLine(request, '@target-uri')).toBe('"@target-uri": https://www.example.com/a%20b/c?x=1&y=%2F');
    expect(baseLine(request, '@request-target')).toBe('"@request-target": /a%20b/c?x=1&y=%2F');
  });

  it('keeps a non-default port and gives / for an empty path and ? for an empty query', () => {
    const message = { method: 'GET', url: 'http://example.com:8080', headers: {} };
    expect(baseLine(message, '@authority')).toBe('"@authority": example.com:8080');
    expect(baseLine(message, '@path')).toBe('"@path": /');
    expect(baseLine(message, '@query')).toBe('"@query": ?');
  });

  it('uses the request target as sent for absolute, authority and asterisk forms', () => {
    const connect = {
      method: 'CONNECT',
      url: 'https://www.example.com:80',
      target: 'www.example.com:80',
      headers: {},
    };
    expect(baseLine(connect, '@request-target')).toBe('"@request-target": www.example.com:80');
    const options = { method: 'OPTIONS', url: 'https://www.example.com', target: '*', headers: {} };
    expect(baseLine(options, '@request-target')).toBe('"@request-target": *');
  });

  it('keeps the method as sent', () => {
    expect(baseLine({ method: 'patch', url: 'https://e.com/', headers: {} }, '@method')).toBe(
      '"@method": patch',
    );
  });
});

describe('@query-param', () => {
  const message = {
    method: 'GET',
    url: 'https://e.com/?a=1&b=x+y&a=2&c&%C3%A7=%E2%82%AC&e=%7e!',
    headers: {},
  };

  it('gives one line per occurrence, in order', () => {
    const base = createSignatureBase(message, { components: ['"@query-param";name="a"'] });
    expect(base.split('\n').slice(0, 2)).toEqual([
      '"@query-param";name="a": 1',
      '"@query-param";name="a": 2',
    ]);
  });

  it('decodes plus as space and re-encodes with %20 and the form percent-encode set', () => {
    expect(baseLine(message, '"@query-param";name="b"')).toBe('"@query-param";name="b": x%20y');
    expect(baseLine(message, '"@query-param";name="c"')).toBe('"@query-param";name="c": ');
    expect(baseLine(message, '"@query-param";name="%C3%A7"')).toBe('"@query-param";name="%C3%A7": %E2%82%AC');
    expect(baseLine(message, '"@query-param";name="e"')).toBe('"@query-param";name="e": %7E%21');
  });

  it('refuses an absent parameter and a missing name', () => {
    expect(codeOf(() => baseLine(message, '"@query-param";name="zzz"'))).toBe(
      'ERR_HTTPSIG_MISSING_COMPONENT',
    );
    expect(codeOf(() => baseLine(message, '@query-param'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
  });

  it('accepts the object form with queryName', () => {
    const base = createSignatureBase(message, { components: [{ name: '@query-param', queryName: 'b' }] });
    expect(firstLine(base)).toBe('"@query-param";name="b": x%20y');
  });
});

describe('HTTP fields', () => {
  it('combines repeated lines, trims and unfolds obs-fold, keeps empty values', () => {
    const message = {
      method: 'GET',
      url: 'https://e.com/',
      headers: [
        ['X-A', '  one  '],
        ['x-a', 'two\r\n   three'],
        ['X-Empty', ''],
      ] as [string, string][],
    };
    expect(baseLine(message, 'x-a')).toBe('"x-a": one, two three');
    expect(baseLine(message, 'x-empty')).toBe('"x-empty": ');
  });

  it('wraps each field line as a byte sequence with bs', () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: { 'x-b': ['a, b', ' c'] } };
    expect(baseLine(message, '"x-b";bs')).toBe('"x-b";bs: :YSwgYg==:, :Yw==:');
  });

  it('reads trailers with tr and refuses a missing trailer', () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {}, trailers: { expires: 'soon' } };
    expect(baseLine(message, '"expires";tr')).toBe('"expires";tr: soon');
    expect(codeOf(() => baseLine(message, '"other";tr'))).toBe('ERR_HTTPSIG_MISSING_COMPONENT');
  });

  it('re-serializes known structured fields and declared ones with sf', () => {
    const message = {
      method: 'GET',
      url: 'https://e.com/',
      headers: { 'content-digest': 'sha-256=:AAA=:,  x=1', 'my-list': 'a,   b' },
    };
    expect(baseLine(message, '"content-digest";sf')).toBe('"content-digest";sf: sha-256=:AAA=:, x=1');
    expect(codeOf(() => baseLine(message, '"my-list";sf'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
    const base = createSignatureBase(message, {
      components: ['"my-list";sf'],
      fieldTypes: { 'my-list': 'list' },
    });
    expect(firstLine(base)).toBe('"my-list";sf: a, b');
    const auto = createSignatureBase(message, { components: ['"my-list";sf'], unknownFieldType: 'auto' });
    expect(firstLine(auto)).toBe('"my-list";sf: a, b');
  });

  it('refuses control characters that would forge base lines', () => {
    const message = {
      method: 'GET',
      url: 'https://e.com/',
      headers: [['x-evil', 'a\nb']] as [string, string][],
    };
    expect(codeOf(() => baseLine(message, 'x-evil'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
  });

  it('refuses unknown and misplaced component parameters', () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: { a: '1' } };
    expect(codeOf(() => baseLine(message, '"a";foo'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
    expect(codeOf(() => baseLine(message, '"@method";sf'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
    expect(codeOf(() => baseLine(message, '"a";name="x"'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
    expect(codeOf(() => baseLine(message, '"A"'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
    expect(codeOf(() => baseLine(message, '"@signature-params"'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
    expect(codeOf(() => baseLine(message, '"a";sf=?0'))).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
  });
});

describe('Web Request and Response', () => {
  it('reads method, URL and headers of a Request', () => {
    const request = new Request('https://example.com/p?q=1', { method: 'POST', headers: { 'X-Y': 'z' } });
    const base = createSignatureBase(request, { components: ['@method', '@target-uri', 'x-y'] });
    expect(base.split('\n').slice(0, 3)).toEqual([
      '"@method": POST',
      '"@target-uri": https://example.com/p?q=1',
      '"x-y": z',
    ]);
  });

  it('takes ;req components from the related request of a Response', () => {
    const request = new Request('https://example.com/p', { method: 'PUT' });
    const response = new Response(null, { status: 201, headers: { 'content-type': 'text/plain' } });
    const base = createSignatureBase(response, {
      components: ['@status', 'content-type', '"@method";req'],
      request,
    });
    expect(base.split('\n').slice(0, 3)).toEqual([
      '"@status": 201',
      '"content-type": text/plain',
      '"@method";req: PUT',
    ]);
    expect(codeOf(() => createSignatureBase(response, { components: ['"@method";req'] }))).toBe(
      'ERR_HTTPSIG_MISSING_COMPONENT',
    );
    expect(codeOf(() => createSignatureBase(response, { components: ['@method'] }))).toBe(
      'ERR_HTTPSIG_INVALID_COMPONENT',
    );
  });

  it('refuses a relative url with a TypeError', () => {
    expect(() => createSignatureBase({ method: 'GET', url: '/relative' }, { components: ['@path'] })).toThrow(
      TypeError,
    );
  });
});
