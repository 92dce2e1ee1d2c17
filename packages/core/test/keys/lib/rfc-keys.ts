/** The RFC 9421 Appendix B keys and signature vectors, typed for the key tests. Web APIs only. */
import type { HttpSigKey } from '../../../src/keys/index';
import keyFile from '../../vectors/rfc9421-keys.json';
import vectorFile from '../../vectors/rfc9421-vectors.json';

export type Alg = HttpSigKey['alg'];

export interface RfcKey {
  keyid: string;
  algorithmsUsedInRfc: Alg[];
  publicKeyPem?: string;
  privateKeyPem?: string;
  secretBase64?: string;
  jwkPrivate: JsonWebKey;
  jwkPublic?: JsonWebKey;
  rfcJwk?: JsonWebKey & { kid?: string };
}

export interface RfcSignature {
  id: string;
  keyid: string;
  algorithm: Alg;
  signatureBase: string;
  signatureBase64: string;
  check: string;
}

export const rfcKeys = (keyFile as unknown as { keys: RfcKey[] }).keys;
export const signatures = (vectorFile as unknown as { signatures: RfcSignature[] }).signatures;

export const ALGORITHMS: Alg[] = [
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
  'hmac-sha256',
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'ed25519',
];

export function rfcKey(keyid: string): RfcKey {
  const key = rfcKeys.find((k) => k.keyid === keyid);
  if (key === undefined) throw new Error(`no RFC key ${keyid}`);
  return key;
}
