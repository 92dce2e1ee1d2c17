/** The errors key import raises: unusable material, and material of another kind than the algorithm. */
import type { AlgorithmEntry } from '../algorithms/registry';
import { HttpSigError } from '../errors';

export function invalidKey(message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', message);
}

/** The key is of another kind than the algorithm needs: refusing it prevents algorithm confusion. */
export function mismatch(found: string, entry: AlgorithmEntry): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    `The key is ${found}, but ${entry.name} needs ${expected(entry)}`,
    {
      parameter: 'alg',
    },
  );
}

function expected(entry: AlgorithmEntry): string {
  if (entry.symmetric) return 'a shared secret';
  if (entry.jwk.kty === 'RSA') return 'an RSA key';
  if (entry.jwk.kty === 'EC') return `an EC ${entry.jwk.crv} key`;
  return `an ${entry.jwk.crv} key`;
}
