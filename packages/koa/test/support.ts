/** Shared test helpers: keys, a Koa app on 127.0.0.1, signed requests and a handler counter. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKey, type HttpSigKey, type SignOptions, signMessage } from '@httpsig/core';
import type Koa from 'koa';

export interface KeyPair {
  readonly privateKey: HttpSigKey;
  readonly publicKey: HttpSigKey;
}

export const clientKey = (keyid = 'client'): Promise<KeyPair> => generateKey('ed25519', { keyid });

/** A running app: its origin (`http://127.0.0.1:port`) and how to stop it. */
export interface Running {
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(app: Pick<Koa, 'listen'>): Promise<Running> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Counts how often the downstream handler ran: a refused request must leave it at zero. */
export function counter() {
  const state = { calls: 0 };
  return Object.assign(state, {
    reset() {
      state.calls = 0;
    },
  });
}

export interface SignedRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/**
 * The headers of a request to `url` signed with `key` (nonce, created, keyid; Content-Digest
 * for a body). `options` replaces any default, e.g. other components or params.
 */
export async function signedHeaders(
  key: HttpSigKey,
  url: string,
  request: SignedRequest = {},
  options: Partial<SignOptions> = {},
): Promise<Record<string, string>> {
  const headers = { ...request.headers };
  const signed = await signMessage(
    {
      method: request.method ?? 'GET',
      url,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    {
      key,
      components: ['@method', '@target-uri', ...(headers['content-type'] ? ['content-type'] : [])],
      params: { created: true, keyid: key.keyid ?? 'client', nonce: true },
      ...options,
    },
  );
  return { ...headers, ...signed.headers };
}

/** Sign a request for `url` and send it with fetch. */
export async function sendSigned(
  key: HttpSigKey,
  url: string,
  request: SignedRequest = {},
  options: Partial<SignOptions> = {},
): Promise<Response> {
  const headers = await signedHeaders(key, url, request, options);
  return fetch(url, {
    method: request.method ?? 'GET',
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/** The problem document of a refusal, with its status and content type. */
export async function problemOf(response: Response) {
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    code: (JSON.parse(text) as { code?: string }).code,
    problem: JSON.parse(text) as Record<string, unknown>,
  };
}

/** A raw HTTP/1.1 request with node:http, for bodies fetch will not send as-is (declared lengths, chunking). */
export function rawRequest(
  port: number,
  options: { method: string; path: string; headers: Record<string, string>; body?: Iterable<Buffer> },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, ...options }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    // The server may answer and close before the whole body is written: the answer is what counts.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of options.body ?? []) req.write(chunk);
    req.end();
  });
}
