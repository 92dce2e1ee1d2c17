/**
 * Where a resolved key came from. Attribution is the point of Web Bot Auth (the identifier is the
 * directory URL the key was fetched from), so the verified key can be traced back without
 * changing core's `HttpSigKey` shape.
 */
import type { HttpSigKey } from '@httpsig/core';

export type KeySource =
  | {
      readonly kind: 'jwks';
      /** The JWKS URL; absent when the set came from a `fetchJwks` callback. */
      readonly url?: string;
      readonly kid: string;
    }
  | {
      readonly kind: 'directory';
      /** The directory URL that served the key: the identifier of the signing agent. */
      readonly url: string;
      readonly thumbprint: string;
    }
  | {
      readonly kind: 'certificate';
      readonly subject: string;
      readonly issuer: string;
      readonly serialNumber: string;
      readonly notBefore: Date;
      readonly notAfter: Date;
      /** Whether the certificate was chained to one of the trusted CAs. */
      readonly chained: boolean;
    };

const sources = new WeakMap<HttpSigKey, KeySource>();

export function recordSource(key: HttpSigKey, source: KeySource): HttpSigKey {
  sources.set(key, Object.freeze(source));
  return key;
}

/** Where a key returned by one of this package's resolvers came from (e.g. `verified.key`). */
export function keySource(key: HttpSigKey): KeySource | undefined {
  return sources.get(key);
}
