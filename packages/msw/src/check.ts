/** Verify the signature of a request an msw handler received. */
import {
  type HttpSigError,
  httpStatusForError,
  isHttpSigError,
  type VerifyOptions,
  type VerifyResult,
  verifyMessage,
} from '@httpsig/core';

/** The outcome of a check: the verified signature, or the error and a ready 401/400 response. */
export type SignatureCheck =
  | { readonly ok: true; readonly signature: VerifyResult }
  | { readonly ok: false; readonly error: HttpSigError; readonly response: Response };

/**
 * Verify `request` (the msw `request`; its body stays readable) under `options`. Never throws for
 * a bad signature: the failure comes back with a JSON response `{ code, message }` whose status
 * is the one a real verifier would answer with.
 */
export async function checkRequestSignature(
  request: Request,
  options: VerifyOptions,
): Promise<SignatureCheck> {
  try {
    return { ok: true, signature: await verifyMessage(request, options) };
  } catch (error) {
    if (!isHttpSigError(error)) throw error;
    const response = new Response(JSON.stringify({ code: error.code, message: error.message }), {
      status: httpStatusForError[error.code],
      headers: { 'content-type': 'application/json' },
    });
    return { ok: false, error, response };
  }
}
