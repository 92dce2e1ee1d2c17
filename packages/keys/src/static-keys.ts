/** A fixed map of trusted keys, with several keys per keyid for rotation overlap. */
import type { HttpSigKey, KeyResolver } from '@httpsig/core';
import { chooseAlgorithm, combineKeys } from './select-key';

export type StaticKeyMap =
  | Readonly<Record<string, HttpSigKey | readonly HttpSigKey[]>>
  | ReadonlyMap<string, HttpSigKey | readonly HttpSigKey[]>;

/**
 * A resolver over a fixed map keyid → key or keys. With several keys for a keyid, the signature's
 * `alg` picks those of that algorithm; without `alg` the keys must share one algorithm. The keys
 * left are all tried: a signature verified by any of them is accepted.
 */
export function staticKeys(map: StaticKeyMap): KeyResolver {
  const table = new Map<string, readonly HttpSigKey[]>();
  const entries = map instanceof Map ? [...map] : Object.entries(map as Record<string, unknown>);
  for (const [keyid, value] of entries as [string, HttpSigKey | readonly HttpSigKey[]][]) {
    const keys: readonly HttpSigKey[] = Array.isArray(value) ? value : [value as HttpSigKey];
    for (const key of keys) {
      if (typeof key?.verify !== 'function' || typeof key.alg !== 'string') {
        throw new TypeError(`staticKeys: the value for keyid ${JSON.stringify(keyid)} is not an HttpSigKey`);
      }
    }
    if (keys.length > 0) table.set(keyid, Object.freeze([...keys]));
  }
  // Combined keys are kept, so every verification with a keyid and alg gets the same key object.
  const combined = new Map<string, HttpSigKey>();
  return (keyid, params) => {
    if (keyid === undefined) return undefined;
    const keys = table.get(keyid);
    if (keys === undefined) return undefined;
    const alg = chooseAlgorithm(
      keys.map((key) => [key.alg]),
      params.alg,
    );
    const slot = `${alg} ${keyid}`;
    let key = combined.get(slot);
    if (key === undefined) {
      key = combineKeys(
        keys.filter((candidate) => candidate.alg === alg),
        alg,
        keyid,
      );
      combined.set(slot, key);
    }
    return key;
  };
}
