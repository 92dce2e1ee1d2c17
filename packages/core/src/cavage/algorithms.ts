/** draft-cavage algorithm names and the core algorithms they stand for. */
import type { Algorithm } from '../algorithms/registry';
import { HttpSigError } from '../errors';

/** Legacy `algorithm` parameter values and the one core algorithm each allows. */
const legacy: Readonly<Record<string, Algorithm>> = Object.freeze({
  'rsa-sha256': 'rsa-v1_5-sha256',
  'hmac-sha256': 'hmac-sha256',
  'ecdsa-sha256': 'ecdsa-p256-sha256',
  ed25519: 'ed25519',
});

/**
 * Names other signers send for the same algorithms, accepted when verifying but never sent:
 * joyent `http-signature` and its forks (sshpk) name Ed25519 `ed25519-sha512`.
 */
const aliases: Readonly<Record<string, Algorithm>> = Object.freeze({
  'ed25519-sha512': 'ed25519',
});

/** The legacy name a key's algorithm signs under, when it has one. */
export function legacyAlgorithmName(alg: Algorithm): string | undefined {
  for (const [name, value] of Object.entries(legacy)) if (value === alg) return name;
  return undefined;
}

/**
 * The core algorithms a signature's `algorithm` parameter allows: any for `hs2019` or no
 * parameter (the key decides), exactly one for a legacy name. Other names (`rsa-sha1`,
 * `rsa-sha512`, `hmac-sha1`, …) throw `ERR_HTTPSIG_UNSUPPORTED_ALGORITHM`.
 */
export function allowedByParam(param: string | undefined): Algorithm | 'any' {
  if (param === undefined || param === 'hs2019') return 'any';
  const alg = Object.hasOwn(legacy, param)
    ? legacy[param]
    : Object.hasOwn(aliases, param)
      ? aliases[param]
      : undefined;
  if (alg === undefined) {
    const shown = param.length > 40 ? `${param.slice(0, 40)}…` : param;
    throw new HttpSigError(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      `Unsupported cavage algorithm ${JSON.stringify(shown)}`,
      {
        parameter: 'algorithm',
      },
    );
  }
  return alg;
}
