/**
 * An axios client whose requests are all signed by @httpsig/axios: the signature covers the
 * method and URL exactly as axios sends them (baseURL and params applied), and the body bytes
 * axios serialized, through Content-Digest. `node index.js` starts a verifying API and calls it.
 */
import { withSignatures } from '@httpsig/axios';
import { generateKey } from '@httpsig/core';
import axios from 'axios';
import { startApi } from './api.js';

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  const { privateKey, publicKey } = await generateKey('ecdsa-p256-sha256', { keyid: 'client-1' });
  const api = await startApi({ keys: { 'client-1': publicKey } });
  try {
    // Any axios instance: interceptors, baseURL and params keep working; signing happens last.
    const client = withSignatures(axios.create({ baseURL: api.url, validateStatus: () => true }), {
      key: privateKey,
    });

    const created = await client.post('/orders', { item: 'book', quantity: 2 });
    log(
      `POST /orders: ${created.status}, verified from ${created.data.keyid} covering ${created.data.covered.join(' ')}`,
    );
    log(`the API received ${created.data.received}`);

    const listed = await client.get('/orders', { params: { status: 'open', page: 2 } });
    log(
      `GET /orders with params: ${listed.status}, verified from ${listed.data.keyid} covering ${listed.data.covered.join(' ')}`,
    );

    // A plain axios instance sends the same request unsigned, and the API refuses it.
    const unsigned = await axios.get(`${api.url}/orders`, { validateStatus: () => true });
    log(`unsigned GET: ${unsigned.status} ${unsigned.data.code}`);

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
