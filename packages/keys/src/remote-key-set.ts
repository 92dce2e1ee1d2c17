/**
 * A key set fetched over HTTP and kept by `RefreshingCache`: the part the JWKS resolver and the
 * Web Bot Auth directory resolvers share. An unknown keyid triggers one refetch (subject to the
 * cooldown; concurrent ones share it), which is how a newly published key is picked up before
 * the cached set expires.
 */
import type { HttpSigKey } from '@httpsig/core';
import { type CacheTiming, type Loaded, RefreshingCache } from './cache/refreshing-cache';
import { KeySetFetchError } from './errors';
import { fetchBounded } from './http/bounded-fetch';
import { freshnessLifetime } from './http/cache-lifetime';
import { decodeJson, readJwkSet } from './jwk/document';
import { type DescribeKey, JwkKeySet, type KeyMatch } from './jwk/key-set';
import type { ResolvedRemoteOptions } from './options';

export class RemoteKeySet {
  private readonly cache: RefreshingCache<JwkKeySet>;

  constructor(
    load: () => Promise<Loaded<JwkKeySet>>,
    timing: CacheTiming,
    private readonly clock: () => number,
  ) {
    this.cache = new RefreshingCache(load, timing, clock);
  }

  /** The key for `keyid`, or undefined when the set (refetched if allowed) does not list it. */
  async resolve(keyid: string, signatureAlg: string | undefined): Promise<HttpSigKey | undefined> {
    let set = await this.cache.current();
    if (!set.has(keyid)) {
      const refetched = await this.cache.refetch();
      if (refetched === undefined || !refetched.has(keyid)) return undefined;
      set = refetched;
    }
    return set.key(keyid, signatureAlg, this.clock());
  }
}

/** Loads a JWK Set from `url` under the fetch limits, fresh for as long as its headers say. */
export function httpKeySetLoader(
  url: URL,
  options: ResolvedRemoteOptions,
  accept: string,
  match: KeyMatch,
  describe: DescribeKey,
): () => Promise<Loaded<JwkKeySet>> {
  return async () => {
    const fetched = await fetchBounded(url, { ...options, accept });
    const records = readJwkSet(decodeJson(fetched.body), options.maxKeys);
    const value = await JwkKeySet.build(records, match, describe);
    return { value, maxAge: freshnessLifetime(fetched.headers, options.clock(), options) };
  };
}

/** Loads a JWK Set from a callback; it is kept for `defaultMaxAge` (within the bounds). */
export function callbackKeySetLoader(
  fetchJwks: () => unknown,
  options: ResolvedRemoteOptions,
  match: KeyMatch,
  describe: DescribeKey,
): () => Promise<Loaded<JwkKeySet>> {
  return async () => {
    let document: unknown;
    try {
      document = await fetchJwks();
    } catch (error) {
      throw new KeySetFetchError('the fetchJwks callback failed', { cause: error });
    }
    const value = await JwkKeySet.build(readJwkSet(document, options.maxKeys), match, describe);
    const maxAge = Math.min(options.maxMaxAge, Math.max(options.minMaxAge, options.defaultMaxAge));
    return { value, maxAge };
  };
}
