/**
 * The smallest complete use of @httpsig/core: a client signs a Request (its body bound by a
 * Content-Digest), a server verifies it under an explicit policy, and tampered copies are refused.
 */
import { generateKey, HttpSigError, signMessage, verifyMessage } from '@httpsig/core';

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  // The client's key pair. The private key stays non-extractable inside WebCrypto.
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });

  const request = new Request('https://api.example.com/orders?currency=EUR', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 10 }),
  });
  const signed = await signMessage(request, {
    key: privateKey,
    components: ['@method', '@authority', '@path', '@query', 'content-type'],
    params: { created: true, keyid: 'client-1', tag: 'example' },
  });
  // Signature-Input, Signature and the Content-Digest added (and covered) for the body.
  for (const [name, value] of Object.entries(signed.headers)) request.headers.set(name, value);
  log(`Content-Digest: ${signed.contentDigest}`);
  log(`Signature-Input: ${signed.signatureInput}`);
  log(`Signature: ${signed.signature}`);

  // The server: trusted keys by keyid and a policy that says what must be signed.
  const policy = {
    keys: { 'client-1': publicKey },
    requiredComponents: ['@method', '@authority', '@path', '@query'],
    algorithms: /** @type {const} */ (['ed25519']),
    tag: 'example',
    maxAge: 60,
    clockSkew: 5,
  };
  const verified = await verifyMessage(request, policy);
  log(`verified ${verified.label} from ${verified.keyid}, covering ${verified.components.join(' ')}`);

  // An attacker changes the query, or the body, after signing.
  const otherQuery = new Request(request.url.replace('EUR', 'USD'), request.clone());
  const otherBody = new Request(request.url, {
    method: 'POST',
    headers: request.headers,
    body: JSON.stringify({ amount: 10000 }),
  });
  const queryRefused = await refusal(otherQuery, policy, log, 'changed query');
  const bodyRefused = await refusal(otherBody, policy, log, 'changed body');
  return queryRefused === 'ERR_HTTPSIG_INVALID_SIGNATURE' && bodyRefused === 'ERR_HTTPSIG_DIGEST_MISMATCH';
}

/**
 * Verify a tampered request and return the error code it was refused with.
 * @param {Request} request @param {import('@httpsig/core').VerifyOptions} policy
 * @param {(line: string) => void} log @param {string} what @returns {Promise<string | undefined>}
 */
async function refusal(request, policy, log, what) {
  try {
    await verifyMessage(request, policy);
    log(`the request with a ${what} verified: this must not happen`);
    return undefined;
  } catch (error) {
    if (!(error instanceof HttpSigError)) throw error;
    log(`request with a ${what} refused: ${error.code}`);
    return error.code;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
