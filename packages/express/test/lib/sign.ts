/** Requests signed with @httpsig/core's signMessage, sent with fetch. */
import { type ComponentInput, type HttpSigKey, type SignOptions, signMessage } from '@httpsig/core';
import { expect } from 'vitest';

export interface Outgoing {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface SignedRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** The default components: method, target URI and content type (content-digest is added for a body). */
function components(headers: Record<string, string>): ComponentInput[] {
  return ['@method', '@target-uri', ...(headers['content-type'] ? ['content-type'] : [])];
}

/** Sign a request for `url` with a fresh nonce; the result can be altered before it is sent. */
export async function signRequest(
  url: string,
  outgoing: Outgoing,
  key: HttpSigKey,
  options: Partial<SignOptions> = {},
): Promise<SignedRequest> {
  const method = outgoing.method ?? 'GET';
  const headers = { ...outgoing.headers };
  const result = await signMessage(
    { method, url, headers, ...(outgoing.body === undefined ? {} : { body: outgoing.body }) },
    {
      key,
      components: components(headers),
      params: { created: true, keyid: key.keyid ?? 'client-1', nonce: true },
      ...options,
    },
  );
  return {
    method,
    headers: { ...headers, ...result.headers },
    ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
  };
}

/** Send a (possibly altered) signed request to `url`. */
export function send(url: string, request: SignedRequest): Promise<Response> {
  return fetch(url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body as BodyInit }),
  });
}

/** Sign for `url` and send there. */
export async function signAndSend(
  url: string,
  outgoing: Outgoing,
  key: HttpSigKey,
  options?: Partial<SignOptions>,
): Promise<Response> {
  return send(url, await signRequest(url, outgoing, key, options));
}

export interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  title: string;
  debug?: { signatureBase?: string; targetUri: string };
}

export async function problem(response: Response): Promise<ProblemBody> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as ProblemBody;
}
