/**
 * RFC 9421 signature vectors (§2.4, §2.5, §3, §4.3, Appendix B.2–B.4): every signature base is
 * rebuilt byte for byte, every printed signature verifies, the deterministic ones re-sign to the
 * printed fields, and tampering fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignatureBase, signMessage, verifyMessage } from '../../src/index';
import {
  base64ToBytes,
  bytesToBase64,
  createdOf,
  expectHttpSigError,
  flipByte,
  headerOf,
  keyOf,
  loadTestKeys,
  messageFrom,
  paramsOf,
  rejectionOf,
  relatedRequestOf,
  responseFrom,
  type SignatureVector,
  signatureVector,
  signedMessageOf,
  type TestKeys,
  unsignedMessageOf,
  vectors,
  withHeaders,
  withoutSignatureFields,
  withSignature,
  withSignatureBytes,
} from './lib/messages';

let keys: TestKeys;

beforeAll(async () => {
  keys = await loadTestKeys('jwk');
});

const signatureVectors = vectors.signatures;

/** `{ request }` for response vectors, nothing for requests. */
function related(v: SignatureVector) {
  const request = relatedRequestOf(v);
  return request === undefined ? {} : { request };
}

/** The message to sign: the unsigned message, minus a stale member with the same label (B.4 prints it signed). */
function messageToSign(v: SignatureVector) {
  const message = unsignedMessageOf(v);
  const input = headerOf(message, 'signature-input');
  if (input !== undefined && new RegExp(`(^|,\\s*)${v.label}=`).test(input))
    return withoutSignatureFields(message);
  return message;
}

function verifyOptions(v: SignatureVector) {
  return {
    keys: keys.public,
    requiredComponents: v.coveredComponents,
    label: v.label,
    now: createdOf(v),
    // Most RFC examples sign a request with a body without covering content-digest.
    requireDigest: false,
    ...related(v),
  };
}

it('has the 14 signature vectors of RFC 9421', () => {
  expect(signatureVectors.map((v) => v.id)).toEqual([
    '2.5',
    '2.4-reqres-1',
    '2.4-request-sig1',
    '2.4-reqres-2',
    '4.3-sig1',
    '4.3-proxy_sig',
    'B.2.1',
    'B.2.2',
    'B.2.3',
    'B.2.4',
    'B.2.5',
    'B.2.6',
    'B.3',
    'B.4',
  ]);
});

describe.each(signatureVectors.map((v) => [v.id, v] as const))('signature vector %s', (_id, v) => {
  it('rebuilds the signature base from the signed message by label', () => {
    const base = createSignatureBase(signedMessageOf(v), { label: v.label, ...related(v) });
    expect(base).toBe(v.signatureBase);
  });

  it('rebuilds the signature base from the unsigned message, components and params', () => {
    const base = createSignatureBase(unsignedMessageOf(v), {
      components: v.coveredComponents,
      params: paramsOf(v.signatureParameters),
      ...related(v),
    });
    expect(base).toBe(v.signatureBase);
    expect(base.split('\n').at(-1)).toBe(`"@signature-params": ${v.signatureParamsValue}`);
  });

  it('verifies the printed signature', async () => {
    const result = await verifyMessage(signedMessageOf(v), verifyOptions(v));
    expect(result.label).toBe(v.label);
    expect(result.keyid).toBe(v.keyid);
    expect(result.alg).toBe(v.algorithm);
    expect(result.key).toBe(keys.public[v.keyid]);
    expect(result.components).toEqual(v.coveredComponents);
    expect(result.base).toBe(v.signatureBase);
    expect(result.created).toBe(createdOf(v));
    expect(Object.entries(result.params)).toEqual(v.signatureParameters.map((p) => [p.name, p.value]));
    expect(result.signatures.map((s) => s.label)).toEqual([v.label]);
  });

  it('verifies without naming the label', async () => {
    const { label: _label, ...options } = verifyOptions(v);
    const result = await verifyMessage(signedMessageOf(v), options);
    expect(result.label).toBe(v.label);
    expect(result.base).toBe(v.signatureBase);
  });

  it('rejects any single-byte change to the signature', async () => {
    const length = Math.floor((v.signatureBase64.length * 3) / 4);
    const positions = [0, 1, Math.floor(length / 2), length - 2, length - 1];
    for (const index of positions) {
      for (const mask of [0x01, 0x80]) {
        const tampered = withSignatureBytes(
          signedMessageOf(v),
          v.label,
          flipByte(v.signatureBase64, index, mask),
        );
        const error = await rejectionOf(verifyMessage(tampered, verifyOptions(v)));
        expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
      }
    }
  });

  it('rejects a truncated, extended or empty signature', async () => {
    const bytes = base64ToBytes(v.signatureBase64);
    const variants = [
      bytesToBase64(bytes.subarray(0, bytes.length - 1)),
      bytesToBase64(bytes.subarray(0, bytes.length - 3)),
      bytesToBase64(Uint8Array.of(...bytes, 0)),
      bytesToBase64(Uint8Array.of(...bytes, 0, 0, 0)),
      '',
    ];
    for (const b64 of variants) {
      const tampered = withSignatureBytes(signedMessageOf(v), v.label, b64);
      const error = await rejectionOf(verifyMessage(tampered, verifyOptions(v)));
      expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
    }
  });

  if (v.check === 'sign-and-compare') {
    it('re-signs to exactly the printed Signature and Signature-Input', async () => {
      const result = await signMessage(messageToSign(v), {
        key: keyOf(keys.private, v.keyid),
        components: v.coveredComponents,
        digest: false,
        label: v.label,
        params: paramsOf(v.signatureParameters),
        now: createdOf(v),
        ...related(v),
      });
      expect(result.label).toBe(v.label);
      expect(result.base).toBe(v.signatureBase);
      expect(result.signatureParams).toBe(v.signatureParamsValue);
      expect(result.signatureValue).toBe(v.signatureBase64);
      expect(result.signatureInput).toBe(v.signatureInputHeader);
      expect(result.signature).toBe(v.signatureHeader);
    });
  } else {
    it('signs afresh with the printed Signature-Input and base, and the new signature verifies', async () => {
      const message = messageToSign(v);
      const result = await signMessage(message, {
        key: keyOf(keys.private, v.keyid),
        components: v.coveredComponents,
        digest: false,
        label: v.label,
        params: paramsOf(v.signatureParameters),
        now: createdOf(v),
        ...related(v),
      });
      expect(result.base).toBe(v.signatureBase);
      expect(result.signatureParams).toBe(v.signatureParamsValue);
      expect(result.signatureInput).toBe(v.signatureInputHeader);
      // rsa-pss-sha512 and ecdsa-p256-sha256 are randomised: a fresh signature differs.
      expect(result.signatureValue).not.toBe(v.signatureBase64);
      const verified = await verifyMessage(withSignature(message, result), verifyOptions(v));
      expect(verified.base).toBe(v.signatureBase);
    });
  }
});

describe('4.3 multiple signatures', () => {
  const proxy = signatureVector('4.3-proxy_sig');
  const client = signatureVector('4.3-sig1');

  it("the proxy's field values keep the client's sig1 member first", async () => {
    const result = await signMessage(unsignedMessageOf(proxy), {
      key: keyOf(keys.private, proxy.keyid),
      components: proxy.coveredComponents,
      digest: false,
      label: proxy.label,
      params: paramsOf(proxy.signatureParameters),
      now: createdOf(proxy),
    });
    expect(result.signatureInput.startsWith(`${client.signatureInputHeader}, `)).toBe(true);
    expect(result.signature.startsWith(`${client.signatureHeader}, `)).toBe(true);
  });

  it('sig1 no longer verifies against the forwarded message (Host rewritten)', async () => {
    expect(client.expect?.verifiesAgainstForwardedMessage).toBe(false);
    const error = await rejectionOf(
      verifyMessage(signedMessageOf(proxy), {
        keys: keys.public,
        requiredComponents: client.coveredComponents,
        label: 'sig1',
        now: createdOf(proxy),
      }),
    );
    expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it("require 'all' over both labels fails on the forwarded message; 'any' accepts proxy_sig", async () => {
    const options = {
      keys: keys.public,
      requiredComponents: ['@method', '@authority', '@path'],
      label: ['sig1', 'proxy_sig'],
      now: createdOf(proxy),
    };
    const any = await verifyMessage(signedMessageOf(proxy), { ...options, require: 'any' });
    expect(any.label).toBe('proxy_sig');
    expect(any.signatures.map((s) => s.label)).toEqual(['proxy_sig']);
    const error = await rejectionOf(verifyMessage(signedMessageOf(proxy), { ...options, require: 'all' }));
    expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('both signatures verify when Signature-Input and Signature arrive as one field line per label', async () => {
    const message = signedMessageOf(proxy);
    const lines = (message.headers as [string, string][]).filter(([n]) => !/^signature(-input)?$/i.test(n));
    const split = withHeaders(message, [
      ...lines,
      ['Signature-Input', client.signatureInputHeader],
      ['Signature', client.signatureHeader],
      ['Signature-Input', proxy.signatureParamsValue.replace(/^/, `${proxy.label}=`)],
      ['Signature', `${proxy.label}=:${proxy.signatureBase64}:`],
    ]);
    const result = await verifyMessage(split, verifyOptions(proxy));
    expect(result.base).toBe(proxy.signatureBase);
    expect(createSignatureBase(split, { label: proxy.label })).toBe(proxy.signatureBase);
  });

  it('proxy_sig is refused once its expires (1618884540) has passed', async () => {
    const error = await rejectionOf(
      verifyMessage(signedMessageOf(proxy), { ...verifyOptions(proxy), now: 1618884540 + 1 }),
    );
    expectHttpSigError(error, 'ERR_HTTPSIG_EXPIRED');
  });
});

describe('B.4 transformations', () => {
  const v = signatureVector('B.4');
  const transformations = v.transformations ?? [];

  it('has the five transformed messages of Appendix B.4', () => {
    expect(transformations.map((t) => t.expectedValid)).toEqual([true, true, true, false, false]);
  });

  describe.each(transformations.map((t, i) => [i + 1, t.description, t] as const))('#%i %s', (_i, _d, t) => {
    it('builds the expected signature base', () => {
      expect(createSignatureBase(messageFrom(t.parsed), { label: v.label })).toBe(t.signatureBase);
    });

    if (t.expectedValid) {
      it('still verifies', async () => {
        const result = await verifyMessage(messageFrom(t.parsed), verifyOptions(v));
        expect(result.label).toBe(v.label);
        expect(result.base).toBe(t.signatureBase);
      });
    } else {
      it('no longer verifies', async () => {
        const error = await rejectionOf(verifyMessage(messageFrom(t.parsed), verifyOptions(v)));
        expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
      });
    }
  });

  it('re-signs in place with replace: true to the printed fields', async () => {
    const result = await signMessage(signedMessageOf(v), {
      key: keyOf(keys.private, v.keyid),
      components: v.coveredComponents,
      digest: false,
      label: v.label,
      params: paramsOf(v.signatureParameters),
      replace: true,
    });
    expect(result.signatureInput).toBe(v.signatureInputHeader);
    expect(result.signature).toBe(v.signatureHeader);
  });
});

describe('Web Request and Response objects', () => {
  it('B.2.4 verifies as a Response', async () => {
    const v = signatureVector('B.2.4');
    const parsed = v.signedMessage.parsed;
    const response = new Response(parsed.body ?? null, {
      status: parsed.status ?? 200,
      headers: parsed.headers,
    });
    const result = await verifyMessage(response, verifyOptions(v));
    expect(result.base).toBe(v.signatureBase);
  });

  it('2.4-reqres-1 verifies as a Response with a Request as the related request', async () => {
    const v = signatureVector('2.4-reqres-1');
    const parsed = v.signedMessage.parsed;
    const req = v.relatedRequest?.parsed;
    if (req === undefined || req.url === undefined) throw new Error('vector lacks its request');
    // Host is a forbidden request header in browsers: @authority comes from the URL (same value).
    const request = new Request(req.url, {
      method: req.method ?? 'POST',
      headers: req.headers.filter(([name]) => !/^(host|date|content-length)$/i.test(name)),
      body: req.body ?? null,
    });
    const response = new Response(parsed.body ?? null, {
      status: parsed.status ?? 200,
      headers: parsed.headers,
    });
    const result = await verifyMessage(response, { ...verifyOptions(v), request });
    expect(result.base).toBe(v.signatureBase);
  });
});

describe('related request carried on the response', () => {
  it.each(signatureVectors.filter((v) => v.relatedRequest !== undefined).map((v) => [v.id, v] as const))(
    '%s verifies with the request as response.request instead of the request option',
    async (_id, v) => {
      const request = relatedRequestOf(v);
      const parsed = v.signedMessage.parsed;
      const response = responseFrom(parsed, request);
      const { request: _omitted, ...options } = verifyOptions(v);
      const result = await verifyMessage(response, options);
      expect(result.base).toBe(v.signatureBase);
    },
  );
});

describe('RFC keys imported from their PEM forms', () => {
  let pem: TestKeys;
  beforeAll(async () => {
    pem = await loadTestKeys('pem');
  });

  it.each(signatureVectors.map((v) => [v.id, v] as const))('%s verifies', async (_id, v) => {
    const result = await verifyMessage(signedMessageOf(v), { ...verifyOptions(v), keys: pem.public });
    expect(result.base).toBe(v.signatureBase);
  });

  it.each(signatureVectors.filter((v) => v.check === 'sign-and-compare').map((v) => [v.id, v] as const))(
    '%s re-signs identically',
    async (_id, v) => {
      const result = await signMessage(messageToSign(v), {
        key: keyOf(pem.private, v.keyid),
        components: v.coveredComponents,
        digest: false,
        label: v.label,
        params: paramsOf(v.signatureParameters),
        ...related(v),
      });
      expect(result.signature).toBe(v.signatureHeader);
    },
  );
});
