/**
 * Run the API on Node and call it once with a signing client; prints what each side saw.
 * `node index.js`
 */
import { serve } from '@hono/node-server';
import { generateKey } from '@httpsig/core';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { createApp } from './app.js';

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  const client = await generateKey('ed25519', { keyid: 'client-1' });
  const server = await generateKey('ed25519', { keyid: 'api-1' });
  const app = createApp({ keys: { 'client-1': client.publicKey }, serverKey: server.privateKey });

  const running = await new Promise((resolve) => {
    const instance = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ instance, url: `http://127.0.0.1:${info.port}` }),
    );
  });
  try {
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      verifyResponse: {
        keys: { 'api-1': server.publicKey },
        requiredComponents: ['@status', '"@method";req', '"@target-uri";req', 'content-digest'],
        requireDigest: true,
      },
    });
    const response = await signedFetch(`${running.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    log(`${response.status} ${JSON.stringify(await response.json())}`);
    log(`response signed by ${responseSignature(response)?.keyid}`);

    const unsigned = await fetch(`${running.url}/orders`, { method: 'POST', body: '{}' });
    const problem = await unsigned.json();
    log(`unsigned request: ${unsigned.status} ${problem.code}`);
    return response.status === 201 && unsigned.status === 401;
  } finally {
    await new Promise((resolve) => running.instance.close(resolve));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
