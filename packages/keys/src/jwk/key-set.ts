/**
 * One fetched key set, indexed by keyid, with its keys imported on first use. Keys are imported
 * through core's `importKey` rather than jose's `importJWK`: core checks the JWK against the
 * algorithm (kty, crv, key strength) and returns the `HttpSigKey` bound to that algorithm that the
 * verifier needs, which a jose `CryptoKey` would still have to be wrapped into.
 */
import { type Algorithm, type HttpSigKey, importKey, jwkThumbprint } from '@httpsig/core';
import { unknownKey } from '../errors';
import { type KeySource, recordSource } from '../key-source';
import { chooseAlgorithm, combineKeys } from '../select-key';
import type { JwkRecord } from './document';

/** How a signature's keyid finds its key: the JWK's `kid`, or its RFC 7638 SHA-256 thumbprint. */
export type KeyMatch = 'kid' | 'thumbprint';

/** The attribution recorded on each key imported from the set. */
export type DescribeKey = (keyid: string) => KeySource;

export class JwkKeySet {
  private readonly imported = new WeakMap<JwkRecord, Map<Algorithm, Promise<HttpSigKey>>>();
  private readonly combined = new Map<string, HttpSigKey>();

  private constructor(
    private readonly index: ReadonlyMap<string, readonly JwkRecord[]>,
    private readonly describe: DescribeKey,
  ) {}

  static async build(
    records: readonly JwkRecord[],
    match: KeyMatch,
    describe: DescribeKey,
  ): Promise<JwkKeySet> {
    const index = new Map<string, JwkRecord[]>();
    for (const record of records) {
      const id = match === 'kid' ? record.kid : await thumbprintOf(record);
      if (id === undefined) continue;
      const list = index.get(id);
      if (list) list.push(record);
      else index.set(id, [record]);
    }
    return new JwkKeySet(index, describe);
  }

  has(keyid: string): boolean {
    return this.index.has(keyid);
  }

  /**
   * The key for `keyid` at time `now`, bound to the algorithm the keys and the signature's `alg`
   * agree on; undefined when the set has no key with this keyid.
   */
  async key(keyid: string, signatureAlg: string | undefined, now: number): Promise<HttpSigKey | undefined> {
    const records = this.index.get(keyid);
    if (records === undefined) return undefined;
    const active = records.filter(
      (record) =>
        (record.notBefore === undefined || now >= record.notBefore) &&
        (record.expires === undefined || now < record.expires),
    );
    if (active.length === 0)
      throw unknownKey('The published key with this keyid is outside its nbf/exp period');
    const alg = chooseAlgorithm(
      active.map((record) => record.algorithms),
      signatureAlg,
    );
    const slot = `${alg} ${keyid}`;
    const done = this.combined.get(slot);
    if (done !== undefined) return done;
    const keys = await Promise.all(
      active
        .filter((record) => record.algorithms.includes(alg))
        .map((record) => this.importRecord(record, alg, keyid)),
    );
    const key = combineKeys(keys, alg, keyid);
    // Only a combination of the currently active keys may be kept: nbf/exp can change the set.
    if (active.length === records.length) this.combined.set(slot, key);
    return key;
  }

  private importRecord(record: JwkRecord, alg: Algorithm, keyid: string): Promise<HttpSigKey> {
    let byAlg = this.imported.get(record);
    if (byAlg === undefined) {
      byAlg = new Map();
      this.imported.set(record, byAlg);
    }
    let pending = byAlg.get(alg);
    if (pending === undefined) {
      pending = importKey(record.jwk as JsonWebKey, { alg, keyid, use: 'public' }).then(
        (key) => recordSource(key, this.describe(keyid)),
        (error: unknown) => {
          // The set is published by someone else: an unusable key is their fault, not this server's.
          const reason = error instanceof Error ? `: ${error.message}` : '';
          throw unknownKey(`The published key with this keyid cannot be used${reason}`, { cause: error });
        },
      );
      byAlg.set(alg, pending);
    }
    return pending;
  }
}

async function thumbprintOf(record: JwkRecord): Promise<string | undefined> {
  try {
    return await jwkThumbprint(record.jwk as JsonWebKey);
  } catch {
    // A key whose required members are malformed has no thumbprint and cannot be selected.
    return undefined;
  }
}
