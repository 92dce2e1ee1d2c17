/**
 * The smallest complete use of @httpsig/core: a client signs a Request, a server verifies it
 * under an explicit policy, and a tampered copy is refused.
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
  request.headers.set('signature-input', signed.signatureInput);
  request.headers.set('signature', signed.signature);
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

  // An attacker changes the query after signing.
  const tampered = new Request(request.url.replace('EUR', 'USD'), request);
  try {
    await verifyMessage(tampered, policy);
    log('the tampered request verified: this must not happen');
    return false;
  } catch (error) {
    if (!(error instanceof HttpSigError)) throw error;
    log(`tampered request refused: ${error.code}`);
    return error.code === 'ERR_HTTPSIG_INVALID_SIGNATURE';
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
