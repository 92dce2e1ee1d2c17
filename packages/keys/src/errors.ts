/**
 * The errors resolvers raise: `ERR_HTTPSIG_UNKNOWN_KEY` (401) when no published key fits, and
 * `ERR_HTTPSIG_KEY_UNAVAILABLE` (503, fail closed) when the key set cannot be fetched and no
 * usable copy is left, with the fetch failure as `cause`.
 */
import { HttpSigError, type HttpSigErrorDetails } from '@httpsig/core';

export function unknownKey(message: string, details: HttpSigErrorDetails = {}): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_UNKNOWN_KEY', message, { parameter: 'keyid', ...details });
}

export function invalidKey(message: string, details: HttpSigErrorDetails = {}): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', message, details);
}

export function algorithmMismatch(message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_ALGORITHM_MISMATCH', message, { parameter: 'alg' });
}

/** Why a key set could not be fetched or read. Internal: resolvers wrap it in an `HttpSigError`. */
export class KeySetFetchError extends Error {
  override readonly name = 'KeySetFetchError';
}

/** The error a resolver throws when it has no usable copy of the key set. */
export function keySetUnavailable(cause: unknown): HttpSigError {
  const reason = cause instanceof KeySetFetchError ? `: ${cause.message}` : '';
  return new HttpSigError('ERR_HTTPSIG_KEY_UNAVAILABLE', `The key set is unavailable${reason}`, {
    parameter: 'keyid',
    cause,
  });
}
