/** Shared helpers for the @httpsig/node tests: keys, reading responses, and small inline servers. */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateKey, type HttpSigKey } from '@httpsig/core';
import type { ReceivedRequest } from '../../../../test-support/verifying-server';

/** What the verifying server answers. */
export interface Verdict {
  verified: boolean;
  code?: string;
  url?: string;
  method?: string;
  keyid?: string;
  components?: string[];
  digests?: { field: string; algorithms: string[] }[];
  bodyBase64?: string;
  params?: Record<string, unknown>;
}

export interface ClientKeys {
  readonly privateKey: HttpSigKey;
  readonly publicKey: HttpSigKey;
}

export async function clientKeys(keyid = 'client-1'): Promise<ClientKeys> {
  return generateKey('ed25519', { keyid });
}

export async function readBytes(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function verdictOf(response: IncomingMessage): Promise<Verdict> {
  return JSON.parse((await readBytes(response)).toString('utf8')) as Verdict;
}

/** The decoded body the verifying server reports. */
export function bodyOf(verdict: Verdict): Buffer {
  return Buffer.from(verdict.bodyBase64 ?? '', 'base64');
}

/** Every value of a field as the server received it, one per line. */
export function fieldLines(received: ReceivedRequest | undefined, name: string): string[] {
  return (received?.headers ?? []).filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

type Server = HttpServer | HttpsServer;

/** Listen on 127.0.0.1 on a free port; returns the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** The `[name, value]` lines of a received message. */
export function rawPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}
