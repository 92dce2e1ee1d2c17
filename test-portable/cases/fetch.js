/**
 * The fetch adapter against a real verifying server on 127.0.0.1 (test-support/verifying-server.ts):
 * a signed POST is accepted with its body bound by Content-Digest, an unsigned one refused, an
 * Accept-Signature challenge fulfilled, and a signed response verified by the client.
 */
import { assert, assertEqual, assertRejects } from '../harness.js';

export function fetchCases(t, { core, fetch: adapter, fetchOrigin, keys }) {
  const requires = ['fetch-server', 'webcrypto:ed25519'];
  const url = (path) => `${fetchOrigin}${path}`;

  t.test(
    'fetch: a signed POST is verified by the server, body bound by Content-Digest',
    async () => {
      const signedFetch = adapter.createSignedFetch({ key: keys().private['test-key-ed25519'] });
      const body = JSON.stringify({ note: 'Zo\u00eb', amount: 10 });
      const response = await signedFetch(url('/portable/orders?q=1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const verdict = await response.json();
      assertEqual(verdict.code, undefined, 'refusal code');
      assertEqual(response.status, 200, 'status');
      assertEqual(verdict.keyid, 'test-key-ed25519', 'keyid');
      assert(verdict.components.includes('"content-digest"'), 'content-digest is covered');
      assertEqual(verdict.url, url('/portable/orders?q=1'), 'target URI');
    },
    { requires },
  );

  t.test(
    'fetch: a key generated in this runtime is registered and its signatures accepted',
    async () => {
      const alg = 'ecdsa-p256-sha256';
      const keyid = `portable-${Math.random().toString(36).slice(2)}`;
      const { privateKey, publicKey } = await core.generateKey(alg, { keyid });
      const jwk = await core.exportKey(publicKey, 'jwk');
      const registered = await fetch(url(`/keys/${keyid}?alg=${alg}`), {
        method: 'PUT',
        body: JSON.stringify(jwk),
      });
      assertEqual(registered.status, 201, 'registration status');
      await registered.body?.cancel();
      const response = await adapter.createSignedFetch({ key: privateKey })(url('/portable/generated'), {
        method: 'PUT',
        body: new Uint8Array([0, 1, 2, 255]),
      });
      const verdict = await response.json();
      assertEqual(verdict.keyid, keyid, 'keyid');
      assertEqual(verdict.bodyBase64, 'AAEC/w==', 'body bytes the server received');
    },
    { requires: ['fetch-server', 'webcrypto:ecdsa-p256-sha256'] },
  );

  t.test(
    'fetch: an unsigned request is refused with ERR_HTTPSIG_MISSING_SIGNATURE',
    async () => {
      const response = await fetch(url('/portable/unsigned'), { method: 'POST', body: 'x' });
      assertEqual(response.status, 401, 'status');
      assertEqual((await response.json()).code, 'ERR_HTTPSIG_MISSING_SIGNATURE', 'code');
    },
    { requires: ['fetch-server'] },
  );

  t.test(
    'fetch: an Accept-Signature challenge is fulfilled and retried once',
    async () => {
      const signedFetch = adapter.createSignedFetch({
        key: keys().private['test-key-ed25519'],
        fulfilAcceptSignature: true,
      });
      const response = await signedFetch(url('/accept-signature?x=1'));
      const verdict = await response.json();
      assertEqual(verdict.code, undefined, 'refusal code');
      assertEqual(verdict.params?.nonce, 'server-issued-nonce', 'nonce asked for');
    },
    { requires },
  );

  t.test(
    'fetch: a signed response is verified against the request just sent',
    async () => {
      const verifyResponse = {
        keys: { 'test-key-ed25519': keys().public['test-key-ed25519'] },
        requiredComponents: ['@status', '"@target-uri";req'],
      };
      const signedFetch = adapter.createSignedFetch({
        key: keys().private['test-key-ed25519'],
        verifyResponse,
      });
      const response = await signedFetch(url('/signed-response'));
      assertEqual(adapter.responseSignature(response)?.keyid, 'test-key-ed25519', 'response keyid');
      assertEqual((await response.json()).ok, true, 'response body');
      const wrongKey = (await core.generateKey('ed25519', { keyid: 'test-key-ed25519' })).publicKey;
      await assertRejects(
        adapter.createSignedFetch({
          key: keys().private['test-key-ed25519'],
          verifyResponse: { ...verifyResponse, keys: { 'test-key-ed25519': wrongKey } },
        })(url('/signed-response')),
        'ERR_HTTPSIG_INVALID_SIGNATURE',
        'response signed by another key',
      );
    },
    { requires },
  );
}
