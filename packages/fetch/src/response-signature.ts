/** Verifying signed responses, bound to the request that was just sent. */
import { type VerifyOptions, type VerifyResult, verifyMessage } from '@httpsig/core';

const verified = new WeakMap<Response, VerifyResult>();

/** What was verified on a response returned by a fetch with `verifyResponse`, if anything. */
export function responseSignature(response: Response): VerifyResult | undefined {
  return verified.get(response);
}

/** Verify `response` (its body stays readable) against `sent`; throws the `HttpSigError` on failure. */
export async function verifyResponse(
  response: Response,
  sent: Request,
  options: VerifyOptions,
): Promise<void> {
  verified.set(response, await verifyMessage(response, { ...options, request: sent }));
}
