/**
 * Run the Koa API with a registry of three clients (a writer, a reader, a suspended one) and
 * show what each may do. `node index.js`
 */
import { createServer } from 'node:http';
import { exportKey, generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { createApp } from './app.js';

/**
 * Register a new client: its key pair, and its registry entry with the public key as PEM.
 * @param {string} keyid @param {readonly ('read' | 'write')[]} scopes @param {boolean} [active]
 */
export async function registerClient(keyid, scopes, active = true) {
  const pair = await generateKey('ecdsa-p256-sha256', { keyid });
  /** @type {import('./app.js').Client} */
  const entry = {
    publicKey: await exportKey(pair.publicKey, 'pem'),
    alg: 'ecdsa-p256-sha256',
    scopes,
    active,
  };
  return { privateKey: pair.privateKey, entry };
}

/**
 * @param {import('koa')} app
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function listen(app) {
  const server = createServer(app.callback());
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
  const writer = await registerClient('shop-backend', ['read', 'write']);
  const reader = await registerClient('reporting', ['read']);
  const suspended = await registerClient('old-partner', ['read', 'write'], false);
  const registry = new Map([
    ['shop-backend', writer.entry],
    ['reporting', reader.entry],
    ['old-partner', suspended.entry],
  ]);
  const api = await listen(createApp({ registry }));
  try {
    const order = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    };
    const results = [];
    for (const [name, client] of /** @type {const} */ ([
      ['shop-backend', writer],
      ['reporting', reader],
      ['old-partner', suspended],
    ])) {
      const signedFetch = createSignedFetch({ key: client.privateKey });
      const write = await signedFetch(`${api.url}/orders`, order);
      const read = await signedFetch(`${api.url}/orders`);
      const describe = async (/** @type {Response} */ response) => {
        const body = await response.json();
        return `${response.status} ${body.code ?? JSON.stringify(body)}`;
      };
      log(`${name}: POST ${await describe(write)}; GET ${await describe(read)}`);
      results.push(write.status, read.status);
    }
    return results.join(',') === '201,200,403,200,401,401';
  } finally {
    await api.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
