// The browser bundle of a client that signs with one algorithm through the fetch adapter and
// verifies responses: what `.size-limit.json` budgets as "core sign + verify + fetch adapter".
import { importKey, signMessage, verifyMessage } from '@httpsig/core';
import { createSignedFetch } from '../../packages/fetch/dist/index.js';

export async function client(jwk) {
  const key = await importKey(jwk, { alg: 'ed25519', keyid: 'client' });
  return { fetch: createSignedFetch({ key }), signMessage, verifyMessage };
}
