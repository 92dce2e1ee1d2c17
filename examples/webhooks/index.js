/**
 * A payments provider delivers signed webhooks to a receiver that verifies them, and checks the
 * receiver's signed receipt. Then an attacker replays a delivery and forges one. `node index.js`
 */
import { createServer } from 'node:http';
import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { createWebhookSender } from './provider.js';
import { createReceiver } from './receiver.js';

/**
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
  const provider = await generateKey('ed25519', { keyid: 'payments-provider' });
  const receiver = await generateKey('ed25519', { keyid: 'shop-receiver' });
  /** @type {string[]} */
  const handled = [];
  const app = createReceiver({
    providerKey: provider.publicKey,
    receiverKey: receiver.privateKey,
    onEvent: (event) => handled.push(event.id),
  });
  const running = await listen(app);
  const endpoint = `${running.url}/webhooks/payments`;
  try {
    /** @type {Request | undefined} */
    let captured;
    const deliver = createWebhookSender({
      key: provider.privateKey,
      receiverKeys: { 'shop-receiver': receiver.publicKey },
      // An eavesdropper's copy of what goes out.
      fetch: (input, init) => {
        captured = new Request(input, init);
        return fetch(captured.clone());
      },
    });
    for (const event of [
      { id: 'evt_1', type: 'payment.succeeded', data: { amount: 1200 } },
      { id: 'evt_2', type: 'payment.refunded', data: { amount: 300 } },
    ]) {
      const result = await deliver(endpoint, event);
      log(`delivered ${event.id}: ${JSON.stringify(result)}`);
    }

    const replay = await fetch(/** @type {Request} */ (captured).clone());
    log(`replayed delivery: ${replay.status} ${(await replay.json()).code}`);

    // A forger who knows the provider's keyid, but not its key.
    const forger = await generateKey('ed25519', { keyid: 'payments-provider' });
    const forged = await createSignedFetch({ key: forger.privateKey, tag: 'webhook' })(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'evt_3', type: 'payment.succeeded', data: { amount: 1000000 } }),
    });
    log(`forged delivery: ${forged.status} ${(await forged.json()).code}`);
    log(`events handled: ${handled.join(', ')}`);

    return handled.join(',') === 'evt_1,evt_2' && replay.status === 401 && forged.status === 401;
  } finally {
    await running.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
