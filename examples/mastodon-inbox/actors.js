/**
 * Actor keys, as ActivityPub publishes them: an actor document whose `publicKey` holds an
 * SPKI PEM and an `id` (the keyId senders use, `…/users/alice#main-key`). `actorKeyResolver`
 * is the inbox's key resolver: it fetches the actor named by the keyId and imports its key.
 */
import { exportKey, generateKey, importKey } from '@httpsig/core';

/**
 * An actor's document and key pair, for an instance at `origin`.
 * @param {string} origin e.g. `https://social.example` @param {string} name
 */
export async function createActor(origin, name) {
  const id = `${origin}/users/${name}`;
  const keyId = `${id}#main-key`;
  // Mastodon's actors have RSA keys and sign with RSASSA-PKCS1-v1_5 SHA-256.
  const { privateKey, publicKey } = await generateKey('rsa-v1_5-sha256', { keyid: keyId });
  const document = {
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
    id,
    type: 'Person',
    inbox: `${id}/inbox`,
    publicKey: { id: keyId, owner: id, publicKeyPem: await exportKey(publicKey, 'pem') },
  };
  return { id, keyId, privateKey, document };
}

/**
 * A key resolver over actor documents: one fetch per actor, kept for the resolver's lifetime.
 * The document must name the keyId, so a keyId cannot borrow another actor's key.
 * A production inbox also limits which hosts it fetches from, the response size and the time
 * (see @httpsig/keys for such guards) and expires its cache.
 * @param {{ fetch?: typeof fetch }} [options]
 * @returns {import('@httpsig/core').KeyResolver}
 */
export function actorKeyResolver(options = {}) {
  const fetchActor = options.fetch ?? fetch;
  /** @type {Map<string, Promise<import('@httpsig/core').HttpSigKey | undefined>>} */
  const cache = new Map();
  async function load(/** @type {string} */ keyId) {
    const actorUrl = new URL(keyId);
    actorUrl.hash = '';
    const response = await fetchActor(actorUrl, {
      headers: { accept: 'application/activity+json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return undefined;
    const actor = await response.json();
    if (actor?.publicKey?.id !== keyId || typeof actor.publicKey.publicKeyPem !== 'string') return undefined;
    return importKey(actor.publicKey.publicKeyPem, { alg: 'rsa-v1_5-sha256', keyid: keyId });
  }
  return (keyid) => {
    if (keyid === undefined || !/^https?:\/\//.test(keyid)) return undefined;
    let key = cache.get(keyid);
    if (!key) {
      key = load(keyid);
      cache.set(keyid, key);
    }
    return key;
  };
}
