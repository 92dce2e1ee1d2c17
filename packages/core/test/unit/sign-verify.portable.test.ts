import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAcceptSignature,
  fulfilAcceptSignature,
  generateKey,
  HttpSigError,
  type HttpSigKey,
  parseAcceptSignature,
  parseSignatureInput,
  signMessage,
  verifyMessage,
} from '../../src/index';

let privateKey: HttpSigKey;
let publicKey: HttpSigKey;

beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKey('ed25519', { keyid: 'k1' }));
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpSigError) return error.code;
    throw error;
  }
  return undefined;
}

describe('signing a Web Request and verifying it', () => {
  it('round-trips with the default parameters (created now, keyid of the key)', async () => {
    const request = new Request('https://api.example.com/orders?x=1', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    const signed = await signMessage(request, {
      key: privateKey,
      components: ['@method', '@authority', '@path', 'content-type'],
    });
    expect(signed.label).toBe('sig1');
    expect(signed.signatureInput).toMatch(
      /^sig1=\("@method" "@authority" "@path" "content-type"\);created=\d+;keyid="k1"$/,
    );
    request.headers.set('signature-input', signed.signatureInput);
    request.headers.set('signature', signed.signature);
    const verified = await verifyMessage(request, {
      keys: { k1: publicKey },
      requiredComponents: ['@method', '@path'],
    });
    expect(verified.label).toBe('sig1');
    expect(verified.keyid).toBe('k1');
    expect(verified.alg).toBe('ed25519');
    expect(verified.components).toEqual(['"@method"', '"@authority"', '"@path"', '"content-type"']);
    expect(verified.base).toBe(signed.base);
  });

  it('keeps existing members when adding a second signature, and refuses a duplicate label', async () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {} as Record<string, string> };
    const first = await signMessage(message, {
      key: privateKey,
      components: ['@method'],
      params: { created: 1, keyid: 'k1' },
    });
    message.headers['signature-input'] = first.signatureInput;
    message.headers.signature = first.signature;
    const second = await signMessage(message, {
      key: privateKey,
      label: 'sig2',
      components: ['@path', '"signature";key="sig1"'],
      params: { created: 2, keyid: 'k1' },
    });
    expect(parseSignatureInput(second.signatureInput).map((m) => m.label)).toEqual(['sig1', 'sig2']);
    expect(second.signature.startsWith(`${first.signature}, sig2=:`)).toBe(true);
    expect(await codeOf(signMessage(message, { key: privateKey, components: ['@method'] }))).toBe(
      'ERR_HTTPSIG_LABEL_EXISTS',
    );
    const replaced = await signMessage(message, { key: privateKey, components: ['@path'], replace: true });
    expect(parseSignatureInput(replaced.signatureInput)).toHaveLength(1);
  });

  it('refuses to cover its own Signature member', async () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {} };
    expect(
      await codeOf(signMessage(message, { key: privateKey, components: ['"signature";key="sig1"'] })),
    ).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
  });

  it('serializes parameters in the order given, with generated nonces', async () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {} };
    const signed = await signMessage(message, {
      key: privateKey,
      components: [],
      params: { nonce: true, tag: 'app', keyid: 'k1', created: true, expires: 2000000000 },
      now: 1700000000,
    });
    expect(signed.signatureParams).toMatch(
      /^\(\);nonce="[A-Za-z0-9_-]{22}";tag="app";keyid="k1";created=1700000000;expires=2000000000$/,
    );
  });

  it('refuses signing with an alg parameter that disagrees with the key', async () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {} };
    expect(
      await codeOf(
        signMessage(message, { key: privateKey, components: ['@method'], params: { alg: 'hmac-sha256' } }),
      ),
    ).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('refuses signing with a public key', async () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {} };
    expect(await codeOf(signMessage(message, { key: publicKey, components: ['@method'] }))).toBe(
      'ERR_HTTPSIG_INVALID_KEY',
    );
  });
});

describe('signed responses', () => {
  it('binds request components with ;req and verifies them against the request', async () => {
    const request = {
      method: 'POST',
      url: 'https://e.com/items',
      headers: { 'content-type': 'application/json' },
    };
    const response = {
      status: 201,
      headers: { 'content-type': 'text/plain' } as Record<string, string>,
      request,
    };
    const signed = await signMessage(response, {
      key: privateKey,
      components: ['@status', 'content-type', '"@method";req', '"content-type";req'],
    });
    response.headers['signature-input'] = signed.signatureInput;
    response.headers.signature = signed.signature;
    await expect(
      verifyMessage(response, { keys: { k1: publicKey }, requiredComponents: ['@status'] }),
    ).resolves.toMatchObject({
      label: 'sig1',
    });
    const otherRequest = { ...request, method: 'PUT' };
    expect(
      await codeOf(
        verifyMessage(response, { keys: { k1: publicKey }, requiredComponents: [], request: otherRequest }),
      ),
    ).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });
});

describe('Accept-Signature', () => {
  it('creates, parses and fulfils a request for a signature exactly', async () => {
    const accept = createAcceptSignature([
      {
        label: 'sig-b',
        components: ['@method', '@target-uri', 'content-type'],
        params: { keyid: 'k1', created: true, tag: 'app-1' },
      },
    ]);
    expect(accept).toBe('sig-b=("@method" "@target-uri" "content-type");keyid="k1";created;tag="app-1"');
    expect(parseAcceptSignature(accept)).toEqual([
      {
        label: 'sig-b',
        components: ['"@method"', '"@target-uri"', '"content-type"'],
        params: { keyid: 'k1', created: true, tag: 'app-1' },
      },
    ]);
    const message = {
      method: 'POST',
      url: 'https://e.com/x',
      headers: { 'content-type': 'a/b' } as Record<string, string>,
    };
    const signed = await fulfilAcceptSignature(message, accept, { key: privateKey, now: 1700000000 });
    expect(signed.signatureInput).toBe(
      'sig-b=("@method" "@target-uri" "content-type");keyid="k1";created=1700000000;tag="app-1"',
    );
    message.headers['signature-input'] = signed.signatureInput;
    message.headers.signature = signed.signature;
    await expect(
      verifyMessage(message, {
        keys: { k1: publicKey },
        requiredComponents: [],
        tag: 'app-1',
        now: 1700000000,
      }),
    ).resolves.toMatchObject({ label: 'sig-b', tag: 'app-1' });
  });

  it('refuses to fulfil a request for another algorithm or key', async () => {
    const message = { method: 'GET', url: 'https://e.com/', headers: {} };
    expect(
      await codeOf(fulfilAcceptSignature(message, 'a=("@method");alg="rsa-pss-sha512"', { key: privateKey })),
    ).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
    expect(
      await codeOf(fulfilAcceptSignature(message, 'a=("@method");keyid="other"', { key: privateKey })),
    ).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });
});
