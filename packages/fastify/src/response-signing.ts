/**
 * Signing responses in `onSend`, bound to the request they answer (`;req` components). The
 * payload is a string or Buffer by then (Fastify has serialized objects); a stream is buffered up
 * to `maxBodySize` so that its `Content-Digest` covers the bytes sent.
 */
import { defaultMaxBodySize, type SignerOptions } from '@httpsig/core';
import { createResponseSigner } from '@httpsig/server';
import { incomingRequestInfo } from '@httpsig/server/node';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readPayload } from './payload';

type OnSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;

function isStream(payload: unknown): payload is NodeJS.ReadableStream {
  return typeof (payload as NodeJS.ReadableStream | null)?.pipe === 'function';
}

/**
 * The origin the request was addressed to: a pinned `origin` (the one matching Host, else the
 * first), or what Fastify sees (`request.protocol` and `request.host`, which follow its `trustProxy`).
 */
function originOf(request: FastifyRequest, pinned: readonly URL[]): string {
  const host = request.host.toLowerCase();
  const match = pinned.find((url) => url.host === host) ?? pinned[0];
  return match ? match.origin : `${request.protocol}://${host}`;
}

/** Path and query of an absolute-form (or asterisk-form) request target. */
function pathAndQuery(target: string): string {
  if (!URL.canParse(target)) return '/';
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}

async function bodyOf(payload: unknown, limit: number): Promise<Uint8Array | undefined> {
  if (payload === null || payload === undefined) return undefined;
  if (typeof payload === 'string') return Buffer.from(payload);
  if (payload instanceof Uint8Array) return payload;
  if (isStream(payload)) {
    try {
      return await readPayload(payload, limit);
    } catch (error) {
      (payload as { destroy?: () => void }).destroy?.();
      throw new Error(`A streamed response larger than ${limit} bytes cannot be signed`, { cause: error });
    }
  }
  throw new TypeError('onSend payload of an unknown type cannot be signed');
}

export function responseSigningHook(
  options: SignerOptions,
  origin: string | readonly string[] | undefined,
  signs: (request: FastifyRequest) => boolean,
): OnSend {
  const sign = createResponseSigner(options);
  const pinned = (origin === undefined ? [] : typeof origin === 'string' ? [origin] : origin).map(
    (value) => new URL(value),
  );
  const limit = options.maxBodySize ?? defaultMaxBodySize;
  return async (request, reply, payload) => {
    if (!signs(request)) return payload;
    const body = await bodyOf(payload, limit);
    const raw = incomingRequestInfo(request.raw, undefined);
    const target = raw.target.startsWith('/') ? raw.target : pathAndQuery(raw.target);
    const signed = await sign(
      { status: reply.statusCode, headers: reply.getHeaders(), ...(body === undefined ? {} : { body }) },
      { method: raw.method, url: `${originOf(request, pinned)}${target}`, headers: raw.headers },
    );
    reply.headers(signed.headers);
    // A buffered stream goes out as the bytes that were digested.
    return isStream(payload) && body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : payload;
  };
}
