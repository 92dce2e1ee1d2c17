/**
 * An ActivityPub-style shared inbox that accepts deliveries signed with RFC 9421 or with
 * draft-cavage-12 (what Mastodon and most of the fediverse still send), under one policy: the
 * Mastodon preset for cavage, and the activity's `actor` must own the key that signed it.
 */
import { createServer } from 'node:http';
import { HttpSigError, mastodonPreset } from '@httpsig/core';
import { createVerifier, refusalFor } from '@httpsig/server';
import { incomingRequestInfo, readRawBody } from '@httpsig/server/node';

/** @typedef {{ scheme: string, actor: string, type: string }} Delivery */

/**
 * @param {object} options
 * @param {import('@httpsig/core').KeyResolver} options.keys
 * @param {(delivery: Delivery) => void} options.onActivity
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startInbox({ keys, onActivity }) {
  const verifier = createVerifier({
    keys,
    schemes: ['rfc9421', 'cavage'],
    // (request-target) host date, + digest with a body; 12 hours old at most; RSA and Ed25519.
    cavage: mastodonPreset.verify,
    requiredComponents: mastodonPreset.rfc9421.components,
    // Fediverse servers do not send nonces; a nonce, when sent, is still checked against replays.
    nonce: 'optional',
  });
  const server = createServer(async (req, res) => {
    /** @param {number} status @param {Record<string, string>} headers @param {unknown} body */
    const answer = (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    let body;
    try {
      body = await readRawBody(req, 1024 * 1024);
    } catch (error) {
      if (!(error instanceof HttpSigError)) throw error;
      const refusal = refusalFor(error);
      return answer(refusal.status, { ...refusal.headers, connection: 'close' }, refusal.problem);
    }
    const outcome = await verifier.verify(incomingRequestInfo(req, body));
    if (!outcome.ok) return answer(outcome.status, { ...outcome.headers }, outcome.problem);

    const activity = JSON.parse(new TextDecoder().decode(body));
    // The key speaks for its actor only: `https://social.example/users/alice#main-key` → …/alice.
    const signer = new URL(/** @type {string} */ (outcome.signature.keyid));
    signer.hash = '';
    if (activity.actor !== signer.href) {
      return answer(
        403,
        { 'content-type': 'application/json' },
        { error: 'the activity is not the signer’s' },
      );
    }
    onActivity({ scheme: outcome.scheme, actor: activity.actor, type: activity.type });
    return answer(202, {}, undefined);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/inbox`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
