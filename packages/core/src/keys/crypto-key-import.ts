/**
 * CryptoKey input: a given CryptoKey is checked against the algorithm entry (name, hash, curve,
 * secret or not) and its usages, never re-imported; only its public half may be derived.
 */
import type { AlgorithmEntry } from '../algorithms/registry';
import { HttpSigError } from '../errors';
import { entryHash } from './key-algorithms';
import { invalidKey } from './key-errors';
import { checkUse } from './prepared-material';
import { derivePublicKey } from './subtle-import';
import type { CryptoProvider } from './types';

export function isCryptoKey(value: unknown): value is CryptoKey {
  if (typeof value !== 'object' || value === null) return false;
  // Checked by shape: keys of a polyfill provider are not instances of the global CryptoKey.
  const key = value as Partial<Record<keyof CryptoKey, unknown>>;
  return (
    typeof key.type === 'string' &&
    typeof key.extractable === 'boolean' &&
    Array.isArray(key.usages) &&
    typeof key.algorithm === 'object' &&
    key.algorithm !== null
  );
}

export async function fromCryptoKey(
  key: CryptoKey,
  entry: AlgorithmEntry,
  use: 'private' | 'public' | undefined,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  checkCryptoKeyAlgorithm(key, entry);
  checkUse(key.type, use, entry);
  const usable =
    key.type === 'secret'
      ? key.usages.includes('sign') || key.usages.includes('verify')
      : key.usages.includes(key.type === 'public' ? 'verify' : 'sign');
  if (!usable) throw invalidKey(`The ${key.type} CryptoKey lacks the usages to sign or verify`);
  if (use === 'public' && key.type === 'private') {
    if (!key.extractable) {
      throw invalidKey(
        'The public half of a non-extractable private CryptoKey cannot be derived; pass the public key',
      );
    }
    return derivePublicKey(key, entry, provider);
  }
  return key;
}

/** The CryptoKey's algorithm, hash and curve must be exactly those of the entry. */
function checkCryptoKeyAlgorithm(key: CryptoKey, entry: AlgorithmEntry): void {
  const actual = key.algorithm as { name?: unknown; hash?: { name?: unknown }; namedCurve?: unknown };
  const wanted = entry.importParams as { name: string; namedCurve?: string };
  const wantedHash = entryHash(entry);
  const same = (a: unknown, b: string) => typeof a === 'string' && a.toUpperCase() === b.toUpperCase();
  const ok =
    same(actual.name, wanted.name) &&
    (wantedHash === undefined || same(actual.hash?.name, wantedHash)) &&
    (wanted.namedCurve === undefined || actual.namedCurve === wanted.namedCurve) &&
    (key.type === 'secret') === entry.symmetric;
  if (!ok) {
    const name = describeAlgorithm(actual.name, actual.hash?.name, actual.namedCurve);
    throw new HttpSigError(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      `The CryptoKey is a ${key.type} ${name} key, but ${entry.name} needs ${describeAlgorithm(wanted.name, wantedHash, wanted.namedCurve)}`,
      { parameter: 'alg' },
    );
  }
}

function describeAlgorithm(name: unknown, hash: unknown, curve: unknown): string {
  const show = (v: unknown) => (typeof v === 'string' ? v.slice(0, 24) : '?');
  return [
    show(name),
    hash === undefined ? '' : `/${show(hash)}`,
    curve === undefined ? '' : ` ${show(curve)}`,
  ].join('');
}
