/** The nonce policy and the replay check, run after a signature and its digests verified. */
import type { SignatureParams } from '../base/types';
import { HttpSigError } from '../errors';
import { DeadlineExceeded, withDeadline } from './deadline';
import type { ResolvedPolicy } from './policy';

/** Presence and length of `nonce`, checked before any cryptography. */
export function checkNoncePolicy(label: string, params: SignatureParams, policy: ResolvedPolicy): void {
  const { nonce } = params;
  if (nonce === undefined) {
    if (policy.nonce === 'required') {
      throw new HttpSigError('ERR_HTTPSIG_POLICY', 'The signature lacks the required nonce parameter', {
        label,
        parameter: 'nonce',
      });
    }
    return;
  }
  if (policy.nonce === 'forbidden') {
    throw new HttpSigError('ERR_HTTPSIG_POLICY', 'This verifier does not accept a nonce parameter', {
      label,
      parameter: 'nonce',
    });
  }
  if (nonce.length > policy.maxNonceLength) {
    throw new HttpSigError(
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
      `The nonce is longer than ${policy.maxNonceLength} characters`,
      {
        label,
        parameter: 'nonce',
        limit: 'maxNonceLength',
      },
    );
  }
}

/** When the signature stops being acceptable: its `expires`, or `created` + `maxAge`, plus the skew. */
function acceptableUntil(params: SignatureParams, policy: ResolvedPolicy): number | undefined {
  const limits: number[] = [];
  if (params.expires !== undefined) limits.push(params.expires);
  if (params.created !== undefined && policy.maxAge !== undefined)
    limits.push(params.created + policy.maxAge);
  return limits.length === 0 ? undefined : Math.min(...limits) + policy.clockSkew;
}

/** Record the nonce of a verified signature; a nonce seen before is a replay. */
export async function consumeNonce(
  label: string,
  keyid: string,
  params: SignatureParams,
  policy: ResolvedPolicy,
): Promise<void> {
  const store = policy.nonceStore;
  if (!store || params.nonce === undefined) return;
  const until = acceptableUntil(params, policy);
  if (until === undefined) {
    throw new HttpSigError(
      'ERR_HTTPSIG_POLICY',
      'A nonce can only be remembered for a bounded time: the signature needs expires, or the verifier maxAge',
      { label, parameter: 'nonce' },
    );
  }
  let first: boolean;
  try {
    first =
      (await withDeadline(store.consume(keyid, params.nonce, until), policy.nonceStoreTimeout)) === true;
  } catch (error) {
    if (error instanceof HttpSigError) throw error;
    const reason = error instanceof DeadlineExceeded ? 'did not answer in time' : 'could not be reached';
    throw new HttpSigError('ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE', `The nonce store ${reason}`, {
      label,
      cause: error,
    });
  }
  if (!first) {
    throw new HttpSigError('ERR_HTTPSIG_REPLAY', 'This nonce was already used: the request is a replay', {
      label,
      parameter: 'nonce',
    });
  }
}
