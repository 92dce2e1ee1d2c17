/** Signing responses for clients that verify them, bound to the request they answer. */
import {
  type ComponentInput,
  collectFieldLines,
  createSigner,
  type HttpMessage,
  type SignerOptions,
  type SignResult,
} from '@httpsig/core';

export type ResponseSigner = (response: HttpMessage, request: HttpMessage) => Promise<SignResult>;

/** `@status`, `content-type` when present, and the request's method and target URI (`;req`). */
export function defaultResponseComponents(response: HttpMessage): ComponentInput[] {
  const components: ComponentInput[] = ['@status'];
  if (collectFieldLines(response.headers).has('content-type')) components.push('content-type');
  components.push('"@method";req', '"@target-uri";req');
  return components;
}

/**
 * A signer for responses: `content-digest` is added for a body and covered, like for requests.
 * The request is the one the response answers (for `;req` components).
 */
export function createResponseSigner(options: SignerOptions): ResponseSigner {
  const sign = createSigner({ components: defaultResponseComponents, ...options });
  return (response, request) => sign(response, { request });
}
