/**
 * Bundle the worker, run it in workerd through Miniflare, and send it a signed request, a
 * tampered one, a replay and an unsigned one. `node index.js` (after `pnpm build`)
 */
import { exportKey, generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './build.js';

export const apiOrigin = 'https://api.example.com';

/**
 * Start the worker in workerd with a client's public key bound.
 * @param {{ clientKey: import('@httpsig/core').HttpSigKey, fromSources?: boolean }} options
 */
export async function startWorker({ clientKey, fromSources = false }) {
  const script = await bundleWorker({ fromSources });
  const jwks = { keys: [await exportKey(clientKey, 'jwk')] };
  const miniflare = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2025-01-01',
    bindings: { API_ORIGIN: apiOrigin, CLIENT_KEYS: JSON.stringify(jwks) },
  });
  await miniflare.ready;
  /**
   * Hand a fetch Request to the worker.
   * @param {Request} request @returns {Promise<Response>}
   */
  const dispatch = async (request) => {
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const response = await miniflare.dispatchFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      ...(body === undefined ? {} : { body }),
    });
    // Miniflare answers with its own Response class; hand back a standard one.
    return new Response(await response.arrayBuffer(), {
      status: response.status,
      headers: [...response.headers],
    });
  };
  return { dispatch, close: () => miniflare.dispose() };
}

/** @param {(line: string) => void} log @param {{ fromSources?: boolean }} [options] @returns {Promise<boolean>} */
export async function main(log = console.log, { fromSources = false } = {}) {
  const client = await generateKey('ed25519', { keyid: 'client-1' });
  const worker = await startWorker({ clientKey: client.publicKey, fromSources });
  try {
    /** @type {Request | undefined} */
    let sent;
    const signedFetch = createSignedFetch({
      key: client.privateKey,
      fetch: (input, init) => {
        sent = new Request(input, init);
        return worker.dispatch(sent.clone());
      },
    });
    const accepted = await signedFetch(`${apiOrigin}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    log(`signed POST /orders: ${accepted.status} ${await accepted.text()}`);

    const original = /** @type {Request} */ (sent);
    const attempts = {
      'with another body': new Request(original, { body: JSON.stringify({ item: 'car', quantity: 2 }) }),
      'with another query': new Request(`${apiOrigin}/orders?admin=1`, original.clone()),
      'sent again': original.clone(),
      unsigned: new Request(`${apiOrigin}/orders`, { method: 'POST', body: '{}' }),
    };
    let refused = 0;
    for (const [what, request] of Object.entries(attempts)) {
      const response = await worker.dispatch(request);
      log(`POST /orders ${what}: ${response.status} ${(await response.json()).code}`);
      if (response.status === 400 || response.status === 401) refused += 1;
    }
    return accepted.status === 201 && refused === 4;
  } finally {
    await worker.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
