/** Node-only set-up: a verifying server, a client key it trusts, and what it received. */

import type { VerifyOptions } from '@httpsig/core';
import { generateKey, type HttpSigKey } from '@httpsig/core';
import {
  type ReceivedRequest,
  startVerifyingServer,
  type VerifyingServer,
} from '../../../test-support/verifying-server';

export interface TestServer {
  readonly server: VerifyingServer;
  /** The client's private key; the server trusts its public key under keyid `client-1`. */
  readonly key: HttpSigKey;
  /** The public key the server trusts, for a second server that must trust it too. */
  readonly publicKey: HttpSigKey;
}

export async function startTestServer(policy?: Partial<VerifyOptions>): Promise<TestServer> {
  const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });
  const server = await startVerifyingServer({
    keys: { 'client-1': publicKey },
    ...(policy ? { policy } : {}),
  });
  return { server, key: privateKey, publicKey };
}

/** The last request the server received. */
export function lastReceived(server: VerifyingServer): ReceivedRequest {
  const last = server.received.at(-1);
  if (!last) throw new Error('the server received no request');
  return last;
}

/** The values of a field as received, one per field line. */
export function fieldLines(received: ReceivedRequest, name: string): string[] {
  return received.headers.filter(([n]) => n.toLowerCase() === name).map(([, value]) => value);
}
