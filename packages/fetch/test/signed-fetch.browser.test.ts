/**
 * createSignedFetch in headless Chromium against the verifying server (a Node process reached
 * over CORS): the browser's own fetch, body serialization and WebCrypto keys.
 */
import { exportKey, generateKey, type HttpSigKey, importKey, isHttpSigError } from '@httpsig/core';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadTestKeys, type TestKeys } from '../../core/test/conformance/lib/messages';

const origin = inject('verifyingServerOrigin');
let keys: TestKeys;
let rfcKey: HttpSigKey;

beforeAll(async () => {
  keys = await loadTestKeys();
  rfcKey = keys.private['test-key-ed25519'] as HttpSigKey;
});

interface Verdict {
  verified: boolean;
  code?: string;
  url?: string;
  components?: string[];
  bodyBase64?: string;
}

describe('bodies the browser serializes', () => {
  const bodies: [string, () => BodyInit][] = [
    ['JSON with unicode', () => JSON.stringify({ name: 'Zo\u00eb \u{1f600}' })],
    ['URLSearchParams', () => new URLSearchParams({ q: 'a b&c', e: '\u00e9' })],
    ['a Blob', () => new Blob([new Uint8Array([0, 255, 10, 13])], { type: 'application/octet-stream' })],
    [
      'FormData with a file',
      () => {
        const form = new FormData();
        form.append('field', 'value \u00e9');
        form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'a.txt');
        return form;
      },
    ],
    ['an empty body', () => ''],
  ];
  it.each(bodies)('%s', async (_name, body) => {
    const signedFetch = createSignedFetch({ key: rfcKey });
    const response = await signedFetch(`${origin}/browser/\u00e9t\u00e9?q=\u00fc x`, {
      method: 'POST',
      body: body(),
    });
    const result = (await response.json()) as Verdict;
    expect(result.code).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.components).toContain('"content-digest"');
  });

  it('GET without a body', async () => {
    const response = await createSignedFetch({ key: rfcKey })(`${origin}/browser/get`);
    expect(((await response.json()) as Verdict).components).toEqual(['"@method"', '"@target-uri"']);
  });
});

describe('a key that never leaves WebCrypto', () => {
  function idb<T>(request: IDBRequest<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function openStore(): Promise<IDBDatabase> {
    const open = indexedDB.open('httpsig-keys-test', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    return idb(open);
  }

  it('a non-extractable private key stored in IndexedDB and read back signs requests', async () => {
    const keyid = `browser-${crypto.randomUUID()}`;
    const { privateKey, publicKey } = await generateKey('ed25519', { keyid });
    expect(privateKey.cryptoKey?.extractable).toBe(false);
    await expect(exportKey(privateKey, 'jwk')).rejects.toThrow();

    // Keep only the CryptoKey: IndexedDB stores it by structured clone, the bytes stay inside.
    const db = await openStore();
    await idb(db.transaction('keys', 'readwrite').objectStore('keys').put(privateKey.cryptoKey, keyid));
    const stored = (await idb(db.transaction('keys').objectStore('keys').get(keyid))) as CryptoKey;
    db.close();
    expect(stored.extractable).toBe(false);

    const register = await fetch(`${origin}/keys/${keyid}?alg=ed25519`, {
      method: 'PUT',
      body: JSON.stringify(await exportKey(publicKey, 'jwk')),
    });
    expect(register.status).toBe(201);

    const key = await importKey(stored, { alg: 'ed25519', keyid });
    const response = await createSignedFetch({ key })(`${origin}/browser/idb`, {
      method: 'POST',
      body: JSON.stringify({ hello: 'from the page' }),
    });
    const result = (await response.json()) as Verdict & { keyid?: string };
    expect(result).toMatchObject({ verified: true, keyid });
  });
});

describe('responses and challenges', () => {
  it('verifies the signed response of the server', async () => {
    const signedFetch = createSignedFetch({
      key: rfcKey,
      verifyResponse: {
        keys: { 'test-key-ed25519': keys.public['test-key-ed25519'] as HttpSigKey },
        requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
        requireDigest: true,
      },
    });
    const response = await signedFetch(`${origin}/signed-response`, { method: 'POST', body: 'x' });
    expect(responseSignature(response)?.keyid).toBe('test-key-ed25519');
  });

  it('fulfils an Accept-Signature challenge', async () => {
    const response = await createSignedFetch({ key: rfcKey, fulfilAcceptSignature: true })(
      `${origin}/accept-signature`,
    );
    expect(((await response.json()) as Verdict).verified).toBe(true);
  });

  it('a body over maxBodySize is refused before anything is sent', async () => {
    const error = await createSignedFetch({ key: rfcKey, maxBodySize: 4 })(`${origin}/big`, {
      method: 'POST',
      body: new Blob(['too large']),
    }).catch((e: unknown) => e);
    expect(isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
  });
});
