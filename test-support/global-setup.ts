/**
 * Vitest global set-up for the browser project: a verifying server in Node that the browser
 * tests reach over CORS. It trusts the RFC 9421 test keys and the keys the tests register.
 */
import type { TestProject } from 'vitest/node';
import { loadTestKeys } from '../packages/core/test/conformance/lib/messages';
import { startVerifyingServer, type VerifyingServer } from './verifying-server';

declare module 'vitest' {
  export interface ProvidedContext {
    verifyingServerOrigin: string;
  }
}

let server: VerifyingServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const keys = await loadTestKeys();
  server = await startVerifyingServer({
    keys: keys.public,
    responseKey: keys.private['test-key-ed25519'],
    allowKeyRegistration: true,
  });
  project.provide('verifyingServerOrigin', server.origin);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
