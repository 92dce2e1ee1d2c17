/**
 * Every algorithm signs a Web Request with a body (Content-Digest added and covered) and the
 * signature verifies under an explicit policy; a changed body, a changed field and a policy that
 * does not accept the algorithm are each refused with their own code.
 */
import { assertEqual, assertRejects, assertSame } from '../harness.js';

const components = ['@method', '@authority', '@path', '@query', 'content-type'];

function signedRequest(url, body, headers) {
  const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
  return request;
}

export function algorithmCases(t, { core }) {
  for (const alg of core.algorithms) {
    t.test(
      `sign and verify: ${alg} over a Request with a body`,
      async () => {
        const { privateKey, publicKey } = await core.generateKey(alg, { keyid: `client-${alg}` });
        const url = 'https://api.example.com/orders?currency=EUR';
        const body = '{"amount":10}';
        const source = new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const signed = await core.signMessage(source, {
          key: privateKey,
          components,
          params: { created: true, keyid: `client-${alg}`, nonce: true },
        });
        assertEqual(typeof signed.contentDigest, 'string', 'a Content-Digest was added');
        // The source Request was read through clone() and stays usable.
        assertEqual(await source.text(), body, 'the signed Request body is intact');
        const policy = {
          keys: { [`client-${alg}`]: publicKey },
          requiredComponents: ['@method', '@authority', '@path', 'content-digest'],
          algorithms: [alg],
          maxAge: 300,
        };
        const verified = await core.verifyMessage(signedRequest(url, body, signed.headers), policy);
        assertEqual(verified.alg, alg, 'verified alg');
        assertEqual(verified.keyid, `client-${alg}`, 'verified keyid');
        assertSame(
          verified.components,
          [...components, 'content-digest'].map((c) => `"${c}"`),
          'covered components',
        );

        await assertRejects(
          core.verifyMessage(signedRequest(url, '{"amount":99}', signed.headers), policy),
          'ERR_HTTPSIG_DIGEST_MISMATCH',
          'changed body',
        );
        const otherType = signedRequest(url, body, signed.headers);
        otherType.headers.set('content-type', 'text/plain');
        await assertRejects(
          core.verifyMessage(otherType, policy),
          'ERR_HTTPSIG_INVALID_SIGNATURE',
          'changed field',
        );
        const otherAlg = alg === 'ed25519' ? 'ecdsa-p256-sha256' : 'ed25519';
        await assertRejects(
          core.verifyMessage(signedRequest(url, body, signed.headers), { ...policy, algorithms: [otherAlg] }),
          'ERR_HTTPSIG_ALGORITHM_MISMATCH',
          'algorithm outside the policy',
        );
      },
      { requires: [`webcrypto:${alg}`] },
    );
  }

  t.test('sign and verify: a signed Response with ;req components bound to its request', async () => {
    const { privateKey, publicKey } = await core.generateKey('hmac-sha256', { keyid: 'server' });
    const request = new Request('https://api.example.com/items', { method: 'GET' });
    const response = new Response('{"items":[]}', {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
    const signed = await core.signMessage(response, {
      key: privateKey,
      components: ['@status', 'content-type', '"@method";req', '"@target-uri";req'],
      request,
    });
    const received = new Response('{"items":[]}', {
      status: 200,
      headers: { 'content-type': 'application/json', ...signed.headers },
    });
    const verified = await core.verifyMessage(received, {
      keys: { server: publicKey },
      requiredComponents: ['@status', '"@method";req'],
      request,
    });
    assertEqual(verified.keyid, 'server', 'keyid');
    await assertRejects(
      core.verifyMessage(received, {
        keys: { server: publicKey },
        requiredComponents: ['@status'],
        request: new Request('https://api.example.com/other', { method: 'GET' }),
      }),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
      'response replayed for another request',
    );
  });
}
