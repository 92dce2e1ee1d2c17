import { generateKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { expect, it } from 'vitest';
import { listen, main } from '../index.js';
import { createWebhookSender } from '../provider.js';
import { createReceiver } from '../receiver.js';

it('delivers signed webhooks with signed receipts, and refuses a replay and a forgery', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'delivered evt_1: {"status":200,"receiptFrom":"shop-receiver"}',
    'delivered evt_2: {"status":200,"receiptFrom":"shop-receiver"}',
    'replayed delivery: 401 ERR_HTTPSIG_REPLAY',
    'forged delivery: 401 ERR_HTTPSIG_INVALID_SIGNATURE',
    'events handled: evt_1, evt_2',
  ]);
});

it('a receipt for an earlier delivery does not count, and an untagged signature is not a webhook', async () => {
  const provider = await generateKey('ed25519', { keyid: 'payments-provider' });
  const receiver = await generateKey('ed25519', { keyid: 'shop-receiver' });
  const handled: string[] = [];
  const running = await listen(
    createReceiver({
      providerKey: provider.publicKey,
      receiverKey: receiver.privateKey,
      onEvent: (event) => handled.push(event.id),
    }),
  );
  const endpoint = `${running.url}/webhooks/payments`;
  try {
    // A transport that answers the second delivery with the receipt of the first.
    let firstReceipt: Response | undefined;
    const deliver = createWebhookSender({
      key: provider.privateKey,
      receiverKeys: { 'shop-receiver': receiver.publicKey },
      fetch: async (input, init) => {
        if (firstReceipt) return firstReceipt.clone();
        firstReceipt = await fetch(input, init);
        return firstReceipt.clone();
      },
    });
    expect(await deliver(endpoint, { id: 'evt_1', type: 'payment.succeeded' })).toEqual({
      status: 200,
      receiptFrom: 'shop-receiver',
    });
    expect(await deliver(endpoint, { id: 'evt_2', type: 'payment.succeeded' })).toEqual({
      error: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    });

    const untagged = await createSignedFetch({ key: provider.privateKey })(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"evt_9","type":"payment.succeeded"}',
    });
    expect([untagged.status, (await untagged.json()).code]).toEqual([401, 'ERR_HTTPSIG_POLICY']);
    expect(handled).toEqual(['evt_1']);
  } finally {
    await running.close();
  }
});
