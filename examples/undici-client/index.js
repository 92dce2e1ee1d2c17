/**
 * An undici client whose requests are signed by the @httpsig/node interceptor: compose it onto
 * an Agent (or Pool, Client) and every `request`, `fetch` and `stream` through that dispatcher is
 * signed, its body bound by Content-Digest. `node index.js` starts a verifying API and calls it.
 */
import { generateKey } from '@httpsig/core';
import { createSigningInterceptor } from '@httpsig/node';
import { Agent, fetch, request } from 'undici';
import { startApi } from './api.js';

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
  const api = await startApi({ keys: { 'client-1': publicKey } });
  // A dispatcher that signs everything it sends.
  const signing = new Agent().compose(createSigningInterceptor({ key: privateKey }));
  try {
    const created = await request(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
      dispatcher: signing,
    });
    const order = /** @type {{ keyid: string, covered: string[] }} */ (await created.body.json());
    log(
      `request() POST /orders: ${created.statusCode}, verified from ${order.keyid} covering ${order.covered.join(' ')}`,
    );

    const listed = await fetch(`${api.url}/orders?status=open`, { dispatcher: signing });
    const list = /** @type {{ keyid: string, covered: string[] }} */ (await listed.json());
    log(
      `fetch() GET /orders?status=open: ${listed.status}, verified from ${list.keyid} covering ${list.covered.join(' ')}`,
    );

    // The default dispatcher does not sign: the API refuses the request.
    const unsigned = await request(`${api.url}/orders`);
    const problem = /** @type {{ code: string }} */ (await unsigned.body.json());
    log(`unsigned request(): ${unsigned.statusCode} ${problem.code}`);

    return created.statusCode === 200 && listed.status === 200 && unsigned.statusCode === 401;
  } finally {
    await signing.close();
    await api.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
