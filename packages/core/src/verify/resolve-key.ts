/** Finding the verification key for a signature: the trust boundary. */
import type { SignatureParams } from '../base/types';
import { HttpSigError } from '../errors';
import type { HttpSigKey } from '../keys/types';
import type { HttpMessage } from '../message/types';
import type { VerifyOptions } from './types';

export async function resolveKey(
  keys: VerifyOptions['keys'],
  label: string,
  params: SignatureParams,
  message: HttpMessage,
): Promise<HttpSigKey> {
  const keyid = params.keyid;
  let key: HttpSigKey | undefined | null;
  if (typeof keys === 'function') {
    try {
      key = await keys(keyid, Object.freeze({ ...params }), { label, message });
    } catch (error) {
      if (error instanceof HttpSigError) throw error;
      // An outage is not the client's fault: fail closed with a server-side status.
      throw new HttpSigError('ERR_HTTPSIG_KEY_UNAVAILABLE', 'The key resolver failed', {
        label,
        parameter: 'keyid',
        cause: error,
      });
    }
  } else if (keyid !== undefined && Object.hasOwn(keys, keyid)) {
    key = keys[keyid];
  }
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
