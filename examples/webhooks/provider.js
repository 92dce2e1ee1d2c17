/**
 * The provider side: webhooks go out as signed requests (tag `webhook`, a nonce, content-digest),
 * and a delivery counts as received only when the receiver's answer verifies with the receiver's
 * key and is bound to the signature just sent.
 */
import { HttpSigError } from '@httpsig/core';
import { createSignedFetch, responseSignature } from '@httpsig/fetch';
import { receiptComponents } from './receiver.js';

/**
 * @param {object} options
 * @param {import('@httpsig/core').HttpSigKey} options.key the provider's private key
 * @param {Record<string, import('@httpsig/core').HttpSigKey>} options.receiverKeys public keys of the receivers, by keyid
 * @param {import('@httpsig/fetch').Fetch} [options.fetch] the transport
 */
export function createWebhookSender({ key, receiverKeys, fetch }) {
  const signedFetch = createSignedFetch({
    key,
    keyid: 'payments-provider',
    tag: 'webhook',
    ...(fetch ? { fetch } : {}),
    verifyResponse: {
      keys: receiverKeys,
      requiredComponents: receiptComponents,
      maxAge: 60,
    },
  });

  /**
   * Deliver one event.
   * @param {string} url @param {{ id: string, type: string, data?: unknown }} event
   * @returns {Promise<{ status: number, receiptFrom: string | undefined } | { error: string }>}
   */
  return async function deliver(url, event) {
    try {
      const response = await signedFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      return { status: response.status, receiptFrom: responseSignature(response)?.keyid };
    } catch (error) {
      // The answer was not signed by the receiver, or not for this delivery: retry later.
      if (error instanceof HttpSigError) return { error: error.code };
      throw error;
    }
  };
}
