/** Finding the verification key for a signature: the trust boundary. */
import type { SignatureParams } from '../base/types';
import { HttpSigError } from '../errors';
import type { HttpSigKey } from '../keys/types';
import type { HttpMessage } from '../message/types';
import { DeadlineExceeded, withDeadline } from './deadline';
import type { VerifyOptions } from './types';

export async function resolveKey(
  keys: VerifyOptions['keys'],
  label: string,
  params: SignatureParams,
  message: HttpMessage,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<HttpSigKey> {
  const keyid = params.keyid;
  let key: HttpSigKey | undefined | null;
  if (typeof keys === 'function') {
    try {
      const pending = keys(keyid, Object.freeze({ ...params }), { label, message });
      key = await (Number.isFinite(timeoutMs) ? withDeadline(pending, timeoutMs) : pending);
    } catch (error) {
      if (error instanceof HttpSigError) throw error;
      // An outage or a hang is not the client's fault: fail closed with a server-side status.
      const reason = error instanceof DeadlineExceeded ? 'did not answer in time' : 'failed';
      throw new HttpSigError('ERR_HTTPSIG_KEY_UNAVAILABLE', `The key resolver ${reason}`, {
        label,
        parameter: 'keyid',
        cause: error,
      });
    }
    return usableKey(key, label, keyid);
  }
  return trustedKey(keys, label, params);
}

/** The key a record of trusted keys holds for the signature's keyid: no promise, no await. */
export function trustedKey(
  keys: Readonly<Record<string, HttpSigKey>>,
  label: string,
  params: SignatureParams,
): HttpSigKey {
  const keyid = params.keyid;
  const key = keyid !== undefined && Object.hasOwn(keys, keyid) ? keys[keyid] : undefined;
  return usableKey(key, label, keyid);
}

function usableKey(key: HttpSigKey | undefined | null, label: string, keyid: string | undefined): HttpSigKey {
  if (!key) {
    throw new HttpSigError(
      'ERR_HTTPSIG_UNKNOWN_KEY',
      keyid === undefined
        ? 'The signature has no keyid and no key was found'
        : 'No trusted key has this keyid',
      { label, parameter: 'keyid' },
    );
  }
  if (typeof key.verify !== 'function' || !key.canVerify) {
    throw new HttpSigError('ERR_HTTPSIG_INVALID_KEY', 'The resolved key cannot verify signatures', { label });
  }
  return key;
}
