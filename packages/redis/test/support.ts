/**
 * Test helpers: gates for tests that need Redis, real ioredis and node-redis clients, private
 * redis-server processes to stop and restart, signed requests, and verifying HTTP servers.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, createConnection, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, type HttpSigKey, type NonceStore, signMessage } from '@httpsig/core';
import { checkRequest, createVerifier } from '@httpsig/server';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, it } from 'vitest';
import type { RedisClientLike } from '../src/index';

const inCi = process.env.CI === 'true';

/**
 * A `describe` that needs something the machine may lack: without it, it fails in CI (a missing
 * Redis must never pass as green) and is skipped elsewhere, saying why.
 */
export function describeNeeding(available: boolean, need: string, name: string, body: () => void): void {
  if (available) describe(name, body);
  else if (inCi)
    describe(name, () => {
      it(`needs ${need}`, () => {
        throw new Error(`${need} is missing: this test cannot run (in CI it must)`);
      });
    });
  else describe.skip(`${name} (skipped: needs ${need})`, body);
}

export const redisUrl = process.env.REDIS_URL ?? '';

/** Needs the shared server that scripts/test.sh starts. */
export function describeWithRedis(name: string, body: () => void): void {
  describeNeeding(redisUrl !== '', 'REDIS_URL (eval "$(bash scripts/redis-start.sh)")', name, body);
}

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** Needs the redis-server program, to run private instances that the tests stop and restart. */
export function describeWithRedisServer(name: string, body: () => void): void {
  describeNeeding(hasRedisServer, 'redis-server on PATH', name, body);
}

/** A prefix of its own per test, so that parallel test files never see each other's keys. */
export const uniquePrefix = () => `httpsig:test:${randomUUID()}:`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Send one inline command over a fresh connection and resolve with the first reply line. */
export function rawCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer to ${command}`)));
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        socket.end();
        resolve(data.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed before an answer to ${command}`)));
  });
}

/** A redis-server of the test's own, which it may stop and start again on the same port. */
export class PrivateRedis {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'httpsig-redis-test-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process) throw new Error('already running');
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if ((await rawCommand(this.port, 'PING', 200).catch(() => '')) === '+PONG') return;
      await sleep(50);
    }
    await this.stop();
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Kill it without a goodbye, as a crash or a network cut would. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A connected client of either library, with what the tests need to drive it. */
export interface TestClient {
  readonly client: RedisClientLike;
  /** Connected and able to run commands. */
  ready(): boolean;
  pttl(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  close(): Promise<void>;
  /** Errors the client emitted (connection losses); kept so that none goes unhandled. */
  readonly errors: unknown[];
}

export type ClientKind = 'ioredis' | 'node-redis';
export const clientKinds: ClientKind[] = ['ioredis', 'node-redis'];

/** A client with each library's defaults (offline queue and reconnects on), connected to `url`. */
export async function connectClient(kind: ClientKind, url: string, wait = true): Promise<TestClient> {
  const errors: unknown[] = [];
  if (kind === 'ioredis') {
    const client = new Redis(url);
    client.on('error', (error) => errors.push(error));
    if (wait && client.status !== 'ready') await once(client, 'ready');
    return {
      client,
      errors,
      ready: () => client.status === 'ready',
      pttl: (key) => client.pttl(key),
      get: (key) => client.get(key),
      close: async () => {
        client.disconnect();
      },
    };
  }
  const client = createClient({ url });
  client.on('error', (error) => errors.push(error));
  // Against a server that never answers the handshake, connect() never settles: not awaited then.
  const connecting = client.connect().catch((error: unknown) => errors.push(error));
  if (wait) await connecting;
  return {
    client,
    errors,
    ready: () => client.isReady,
    pttl: (key) => client.pTTL(key),
    get: async (key) => (await client.get(key)) as string | null,
    close: async () => {
      client.destroy();
    },
  };
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The origin both verifying servers are configured with, so one signature verifies on either. */
export const apiOrigin = 'https://api.example';

export interface TestKeys {
  readonly key: HttpSigKey;
  readonly trusted: Record<string, HttpSigKey>;
}

export async function testKeys(): Promise<TestKeys> {
  const pair = await generateKey('ed25519', { keyid: 'client-1' });
  return { key: pair.privateKey, trusted: { 'client-1': pair.publicKey } };
}

/** The headers of a signed `GET apiOrigin + path` with a fresh random nonce. */
export async function signedHeaders(key: HttpSigKey, path = '/orders/1'): Promise<Record<string, string>> {
  const { headers } = await signMessage(
    { method: 'GET', url: `${apiOrigin}${path}`, headers: {} },
    {
      key,
      components: ['@method', '@target-uri'],
      params: { created: true, keyid: 'client-1', nonce: true },
    },
  );
  return { ...headers };
}

export interface Answer {
  readonly status: number;
  /** The problem's `code` on a refusal. */
  readonly code?: string;
}

export interface VerifyingServer {
  readonly url: string;
  /** Handler failures (a bug or a crash would land here instead of an answer). */
  readonly crashes: unknown[];
  send(headers: Record<string, string>, path?: string): Promise<Answer>;
  close(): Promise<void>;
}

function webRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  return new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method ?? 'GET', headers });
}

/** An HTTP server on 127.0.0.1 that verifies every request with its own verifier over `nonceStore`. */
export async function verifyingServer(
  trusted: TestKeys['trusted'],
  nonceStore: NonceStore,
): Promise<VerifyingServer> {
  const verifier = createVerifier({ keys: trusted, nonceStore, origin: apiOrigin });
  const crashes: unknown[] = [];
  const server = createHttpServer((req, res) => {
    checkRequest(webRequest(req), verifier).then(
      (outcome) => {
        if (outcome.ok) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ keyid: outcome.signature.keyid }));
        } else {
          res.writeHead(outcome.status, outcome.headers);
          res.end(JSON.stringify(outcome.problem));
        }
      },
      (error: unknown) => {
        crashes.push(error);
        res.writeHead(500).end();
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    crashes,
    async send(headers, path = '/orders/1') {
      const response = await fetch(`${url}${path}`, { headers });
      const text = await response.text();
      const code = response.status === 200 ? undefined : (JSON.parse(text || '{}') as { code?: string }).code;
      return code === undefined ? { status: response.status } : { status: response.status, code };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Counts unhandled rejections while a test runs (vitest would also fail the run on one). */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', listener);
  return { reasons, stop: () => process.off('unhandledRejection', listener) };
}
