/**
 * The webhook receiver: an Express app that accepts a delivery only when the provider signed it
 * for this URL, with the `webhook` tag, within five minutes, and never twice. Its answer is
 * signed too, and bound to the delivery's own signature (`"signature";req;key="sig1"`): the
 * provider learns that this receiver got this exact delivery.
 */
import { createMemoryNonceStore } from '@httpsig/core';
import { signResponses, verifySignatures } from '@httpsig/express';
import express from 'express';

/** What the receiver's signed answers cover. */
export const receiptComponents = [
  '@status',
  'content-type',
  '"@method";req',
  '"@target-uri";req',
  '"signature";req;key="sig1"',
];

/**
 * @param {object} options
 * @param {import('@httpsig/core').HttpSigKey} options.providerKey the provider's public key
 * @param {import('@httpsig/core').HttpSigKey} options.receiverKey this receiver's private key
 * @param {(event: { id: string, type: string }) => void} options.onEvent
 * @returns {import('express').Express}
 */
export function createReceiver({ providerKey, receiverKey, onEvent }) {
  const app = express();
  // Mounted first, so that refusals are signed as well as receipts.
  app.use(signResponses({ key: receiverKey, label: 'receipt', components: receiptComponents }));
  app.use(
    verifySignatures({
      keys: { 'payments-provider': providerKey },
      tag: 'webhook',
      requiredComponents: ['@method', '@target-uri', 'content-type'],
      maxAge: 300,
      nonceStore: createMemoryNonceStore(),
    }),
  );
  app.use(express.json());
  app.post('/webhooks/payments', (req, res) => {
    onEvent(req.body);
    res.json({ received: req.body.id });
  });
  return app;
}
