/**
 * RFC 9530 vectors: every printed digest member verifies against the bytes the RFC computed it
 * over and is reproduced by createDigestField; the values the RFC misprints are refused and their
 * corrected form accepted; the Want-* examples parse to the printed preferences.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDigestField,
  type DigestAlgorithm,
  parseDigestField,
  parseWantDigest,
  selectDigestAlgorithm,
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
  requestFrom,
  responseFrom,
  type TestKeys,
  thrownBy,
  withSignature,
} from '../conformance/lib/messages';
import vectorsJson from '../vectors/rfc9530-vectors.json';
import { base64ToBytes, EMPTY_SHA256, hexToBytes } from './lib/bodies';

// ---------------------------------------------------------------------------------------------
// Vector shapes (only the members read here)
// ---------------------------------------------------------------------------------------------

interface DigestMember {
  algorithm: string;
  value: string;
  base64: string;
  inputHex: string;
  correctedBase64?: string;
}

interface DigestFieldVector {
  field: string;
  where?: string;
  headerValue: string;
  malformedPrinted?: boolean;
  digests: DigestMember[];
}

interface Preference {
  algorithm: string;
  weight: number;
}

type ParsedMessage = Parameters<typeof requestFrom>[0];

interface DigestFieldCase extends Partial<DigestFieldVector> {
  id: string;
  note?: string;
  request?: { parsed: ParsedMessage };
  response?: { parsed?: ParsedMessage; decodedBodyHex?: string; trailers?: [string, string][] };
  fields?: DigestFieldVector[];
}

interface WantExample {
  id: string;
  wantField: string;
  wantValue: string;
  preferences: Preference[];
  fields?: DigestFieldVector[];
}

interface Rfc9530Vectors {
  sampleDigests: { input: string; inputHex: string; values: { algorithm: string; value: string }[] };
  digestFieldCases: DigestFieldCase[];
  wantDigestExamples: {
    section4: { lines: { field: string; value: string; preferences: Preference[] }[] };
    appendixC: WantExample[];
  };
}

const vectors = vectorsJson as unknown as Rfc9530Vectors;

const ACTIVE: readonly string[] = ['sha-256', 'sha-512'];
const DEPRECATED: readonly string[] = ['md5', 'sha', 'unixsum', 'unixcksum', 'adler', 'crc32c'];

/** Every printed digest field: the §2/§3 lines, each field of Appendix B, and the C.1/C.2 responses. */
const fieldVectors: { id: string; field: DigestFieldVector }[] = [
  ...vectors.digestFieldCases.flatMap((c) =>
    (c.fields ?? [c as DigestFieldVector]).map((field) => ({ id: c.id, field })),
  ),
  ...vectors.wantDigestExamples.appendixC.flatMap((c) =>
    (c.fields ?? []).map((field) => ({ id: c.id, field })),
  ),
];

const describeField = (id: string, f: DigestFieldVector, i: number) =>
  `${id} #${i} ${f.field}${f.where ? ` (${f.where})` : ''}`;

const fieldCases = fieldVectors.map(({ id, field }, i) => [describeField(id, field, i), field] as const);

/** The member's base64 as it should have been printed. */
const goodBase64 = (m: DigestMember) => m.correctedBase64 ?? m.base64;

const inputsDiffer = (f: DigestFieldVector) => new Set(f.digests.map((d) => d.inputHex)).size > 1;

// ---------------------------------------------------------------------------------------------
// Coverage of the vector file
// ---------------------------------------------------------------------------------------------

describe('the vector file', () => {
  it('has the 15 digest field cases of RFC 9530 §2, §3 and Appendix B.1–B.11', () => {
    expect(vectors.digestFieldCases.map((c) => c.id)).toEqual([
      '2-a',
      '2-b',
      '3-a',
      '3-b',
      'B.1',
      'B.2',
      'B.3',
      'B.4',
      'B.5',
      'B.6',
      'B.7',
      'B.8',
      'B.9',
      'B.10',
      'B.11',
    ]);
  });

  it('has the field, member, misprint and Want-* counts these tests are written for', () => {
    // A changed vector file must be reviewed here before the per-case tests are trusted.
    expect(fieldVectors).toHaveLength(26);
    expect(fieldVectors.reduce((n, { field }) => n + field.digests.length, 0)).toBe(29);
    expect(fieldVectors.filter(({ field }) => field.malformedPrinted).map(({ id }) => id)).toEqual([
      'B.5',
      'B.6',
      'B.11',
      'C.1',
    ]);
    expect(fieldVectors.filter(({ field }) => inputsDiffer(field)).map(({ id }) => id)).toEqual([
      '2-b',
      '3-b',
    ]);
    expect(vectors.sampleDigests.values.map((v) => v.algorithm)).toEqual([
      'sha-512',
      'sha-256',
      ...DEPRECATED,
    ]);
    expect(vectors.wantDigestExamples.section4.lines).toHaveLength(4);
    expect(vectors.wantDigestExamples.appendixC.map((c) => c.id)).toEqual(['C.1', 'C.2', 'C.3']);
  });

  it('marks a member malformed exactly when its printed base64 is not canonical for its length', () => {
    for (const { field } of fieldVectors) {
      for (const m of field.digests) {
        expect(m.value).toBe(`:${m.base64}:`);
        // A 32- or 64-byte value has one or two padding characters, never three.
        const canonical = /^[A-Za-z0-9+/]*(={0,2})$/.test(m.base64) && m.base64.length % 4 === 0;
        expect(canonical || field.malformedPrinted === true).toBe(true);
        if (m.correctedBase64 !== undefined) expect(field.malformedPrinted).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Appendix D sample digests
// ---------------------------------------------------------------------------------------------

describe('Appendix D sample digests of {"hello": "world"}', () => {
  const input = hexToBytes(vectors.sampleDigests.inputHex);

  it('the input is the 18-byte JSON text without LF', () => {
    expect(new TextDecoder().decode(input)).toBe(vectors.sampleDigests.input);
    expect(input).toHaveLength(18);
  });

  it.each(
    vectors.sampleDigests.values
      .filter((v) => ACTIVE.includes(v.algorithm))
      .map((v) => [v.algorithm, v] as const),
  )('%s verifies and is reproduced', async (algorithm, v) => {
    const field = `${algorithm}=${v.value}`;
    const result = await verifyDigestField(field, input);
    expect(result).toEqual({ field: 'content-digest', algorithms: [algorithm] });
    await expect(createDigestField(input, { algorithm: algorithm as DigestAlgorithm })).resolves.toBe(field);
  });

  it.each(
    vectors.sampleDigests.values
      .filter((v) => DEPRECATED.includes(v.algorithm))
      .map((v) => [v.algorithm, v] as const),
  )('%s alone is refused as insecure', async (algorithm, v) => {
    const error = await rejectionOf(verifyDigestField(`${algorithm}=${v.value}`, input));
    expectHttpSigError(error, 'ERR_HTTPSIG_INSECURE_DIGEST');
    expect(error.field).toBe('content-digest');
  });

  it('a field with all eight members verifies on the two active ones', async () => {
    const field = vectors.sampleDigests.values.map((v) => `${v.algorithm}=${v.value}`).join(', ');
    const result = await verifyDigestField(field, input);
    expect(result.algorithms).toEqual(['sha-512', 'sha-256']);
    // The same field over other content fails: the active members are really compared.
    const other = hexToBytes(`${vectors.sampleDigests.inputHex}0a`);
    expectHttpSigError(await rejectionOf(verifyDigestField(field, other)), 'ERR_HTTPSIG_DIGEST_MISMATCH');
  });

  it('a field with all eight members parses to eight byte sequences in order', () => {
    const field = vectors.sampleDigests.values.map((v) => `${v.algorithm}=${v.value}`).join(', ');
    const parsed = parseDigestField(field);
    expect([...parsed.keys()]).toEqual(vectors.sampleDigests.values.map((v) => v.algorithm));
    for (const v of vectors.sampleDigests.values) {
      expect(parsed.get(v.algorithm)).toEqual(base64ToBytes(v.value.slice(1, -1)));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every printed digest field
// ---------------------------------------------------------------------------------------------

describe.each(fieldCases)('%s', (_name, f) => {
  const corrected = f.digests.map((m) => `${m.algorithm}=:${goodBase64(m)}:`).join(', ');
  const fieldName = f.field.toLowerCase();

  if (f.malformedPrinted) {
    it('the printed value is refused as a parse error', async () => {
      const input = hexToBytes(f.digests[0]?.inputHex ?? '');
      const error = await rejectionOf(verifyDigestField(f.headerValue, input, { field: f.field }));
      expectHttpSigError(error, 'ERR_HTTPSIG_PARSE');
      expect(error.field).toBe(fieldName);
      expectHttpSigError(
        thrownBy(() => parseDigestField(f.headerValue, fieldName)),
        'ERR_HTTPSIG_PARSE',
      );
    });
  } else {
    it('parses to the printed members, in order', () => {
      const parsed = parseDigestField(f.headerValue, fieldName);
      expect([...parsed.keys()]).toEqual(f.digests.map((m) => m.algorithm));
      for (const m of f.digests) expect(parsed.get(m.algorithm)).toEqual(base64ToBytes(m.base64));
    });
  }

  if (!inputsDiffer(f)) {
    it(`${f.malformedPrinted ? 'the corrected value' : 'the printed value'} verifies against its input`, async () => {
      const input = hexToBytes(f.digests[0]?.inputHex ?? '');
      const result = await verifyDigestField(corrected, input, { field: f.field });
      expect(result).toEqual({ field: fieldName, algorithms: f.digests.map((m) => m.algorithm) });
    });
  } else {
    it('each member alone verifies against its own input', async () => {
      for (const m of f.digests) {
        const result = await verifyDigestField(`${m.algorithm}=:${goodBase64(m)}:`, hexToBytes(m.inputHex));
        expect(result.algorithms).toEqual([m.algorithm]);
      }
    });

    it('the whole field matches no single input (its members describe different content)', async () => {
      for (const m of f.digests) {
        const error = await rejectionOf(verifyDigestField(f.headerValue, hexToBytes(m.inputHex)));
        expectHttpSigError(error, 'ERR_HTTPSIG_DIGEST_MISMATCH');
      }
    });
  }

  it('createDigestField reproduces every member from its input', async () => {
    for (const m of f.digests) {
      const value = await createDigestField(hexToBytes(m.inputHex), {
        algorithm: m.algorithm as DigestAlgorithm,
      });
      expect(value).toBe(`${m.algorithm}=:${goodBase64(m)}:`);
    }
  });

  it('one flipped input byte is a mismatch', async () => {
    const m = f.digests[0] as DigestMember;
    const input = hexToBytes(m.inputHex);
    const altered = input.length === 0 ? new Uint8Array([0]) : input.map((b, i) => (i === 0 ? b ^ 1 : b));
    const error = await rejectionOf(verifyDigestField(`${m.algorithm}=:${goodBase64(m)}:`, altered));
    expectHttpSigError(error, 'ERR_HTTPSIG_DIGEST_MISMATCH');
  });
});

// ---------------------------------------------------------------------------------------------
// Want-Content-Digest / Want-Repr-Digest
// ---------------------------------------------------------------------------------------------

/** What RFC 9530 says a sender supporting sha-256 and sha-512 answers each Want-* value with. */
const expectedChoice: Record<string, DigestAlgorithm | undefined> = {
  'sha-256=1': 'sha-256',
  // §4: sha-256 (10) is preferred over sha-512 (3); unixsum (0) is not acceptable.
  'sha-512=3, sha-256=10, unixsum=0': 'sha-256',
  // C.1: sha (10) is preferred but deprecated, so the server answers with sha-256.
  'sha-256=3, sha=10': 'sha-256',
  // C.2/C.3: only sha is wanted, which is not supported.
  'sha=10': undefined,
};

const wantLines = [
  ...vectors.wantDigestExamples.section4.lines.map((l) => ({
    name: `§4 ${l.field}: ${l.value}`,
    field: l.field,
    value: l.value,
    preferences: l.preferences,
  })),
  ...vectors.wantDigestExamples.appendixC.map((c) => ({
    name: `${c.id} ${c.wantField}: ${c.wantValue}`,
    field: c.wantField,
    value: c.wantValue,
    preferences: c.preferences,
  })),
];

describe.each(wantLines.map((l) => [l.name, l] as const))('%s', (_name, line) => {
  it('parses to the printed preferences, most preferred first', () => {
    const parsed = parseWantDigest(line.value, line.field.toLowerCase());
    expect(parsed).toHaveLength(line.preferences.length);
    expect(parsed).toEqual(expect.arrayContaining(line.preferences));
    for (let i = 1; i < parsed.length; i++) {
      expect((parsed[i - 1] as Preference).weight).toBeGreaterThanOrEqual((parsed[i] as Preference).weight);
    }
  });

  it('selectDigestAlgorithm answers as the RFC describes', () => {
    expect(Object.hasOwn(expectedChoice, line.value)).toBe(true);
    expect(selectDigestAlgorithm(line.value)).toBe(expectedChoice[line.value]);
  });

  it('createDigestField honours it', async () => {
    const body = hexToBytes('7b2268656c6c6f223a2022776f726c64227d0a');
    const value = await createDigestField(body, { want: line.value });
    expect(value.startsWith(`${expectedChoice[line.value] ?? 'sha-256'}=:`)).toBe(true);
  });
});

it('§4 "sha-512=3, sha-256=10, unixsum=0" is ordered sha-256, sha-512, unixsum', () => {
  expect(parseWantDigest('sha-512=3, sha-256=10, unixsum=0')).toEqual([
    { algorithm: 'sha-256', weight: 10 },
    { algorithm: 'sha-512', weight: 3 },
    { algorithm: 'unixsum', weight: 0 },
  ]);
});

it('C.1 "sha-256=3, sha=10" is ordered sha, sha-256', () => {
  expect(parseWantDigest('sha-256=3, sha=10').map((p) => p.algorithm)).toEqual(['sha', 'sha-256']);
});

// ---------------------------------------------------------------------------------------------
// Appendix B messages, signed over their printed digest fields
// ---------------------------------------------------------------------------------------------

describe('Appendix B responses signed over their printed digest fields', () => {
  const ED = 'test-key-ed25519';
  const NOW = 1_700_000_000;
  let keys: TestKeys;
  beforeAll(async () => {
    keys = await loadTestKeys();
  });

  function caseOf(id: string): DigestFieldCase {
    const found = vectors.digestFieldCases.find((c) => c.id === id);
    if (!found) throw new Error(`no case ${id}`);
    return found;
  }

  function responseOf(id: string): ResponseLike {
    const c = caseOf(id);
    if (!c.response?.parsed || !c.request) throw new Error(`case ${id} has no parsed exchange`);
    return responseFrom(c.response.parsed, requestFrom(c.request.parsed));
  }

  async function signAndVerify(message: ResponseLike, components: string[]) {
    const result = await signMessage(message, {
      key: keyOf(keys.private, ED),
      components,
      params: { created: NOW, keyid: ED },
      digest: false,
    });
    const signed = withSignature(message, result);
    return verifyMessage(signed, { keys: keys.public, requiredComponents: components, now: NOW });
  }

  it('B.1 (200, full content): both fields are checked', async () => {
    const result = await signAndVerify(responseOf('B.1'), ['@status', 'content-digest', 'repr-digest']);
    expect(result.digests).toEqual([
      { field: 'content-digest', algorithms: ['sha-256'] },
      { field: 'repr-digest', algorithms: ['sha-256'] },
    ]);
  });

  it('B.1 with the LF dropped from the content is a mismatch', async () => {
    const message = responseOf('B.1');
    const result = await signMessage(message, {
      key: keyOf(keys.private, ED),
      components: ['@status', 'content-digest', 'repr-digest'],
      params: { created: NOW, keyid: ED },
      digest: false,
    });
    const signed = { ...withSignature(message, result), body: '{"hello": "world"}' };
    const error = await rejectionOf(
      verifyMessage(signed, { keys: keys.public, requiredComponents: [], now: NOW }),
    );
    expectHttpSigError(error, 'ERR_HTTPSIG_DIGEST_MISMATCH');
  });

  it('B.2 (answer to HEAD, no content): Content-Digest is the empty digest, Repr-Digest is not checked', async () => {
    const message = responseOf('B.2');
    expect(message.body).toBeUndefined();
    expect(caseOf('B.2').fields?.[0]?.headerValue).toBe(`sha-256=:${EMPTY_SHA256}:`);
    const result = await signAndVerify(message, ['@status', 'content-digest', 'repr-digest']);
    expect(result.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
  });

  it('B.3 (206 partial content): Content-Digest covers the part sent, Repr-Digest is not checked', async () => {
    const result = await signAndVerify(responseOf('B.3'), ['@status', 'content-digest', 'repr-digest']);
    expect(result.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
  });

  it('B.11 (Repr-Digest as a trailer): the corrected trailer verifies, the printed one is refused', async () => {
    const c = caseOf('B.11');
    const member = c.fields?.[0]?.digests[0] as DigestMember;
    const body = new TextDecoder().decode(hexToBytes(c.response?.decodedBodyHex ?? ''));
    const printedTrailer = c.response?.trailers?.[0]?.[1] as string;
    const base: ResponseLike = {
      status: 200,
      headers: [
        ['Content-Type', 'application/json'],
        ['Transfer-Encoding', 'chunked'],
        ['Trailer', 'Repr-Digest'],
      ],
      body,
      request: { method: 'GET', url: 'https://foo.example/items/123' } satisfies RequestLike,
    };
    const good = { ...base, trailers: [['Repr-Digest', `sha-256=:${goodBase64(member)}:`]] };
    const result = await signAndVerify(good, ['@status', '"repr-digest";tr']);
    expect(result.digests).toEqual([{ field: 'repr-digest', algorithms: ['sha-256'] }]);

    const printed = { ...base, trailers: [['Repr-Digest', printedTrailer]] };
    const error = await rejectionOf(signAndVerify(printed, ['@status', '"repr-digest";tr']));
    expectHttpSigError(error, 'ERR_HTTPSIG_PARSE');
  });
});
