/**
 * Strict parsing of Content-Digest / Repr-Digest (RFC 9530 §2, §3 on RFC 8941 Dictionaries),
 * Want-*-Digest (§4) and the legacy RFC 3230 Digest field, and the rule that every supported
 * member of a field must match.
 */
import { describe, expect, it } from 'vitest';
import type { HttpSigErrorCode } from '../../src/errors';
import {
  createDigestField,
  createLegacyDigest,
  type DigestAlgorithm,
  parseDigestField,
  parseLegacyDigest,
  parseWantDigest,
  selectDigestAlgorithm,
  verifyDigestField,
  verifyLegacyDigest,
} from '../../src/index';
import { expectHttpSigError, flipByte, rejectionOf, thrownBy } from '../conformance/lib/messages';
import { base64ToBytes, bytesToBase64, HELLO, HELLO_SHA256, HELLO_SHA512, utf8 } from './lib/bodies';

/** RFC 9530 Appendix D: MD5 of {"hello": "world"}. */
const HELLO_MD5 = 'Sd/dVLAcvNLSq16eXua5uQ==';
const SHA256 = `sha-256=:${HELLO_SHA256}:`;
const SHA512 = `sha-512=:${HELLO_SHA512}:`;
const body = utf8(HELLO);

/** The same bytes in the base64url alphabet (the sha-512 value has both `+` and `/`). */
const toBase64Url = (b64: string) => b64.replaceAll('+', '-').replaceAll('/', '_');

/** Base64 of `n` bytes (for wrong-length members). */
const bytesB64 = (n: number) => bytesToBase64(new Uint8Array(n).fill(7));

async function verifyCode(value: string, options?: { field?: string }): Promise<HttpSigErrorCode | 'ok'> {
  const error = await rejectionOf(verifyDigestField(value, body, options));
  if (error === undefined) return 'ok';
  expectHttpSigError(error, (error as { code: HttpSigErrorCode }).code);
  return error.code;
}

// ---------------------------------------------------------------------------------------------
// Content-Digest / Repr-Digest
// ---------------------------------------------------------------------------------------------

describe('digest field syntax', () => {
  it('accepts the RFC 9530 Appendix D sha-256 and sha-512 members, alone and together', async () => {
    await expect(verifyDigestField(SHA256, body)).resolves.toEqual({
      field: 'content-digest',
      algorithms: ['sha-256'],
    });
    await expect(verifyDigestField(`${SHA512}, ${SHA256}`, body)).resolves.toEqual({
      field: 'content-digest',
      algorithms: ['sha-512', 'sha-256'],
    });
  });

  it.each([
    ['an empty string', ''],
    ['only whitespace', '   '],
    ['a bare byte sequence (an Item, not a Dictionary)', `:${HELLO_SHA256}:`],
    ['a List of byte sequences', `:${HELLO_SHA256}:, :${HELLO_SHA512}:`],
    ['an unterminated byte sequence', `sha-256=:${HELLO_SHA256}`],
    ['a member without a key', `=:${HELLO_SHA256}:`],
    ['a trailing comma', `${SHA256},`],
    ['an RFC 3230 Digest value', `SHA-256=${HELLO_SHA256}`],
  ])('refuses %s as a parse error', async (_what, value) => {
    expect(await verifyCode(value)).toBe('ERR_HTTPSIG_PARSE');
  });

  it.each([
    ['an inner list', `sha-256=(:${HELLO_SHA256}:)`],
    ['an integer', 'sha-256=1'],
    ['a token', 'sha-256=abc'],
    ['a string', `sha-256="${HELLO_SHA256}"`],
    ['a boolean (bare key)', 'sha-256'],
    ['a decimal', 'sha-256=1.5'],
  ])('refuses a member that is %s, not a byte sequence', async (_what, value) => {
    expect(await verifyCode(value)).toBe('ERR_HTTPSIG_PARSE');
    expect(await verifyCode(`${SHA512}, ${value}`)).toBe('ERR_HTTPSIG_PARSE');
  });

  it.each([
    ['a character outside base64', `sha-256=:${HELLO_SHA256.replace('q', '*')}:`],
    ['base64url letters', `sha-512=:${toBase64Url(HELLO_SHA512)}:`],
    ['whitespace inside', `sha-256=:${HELLO_SHA256.slice(0, 10)} ${HELLO_SHA256.slice(10)}:`],
    ['doubled padding (the RFC 9530 B.5 misprint)', `sha-256=:${HELLO_SHA256}=:`],
    ['padding in the middle', `sha-256=:${HELLO_SHA256.slice(0, 8)}=${HELLO_SHA256.slice(9)}:`],
  ])('refuses invalid base64: %s', async (_what, value) => {
    expect(await verifyCode(value)).toBe('ERR_HTTPSIG_PARSE');
  });

  it.each([
    ['sha-256', 31],
    ['sha-256', 33],
    ['sha-256', 64],
    ['sha-256', 0],
    ['sha-512', 32],
    ['sha-512', 63],
  ])('refuses a %s member of %i bytes', async (algorithm, length) => {
    const value = `${algorithm}=:${bytesB64(length)}:`;
    expect(await verifyCode(value)).toBe('ERR_HTTPSIG_PARSE');
    expectHttpSigError(
      thrownBy(() => parseDigestField(value)),
      'ERR_HTTPSIG_PARSE',
    );
  });

  it('refuses upper-case keys (RFC 8941 keys are lower case)', async () => {
    expect(await verifyCode(`SHA-256=:${HELLO_SHA256}:`)).toBe('ERR_HTTPSIG_PARSE');
    expect(await verifyCode(`Sha-512=:${HELLO_SHA512}:`)).toBe('ERR_HTTPSIG_PARSE');
    expect(await verifyCode(`${SHA256}, MD5=:${HELLO_MD5}:`)).toBe('ERR_HTTPSIG_PARSE');
  });

  it('ignores parameters on members', async () => {
    await expect(verifyDigestField(`${SHA256};foo=bar;baz`, body)).resolves.toMatchObject({
      algorithms: ['sha-256'],
    });
    const parsed = parseDigestField(`${SHA512};a=1, ${SHA256};b="x"`);
    expect([...parsed.keys()]).toEqual(['sha-512', 'sha-256']);
    expect(parsed.get('sha-256')).toEqual(base64ToBytes(HELLO_SHA256));
  });

  it('accepts optional whitespace around members', async () => {
    await expect(verifyDigestField(`${SHA256} ,   ${SHA512}`, body)).resolves.toMatchObject({
      algorithms: ['sha-256', 'sha-512'],
    });
  });

  it('names the field in errors, lower case', async () => {
    const error = await rejectionOf(verifyDigestField('garbage(', body, { field: 'Repr-Digest' }));
    expectHttpSigError(error, 'ERR_HTTPSIG_PARSE');
    expect(error.field).toBe('repr-digest');
    const ok = await verifyDigestField(SHA256, body, { field: 'Repr-Digest' });
    expect(ok.field).toBe('repr-digest');
  });

  it('parseDigestField keeps unknown algorithms of any length, and refuses non-strings', () => {
    const parsed = parseDigestField(`blake3=:${bytesB64(5)}:, ${SHA256}`);
    expect([...parsed.keys()]).toEqual(['blake3', 'sha-256']);
    expect(parsed.get('blake3')).toHaveLength(5);
    expect(() => parseDigestField(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('which members are verified', () => {
  it('a field with only unknown algorithms is unsupported', async () => {
    expect(await verifyCode(`sha3-256=:${HELLO_SHA256}:`)).toBe('ERR_HTTPSIG_UNSUPPORTED_DIGEST');
    expect(await verifyCode(`blake3=:${bytesB64(32)}:, k12=:${bytesB64(8)}:`)).toBe(
      'ERR_HTTPSIG_UNSUPPORTED_DIGEST',
    );
  });

  it('a field with only deprecated algorithms is insecure, also mixed with unknown ones', async () => {
    expect(await verifyCode(`md5=:${HELLO_MD5}:`)).toBe('ERR_HTTPSIG_INSECURE_DIGEST');
    expect(await verifyCode(`md5=:${HELLO_MD5}:, blake3=:${bytesB64(32)}:`)).toBe(
      'ERR_HTTPSIG_INSECURE_DIGEST',
    );
  });

  it('unknown members next to sha-256 are ignored, and sha-256 is verified', async () => {
    const result = await verifyDigestField(`blake3=:${bytesB64(3)}:, ${SHA256}`, body);
    expect(result.algorithms).toEqual(['sha-256']);
    // The sha-256 member is what decides: a wrong one fails although blake3 is present.
    const wrong = `blake3=:${bytesB64(3)}:, sha-256=:${flipByte(HELLO_SHA256, 0)}:`;
    expect(await verifyCode(wrong)).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
  });

  it('deprecated members next to sha-256 are not used, even when wrong', async () => {
    const result = await verifyDigestField(`md5=:${flipByte(HELLO_MD5, 3)}:, ${SHA256}`, body);
    expect(result.algorithms).toEqual(['sha-256']);
  });

  it('every supported member is compared: one wrong member fails the field whatever its position', async () => {
    const badSha256 = `sha-256=:${flipByte(HELLO_SHA256, -1)}:`;
    const badSha512 = `sha-512=:${flipByte(HELLO_SHA512, 0)}:`;
    for (const value of [
      `${SHA256}, ${badSha512}`,
      `${badSha512}, ${SHA256}`,
      `${badSha256}, ${SHA512}`,
      `${SHA512}, ${badSha256}`,
    ]) {
      expect(await verifyCode(value)).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    }
  });

  it('a mismatch error names the field and not the digest values', async () => {
    const wrong = `sha-256=:${flipByte(HELLO_SHA256, 5)}:`;
    const error = await rejectionOf(verifyDigestField(wrong, body));
    expectHttpSigError(error, 'ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(error.field).toBe('content-digest');
    expect(error.message).not.toContain(HELLO_SHA256);
    expect(error.message).not.toContain(HELLO);
  });
});

describe('createDigestField options', () => {
  it('defaults to sha-256 and accepts several algorithms, without duplicates', async () => {
    await expect(createDigestField(HELLO)).resolves.toBe(SHA256);
    await expect(createDigestField(HELLO, { algorithm: ['sha-512', 'sha-256', 'sha-512'] })).resolves.toBe(
      `${SHA512}, ${SHA256}`,
    );
  });

  it('an explicit algorithm wins over want', async () => {
    await expect(createDigestField(HELLO, { algorithm: 'sha-256', want: 'sha-512=10' })).resolves.toBe(
      SHA256,
    );
    await expect(createDigestField(HELLO, { want: 'sha-512=10, sha-256=1' })).resolves.toBe(SHA512);
  });

  it('refuses an algorithm it does not compute as a programming error', async () => {
    for (const algorithm of ['md5', 'SHA-256', 'sha256', []] as unknown as DigestAlgorithm[]) {
      await expect(createDigestField(HELLO, { algorithm })).rejects.toThrow(TypeError);
    }
  });

  it('a malformed want is a parse error', async () => {
    expectHttpSigError(
      await rejectionOf(createDigestField(HELLO, { want: 'sha-256=11' })),
      'ERR_HTTPSIG_PARSE',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Want-Content-Digest / Want-Repr-Digest
// ---------------------------------------------------------------------------------------------

describe('Want-*-Digest', () => {
  it.each([
    ['a weight above 10', 'sha-256=11'],
    ['a negative weight', 'sha-256=-1'],
    ['a fractional weight', 'sha-256=0.5'],
    ['a token', 'sha-256=high'],
    ['a string', 'sha-256="5"'],
    ['a bare key (boolean)', 'sha-256'],
    ['an inner list', 'sha-256=(1 2)'],
    ['a byte sequence', `sha-256=:${HELLO_SHA256}:`],
    ['invalid syntax', 'sha-256=5,,'],
    ['one bad member among good ones', 'sha-512=3, sha-256=99'],
  ])('refuses %s', (_what, value) => {
    const error = thrownBy(() => parseWantDigest(value));
    expectHttpSigError(error, 'ERR_HTTPSIG_PARSE');
    expect(error.field).toBe('want-content-digest');
    expectHttpSigError(
      thrownBy(() => selectDigestAlgorithm(value)),
      'ERR_HTTPSIG_PARSE',
    );
  });

  it('refuses a weight written as a Decimal (RFC 9530 §4: the value is an Integer)', () => {
    // 5.0 and 10.0 are RFC 8941 Decimals; only Integers 0-10 are weights.
    for (const value of ['sha-256=5.0', 'sha-512=10.0']) {
      expectHttpSigError(
        thrownBy(() => parseWantDigest(value)),
        'ERR_HTTPSIG_PARSE',
      );
    }
  });

  it('accepts the bounds 0 and 10, and keeps the sender order for equal weights', () => {
    expect(parseWantDigest('sha-256=0, sha-512=10')).toEqual([
      { algorithm: 'sha-512', weight: 10 },
      { algorithm: 'sha-256', weight: 0 },
    ]);
    expect(parseWantDigest('sha-512=5, sha-256=5').map((p) => p.algorithm)).toEqual(['sha-512', 'sha-256']);
    expect(parseWantDigest('sha-256=5, sha-512=5').map((p) => p.algorithm)).toEqual(['sha-256', 'sha-512']);
  });

  it('ignores parameters and reports the field name given', () => {
    expect(parseWantDigest('sha-256=4;q=1', 'want-repr-digest')).toEqual([
      { algorithm: 'sha-256', weight: 4 },
    ]);
    const error = thrownBy(() => parseWantDigest('sha-256=11', 'want-repr-digest'));
    expectHttpSigError(error, 'ERR_HTTPSIG_PARSE');
    expect(error.field).toBe('want-repr-digest');
  });

  it('selectDigestAlgorithm: most preferred supported non-zero choice', () => {
    expect(selectDigestAlgorithm('sha-512=5, sha-256=5')).toBe('sha-512');
    expect(selectDigestAlgorithm('sha-256=5, sha-512=5')).toBe('sha-256');
    expect(selectDigestAlgorithm('md5=10, sha-512=1')).toBe('sha-512');
    expect(selectDigestAlgorithm('sha-256=0, sha-512=0')).toBeUndefined();
    expect(selectDigestAlgorithm('sha-256=0, blake3=9')).toBeUndefined();
  });

  it('selectDigestAlgorithm: no value means no preference', () => {
    for (const value of [undefined, null, '', '   ']) expect(selectDigestAlgorithm(value)).toBeUndefined();
    expect(parseWantDigest('')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Legacy Digest (RFC 3230)
// ---------------------------------------------------------------------------------------------

describe('legacy Digest field', () => {
  it('creates SHA-256 by default, SHA-512 or both on request', async () => {
    await expect(createLegacyDigest(HELLO)).resolves.toBe(`SHA-256=${HELLO_SHA256}`);
    await expect(createLegacyDigest(HELLO, { algorithm: 'sha-512' })).resolves.toBe(
      `SHA-512=${HELLO_SHA512}`,
    );
    await expect(createLegacyDigest(body, { algorithm: ['sha-256', 'sha-512'] })).resolves.toBe(
      `SHA-256=${HELLO_SHA256},SHA-512=${HELLO_SHA512}`,
    );
  });

  it('parses members to lower-case names and bytes', () => {
    const parsed = parseLegacyDigest(`SHA-256=${HELLO_SHA256}, MD5=${HELLO_MD5}`);
    expect([...parsed.keys()]).toEqual(['sha-256', 'md5']);
    expect(parsed.get('sha-256')).toEqual(base64ToBytes(HELLO_SHA256));
    expect(parsed.get('md5')).toEqual(base64ToBytes(HELLO_MD5));
  });

  it.each([
    `SHA-256=${HELLO_SHA256}`,
    `sha-256=${HELLO_SHA256}`,
    `Sha-256=${HELLO_SHA256}`,
    `SHA-512=${HELLO_SHA512}`,
    `SHA-256=${HELLO_SHA256},SHA-512=${HELLO_SHA512}`,
    ` SHA-512=${HELLO_SHA512} , sha-256=${HELLO_SHA256} `,
    `MD5=${HELLO_MD5}, SHA-256=${HELLO_SHA256}`,
  ])('verifies %s (names are case-insensitive)', async (value) => {
    const result = await verifyLegacyDigest(value, HELLO);
    expect(result.field).toBe('digest');
    expect(result.algorithms.length).toBeGreaterThan(0);
  });

  it('refuses a changed body and a wrong second member', async () => {
    const changed = await rejectionOf(verifyLegacyDigest(`SHA-256=${HELLO_SHA256}`, `${HELLO} `));
    expectHttpSigError(changed, 'ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(changed.field).toBe('digest');
    const wrongSecond = `SHA-256=${HELLO_SHA256},SHA-512=${flipByte(HELLO_SHA512, 9)}`;
    expectHttpSigError(
      await rejectionOf(verifyLegacyDigest(wrongSecond, HELLO)),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('refuses MD5, SHA(-1) and UNIXSUM alone as insecure, unknown names as unsupported', async () => {
    for (const value of [`MD5=${HELLO_MD5}`, 'SHA=07CavjDP4u3/TungoUHJO/Wzr4c=', 'UNIXSUM=GQU=']) {
      expectHttpSigError(await rejectionOf(verifyLegacyDigest(value, HELLO)), 'ERR_HTTPSIG_INSECURE_DIGEST');
    }
    expectHttpSigError(
      await rejectionOf(verifyLegacyDigest(`SHA3-256=${HELLO_SHA256}`, HELLO)),
      'ERR_HTTPSIG_UNSUPPORTED_DIGEST',
    );
  });

  it.each([
    ['empty', ''],
    ['only commas', ' , ,'],
    ['no value', 'SHA-256'],
    ['an empty value', 'SHA-256='],
    ['no name', `=${HELLO_SHA256}`],
    ['characters outside base64', 'SHA-256=not base64!'],
    ['base64url letters', `SHA-512=${toBase64Url(HELLO_SHA512)}`],
    ['the RFC 9530 byte-sequence syntax', `SHA-256=:${HELLO_SHA256}:`],
    ['too much padding', `SHA-256=${HELLO_SHA256}==`],
    ['a wrong length for SHA-256', `SHA-256=${bytesB64(20)}`],
    ['a wrong length for SHA-512', `SHA-512=${HELLO_SHA256}`],
    ['a name that is not a token', `SHA 256=${HELLO_SHA256}`],
  ])('refuses garbage (%s) as a parse error', async (_what, value) => {
    expectHttpSigError(
      thrownBy(() => parseLegacyDigest(value)),
      'ERR_HTTPSIG_PARSE',
    );
    expectHttpSigError(await rejectionOf(verifyLegacyDigest(value, HELLO)), 'ERR_HTTPSIG_PARSE');
  });
});
