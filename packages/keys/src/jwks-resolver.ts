/**
 * A resolver backed by a JWK Set endpoint, e.g. an identity provider's `jwks_uri`.
 *
 * jose's `createRemoteJWKSet` is not used: it ignores Cache-Control, has no byte cap, address guard
 * or redirect policy, does not serve a stale set during an outage, and hands back a `CryptoKey`
 * chosen by JWS rules. Fetching is done here (bounded-fetch.ts) and keys are imported by core
 * (jwk/key-set.ts) as `HttpSigKey`s bound to one algorithm.
 */
import type { KeyResolver } from '@httpsig/core';
import type { KeyMatch } from './jwk/key-set';
import { type RemoteKeySetOptions, resolveRemoteOptions } from './options';
import { callbackKeySetLoader, httpKeySetLoader, RemoteKeySet } from './remote-key-set';

export interface JwksResolverOptions extends RemoteKeySetOptions {
  /** The JWK Set URL. Give this or `fetchJwks`. */
  url?: string | URL;
  /**
   * Supplies the JWK Set document (a `{ keys: [...] }` object) instead of fetching `url`, e.g. from
   * a file or a KV store. Its result is kept for `defaultMaxAge` seconds.
   */
  fetchJwks?: () => unknown;
  /** Match a signature's keyid against each JWK's `kid`, or its RFC 7638 thumbprint. @default 'kid' */
  match?: KeyMatch;
}

const JWKS_ACCEPT = 'application/jwk-set+json, application/json;q=0.9';

export function createJwksResolver(options: JwksResolverOptions): KeyResolver {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createJwksResolver: options are required');
  const { url, fetchJwks } = options;
  if ((url === undefined) === (fetchJwks === undefined)) {
    throw new TypeError('createJwksResolver: pass exactly one of url and fetchJwks');
  }
  const match = options.match ?? 'kid';
  if (match !== 'kid' && match !== 'thumbprint') {
    throw new TypeError("createJwksResolver: match must be 'kid' or 'thumbprint'");
  }
  const resolved = resolveRemoteOptions(options, 'createJwksResolver');
  let load: ConstructorParameters<typeof RemoteKeySet>[0];
  if (fetchJwks !== undefined) {
    if (typeof fetchJwks !== 'function')
      throw new TypeError('createJwksResolver: fetchJwks must be a function');
    load = callbackKeySetLoader(fetchJwks, resolved, match, (kid) => ({ kind: 'jwks', kid }));
  } else {
    const endpoint = new URL(url as string | URL);
    const href = endpoint.href;
    load = httpKeySetLoader(endpoint, resolved, JWKS_ACCEPT, match, (kid) => ({
      kind: 'jwks',
      url: href,
      kid,
    }));
  }
  const keySet = new RemoteKeySet(load, resolved, resolved.clock);
  return (keyid, params) => (keyid === undefined ? undefined : keySet.resolve(keyid, params.alg));
}
