/**
 * One real scenario per error code, and one test per verification policy rule. Every error is an
 * HttpSigError with the expected code, and its message never leaks the signature, key or body.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Algorithm } from '../../src/algorithms/registry';
import { type HttpSigErrorCode, httpStatusForError } from '../../src/errors';
import {
  generateKey,
  HttpSigError,
  importKey,
  parseSignatureInput,
  signMessage,
  verifyMessage,
} from '../../src/index';
import type { HttpSigKey } from '../../src/keys/types';
import type { RequestLike, ResponseLike } from '../../src/message/types';
import type { SignOptions } from '../../src/sign/types';
import type { KeyResolver, VerifyOptions } from '../../src/verify/types';
import {
  addHeader,
  expectHttpSigError,
  flipByte,
  headerOf,
  keyOf,
  keyVector,
  loadTestKeys,
  rejectionOf,
  type TestKeys,
  withHeader,
  withSignature,
  withSignatureBytes,
} from './lib/messages';

const NOW = 1_700_000_000;
const BODY = '{"secret":"TOP-SECRET-BODY-7f3a9c"}';
const ED = 'test-key-ed25519';
const EC = 'test-key-ecc-p256';
const HMAC = 'test-shared-secret';

let keys: TestKeys;
beforeAll(async () => {
  keys = await loadTestKeys();
});

/** Strings no error message may contain: the body and the private key material. */
function keySecrets(): string[] {
  const ed = keyVector(ED);
  const hmac = keyVector(HMAC);
  const pemBody = (ed.privateKeyPem ?? '').split('\n')[1] ?? '';
  return [
    BODY,
    'TOP-SECRET-BODY',
    String(ed.jwkPrivate.d).slice(0, 16),
    String(keyVector(EC).jwkPrivate.d).slice(0, 16),
    (hmac.secretBase64 ?? '').slice(0, 16),
    pemBody.slice(0, 16),
  ];
}

/** Assert the code, the class and that the message leaks none of the secrets. */
function expectSafeError(
  error: unknown,
  code: HttpSigErrorCode,
  ...extraSecrets: string[]
): asserts error is HttpSigError {
  expectHttpSigError(error, code);
  expect(error).toBeInstanceOf(HttpSigError);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('HttpSigError');
  for (const secret of [...keySecrets(), ...extraSecrets]) {
    if (secret.length >= 8) expect(error.message).not.toContain(secret);
  }
}

function baseRequest(): RequestLike {
  return {
    method: 'POST',
    url: 'https://example.com/foo?param=Value&Pet=dog',
    headers: [
      ['Host', 'example.com'],
      ['Date', 'Tue, 14 Nov 2023 22:13:20 GMT'],
      ['Content-Type', 'application/json'],
      ['X-Secret-Token', 'TOP-SECRET-BODY-header'],
    ],
    body: BODY,
  };
}

const COMPONENTS = ['@method', '@authority', '@path', 'content-type'];

async function signed(options: Partial<SignOptions> = {}, message: RequestLike = baseRequest()) {
  const result = await signMessage(message, {
    key: keyOf(keys.private, ED),
    components: COMPONENTS,
    params: { created: NOW, keyid: ED },
    ...options,
  });
  return { message: withSignature(message, result), result };
}

function verifyOptions(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return { keys: keys.public, requiredComponents: COMPONENTS, now: NOW, ...extra };
}

/** Sign, then verify with `options`; return the rejection (or undefined). */
async function verifyError(sign: Partial<SignOptions>, verify: Partial<VerifyOptions>) {
  const { message, result } = await signed(sign);
  return {
    error: await rejectionOf(verifyMessage(message, verifyOptions(verify))),
    signature: result.signatureValue,
  };
}

// ---------------------------------------------------------------------------------------------
// One test per error code
// ---------------------------------------------------------------------------------------------

describe('error codes', () => {
  it('ERR_HTTPSIG_MISSING_SIGNATURE: the message carries no signature', async () => {
    const error = await rejectionOf(verifyMessage(baseRequest(), verifyOptions()));
    expectSafeError(error, 'ERR_HTTPSIG_MISSING_SIGNATURE');
  });

  it('ERR_HTTPSIG_MISSING_SIGNATURE: Signature-Input without Signature', async () => {
    const { message, result } = await signed();
    const withoutSig = {
      ...message,
      headers: (message.headers as [string, string][]).filter(([n]) => n !== 'Signature'),
    };
    const error = await rejectionOf(verifyMessage(withoutSig, verifyOptions()));
    expectSafeError(error, 'ERR_HTTPSIG_MISSING_SIGNATURE', result.signatureValue);
  });

  it('ERR_HTTPSIG_INVALID_SIGNATURE: a covered field changed after signing', async () => {
    const { message, result } = await signed();
    const error = await rejectionOf(
      verifyMessage(withHeader(message, 'Content-Type', 'text/plain'), verifyOptions()),
    );
    expectSafeError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE', result.signatureValue);
  });

  it('ERR_HTTPSIG_INVALID_SIGNATURE: HMAC signature of the wrong length', async () => {
    const { message, result } = await signed({
      key: keyOf(keys.private, HMAC),
      params: { created: NOW, keyid: HMAC },
    });
    const error = await rejectionOf(
      verifyMessage(withSignatureBytes(message, 'sig1', result.signatureValue.slice(0, 8)), verifyOptions()),
    );
    expectSafeError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE', result.signatureValue);
  });

  it('ERR_HTTPSIG_UNKNOWN_KEY: no trusted key has the keyid', async () => {
    const { error, signature } = await verifyError({ params: { created: NOW, keyid: 'who-is-this' } }, {});
    expectSafeError(error, 'ERR_HTTPSIG_UNKNOWN_KEY', signature);
  });

  it('ERR_HTTPSIG_EXPIRED: expires has passed', async () => {
    const { error, signature } = await verifyError(
      { params: { created: NOW - 60, keyid: ED, expires: NOW - 1 } },
      {},
    );
    expectSafeError(error, 'ERR_HTTPSIG_EXPIRED', signature);
  });

  it('ERR_HTTPSIG_NOT_YET_VALID: created lies in the future', async () => {
    const { error, signature } = await verifyError({ params: { created: NOW + 3600, keyid: ED } }, {});
    expectSafeError(error, 'ERR_HTTPSIG_NOT_YET_VALID', signature);
  });

  it('ERR_HTTPSIG_MISSING_COMPONENT: signing covers an absent field', async () => {
    const error = await rejectionOf(signed({ components: ['@method', 'x-absent'] }));
    expectSafeError(error, 'ERR_HTTPSIG_MISSING_COMPONENT');
    expect((error as HttpSigError).component).toBe('"x-absent"');
  });

  it('ERR_HTTPSIG_MISSING_COMPONENT: a covered field was removed before verification', async () => {
    const { message, result } = await signed({ components: [...COMPONENTS, 'date'] });
    const stripped = {
      ...message,
      headers: (message.headers as [string, string][]).filter(([n]) => n !== 'Date'),
    };
    const error = await rejectionOf(verifyMessage(stripped, verifyOptions()));
    expectSafeError(error, 'ERR_HTTPSIG_MISSING_COMPONENT', result.signatureValue);
  });

  it('ERR_HTTPSIG_MISSING_COMPONENT: ;req without a related request', async () => {
    const response: ResponseLike = { status: 200, headers: [['Content-Type', 'text/plain']], body: BODY };
    const error = await rejectionOf(
      signMessage(response, {
        key: keyOf(keys.private, ED),
        components: ['@status', '"@method";req'],
        params: { created: NOW, keyid: ED },
      }),
    );
    expectSafeError(error, 'ERR_HTTPSIG_MISSING_COMPONENT');
  });

  it('ERR_HTTPSIG_MISSING_COMPONENT: absent query parameter and dictionary key', async () => {
    const missingParam = await rejectionOf(signed({ components: ['"@query-param";name="nope"'] }));
    expectSafeError(missingParam, 'ERR_HTTPSIG_MISSING_COMPONENT');
    const dict = addHeader(baseRequest(), 'X-Dict', 'a=1, b=2');
    const missingKey = await rejectionOf(
      signed({ components: ['"x-dict";key="c"'], fieldTypes: { 'x-dict': 'dictionary' } }, dict),
    );
    expectSafeError(missingKey, 'ERR_HTTPSIG_MISSING_COMPONENT');
  });

  it.each([
    ['an unknown derived component', '"@unknown"'],
    ['a malformed identifier', '"@method'],
    ['an upper-case quoted field name', '"Content-Type"'],
    ['@query-param without name', '"@query-param"'],
    ['bs together with sf', '"content-type";bs;sf'],
    ['an unknown parameter', '"content-type";foo'],
    ['@signature-params as a covered component', '"@signature-params"'],
  ])('ERR_HTTPSIG_INVALID_COMPONENT: %s', async (_what, component) => {
    const error = await rejectionOf(signed({ components: [component] }));
    expectSafeError(error, 'ERR_HTTPSIG_INVALID_COMPONENT');
  });

  it('ERR_HTTPSIG_INVALID_COMPONENT: @status on a request, ;req on a request, duplicates', async () => {
    for (const components of [['@status'], ['"@method";req'], ['@method', '"@method"']]) {
      expectSafeError(await rejectionOf(signed({ components })), 'ERR_HTTPSIG_INVALID_COMPONENT');
    }
  });

  it('ERR_HTTPSIG_POLICY: a required component is not covered', async () => {
    const { error, signature } = await verifyError({}, { requiredComponents: [...COMPONENTS, 'date'] });
    expectSafeError(error, 'ERR_HTTPSIG_POLICY', signature);
  });

  it('ERR_HTTPSIG_PARSE: Signature-Input is not a dictionary of inner lists', async () => {
    const { message, result } = await signed();
    for (const bad of ['sig1=("@method"', 'sig1="@method"', 'sig1=(@method)', '=']) {
      const error = await rejectionOf(
        verifyMessage(withHeader(message, 'Signature-Input', bad), verifyOptions()),
      );
      expectSafeError(error, 'ERR_HTTPSIG_PARSE', result.signatureValue);
    }
  });

  it('a created or expires parameter that is not an integer is refused', async () => {
    const { message, result } = await signed();
    for (const bad of ['created=1.5', 'created="1700000000"', 'created=?1', 'created=-1']) {
      const input = result.signatureInput.replace(`created=${NOW}`, bad);
      const error = await rejectionOf(
        verifyMessage(withHeader(message, 'Signature-Input', input), verifyOptions()),
      );
      expect(error).toBeInstanceOf(HttpSigError);
      expect(['ERR_HTTPSIG_PARSE', 'ERR_HTTPSIG_POLICY', 'ERR_HTTPSIG_INVALID_SIGNATURE']).toContain(
        (error as HttpSigError).code,
      );
    }
  });

  it('ERR_HTTPSIG_PARSE: Signature is not a dictionary of byte sequences', async () => {
    const { message, result } = await signed();
    const error = await rejectionOf(
      verifyMessage(withHeader(message, 'Signature', `sig1=:${result.signatureValue}`), verifyOptions()),
    );
    expectSafeError(error, 'ERR_HTTPSIG_PARSE', result.signatureValue);
  });

  it('ERR_HTTPSIG_PARSE: parseSignatureInput on garbage', () => {
    let error: unknown;
    try {
      parseSignatureInput('sig1=(');
    } catch (e) {
      error = e;
    }
    expectSafeError(error, 'ERR_HTTPSIG_PARSE');
  });

  it('ERR_HTTPSIG_UNSUPPORTED_ALGORITHM: generating or importing a key for an unknown algorithm', async () => {
    expectSafeError(
      await rejectionOf(() => generateKey('rsa-sha1' as Algorithm)),
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
    );
    expectSafeError(
      await rejectionOf(() =>
        importKey(keyVector(ED).privateKeyPem as string, { alg: 'hs2019' as Algorithm }),
      ),
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
    );
  });

  it('ERR_HTTPSIG_UNSUPPORTED_ALGORITHM: the signature names an unknown alg', async () => {
    const { message, result } = await signed({ params: { created: NOW, keyid: ED, alg: 'ed25519' } });
    const input = result.signatureInput.replace('alg="ed25519"', 'alg="hs2019"');
    const error = await rejectionOf(
      verifyMessage(withHeader(message, 'Signature-Input', input), verifyOptions()),
    );
    expectSafeError(error, 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM', result.signatureValue);
  });

  it("ERR_HTTPSIG_ALGORITHM_MISMATCH: the signature's alg differs from the key's algorithm", async () => {
    const { message, result } = await signed({ params: { created: NOW, keyid: ED, alg: 'ed25519' } });
    const input = result.signatureInput.replace('alg="ed25519"', 'alg="ecdsa-p256-sha256"');
    const error = await rejectionOf(
      verifyMessage(withHeader(message, 'Signature-Input', input), verifyOptions()),
    );
    expectSafeError(error, 'ERR_HTTPSIG_ALGORITHM_MISMATCH', result.signatureValue);
  });

  it('ERR_HTTPSIG_ALGORITHM_MISMATCH: signing with an alg param the key does not have', async () => {
    const error = await rejectionOf(signed({ params: { created: NOW, keyid: ED, alg: 'hmac-sha256' } }));
    expectSafeError(error, 'ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('ERR_HTTPSIG_INVALID_KEY: signing with a public key', async () => {
    const error = await rejectionOf(signed({ key: keyOf(keys.public, ED) }));
    expectSafeError(error, 'ERR_HTTPSIG_INVALID_KEY');
  });

  it('ERR_HTTPSIG_INVALID_KEY: unusable key material', async () => {
    const pem = keyVector(ED).privateKeyPem as string;
    const corrupted = pem.replace('MC4C', 'MC5C');
    const cases: [string | JsonWebKey, Algorithm][] = [
      ['not key material at all', 'ed25519'],
      [corrupted, 'ed25519'],
      [btoa('sixteen-byte-key'), 'hmac-sha256'],
    ];
    for (const [material, alg] of cases) {
      const error = await rejectionOf(() => importKey(material, { alg }));
      expectSafeError(
        error,
        'ERR_HTTPSIG_INVALID_KEY',
        typeof material === 'string' ? material.slice(0, 40) : '',
      );
    }
  });

  it('ERR_HTTPSIG_ALGORITHM_MISMATCH: importing key material of another kind than alg needs', async () => {
    const cases: [string | JsonWebKey, Algorithm][] = [
      [keyVector(ED).privateKeyPem as string, 'ecdsa-p256-sha256'],
      [keyVector(EC).jwkPrivate, 'ed25519'],
      [keyVector(EC).publicKeyPem as string, 'ecdsa-p384-sha384'],
      [keyVector('test-key-rsa').jwkPublic as JsonWebKey, 'hmac-sha256'],
    ];
    for (const [material, alg] of cases) {
      const error = await rejectionOf(() => importKey(material, { alg }));
      expectSafeError(
        error,
        'ERR_HTTPSIG_ALGORITHM_MISMATCH',
        typeof material === 'string' ? material.slice(28, 60) : '',
      );
    }
  });

  it('ERR_HTTPSIG_LABEL_EXISTS: signing with a label already on the message', async () => {
    const { message } = await signed();
    const error = await rejectionOf(signed({}, message));
    expectSafeError(error, 'ERR_HTTPSIG_LABEL_EXISTS');
  });

  it('ERR_HTTPSIG_LIMIT_EXCEEDED: more signatures than maxSignatures', async () => {
    const first = await signed({ label: 'a' });
    const second = await signed({ label: 'b' }, first.message);
    const error = await rejectionOf(verifyMessage(second.message, verifyOptions({ maxSignatures: 1 })));
    expectSafeError(
      error,
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      first.result.signatureValue,
      second.result.signatureValue,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// One test per policy rule
// ---------------------------------------------------------------------------------------------

describe('verification policy', () => {
  it('requiredComponents: every listed component must be covered', async () => {
    const { message } = await signed();
    await expect(
      verifyMessage(message, verifyOptions({ requiredComponents: ['@method'] })),
    ).resolves.toBeDefined();
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ requiredComponents: ['@method', '@query'] }))),
      'ERR_HTTPSIG_POLICY',
    );
  });

  it('algorithms: the key algorithm must be allowed', async () => {
    const { message } = await signed();
    const ok = await verifyMessage(message, verifyOptions({ algorithms: ['ecdsa-p256-sha256', 'ed25519'] }));
    expect(ok.alg).toBe('ed25519');
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ algorithms: ['ecdsa-p256-sha256'] }))),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('alg parameter ≠ key algorithm → ALGORITHM_MISMATCH (key found by keyid has another algorithm)', async () => {
    const { message } = await signed({ params: { created: NOW, keyid: ED, alg: 'ed25519' } });
    const swapped = { ...keys.public, [ED]: keyOf(keys.public, EC) };
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ keys: swapped }))),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('maxAge: created older than maxAge → EXPIRED; within (or within maxAge + clockSkew) → ok', async () => {
    const { message } = await signed({ params: { created: NOW - 100, keyid: ED } });
    await expect(verifyMessage(message, verifyOptions({ maxAge: 300 }))).resolves.toBeDefined();
    await expect(verifyMessage(message, verifyOptions({ maxAge: 90, clockSkew: 30 }))).resolves.toBeDefined();
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ maxAge: 60 }))),
      'ERR_HTTPSIG_EXPIRED',
    );
  });

  it('clockSkew: created in the future beyond the skew → NOT_YET_VALID, within → ok', async () => {
    const { message } = await signed({ params: { created: NOW + 30, keyid: ED } });
    await expect(verifyMessage(message, verifyOptions({ clockSkew: 60 }))).resolves.toBeDefined();
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ clockSkew: 10 }))),
      'ERR_HTTPSIG_NOT_YET_VALID',
    );
    expectSafeError(await rejectionOf(verifyMessage(message, verifyOptions())), 'ERR_HTTPSIG_NOT_YET_VALID');
  });

  it('expires: passed → EXPIRED; not yet passed or within the skew → ok', async () => {
    const { message } = await signed({ params: { created: NOW - 60, keyid: ED, expires: NOW - 5 } });
    expectSafeError(await rejectionOf(verifyMessage(message, verifyOptions())), 'ERR_HTTPSIG_EXPIRED');
    await expect(verifyMessage(message, verifyOptions({ clockSkew: 10 }))).resolves.toBeDefined();
    await expect(verifyMessage(message, verifyOptions({ now: NOW - 10 }))).resolves.toBeDefined();
  });

  it('now as a function is used as the clock', async () => {
    const { message } = await signed({ params: { created: NOW - 60, keyid: ED, expires: NOW - 5 } });
    await expect(verifyMessage(message, verifyOptions({ now: () => NOW - 10 }))).resolves.toBeDefined();
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ now: () => NOW }))),
      'ERR_HTTPSIG_EXPIRED',
    );
  });

  it('created missing → POLICY unless requireCreated: false', async () => {
    const { message, result } = await signed({ params: { keyid: ED } });
    expect(parseSignatureInput(result.signatureInput)[0]?.params.created).toBeUndefined();
    expectSafeError(await rejectionOf(verifyMessage(message, verifyOptions())), 'ERR_HTTPSIG_POLICY');
    await expect(verifyMessage(message, verifyOptions({ requireCreated: false }))).resolves.toBeDefined();
  });

  it('requireExpires: a signature without expires → POLICY', async () => {
    const without = await signed();
    expectSafeError(
      await rejectionOf(verifyMessage(without.message, verifyOptions({ requireExpires: true }))),
      'ERR_HTTPSIG_POLICY',
    );
    const withExpires = await signed({ params: { created: NOW, keyid: ED, expires: NOW + 60 } });
    const ok = await verifyMessage(withExpires.message, verifyOptions({ requireExpires: true }));
    expect(ok.expires).toBe(NOW + 60);
  });

  it('requiredParams: a missing nonce → POLICY; nonce: true generates one', async () => {
    const without = await signed();
    expectSafeError(
      await rejectionOf(verifyMessage(without.message, verifyOptions({ requiredParams: ['nonce'] }))),
      'ERR_HTTPSIG_POLICY',
    );
    const withNonce = await signed({ params: { created: NOW, keyid: ED, nonce: true } });
    const ok = await verifyMessage(withNonce.message, verifyOptions({ requiredParams: ['nonce', 'keyid'] }));
    expect(typeof ok.nonce).toBe('string');
    expect((ok.nonce ?? '').length).toBeGreaterThanOrEqual(16);
    const again = await signed({ params: { created: NOW, keyid: ED, nonce: true } });
    expect(parseSignatureInput(again.result.signatureInput)[0]?.params.nonce).not.toBe(ok.nonce);
  });

  it('tag: a different or missing tag → POLICY; a listed tag → ok', async () => {
    const tagged = await signed({ params: { created: NOW, keyid: ED, tag: 'app-123' } });
    expectSafeError(
      await rejectionOf(verifyMessage(tagged.message, verifyOptions({ tag: 'app-999' }))),
      'ERR_HTTPSIG_POLICY',
    );
    const ok = await verifyMessage(tagged.message, verifyOptions({ tag: ['app-999', 'app-123'] }));
    expect(ok.tag).toBe('app-123');
    const untagged = await signed();
    expectSafeError(
      await rejectionOf(verifyMessage(untagged.message, verifyOptions({ tag: 'app-123' }))),
      'ERR_HTTPSIG_POLICY',
    );
  });

  describe('label selection', () => {
    async function twoSignatures() {
      const good = await signed({ label: 'good' });
      const bad = await signed({ label: 'bad' }, good.message);
      // Corrupt only the "bad" member.
      const message = withSignatureBytes(bad.message, 'bad', flipByte(bad.result.signatureValue, 3));
      return message;
    }

    it('a named label that is absent → MISSING_SIGNATURE', async () => {
      const { message } = await signed();
      expectSafeError(
        await rejectionOf(verifyMessage(message, verifyOptions({ label: 'other' }))),
        'ERR_HTTPSIG_MISSING_SIGNATURE',
      );
    });

    it("require 'all' fails when one of several signatures fails", async () => {
      const message = await twoSignatures();
      expectSafeError(
        await rejectionOf(verifyMessage(message, verifyOptions({ require: 'all' }))),
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      );
      expectSafeError(
        await rejectionOf(verifyMessage(message, verifyOptions({ label: ['good', 'bad'], require: 'all' }))),
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      );
    });

    it("'any' (the default) picks the signature that verifies", async () => {
      const message = await twoSignatures();
      const result = await verifyMessage(message, verifyOptions());
      expect(result.label).toBe('good');
      expect(result.signatures.map((s) => s.label)).toEqual(['good']);
      const explicit = await verifyMessage(
        message,
        verifyOptions({ label: ['bad', 'good'], require: 'any' }),
      );
      expect(explicit.label).toBe('good');
    });

    it('a named label is the only one checked', async () => {
      const message = await twoSignatures();
      expectSafeError(
        await rejectionOf(verifyMessage(message, verifyOptions({ label: 'bad' }))),
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      );
      expect((await verifyMessage(message, verifyOptions({ label: 'good' }))).label).toBe('good');
    });

    it("require 'all' with two good signatures returns both", async () => {
      const first = await signed({ label: 'one' });
      const second = await signed(
        { label: 'two', key: keyOf(keys.private, EC), params: { created: NOW, keyid: EC } },
        first.message,
      );
      const result = await verifyMessage(second.message, verifyOptions({ require: 'all' }));
      expect(result.signatures.map((s) => [s.label, s.alg])).toEqual([
        ['one', 'ed25519'],
        ['two', 'ecdsa-p256-sha256'],
      ]);
    });
  });

  it('unknown keyid → UNKNOWN_KEY, with a record and with a resolver', async () => {
    const { message } = await signed();
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ keys: { other: keyOf(keys.public, ED) } }))),
      'ERR_HTTPSIG_UNKNOWN_KEY',
    );
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ keys: () => undefined }))),
      'ERR_HTTPSIG_UNKNOWN_KEY',
    );
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ keys: async () => null }))),
      'ERR_HTTPSIG_UNKNOWN_KEY',
    );
  });

  it('a resolver that throws → 503 KEY_UNAVAILABLE (an outage, not a bad key); its own HttpSigError passes through', async () => {
    const { message } = await signed();
    const outage = await rejectionOf(
      verifyMessage(message, verifyOptions({ keys: () => Promise.reject(new Error('jwks endpoint down')) })),
    );
    expectSafeError(outage, 'ERR_HTTPSIG_KEY_UNAVAILABLE');
    expect(httpStatusForError[outage.code]).toBe(503);
    expect(outage.message).not.toContain('jwks endpoint down');
    const own = await rejectionOf(
      verifyMessage(
        message,
        verifyOptions({
          keys: () => {
            throw new HttpSigError('ERR_HTTPSIG_FORBIDDEN', 'revoked');
          },
        }),
      ),
    );
    expectSafeError(own, 'ERR_HTTPSIG_FORBIDDEN');
  });

  it('a signature without keyid is looked up by the resolver with keyid undefined', async () => {
    const { message } = await signed({ params: { created: NOW } });
    const seen: (string | undefined)[] = [];
    const result = await verifyMessage(
      message,
      verifyOptions({
        keys: (keyid) => {
          seen.push(keyid);
          return keyOf(keys.public, ED);
        },
      }),
    );
    expect(seen).toEqual([undefined]);
    expect(result.keyid).toBeUndefined();
  });

  it('the resolver receives the untrusted keyid, the ordered params and the label', async () => {
    const { message } = await signed({
      label: 'lbl',
      params: { created: NOW, keyid: 'attacker-chosen"\\', nonce: 'n-1', tag: 't-1' },
    });
    const calls: Parameters<KeyResolver>[] = [];
    const resolver: KeyResolver = (...args) => {
      calls.push(args);
      return keyOf(keys.public, ED);
    };
    const result = await verifyMessage(message, verifyOptions({ keys: resolver }));
    expect(calls).toHaveLength(1);
    const [keyid, params, context] = calls[0] as Parameters<KeyResolver>;
    expect(keyid).toBe('attacker-chosen"\\');
    expect(Object.entries(params)).toEqual([
      ['created', NOW],
      ['keyid', 'attacker-chosen"\\'],
      ['nonce', 'n-1'],
      ['tag', 't-1'],
    ]);
    expect(context.label).toBe('lbl');
    expect(context.message).toBe(message);
    expect(result.key).toBe(keyOf(keys.public, ED));
  });

  it('maxSignatures: over the limit → LIMIT_EXCEEDED; at the limit → ok', async () => {
    let message = baseRequest();
    for (const label of ['s1', 's2', 's3']) message = (await signed({ label }, message)).message;
    expectSafeError(
      await rejectionOf(verifyMessage(message, verifyOptions({ maxSignatures: 2 }))),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
    );
    await expect(verifyMessage(message, verifyOptions({ maxSignatures: 3 }))).resolves.toBeDefined();
  });

  it('the default maxSignatures (8) refuses a ninth signature', async () => {
    let message = baseRequest();
    for (let i = 0; i < 9; i++) message = (await signed({ label: `s${i}` }, message)).message;
    expectSafeError(await rejectionOf(verifyMessage(message, verifyOptions())), 'ERR_HTTPSIG_LIMIT_EXCEEDED');
  });

  it('signing with an existing label → LABEL_EXISTS; replace: true replaces it in place', async () => {
    const first = await signed({ label: 'sig1' });
    const other = await signed({ label: 'other' }, first.message);
    expectSafeError(await rejectionOf(signed({ label: 'sig1' }, other.message)), 'ERR_HTTPSIG_LABEL_EXISTS');
    const replaced = await signed(
      { label: 'sig1', replace: true, params: { created: NOW + 1, keyid: ED } },
      other.message,
    );
    const members = parseSignatureInput(replaced.result.signatureInput);
    expect(members.map((m) => m.label)).toEqual(['sig1', 'other']);
    expect(members[0]?.params.created).toBe(NOW + 1);
    expect(replaced.result.signature.match(/sig1=/g)).toHaveLength(1);
    const result = await verifyMessage(replaced.message, verifyOptions({ label: 'sig1', now: NOW + 1 }));
    expect(result.created).toBe(NOW + 1);
  });

  it('the signer refuses to cover its own "signature";key="<label>"', async () => {
    const error = await rejectionOf(
      signed({ label: 'sig1', components: ['@method', '"signature";key="sig1"'] }),
    );
    expectSafeError(error, 'ERR_HTTPSIG_INVALID_COMPONENT');
    // Also when an older sig1 is being replaced.
    const { message } = await signed({ label: 'sig1' });
    const replacing = await rejectionOf(
      signed({ label: 'sig1', replace: true, components: ['"signature";key="sig1"'] }, message),
    );
    expectSafeError(replacing, 'ERR_HTTPSIG_INVALID_COMPONENT');
  });

  it('covering another signature (a countersignature) works', async () => {
    const first = await signed({ label: 'sig0' });
    const counter = await signed(
      { label: 'sig1', components: ['@method', '"signature";key="sig0"', '"signature-input";key="sig0"'] },
      first.message,
    );
    expect(counter.result.base.split('\n')[1]).toBe(
      `"signature";key="sig0": :${first.result.signatureValue}:`,
    );
    const result = await verifyMessage(
      counter.message,
      verifyOptions({ label: 'sig1', requiredComponents: ['"signature";key="sig0"'] }),
    );
    expect(result.components).toContain('"signature";key="sig0"');
    expect(headerOf(counter.message, 'signature')).toContain('sig0=');
  });
});

describe('signing defaults', () => {
  it("label defaults to sig1, params to created = now and the key's keyid, and a body gets a covered sha-256 Content-Digest", async () => {
    const result = await signMessage(baseRequest(), {
      key: keyOf(keys.private, ED),
      components: ['@method'],
      now: NOW,
    });
    expect(result.label).toBe('sig1');
    expect(result.signatureParams).toBe(`("@method" "content-digest");created=${NOW};keyid="${ED}"`);
    expect(result.signatureInput).toBe(`sig1=${result.signatureParams}`);
    expect(result.signature).toBe(`sig1=:${result.signatureValue}:`);
    expect(result.contentDigest).toMatch(/^sha-256=:[A-Za-z0-9+/]{43}=:$/);
    expect(result.headers).toEqual({
      'content-digest': result.contentDigest,
      'signature-input': result.signatureInput,
      signature: result.signature,
    });
  });

  it('created: true takes the clock, also as a function', async () => {
    const result = await signMessage(baseRequest(), {
      key: keyOf(keys.private, ED),
      components: [],
      params: { created: true, keyid: 'k', tag: 't' },
      now: () => NOW + 7,
      digest: false,
    });
    expect(result.signatureParams).toBe(`();created=${NOW + 7};keyid="k";tag="t"`);
  });
});

describe('error objects', () => {
  it('carry the covered component concerned and map to an HTTP status', async () => {
    const error = await rejectionOf(signed({ components: ['@method', 'x-absent'] }));
    expectSafeError(error, 'ERR_HTTPSIG_MISSING_COMPONENT');
    expect(error.component).toBe('"x-absent"');
    expect(httpStatusForError[error.code]).toBe(400);
  });

  it('instanceof holds for errors created by the library', async () => {
    const error = await rejectionOf(verifyMessage(baseRequest(), verifyOptions()));
    expect(error instanceof HttpSigError).toBe(true);
    expect(Object.prototype.toString.call(error)).toBe('[object Error]');
  });

  it('a key does not reveal its secret through JSON or string conversion', async () => {
    const key: HttpSigKey = keyOf(keys.private, HMAC);
    const shown = `${JSON.stringify(key)} ${String(key)}`;
    for (const secret of keySecrets()) expect(shown).not.toContain(secret);
  });
});
