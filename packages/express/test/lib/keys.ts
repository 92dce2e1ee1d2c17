/** Test keys: the client's Ed25519 pair (keyid client-1) and a stranger's. */
import { generateKey, type HttpSigKey } from '@httpsig/core';

export interface TestKeys {
  /** Signs requests as client-1. */
  client: HttpSigKey;
  /** What the server trusts: client-1's public key. */
  trusted: Record<string, HttpSigKey>;
  /** A key the server does not know (keyid stranger). */
  stranger: HttpSigKey;
  /** An ECDSA key that claims to be client-1. */
  impostor: HttpSigKey;
}

export async function testKeys(): Promise<TestKeys> {
  const client = await generateKey('ed25519', { keyid: 'client-1' });
  const stranger = await generateKey('ed25519', { keyid: 'stranger' });
  const impostor = await generateKey('ecdsa-p256-sha256', { keyid: 'client-1' });
  return {
    client: client.privateKey,
    trusted: { 'client-1': client.publicKey },
    stranger: stranger.privateKey,
    impostor: impostor.privateKey,
  };
}
