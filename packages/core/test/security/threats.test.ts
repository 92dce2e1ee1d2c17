/**
 * RFC 9421 §7 and RFC 9530 §6 as tests: one test per threat. Every refusal carries its stable
 * code, and at the end no recorded error message repeats key material, signature bytes, the
 * body or a full field value.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryNonceStore, importKey, verifyMessage } from '../../src/index';
import { timingSafeEqual } from '../../src/internal/bytes';
import type { RequestLike } from '../../src/message/types';
import type { NonceStore } from '../../src/replay/nonce-store';
import type { KeyResolver, VerifyOptions } from '../../src/verify/types';
import { keyVector } from '../conformance/lib/messages';
import {
  BODY,
  baseRequest,
  EC,
  ED,
  expectNoLeaks,
  expectRefusal,
  field,
  HMAC,
  keyOf,
  loadTestKeys,
  NOW,
  PSS,
  RSA,
  sign,
  type TestKeys,
  withFields,
  withoutFields,
} from './lib';

let keys: TestKeys;
beforeAll(async () => {
  keys = await loadTestKeys();
});
afterAll(() => {
  expect(expectNoLeaks()).toBeGreaterThan(20);
});

const components = ['@method', '@target-uri', 'content-type', 'content-digest'];

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    keys: keys.public,
    requiredComponents: ['@method', '@target-uri'],
    now: NOW,
    maxAge: 300,
    ...overrides,
  };
}

async function signedBy(
  keyid: string,
  message: RequestLike = baseRequest(),
  extra = {},
): Promise<RequestLike> {
  return sign(message, { key: keyOf(keys.private, keyid), components, ...extra });
}

describe('RFC 9421 §7.2.1 / §7.3: stripping and substitution', () => {
  it('a message whose signature was stripped is refused as unsigned', async () => {
    const signed = await signedBy(ED);
    const stripped = withoutFields(signed, 'signature', 'signature-input');
    await expectRefusal(verifyMessage(stripped, options()), 'ERR_HTTPSIG_MISSING_SIGNATURE', stripped);
  });

  it('a changed covered component breaks the signature', async () => {
    const signed = await signedBy(ED);
    const changed = { ...signed, url: 'https://api.example.com/transfers?from=alice&to=mallory' };
    await expectRefusal(verifyMessage(changed, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', changed);
    const retyped = withFields(signed, { 'content-type': 'text/plain' });
    await expectRefusal(verifyMessage(retyped, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', retyped);
  });

  it('a changed uncovered component is accepted: only what is covered is protected (docs/security.md)', async () => {
    const signed = await signedBy(ED);
    const changed = withFields(signed, { 'x-request-id': 'forged-by-proxy' });
    const result = await verifyMessage(changed, options());
    expect(result.components).not.toContain('"x-request-id"');
  });
});

describe('RFC 9421 §7.3.6 / §7.3.7: algorithm confusion', () => {
  it('an HMAC signature keyed with the RSA public key PEM is refused for the RSA keyid', async () => {
    const pem = keyVector(RSA).publicKeyPem as string;
    // The attacker knows the public key and uses its PEM bytes as an HMAC secret.
    const forgedKey = await importKey(new TextEncoder().encode(pem), { alg: 'hmac-sha256', keyid: RSA });
    const withAlg = await sign(baseRequest(), {
      key: forgedKey,
      components,
      params: { created: NOW, keyid: RSA, alg: 'hmac-sha256' },
    });
    await expectRefusal(verifyMessage(withAlg, options()), 'ERR_HTTPSIG_ALGORITHM_MISMATCH', withAlg);
    const withoutAlg = await sign(baseRequest(), {
      key: forgedKey,
      components,
      params: { created: NOW, keyid: RSA },
    });
    // Without alg the verifier uses the key's own algorithm: the HMAC tag is no RSA signature.
    await expectRefusal(verifyMessage(withoutAlg, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', withoutAlg);
  });

  it('an alg parameter that disagrees with the key is refused before any cryptography', async () => {
    const signed = await sign(baseRequest(), {
      key: keyOf(keys.private, ED),
      components,
      params: { created: NOW, keyid: ED, alg: 'ed25519' },
    });
    const resolver = vi.fn<KeyResolver>(() => keyOf(keys.public, EC));
    await expectRefusal(
      verifyMessage(signed, options({ keys: resolver })),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      signed,
    );
  });

  it('a key registered for another algorithm does not verify, and a refused algorithm is refused', async () => {
    const signed = await signedBy(PSS);
    // The same RSA key material bound to RSASSA-PKCS1-v1_5 cannot verify an RSASSA-PSS signature.
    const asPkcs1 = await importKey(keyVector(PSS).publicKeyPem as string, {
      alg: 'rsa-v1_5-sha256',
      keyid: PSS,
    });
    await expectRefusal(
      verifyMessage(signed, options({ keys: { [PSS]: asPkcs1 } })),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
      signed,
    );
    await expectRefusal(
      verifyMessage(signed, options({ algorithms: ['ed25519'] })),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      signed,
    );
  });
});

describe('RFC 9421 §7.2.2 / §7.2.3: replay and validity window', () => {
  it('the same nonce twice is a replay', async () => {
    const nonceStore = createMemoryNonceStore({ now: NOW });
    const signed = await signedBy(ED, baseRequest(), {
      params: { created: NOW, keyid: ED, nonce: 'n-1f7c' },
    });
    await verifyMessage(signed, options({ nonceStore }));
    await expectRefusal(verifyMessage(signed, options({ nonceStore })), 'ERR_HTTPSIG_REPLAY', signed);
  });

  it('without a nonce a signature replays inside maxAge; a nonce store then demands a nonce', async () => {
    const signed = await signedBy(ED);
    // Documented: the age window is the only bound without a nonce.
    await verifyMessage(signed, options());
    await verifyMessage(signed, options({ now: NOW + 299 }));
    await expectRefusal(verifyMessage(signed, options({ now: NOW + 301 })), 'ERR_HTTPSIG_EXPIRED', signed);
    await expectRefusal(
      verifyMessage(signed, options({ nonceStore: createMemoryNonceStore() })),
      'ERR_HTTPSIG_POLICY',
      signed,
    );
  });

  it('created in the future is not yet valid', async () => {
    const signed = await signedBy(ED, baseRequest(), { params: { created: NOW + 60, keyid: ED } });
    await expectRefusal(
      verifyMessage(signed, options({ clockSkew: 5 })),
      'ERR_HTTPSIG_NOT_YET_VALID',
      signed,
    );
  });

  it('expires in the past is expired', async () => {
    const signed = await signedBy(ED, baseRequest(), {
      params: { created: NOW - 20, expires: NOW - 10, keyid: ED },
    });
    await expectRefusal(verifyMessage(signed, options()), 'ERR_HTTPSIG_EXPIRED', signed);
  });

  it('extreme created/expires: out of range is a parse error, far future expires is bounded by maxAge', async () => {
    const signed = await signedBy(ED);
    const input = field(signed, 'signature-input');
    const huge = withFields(signed, {
      'signature-input': input.replace(/created=\d+/, 'created=9999999999999999'),
    });
    await expectRefusal(verifyMessage(huge, options()), 'ERR_HTTPSIG_PARSE', huge);
    const negative = await signedBy(ED, baseRequest(), { params: { created: -999999999999999, keyid: ED } });
    await expectRefusal(verifyMessage(negative, options()), 'ERR_HTTPSIG_EXPIRED', negative);
    const future = await signedBy(ED, baseRequest(), { params: { created: 999999999999999, keyid: ED } });
    await expectRefusal(verifyMessage(future, options()), 'ERR_HTTPSIG_NOT_YET_VALID', future);

    // A nonce under a far-future expires is remembered only until created + maxAge + skew.
    const remembered: number[] = [];
    const store: NonceStore = {
      consume: async (_keyid, _nonce, expiresAt) => {
        remembered.push(expiresAt);
        return true;
      },
    };
    const longLived = await signedBy(ED, baseRequest(), {
      params: { created: NOW, expires: 999999999999999, keyid: ED, nonce: 'n-2' },
    });
    await verifyMessage(longLived, options({ nonceStore: store, clockSkew: 5 }));
    expect(remembered).toEqual([NOW + 300 + 5]);
  });
});

describe('RFC 9421 §7.2.8 / §7.5: confusing Signature and Signature-Input', () => {
  it('a duplicated label: the last member wins (RFC 9651), so a forged second member is refused', async () => {
    const signed = await signedBy(ED);
    const input = field(signed, 'signature-input');
    const forged = input.replace(/^sig1=\(([^)]*)\)/, 'sig1=("@method" "@target-uri" "content-digest")');
    const duplicated = withFields(signed, { 'signature-input': `${input}, ${forged}` });
    await expectRefusal(
      verifyMessage(duplicated, options({ requiredComponents: [] })),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
      duplicated,
    );
  });

  it('conflicting members: a Signature value from another signature does not verify', async () => {
    const a = await signedBy(ED);
    const b = await signedBy(ED, baseRequest({ method: 'PUT' }));
    const mixed = withFields(a, { signature: field(b, 'signature') });
    await expectRefusal(verifyMessage(mixed, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', mixed);
  });

  it('a label in Signature without Signature-Input, and the reverse, are missing signatures', async () => {
    const signed = await signedBy(ED);
    const onlySignature = withoutFields(signed, 'signature-input');
    await expectRefusal(
      verifyMessage(onlySignature, options()),
      'ERR_HTTPSIG_MISSING_SIGNATURE',
      onlySignature,
    );
    const onlyInput = withoutFields(signed, 'signature');
    await expectRefusal(verifyMessage(onlyInput, options()), 'ERR_HTTPSIG_MISSING_SIGNATURE', onlyInput);
    const otherLabel = withFields(signed, {
      signature: field(signed, 'signature').replace(/^sig1=/, 'sig2='),
    });
    await expectRefusal(verifyMessage(otherLabel, options()), 'ERR_HTTPSIG_MISSING_SIGNATURE', otherLabel);
  });

  it('component names differing only in case: upper case in Signature-Input is invalid, field names match any case', async () => {
    const signed = await signedBy(ED);
    const input = field(signed, 'signature-input').replace('"content-type"', '"Content-Type"');
    const upper = withFields(signed, { 'signature-input': input });
    await expectRefusal(verifyMessage(upper, options()), 'ERR_HTTPSIG_INVALID_COMPONENT', upper);
    // Field names are case-insensitive on the wire: Content-Type and content-type are one field.
    const headers = { ...(signed.headers as Record<string, string>) };
    const value = headers['content-type'] as string;
    delete headers['content-type'];
    await verifyMessage({ ...signed, headers: { ...headers, 'Content-Type': value } }, options());
  });
});

describe('RFC 9421 §7.5.1–§7.5.3: field value normalization', () => {
  it('obs-fold and trailing whitespace normalize to the signed value', async () => {
    const signed = await signedBy(ED, baseRequest(), {
      components: [...components, 'x-request-id'],
    });
    await verifyMessage(withFields(signed, { 'x-request-id': '  req-7c1d0e \t' }), options());
    const folded = await signedBy(
      ED,
      baseRequest({ headers: { 'content-type': 'application/json', 'x-list': 'a,\r\n b' } }),
      {
        components: [...components, 'x-list'],
      },
    );
    await verifyMessage(withFields(folded, { 'x-list': 'a, b' }), options());
  });

  it('control characters and non-ASCII bytes in a covered field are refused, not signed over', async () => {
    const signed = await signedBy(ED, baseRequest(), { components: [...components, 'x-request-id'] });
    for (const value of ['req\x00-7c1d0e', 'req\x7f-7c1d0e', 'req-7c1d0é', 'req\n7c1d0e']) {
      const injected = withFields(signed, { 'x-request-id': value });
      await expectRefusal(verifyMessage(injected, options()), 'ERR_HTTPSIG_INVALID_COMPONENT', injected);
    }
  });

  it('@query-param: encoded and unencoded spellings of one parameter are one value, another value is not', async () => {
    const query = '"@query-param";name="pay%20to"';
    const signed = await signedBy(ED, baseRequest({ url: 'https://api.example.com/t?pay%20to=bob%21' }), {
      components: [...components, query],
    });
    const respelled = { ...signed, url: 'https://api.example.com/t?pay+to=bob!' };
    await expectRefusal(verifyMessage(respelled, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', respelled);
    // @target-uri changed above; covering only the parameter, the spelling does not matter.
    const onlyParam = await signedBy(ED, baseRequest({ url: 'https://api.example.com/t?pay%20to=bob%21' }), {
      components: ['@method', query, 'content-digest'],
    });
    const requiredComponents = ['@method', query];
    await verifyMessage(
      { ...onlyParam, url: 'https://api.example.com/t?pay+to=bob!' },
      options({ requiredComponents }),
    );
    const otherValue = { ...onlyParam, url: 'https://api.example.com/t?pay+to=mallory' };
    await expectRefusal(
      verifyMessage(otherValue, options({ requiredComponents })),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
      otherValue,
    );
    const repeated = { ...onlyParam, url: 'https://api.example.com/t?pay%20to=bob%21&pay+to=mallory' };
    await expectRefusal(
      verifyMessage(repeated, options({ requiredComponents })),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
      repeated,
    );
  });
});

describe('RFC 9530 §6: digests', () => {
  it('a body-less message that claims a digest is refused', async () => {
    const signed = await signedBy(ED);
    const bodiless = { ...signed, body: undefined };
    await expectRefusal(verifyMessage(bodiless, options()), 'ERR_HTTPSIG_DIGEST_MISMATCH', bodiless);
  });

  it('a digest for another body is refused', async () => {
    const signed = await signedBy(ED);
    const swapped = { ...signed, body: BODY.replace('100', '999') };
    await expectRefusal(verifyMessage(swapped, options()), 'ERR_HTTPSIG_DIGEST_MISMATCH', swapped);
  });

  it('a Content-Length that disagrees with the body: the digest still decides', async () => {
    const message = baseRequest({
      headers: { 'content-type': 'application/json', 'content-length': String(BODY.length) },
    });
    const signed = await signedBy(ED, message, { components: [...components, 'content-length'] });
    const truncated = { ...signed, body: BODY.slice(0, 10) };
    await expectRefusal(verifyMessage(truncated, options()), 'ERR_HTTPSIG_DIGEST_MISMATCH', truncated);
    const relabelled = withFields(signed, { 'content-length': '10' });
    await expectRefusal(verifyMessage(relabelled, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', relabelled);
  });

  it('a message with a body but no covered digest is refused under requireDigest', async () => {
    const signed = await sign(baseRequest(), {
      key: keyOf(keys.private, ED),
      components: ['@method', '@target-uri'],
      digest: false,
    });
    await expectRefusal(verifyMessage(signed, options()), 'ERR_HTTPSIG_POLICY', signed);
  });
});

describe('RFC 9421 §7.3.1: keyid as a resolver input', () => {
  const tricks = [
    '../test-key-ed25519',
    'test-key-ed25519/../test-key-ed25519',
    '..%2Ftest-key-ed25519',
    'test-key-ed25519%00',
    'TEST-KEY-ED25519',
    ' test-key-ed25519',
    'https://evil.example/test-key-ed25519',
    '//evil.example/jwks.json',
    '__proto__',
    'constructor',
    'toString',
  ];

  it('a record of keys matches keyids exactly: traversal, encodings and prototype names find nothing', async () => {
    for (const keyid of tricks) {
      const signed = await signedBy(ED, baseRequest(), { params: { created: NOW, keyid } });
      await expectRefusal(verifyMessage(signed, options()), 'ERR_HTTPSIG_UNKNOWN_KEY', signed);
    }
  });

  it('the staticKeys resolver of @httpsig/keys matches keyids exactly too', async () => {
    const { staticKeys } = await import('../../../keys/src/static-keys');
    const resolver = staticKeys({ [ED]: keyOf(keys.public, ED) });
    for (const keyid of tricks) {
      const signed = await signedBy(ED, baseRequest(), { params: { created: NOW, keyid } });
      await expectRefusal(
        verifyMessage(signed, options({ keys: resolver })),
        'ERR_HTTPSIG_UNKNOWN_KEY',
        signed,
      );
    }
  });

  it('an oversized keyid never reaches the resolver', async () => {
    const resolver = vi.fn<KeyResolver>(() => keyOf(keys.public, ED));
    const signed = await signedBy(ED, baseRequest(), {
      params: { created: NOW, keyid: `../${'a/'.repeat(400)}` },
    });
    await expectRefusal(
      verifyMessage(signed, options({ keys: resolver })),
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      signed,
      'maxKeyidLength',
    );
    expect(resolver).not.toHaveBeenCalled();
  });

  it('a resolver that throws or hangs fails closed', async () => {
    const signed = await signedBy(ED);
    const throwing: KeyResolver = () => {
      throw new Error(`lookup failed for ${field(signed, 'signature')}`);
    };
    const error = await expectRefusal(
      verifyMessage(signed, options({ keys: throwing })),
      'ERR_HTTPSIG_KEY_UNAVAILABLE',
      signed,
    );
    expect(error.message).not.toContain('lookup failed');
    const hanging: KeyResolver = () => new Promise(() => {});
    await expectRefusal(
      verifyMessage(signed, options({ keys: hanging, keyResolverTimeout: 20 })),
      'ERR_HTTPSIG_KEY_UNAVAILABLE',
      signed,
    );
  });

  it('a nonce store that errors or hangs fails closed', async () => {
    const signed = await signedBy(ED, baseRequest(), { params: { created: NOW, keyid: ED, nonce: 'n-3' } });
    const failing: NonceStore = { consume: async () => Promise.reject(new Error('connection refused')) };
    await expectRefusal(
      verifyMessage(signed, options({ nonceStore: failing })),
      'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
      signed,
    );
    const hanging: NonceStore = { consume: () => new Promise(() => {}) };
    await expectRefusal(
      verifyMessage(signed, options({ nonceStore: hanging, nonceStoreTimeout: 20 })),
      'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
      signed,
    );
  });
});

describe('RFC 9421 §7.3.4 / RFC 9530 §6.5: comparisons in constant time', () => {
  it('HMAC signatures are checked by a constant-time primitive, never by comparing bytes in JavaScript', async () => {
    const signed = await signedBy(HMAC);
    // In Node the key uses node:crypto (createHmac + timingSafeEqual); elsewhere SubtleCrypto.verify.
    const node = (
      globalThis as { process?: { getBuiltinModule?: (id: string) => typeof import('node:crypto') } }
    ).process?.getBuiltinModule?.('node:crypto');
    const subtleVerify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const nodeEqual = node ? vi.spyOn(node, 'timingSafeEqual') : undefined;
    try {
      await verifyMessage(signed, options());
      const forged = withFields(signed, {
        signature: field(signed, 'signature').replace(/:[A-Za-z0-9]/, ':A'),
      });
      await expectRefusal(verifyMessage(forged, options()), 'ERR_HTTPSIG_INVALID_SIGNATURE', forged);
      const constantTimeCalls = subtleVerify.mock.calls.length + (nodeEqual?.mock.calls.length ?? 0);
      expect(constantTimeCalls).toBe(2);
    } finally {
      subtleVerify.mockRestore();
      nodeEqual?.mockRestore();
    }
  });

  it('digests are compared by timingSafeEqual, which inspects every byte whatever the first difference', () => {
    const a = new Uint8Array(64).fill(7);
    for (const index of [0, 31, 63]) {
      const b = a.slice();
      b[index] = 8;
      expect(timingSafeEqual(a, b)).toBe(false);
    }
    expect(timingSafeEqual(a, a.slice())).toBe(true);
    expect(timingSafeEqual(a, a.slice(0, 63))).toBe(false);
    // The accessed-index count is the same for an early and a late difference.
    const reads = (b: Uint8Array) => {
      let count = 0;
      const proxy = new Proxy(b, {
        get(target, property) {
          if (typeof property === 'string' && /^\d+$/.test(property)) count++;
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      timingSafeEqual(a, proxy);
      return count;
    };
    const early = a.slice();
    early[0] = 1;
    const late = a.slice();
    late[63] = 1;
    expect(reads(early)).toBe(reads(late));
    expect(reads(early)).toBeGreaterThanOrEqual(64);
  });
});
