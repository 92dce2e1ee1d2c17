/** The `undici` client: undici.request through an Agent composed with the signing interceptor. */

import { STATUS_CODES } from 'node:http';
import { createSigningInterceptor, type DispatchHandler, type DispatchOptions } from '@httpsig/node';
import { Agent, request as undiciRequest } from 'undici';
import type { SigningClient } from './types';

export const undiciClient: SigningClient = async (request, signing) => {
  let sentHeaders: [string, string][] = [];
  // Closest to the dispatcher, after signing: it sees the fields that go on the wire.
  const recorder =
    (dispatch: (opts: DispatchOptions, handler: DispatchHandler) => boolean) =>
    (opts: DispatchOptions, handler: DispatchHandler) => {
      sentHeaders = headerPairs(opts.headers);
      return dispatch(opts, handler);
    };
  const agent = new Agent().compose(recorder as never, createSigningInterceptor(signing) as never);
  try {
    const response = await undiciRequest(request.url, {
      method: request.method as 'GET',
      headers: request.headers.flat(),
      ...(request.body === undefined ? {} : { body: request.body }),
      dispatcher: agent,
    });
    const body = new Uint8Array(await response.body.arrayBuffer());
    return {
      status: response.statusCode,
      // HTTP/1.1 reason phrases are not kept by undici; the standard one is printed.
      statusText: STATUS_CODES[response.statusCode] ?? '',
      headers: Object.entries(response.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, String(v)]),
      ),
      body,
      sentHeaders,
    };
  } finally {
    await agent.close();
  }
};

function headerPairs(headers: unknown): [string, string][] {
  if (!headers) return [];
  if (Array.isArray(headers)) {
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) out.push([String(headers[i]), String(headers[i + 1])]);
    return out;
  }
  return Object.entries(headers as Record<string, unknown>).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, String(v)]),
  );
}
