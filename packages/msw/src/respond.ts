/** Signed responses from msw handlers, for testing clients that verify responses. */
import { type HttpMessage, type SignOptions, signMessage } from '@httpsig/core';

export interface SignResponseOptions extends Omit<SignOptions, 'request'> {
  /** The request being answered, for `;req` components. */
  request?: HttpMessage;
}

/**
 * A copy of `response` with the signature (and `Content-Digest` for its body) added, e.g.
 * `return signResponse(HttpResponse.json(data), { key, components: ['@status', '"@method";req'], request })`.
 */
export async function signResponse(response: Response, options: SignResponseOptions): Promise<Response> {
  const signed = await signMessage(response, options);
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(signed.headers)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
