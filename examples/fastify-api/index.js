/**
 * Run the Fastify API behind the reverse proxy, with two keys for one client while it rotates,
 * and call it as `https://api.example.com`. `node index.js`
 */
import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { staticKeys } from '@httpsig/keys';
import { createApp } from './app.js';
import { startProxy } from './proxy.js';

export const publicOrigin = 'https://api.example.com';

/**
 * A fetch that sends requests for `https://api.example.com` to the proxy, as DNS would route
 * them; the signature is made over the public URL before this runs.
 * @param {string} proxyUrl @returns {import('@httpsig/fetch').Fetch}
 */
export function throughProxy(proxyUrl) {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body === null ? undefined : await request.arrayBuffer();
    return fetch(`${proxyUrl}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      ...(body === undefined ? {} : { body }),
    });
  };
}

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  // The client is rotating keys: both are trusted under its keyid until the old one is retired.
  // (Keys of different algorithms under one keyid work too, when signers send `alg`.)
  const previous = await generateKey('ed25519', { keyid: 'client-1' });
  const current = await generateKey('ed25519', { keyid: 'client-1' });
  const keys = staticKeys({ 'client-1': [previous.publicKey, current.publicKey] });

  const app = await createApp({ keys, trustedProxies: ['127.0.0.1', '::1'] });
  const upstream = await app.listen({ host: '127.0.0.1', port: 0 });
  // The same API without trustedProxies: it does not believe what the proxy says.
  const distrustful = await createApp({ keys });
  const distrustfulUpstream = await distrustful.listen({ host: '127.0.0.1', port: 0 });
  const proxy = await startProxy({ upstream, publicHost: 'api.example.com' });
  const distrustfulProxy = await startProxy({ upstream: distrustfulUpstream, publicHost: 'api.example.com' });
  try {
    const order = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    };
    const statuses = [];
    for (const [name, pair] of /** @type {const} */ ([
      ['previous', previous],
      ['current', current],
    ])) {
      const signedFetch = createSignedFetch({ key: pair.privateKey, fetch: throughProxy(proxy.url) });
      const response = await signedFetch(`${publicOrigin}/orders`, order);
      statuses.push(response.status);
      log(`signed with the ${name} key: ${response.status} ${await response.text()}`);
    }

    const signedFetch = createSignedFetch({
      key: current.privateKey,
      fetch: throughProxy(distrustfulProxy.url),
    });
    const refused = await signedFetch(`${publicOrigin}/orders`, order);
    const problem = await refused.json();
    log(`the same request to an API that does not trust the proxy: ${refused.status} ${problem.code}`);

    const direct = await createSignedFetch({ key: current.privateKey })(`${upstream}/orders`, order);
    log(
      `signed for the API's own address, bypassing the proxy: ${direct.status} ${(await direct.json()).code}`,
    );

    return statuses.every((status) => status === 201) && refused.status === 403 && direct.status === 403;
  } finally {
    await Promise.all([proxy.close(), distrustfulProxy.close()]);
    await Promise.all([app.close(), distrustful.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
