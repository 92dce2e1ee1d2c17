/**
 * Key types, named curves and hashes: the OIDs that PKCS#8, SPKI and SEC1 data name them by,
 * and the hash an algorithm entry names.
 */
import type { AlgorithmEntry } from '../algorithms/registry';

export const RSA_OID = '1.2.840.113549.1.1.1';
export const EC_OID = '1.2.840.10045.2.1';

/** Key types by the OID of a PKCS#8 / SPKI AlgorithmIdentifier. */
export const KEY_TYPES: Readonly<
  Record<string, { family: string; name: string; crv?: string; pssOnly?: true }>
> = {
  [RSA_OID]: { family: 'rsa', name: 'an RSA key' },
  // id-RSASSA-PSS (RFC 4055): RSA restricted to PSS. Browsers refuse the OID, so it is rewritten.
  '1.2.840.113549.1.1.10': { family: 'rsa', name: 'an RSA key restricted to RSASSA-PSS', pssOnly: true },
  [EC_OID]: { family: 'ec', name: 'an EC key' },
  '1.3.101.112': { family: 'okp', name: 'an Ed25519 key', crv: 'Ed25519' },
  '1.3.101.113': { family: 'okp', name: 'an Ed448 key', crv: 'Ed448' },
  '1.3.101.110': { family: 'okp', name: 'an X25519 key', crv: 'X25519' },
  '1.3.101.111': { family: 'okp', name: 'an X448 key', crv: 'X448' },
};

/** Named curves by JWK `crv`, with their OIDs. */
export const CURVE_OIDS: Readonly<Record<string, string>> = {
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  'P-521': '1.3.132.0.35',
  secp256k1: '1.3.132.0.10',
};
export const CURVE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CURVE_OIDS).map(([name, oid]) => [oid, name]),
);

export const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

export function entryHash(entry: AlgorithmEntry): string | undefined {
  const hash = (entry.importParams as { hash?: HashAlgorithmIdentifier }).hash;
  return hash === undefined ? undefined : typeof hash === 'string' ? hash : hash.name;
}
