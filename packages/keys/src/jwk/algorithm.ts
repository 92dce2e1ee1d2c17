/**
 * Which HTTP signature algorithms a JWK may verify. The key decides, never the signature: `kty`
 * and `crv` fix the family, and `alg` (a JOSE name such as `PS512`, or an HTTP Message Signatures
 * name such as `ed25519`, as the Web Bot Auth directory draft uses) narrows it to one. An RSA key
 * without `alg` fits both RSA algorithms; the signature's `alg` parameter then picks one of the
 * two (see select-key.ts), which cannot widen what the key allows.
 */
import { type Algorithm, isAlgorithm } from '@httpsig/core';

const JOSE_ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  PS512: 'rsa-pss-sha512',
  RS256: 'rsa-v1_5-sha256',
  ES256: 'ecdsa-p256-sha256',
  ES384: 'ecdsa-p384-sha384',
  EdDSA: 'ed25519',
  Ed25519: 'ed25519',
};

function familyAlgorithms(jwk: Readonly<Record<string, unknown>>): readonly Algorithm[] {
  switch (jwk.kty) {
    case 'RSA':
      return ['rsa-pss-sha512', 'rsa-v1_5-sha256'];
    case 'EC':
      if (jwk.crv === 'P-256') return ['ecdsa-p256-sha256'];
      if (jwk.crv === 'P-384') return ['ecdsa-p384-sha384'];
      return [];
    case 'OKP':
      return jwk.crv === 'Ed25519' ? ['ed25519'] : [];
    default:
      // Shared secrets ("oct") have no place in a published key set.
      return [];
  }
}

/** The algorithms this public JWK may verify; empty when it fits none this library implements. */
export function jwkAlgorithms(jwk: Readonly<Record<string, unknown>>): readonly Algorithm[] {
  const family = familyAlgorithms(jwk);
  const alg = jwk.alg;
  if (alg === undefined) return family;
  if (typeof alg !== 'string') return [];
  const named = Object.hasOwn(JOSE_ALGORITHMS, alg)
    ? JOSE_ALGORITHMS[alg]
    : isAlgorithm(alg)
      ? alg
      : undefined;
  return named !== undefined && family.includes(named) ? [named] : [];
}
