/**
 * Property tests: sign → verify round trips over random messages, components and all six
 * algorithms; tampering with a covered component or the signature always fails; base building
 * and parsing never throw anything but HttpSigError.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Algorithm, algorithms } from '../../src/algorithms/registry';
import {
  createSignatureBase,
  generateKey,
  HttpSigError,
  parseSignatureInput,
  signMessage,
  verifyMessage,
} from '../../src/index';
import type { GeneratedKeyPair, HttpSigKey } from '../../src/keys/types';
import type { RequestLike, ResponseLike } from '../../src/message/types';
import { expectHttpSigError, flipByte, type HeaderPair, rejectionOf, withSignature } from './lib/messages';

const NOW = 1_700_000_000;
/** Override with HTTPSIG_PROPERTY_RUNS=1000 for a longer hunt. */
const RUNS = Number(process.env.HTTPSIG_PROPERTY_RUNS ?? 60);

const keyPairs = new Map<Algorithm, GeneratedKeyPair>();
const publicKeys: Record<string, HttpSigKey> = {};

beforeAll(async () => {
  await Promise.all(
    algorithms.map(async (alg) => {
      const pair = await generateKey(alg, { keyid: `key-${alg}` });
      keyPairs.set(alg, pair);
      publicKeys[`key-${alg}`] = pair.publicKey;
    }),
  );
}, 60_000);

function pairFor(alg: Algorithm): GeneratedKeyPair {
  const pair = keyPairs.get(alg);
  if (!pair) throw new Error(`no key for ${alg}`);
  return pair;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'QUERY'),
  fc.stringMatching(/^[A-Z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,9}$/),
);

const authority = fc.constantFrom(
  'example.com',
  'EXAMPLE.org',
  'api.example.net:8443',
  'localhost:80',
  '127.0.0.1:3000',
  '[2001:db8::1]:8080',
);

/** Raw path characters (pchar) and percent-encoded odd text. */
const pathSegment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,8}$/),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map(encodeURIComponent),
);
const path = fc.array(pathSegment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`);

/**
 * Reference for RFC 9421 §2.2.8: a decoded name or value percent-encoded with the
 * application/x-www-form-urlencoded percent-encode set (spaces as %20).
 */
function formEncode(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9*\-._]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A query name as sent (`raw`) and as the `name` parameter spells it (`encoded`). Never starts with z. */
const queryName = fc.oneof(
  fc.stringMatching(/^[a-y][A-Za-z0-9._~*-]{0,7}$/).map((raw) => ({ raw, encoded: formEncode(raw) })),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 6 })
    .filter((s) => !s.startsWith('z'))
    .map((s) => ({ raw: encodeURIComponent(s), encoded: formEncode(s) })),
);
const queryValue = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~!$'()*+,;:@/?-]{0,10}$/),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent),
  fc.constantFrom('a+b', '%2D', '%zz', '%', 'x%20y', '', '%C3%A7', '%00', '=', 'a=b'),
);
const query = fc
  .uniqueArray(fc.tuple(queryName, queryValue), { selector: ([n]) => n.encoded, maxLength: 4 })
  .map((params) => ({
    names: params.map(([n]) => n.encoded),
    text: params.length === 0 ? '' : `?${params.map(([n, v]) => `${n.raw}=${v}`).join('&')}`,
  }));

const headerName = fc.stringMatching(/^x-[a-y0-9][a-z0-9-]{0,9}$/);
/** Visible ASCII with inner spaces/tabs, optionally surrounded by whitespace the library trims. */
const headerValue = fc
  .tuple(
    fc.constantFrom('', ' ', '  ', '\t'),
    fc.oneof(fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e\t]{0,20}[\x21-\x7e])?$/), fc.constant('')),
    fc.constantFrom('', ' ', '\t '),
  )
  .map(([a, v, b]) => `${a}${v}${b}`);
/** Non-empty visible value, so that a single-character change is a change of the component value. */
const visibleValue = fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e]{0,20}[\x21-\x7e])?$/);

/** Field lines with repeated names, interleaved. */
const headers = fc
  .uniqueArray(headerName, { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.array(fc.tuple(fc.constantFrom(...names), headerValue), { minLength: 1, maxLength: names.length + 4 }),
  )
  .map((pairs) => pairs.map(([n, v]) => [n, v] as HeaderPair));

interface RequestParts {
  method: string;
  scheme: string;
  authority: string;
  path: string;
  /** `?…` or empty. */
  query: string;
  headers: HeaderPair[];
}

interface GeneratedRequest {
  parts: RequestParts;
  message: RequestLike;
  /** Every component the message has, as a caller would write it. */
  pool: string[];
}

function buildRequest(parts: RequestParts): RequestLike {
  return {
    method: parts.method,
    url: `${parts.scheme}://${parts.authority}${parts.path}${parts.query}`,
    headers: [...parts.headers],
  };
}

const request = fc
  .record({
    method,
    scheme: fc.constantFrom('https', 'http'),
    authority,
    path,
    query,
    headers,
  })
  .map(({ method: m, scheme, authority: a, path: p, query: q, headers: h }): GeneratedRequest => {
    const parts: RequestParts = { method: m, scheme, authority: a, path: p, query: q.text, headers: h };
    const names = [...new Set(h.map(([n]) => n))];
    const pool = [
      '@method',
      '@target-uri',
      '@authority',
      '@scheme',
      '@request-target',
      '@path',
      '@query',
      ...q.names.map((n) => `"@query-param";name="${n}"`),
      ...names,
      ...names.map((n) => `"${n}";bs`),
    ];
    return { parts, message: buildRequest(parts), pool };
  });

const params = fc.record({
  nonce: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,16}$/), { nil: undefined }),
  tag: fc.option(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { nil: undefined }),
  expires: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
  withAlg: fc.boolean(),
});

function signParams(alg: Algorithm, p: { nonce?: string; tag?: string; expires?: number; withAlg: boolean }) {
  return {
    created: NOW,
    keyid: `key-${alg}`,
    ...(p.withAlg ? { alg } : {}),
    ...(p.expires === undefined ? {} : { expires: NOW + p.expires }),
    ...(p.nonce === undefined ? {} : { nonce: p.nonce }),
    ...(p.tag === undefined ? {} : { tag: p.tag }),
  };
}

function verifyOptions(components: readonly string[], extra: { request?: RequestLike } = {}) {
  return { keys: publicKeys, requiredComponents: components, now: NOW, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

describe('sign → verify round trip', () => {
  it.each([...algorithms])('%s: random requests and component subsets verify', async (alg) => {
    await fc.assert(
      fc.asyncProperty(
        request.chain((r) => fc.tuple(fc.constant(r), fc.shuffledSubarray(r.pool), params)),
        async ([{ message }, components, p]) => {
          const signed = await signMessage(message, {
            key: pairFor(alg).privateKey,
            components,
            params: signParams(alg, p),
          });
          const result = await verifyMessage(withSignature(message, signed), verifyOptions(components));
          expect(result.base).toBe(signed.base);
          expect(result.alg).toBe(alg);
          expect(result.components).toHaveLength(components.length);
          expect(signed.base.split('\n')).toHaveLength(components.length + 1);
          expect(result.nonce).toBe(p.nonce);
          expect(result.tag).toBe(p.tag);
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('random responses with ;req components of their request verify', async () => {
    const response = fc.record({
      status: fc.integer({ min: 100, max: 599 }),
      headers,
      req: request,
      alg: fc.constantFrom(...algorithms),
    });
    await fc.assert(
      fc.asyncProperty(
        response.chain((r) => {
          const names = [...new Set(r.headers.map(([n]) => n))];
          const own = ['@status', ...names];
          const fromRequest = r.req.pool.map((c) => (c.startsWith('"') ? `${c};req` : `"${c}";req`));
          return fc.tuple(fc.constant(r), fc.shuffledSubarray([...own, ...fromRequest], { minLength: 1 }));
        }),
        async ([r, components]) => {
          const message: ResponseLike = { status: r.status, headers: r.headers };
          const signed = await signMessage(message, {
            key: pairFor(r.alg).privateKey,
            components,
            params: { created: NOW, keyid: `key-${r.alg}` },
            request: r.req.message,
          });
          const result = await verifyMessage(
            withSignature(message, signed),
            verifyOptions(components, { request: r.req.message }),
          );
          expect(result.base).toBe(signed.base);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('adding an uncovered field line or query parameter keeps the signature valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constantFrom(...algorithms),
        headerValue,
        async ({ message }, alg, extra) => {
          const components = ['@method', '@authority', '@path'];
          const signed = await signMessage(message, {
            key: pairFor(alg).privateKey,
            components,
            params: { created: NOW, keyid: `key-${alg}` },
          });
          const url = String(message.url);
          const changed: RequestLike = {
            ...withSignature(message, signed),
            url: `${url}${url.includes('?') ? '&' : '?'}added=1`,
          };
          (changed.headers as HeaderPair[]).push(['x-uncovered-added', extra]);
          const result = await verifyMessage(changed, verifyOptions(components));
          expect(result.base).toBe(signed.base);
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------------------------

const replacementChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');

/** Replace the character at `index` (of the positions `isCandidate` accepts) by a different one. */
function changeOneChar(
  text: string,
  index: number,
  replacement: string,
  isCandidate: (c: string) => boolean,
) {
  const positions = [...text].map((c, i) => (isCandidate(c) ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) return undefined;
  const at = positions[index % positions.length] as number;
  const original = text[at] as string;
  const next = original === replacement ? (replacement === 'a' ? 'b' : 'a') : replacement;
  return `${text.slice(0, at)}${next}${text.slice(at + 1)}`;
}

const alnum = (c: string) => /[A-Za-z0-9]/.test(c);
const visible = (c: string) => /[\x21-\x7e]/.test(c);

describe('tampering', () => {
  it('any single-character change to a covered component value fails verification', async () => {
    // x-ztarget / ztarget cannot collide with generated names (those never start with z).
    const target = fc.constantFrom('header', '@method', '@path', '@query-param', '@authority');
    await fc.assert(
      fc.asyncProperty(
        request,
        target,
        fc.constantFrom(...algorithms),
        visibleValue,
        fc.nat(),
        replacementChar,
        async (r, which, alg, value, index, replacement) => {
          const parts: RequestParts = { ...r.parts, headers: [...r.parts.headers] };
          let component: string = which;
          if (which === 'header') {
            parts.headers.push(['x-ztarget', value]);
            component = 'x-ztarget';
          } else if (which === '@path') {
            parts.path = `/t0${parts.path}`;
          } else if (which === '@query-param') {
            parts.query = `${parts.query}${parts.query === '' ? '?' : '&'}ztarget=v0lue`;
            component = '"@query-param";name="ztarget"';
          }
          const changed: RequestParts = { ...parts, headers: [...parts.headers] };
          const other = replacement === '0' ? '1' : replacement;
          if (which === 'header') {
            const i = changed.headers.findIndex(([n]) => n === 'x-ztarget');
            changed.headers[i] = ['x-ztarget', changeOneChar(value, index, replacement, visible) as string];
          } else if (which === '@method') {
            const next = changeOneChar(parts.method, index, replacement.toUpperCase(), alnum);
            if (next === undefined) return;
            changed.method = next;
          } else if (which === '@path') {
            changed.path = parts.path.replace('/t0', `/t${other}`);
          } else if (which === '@query-param') {
            changed.query = parts.query.replace('ztarget=v0lue', `ztarget=v${other}lue`);
          } else {
            const next = changeOneChar(parts.authority.toLowerCase(), index, replacement.toLowerCase(), (c) =>
              /[a-z]/.test(c),
            );
            if (next === undefined) return;
            changed.authority = next;
          }
          const components = [...new Set([component, '@method'])];
          const message = buildRequest(parts);
          const signed = await signMessage(message, {
            key: pairFor(alg).privateKey,
            components,
            params: { created: NOW, keyid: `key-${alg}` },
          });
          // Sanity: the untouched message verifies.
          await verifyMessage(withSignature(message, signed), verifyOptions(components));
          const tampered = withSignature(buildRequest(changed), signed);
          const error = await rejectionOf(verifyMessage(tampered, verifyOptions(components)));
          expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('any single-byte change to the signature fails verification', async () => {
    await fc.assert(
      fc.asyncProperty(
        request.chain((r) => fc.tuple(fc.constant(r), fc.shuffledSubarray(r.pool))),
        fc.constantFrom(...algorithms),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async ([{ message }, components], alg, index, mask) => {
          const signed = await signMessage(message, {
            key: pairFor(alg).privateKey,
            components,
            params: { created: NOW, keyid: `key-${alg}` },
          });
          const bad = flipByte(signed.signatureValue, index, mask);
          const tampered = withSignature(message, { ...signed, signature: `sig1=:${bad}:` });
          const error = await rejectionOf(verifyMessage(tampered, verifyOptions(components)));
          expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------

const fixedRequest: RequestLike = {
  method: 'POST',
  url: 'https://example.com/p?a=1&b=2',
  headers: [
    ['Content-Type', 'application/json'],
    ['X-Dict', 'a=1, b=2;x=1'],
    ['X-List', 'a, b, c'],
    ['Signature', 'sig0=:AAAA:'],
    ['Content-Digest', 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'],
  ],
};

/** Pieces that recombine into near-valid component identifiers and Signature-Input members. */
const piece = fc.constantFrom(
  'sig1',
  'sig2',
  '=',
  '(',
  ')',
  ' ',
  ',',
  '"',
  '\\',
  '"@method"',
  '"@Method"',
  '"@path"',
  '"@status"',
  '"@query-param"',
  '"@signature-params"',
  '"@request-response"',
  '"content-type"',
  '"x-dict"',
  '"x-list"',
  '"signature"',
  '"content-digest"',
  '"x-absent"',
  ';name="a"',
  ';name=a',
  ';key="a"',
  ';key="sig0"',
  ';key="zz"',
  ';req',
  ';sf',
  ';bs',
  ';tr',
  ';sf=?0',
  ';created=1700000000',
  ';created=-1',
  ';created=1.5',
  ';created="1"',
  ';created=99999999999999999',
  ';expires=1',
  ';keyid="key-ed25519"',
  ';alg="ed25519"',
  ';alg="nope"',
  ';nonce=?0',
  ':AAAA:',
  '*',
  '%',
  'é',
  '\t',
);
const nearValid = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  nearValid,
);

function expectOnlyHttpSigError(error: unknown) {
  if (error === undefined) return;
  if (!(error instanceof HttpSigError)) {
    throw new Error(
      `threw a non-HttpSigError: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`,
    );
  }
}

describe('robustness: only HttpSigError escapes', () => {
  it('createSignatureBase with arbitrary component identifiers', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 4 }), (components) => {
        try {
          const base = createSignatureBase(fixedRequest, { components, unknownFieldType: 'auto' });
          expect(typeof base).toBe('string');
        } catch (error) {
          expectOnlyHttpSigError(error);
        }
      }),
      { numRuns: RUNS * 8 },
    );
  });

  it('parseSignatureInput with arbitrary values', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        try {
          const parsed = parseSignatureInput(value);
          expect(Array.isArray(parsed)).toBe(true);
        } catch (error) {
          expectOnlyHttpSigError(error);
        }
      }),
      { numRuns: RUNS * 8 },
    );
  });

  it('createSignatureBase by label with an arbitrary Signature-Input value', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('sig1', 'sig2', 'missing'), (value, label) => {
        const message = {
          ...fixedRequest,
          headers: [...(fixedRequest.headers as HeaderPair[]), ['Signature-Input', value]],
        };
        try {
          createSignatureBase(message as RequestLike, { label });
        } catch (error) {
          expectOnlyHttpSigError(error);
        }
      }),
      { numRuns: RUNS * 8 },
    );
  });

  it('verifyMessage with arbitrary Signature-Input and Signature values', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.oneof(anyText, fc.constant('sig1=:AAAA:')), async (input, signature) => {
        const message: RequestLike = {
          ...fixedRequest,
          headers: [
            ...(fixedRequest.headers as HeaderPair[]).filter(([n]) => n !== 'Signature'),
            ['Signature-Input', input],
            ['Signature', signature],
          ],
        };
        const error = await rejectionOf(() =>
          verifyMessage(message, { keys: publicKeys, requiredComponents: [], now: NOW }),
        );
        expect(error, 'a random signature must never verify').toBeDefined();
        expectOnlyHttpSigError(error);
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
