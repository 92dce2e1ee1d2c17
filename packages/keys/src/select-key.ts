/**
 * Choosing the key for a signature when several share a keyid. Core verifies each signature with
 * exactly one key, so the choice is made here: the signature's `alg` parameter (untrusted) may
 * pick among the algorithms the keys allow, never widen them. Keys left with the same algorithm
 * (rotation under one keyid) are combined into one key that accepts a signature any of them
 * verifies.
 */
import { type Algorithm, createExternalKey, type HttpSigKey, isAlgorithm } from '@httpsig/core';
import { algorithmMismatch } from './errors';

/**
 * The algorithm to verify with, given the algorithms each candidate key allows (one entry per key;
 * an RSA JWK without `alg` allows two). Throws `ERR_HTTPSIG_ALGORITHM_MISMATCH` when the
 * signature's alg fits none of them, or when it is absent and the keys do not agree on one.
 */
export function chooseAlgorithm(
  allowed: readonly (readonly Algorithm[])[],
  signatureAlg: string | undefined,
): Algorithm {
  if (signatureAlg !== undefined) {
    if (isAlgorithm(signatureAlg) && allowed.some((algs) => algs.includes(signatureAlg))) return signatureAlg;
    throw algorithmMismatch("The signature's alg parameter fits no key with this keyid");
  }
  const definite = new Set(allowed.filter((algs) => algs.length === 1).map((algs) => algs[0] as Algorithm));
  const [only] = definite;
  if (definite.size === 1 && only !== undefined) return only;
  if (definite.size > 1) {
    throw algorithmMismatch('Keys of several algorithms share this keyid; the signature must carry alg');
  }
  throw algorithmMismatch('The key for this keyid fits several algorithms; the signature must carry alg');
}

/** One key that verifies with any of `keys` (all bound to `alg`). */
export function combineKeys(keys: readonly HttpSigKey[], alg: Algorithm, keyid: string): HttpSigKey {
  const [first] = keys;
  if (first !== undefined && keys.length === 1) return first;
  return createExternalKey({
    alg,
    keyid,
    async verify(data, signature) {
      for (const key of keys) if (await key.verify(data, signature)) return true;
      return false;
    },
  });
}
