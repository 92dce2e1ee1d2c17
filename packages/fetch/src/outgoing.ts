/**
 * The request that goes on the wire: fetch's own `Request` constructor resolves the URL and
 * serializes the body (FormData boundary included) first, and the signature covers exactly that.
 */
import { type HttpMessage, readBody } from '@httpsig/core';

/** A request ready to send, with the body bytes kept for a re-send (307/308, Accept-Signature). */
export interface Outgoing {
  readonly request: Request;
  readonly body: Uint8Array<ArrayBuffer> | undefined;
}

/** Fields a new signature replaces: stale values would be refused or would mislead. */
const signatureFields = ['signature', 'signature-input', 'content-digest'];

/** Resolve `fetch(input, init)` arguments to a request and its body bytes (bounded by maxBodySize). */
export async function prepare(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  maxBodySize: number | undefined,
): Promise<Outgoing> {
  const request = new Request(input, init);
  const body =
    request.body === null
      ? undefined
      : await readBody(request.clone().body, maxBodySize === undefined ? {} : { maxBodySize });
  return { request, body };
}

/**
 * Produces the signature for a message: the signer, a fulfilment of Accept-Signature, or a
 * draft-cavage signature. Returns the header fields to set.
 */
export type SignStep = (
  message: HttpMessage,
) => Promise<{ readonly headers: Readonly<Record<string, string>> }>;

/** Sign `outgoing` (after dropping any previous signature) and build the request to send. */
export async function signOutgoing(
  outgoing: Outgoing,
  sign: SignStep,
  redirect: RequestRedirect,
): Promise<Request> {
  const { request, body } = outgoing;
  const headers = new Headers(request.headers);
  for (const name of signatureFields) headers.delete(name);
  const signed = await sign({
    method: request.method,
    url: request.url,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  for (const [name, value] of Object.entries(signed.headers)) headers.set(name, value);
  return new Request(request, { headers, redirect, ...(body === undefined ? {} : { body }) });
}
