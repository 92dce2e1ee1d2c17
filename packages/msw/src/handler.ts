/** Wrap an msw resolver so that it only runs for correctly signed requests. */
import type { VerifyOptions, VerifyResult } from '@httpsig/core';
import { checkRequestSignature } from './check';

/** The resolver's argument, plus the verified signature. */
export type SignedResolverInfo<Info> = Info & { readonly signature: VerifyResult };

/**
 * `http.post(url, withSignature(options, ({ request, signature }) => HttpResponse.json(…)))`:
 * a request whose signature fails verification is answered with the error (401/400 JSON
 * `{ code, message }`) and the resolver does not run.
 */
export function withSignature<Info extends { request: Request }, Result>(
  options: VerifyOptions,
  resolver: (info: SignedResolverInfo<Info>) => Result | Promise<Result>,
): (info: Info) => Promise<Result | Response> {
  return async (info) => {
    const check = await checkRequestSignature(info.request, options);
    if (!check.ok) return check.response;
    return resolver({ ...info, signature: check.signature });
  };
}
