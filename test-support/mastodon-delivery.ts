/**
 * A Mastodon-shaped ActivityPub delivery for the framework verifiers' draft-cavage tests: a
 * Follow activity POSTed to an inbox, signed with the actor's RSA key the way Mastodon signs.
 */
import { generateKey, type HttpSigKey, mastodonPreset, signCavage } from '@httpsig/core';

/** The actor's keyId: a URL with a fragment, as ActivityPub servers publish them. */
export const actorKeyId = 'https://social.example/users/alice#main-key';
export const followActivity = JSON.stringify({ type: 'Follow', actor: 'https://social.example/users/alice' });
export const activityContentType = 'application/activity+json';

/** The actor's RSA key pair (PKCS#1 v1.5, sent as rsa-sha256). */
export function actorKeys(): Promise<{ privateKey: HttpSigKey; publicKey: HttpSigKey }> {
  return generateKey('rsa-v1_5-sha256', { keyid: actorKeyId });
}

/** The headers of a delivery of `body` to `inboxUrl`: content type, Signature, Digest and Date. */
export async function deliveryHeaders(
  inboxUrl: string,
  privateKey: HttpSigKey,
  body: string = followActivity,
): Promise<Record<string, string>> {
  const headers = { 'content-type': activityContentType };
  const result = await signCavage(
    { method: 'POST', url: inboxUrl, headers, body },
    { ...mastodonPreset.sign, key: privateKey },
  );
  return { ...headers, ...result.headers };
}
