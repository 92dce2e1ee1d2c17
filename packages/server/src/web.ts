/**
 * Web-standard servers (Hono, Cloudflare Workers, Deno.serve, Bun.serve, Next.js route
 * handlers): verify a `Request`, answer a refusal with its problem `Response`, sign a `Response`.
 */
import type { SignerOptions, VerifyResult } from '@httpsig/core';
import { createResponseSigner, type ResponseSigner } from './response-signer';
import type { IncomingRequestInfo, RouteOverrides, VerificationOutcome, VerifierOptions } from './types';
import { createVerifier, type Verifier } from './verifier';

export interface WebRequestContext {
  /** The peer address, when the runtime exposes it (Bun `server.requestIP`, Hono `getConnInfo`), for `trustedProxies`. */
  remoteAddress?: string;
}

/** A fetch `Request` as the verifier sees it; its body is read through a clone and stays readable. */
export function webRequestInfo(request: Request, context: WebRequestContext = {}): IncomingRequestInfo {
  const url = new URL(request.url);
  return {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    headers: request.headers,
    ...(request.body === null ? {} : { body: request.clone().body as ReadableStream<Uint8Array> }),
    encrypted: url.protocol === 'https:',
    // The runtime built request.url from Host (or :authority): that is the authority received.
    authority: url.host,
    ...(context.remoteAddress === undefined ? {} : { remoteAddress: context.remoteAddress }),
  };
}

/** The refusal as a `Response` (problem+json, with `Accept-Signature` on 401). */
export function problemResponse(outcome: Extract<VerificationOutcome, { ok: false }>): Response {
  return new Response(JSON.stringify(outcome.problem), { status: outcome.status, headers: outcome.headers });
}

// One verifier (and so one nonce store) per options object, so that `verifyRequest(req, opts)`
// called per request with the same options still catches replays.
const verifiers = new WeakMap<object, Verifier>();

function verifierFor(options: VerifierOptions | Verifier): Verifier {
  if (typeof (options as Verifier).verify === 'function') return options as Verifier;
  let verifier = verifiers.get(options);
  if (!verifier) {
    verifier = createVerifier(options as VerifierOptions);
    verifiers.set(options, verifier);
  }
  return verifier;
}

/**
 * Verify a `Request`. Resolves with the verified signature or rejects with the `HttpSigError`
 * (use `checkRequest` to get a ready problem `Response` instead). Reuse one options object (or a
 * `createVerifier` result) across requests: it holds the replay store.
 */
export async function verifyRequest(
  request: Request,
  options: VerifierOptions | Verifier,
  context?: WebRequestContext & { overrides?: RouteOverrides },
): Promise<VerifyResult> {
  const outcome = await checkRequest(request, options, context);
  if (!outcome.ok) throw outcome.error;
  return outcome.signature;
}

/** Verify a `Request`; a refusal comes back with its problem `Response`. */
export async function checkRequest(
  request: Request,
  options: VerifierOptions | Verifier,
  context: WebRequestContext & { overrides?: RouteOverrides } = {},
): Promise<
  | { readonly ok: true; readonly signature: VerifyResult }
  | (Extract<VerificationOutcome, { ok: false }> & { readonly response: Response })
> {
  const outcome = await verifierFor(options).verify(webRequestInfo(request, context), context.overrides);
  return outcome.ok ? outcome : { ...outcome, response: problemResponse(outcome) };
}

const signers = new WeakMap<object, ResponseSigner>();

/** A copy of `response` signed (with `Content-Digest` for its body) as the answer to `request`. */
export async function signResponse(
  response: Response,
  request: Request,
  options: SignerOptions | ResponseSigner,
): Promise<Response> {
  let sign = typeof options === 'function' ? options : signers.get(options);
  if (!sign) {
    sign = createResponseSigner(options as SignerOptions);
    signers.set(options, sign);
  }
  const signed = await sign(response, request);
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(signed.headers)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
