/**
 * Run the Express API with its keys served as a JWK Set (as an identity provider publishes them),
 * call it with a signing client, and show the requests it refuses. `node index.js`
 */
import { createServer } from 'node:http';
import { exportKey, generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { createJwksResolver } from '@httpsig/keys';
import { createApp } from './app.js';

/**
 * Serve `handler` on a free loopback port.
 * @param {import('node:http').RequestListener} handler
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  const client = await generateKey('ed25519', { keyid: 'client-1' });
  // The JWK Set with the client's public key, served with a cache lifetime.
  const jwks = { keys: [await exportKey(client.publicKey, 'jwk')] };
  const keyServer = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify(jwks));
  });
  const keys = createJwksResolver({
    url: `${keyServer.url}/.well-known/jwks.json`,
    // Only because this example serves its JWK Set on loopback over plain HTTP.
    allowHttp: true,
    allowPrivateNetworks: true,
  });
  const api = await listen(createApp({ keys }));
  try {
    /** @type {Request | undefined} */
    let lastSent;
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      // Keep a copy of what went out, to replay it below as an attacker would.
      fetch: (input, init) => {
        lastSent = new Request(input, init);
        return fetch(lastSent.clone());
      },
    });

    const created = await signedFetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    log(`signed POST /orders: ${created.status} ${await created.text()}`);
    const order = /** @type {Request} */ (lastSent);

    const read = await signedFetch(`${api.url}/orders/42`);
    log(`signed GET /orders/42: ${read.status} ${await read.text()}`);

    const health = await fetch(`${api.url}/health`);
    log(`unsigned GET /health: ${health.status} (not verified)`);

    const refusals = {
      'unsigned POST /orders': await fetch(`${api.url}/orders`, { method: 'POST', body: '{}' }),
      'replayed POST /orders': await fetch(order.clone()),
      'POST /orders with another body': await fetch(new Request(order, { body: '{"item":"car"}' })),
    };
    let refused = 0;
    for (const [what, response] of Object.entries(refusals)) {
      const problem = await response.json();
      log(`${what}: ${response.status} ${problem.code}`);
      if (response.status >= 400) refused += 1;
    }
    return created.status === 201 && read.status === 200 && health.status === 200 && refused === 3;
  } finally {
    await api.close();
    await keyServer.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
