/** A Fastify app with the plugin, listening on 127.0.0.1, and helpers to send signed requests to it. */
import {
  type ComponentInput,
  generateKey,
  type HttpSigKey,
  type SignatureParamsInput,
  signMessage,
} from '@httpsig/core';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type HttpSignaturesOptions, httpSignatures } from '../src/index';

export interface Keys {
  /** The client's ed25519 key pair, trusted by the server as `client-1`. */
  readonly client: { privateKey: HttpSigKey; publicKey: HttpSigKey };
  /** The server's key pair for signing responses. */
  readonly server: { privateKey: HttpSigKey; publicKey: HttpSigKey };
}

export async function createKeys(): Promise<Keys> {
  return {
    client: await generateKey('ed25519', { keyid: 'client-1' }),
    server: await generateKey('ecdsa-p256-sha256', { keyid: 'server-1' }),
  };
}

export interface TestServer {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

/** Start an app with the plugin registered first, then the routes `setup` declares. */
export async function startServer(
  options: HttpSignaturesOptions,
  setup: (app: FastifyInstance) => void | Promise<void>,
  fastifyOptions: FastifyServerOptions = {},
): Promise<TestServer> {
  const app = Fastify(fastifyOptions);
  await app.register(httpSignatures, options);
  await setup(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  return { app, origin, url: (path) => `${origin}${path}`, close: () => app.close() };
}

export interface SignedRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly key: HttpSigKey;
  readonly components?: readonly ComponentInput[];
  readonly params?: SignatureParamsInput;
  readonly tag?: string;
}

/** The headers to send: the given ones plus what core's `signMessage` adds. */
export async function signedHeaders(url: string, init: SignedRequestInit): Promise<Record<string, string>> {
  const method = init.method ?? 'GET';
  const headers = { ...init.headers };
  const hasBody = init.body !== undefined;
  const components = init.components ?? [
    '@method',
    '@target-uri',
    ...(headers['content-type'] ? ['content-type'] : []),
  ];
  const signed = await signMessage(
    { method, url, headers, ...(hasBody ? { body: init.body } : {}) },
    {
      key: init.key,
      components,
      params: init.params ?? { created: true, nonce: true, keyid: init.key.keyid, ...tagParam(init.tag) },
      ...(hasBody ? {} : { digest: false }),
    },
  );
  return { ...headers, ...signed.headers };
}

function tagParam(tag: string | undefined): { tag?: string } {
  return tag === undefined ? {} : { tag };
}

/** Sign with core and send with fetch; `send` changes what is actually sent (tampering). */
export async function sendSigned(
  url: string,
  init: SignedRequestInit,
  send: { url?: string; method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<Response> {
  const headers = await signedHeaders(url, init);
  const body = 'body' in send ? send.body : init.body;
  return fetch(send.url ?? url, {
    method: send.method ?? init.method ?? 'GET',
    headers: { ...headers, ...send.headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
  });
}

export interface ProblemBody {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly debug?: { readonly signatureBase?: string; readonly targetUri: string };
}

/** The problem document of a refusal, after checking its media type. */
export async function problemOf(response: Response): Promise<ProblemBody> {
  if (response.headers.get('content-type') !== 'application/problem+json') {
    throw new Error(`not a problem response: ${response.status} ${response.headers.get('content-type')}`);
  }
  return (await response.json()) as ProblemBody;
}
