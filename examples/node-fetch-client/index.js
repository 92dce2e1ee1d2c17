/**
 * A Node client that signs its fetch calls with @httpsig/fetch: every request carries an
 * RFC 9421 signature over its method and URL, its body bound by Content-Digest, with a fresh
 * nonce. `node index.js` starts a verifying API on a loopback port and calls it.
 */
import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { startApi } from './api.js';

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
  const api = await startApi({ keys: { 'client-1': publicKey } });
  try {
    // A drop-in fetch: same arguments, same Response; the signature is added on the way out.
    const signedFetch = createSignedFetch({ key: privateKey });

    const created = await signedFetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    const order = await created.json();
    log(`POST /orders: ${created.status}, verified from ${order.keyid} covering ${order.covered.join(' ')}`);

    const listed = await signedFetch(`${api.url}/orders?status=open`);
    const list = await listed.json();
    log(
      `GET /orders?status=open: ${listed.status}, verified from ${list.keyid} covering ${list.covered.join(' ')}`,
    );

    // The same call with the plain fetch: the API refuses it and says what to sign.
    const unsigned = await fetch(`${api.url}/orders?status=open`);
    const problem = await unsigned.json();
    log(
      `unsigned GET: ${unsigned.status} ${problem.code}, accept-signature: ${unsigned.headers.get('accept-signature')}`,
    );

    return created.status === 200 && listed.status === 200 && unsigned.status === 401;
  } finally {
    await api.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
