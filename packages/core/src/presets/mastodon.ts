/**
 * Settings that interoperate with Mastodon (and the ActivityPub servers that copy it): draft-cavage
 * signatures over `(request-target) host date` (+ `digest` with a body), RSA keys, a 12-hour window.
 */
import type { Algorithm } from '../algorithms/registry';
import type { ComponentInput } from '../base/types';
import type { CavageSignOptions } from '../cavage/sign';
import type { CavageVerifyOptions } from '../cavage/verify';

export interface MastodonPreset {
  /**
   * Options for `verifyCavage` (add `keys`), or `cavage` in @httpsig/server. `requiredHeaders` is
   * left unset on purpose: the core default is Mastodon's rule, `(request-target) host date`
   * plus `digest` when the request has a body, which a fixed list cannot express.
   */
  readonly verify: Readonly<Omit<CavageVerifyOptions, 'keys'>>;
  /**
   * Options for `signCavage` (add `key` and `keyId`): the legacy algorithm name (`rsa-sha256` for
   * RSA keys), a `Signature` header and a `Digest` for a body. `headers` is left to the core
   * default, `(request-target) host date` plus `digest` with a body, as Mastodon signs.
   */
  readonly sign: Readonly<Omit<CavageSignOptions, 'key'>>;
  /** The headers Mastodon signs on a request with a body, in order. */
  readonly signedHeaders: readonly string[];
  /**
   * RFC 9421 signing as Mastodon's RFC 9421 support verifies it (spread into `signMessage` options).
   * `created` and `keyid` come from signMessage's default params, so no `params` are set here.
   */
  readonly rfc9421: {
    readonly components: readonly ComponentInput[];
  };
}

/** Mastodon accepts signatures up to 12 hours old, with an hour of clock skew. */
const twelveHours = 12 * 60 * 60;
const oneHour = 60 * 60;

const algorithms: readonly Algorithm[] = Object.freeze(['rsa-v1_5-sha256', 'ed25519'] as const);

export const mastodonPreset: MastodonPreset = Object.freeze({
  verify: Object.freeze({
    // Senders without a `headers` parameter meant `date` (draft-cavage before -10).
    defaultHeaders: Object.freeze(['date']),
    // `rsa-sha256` maps to rsa-v1_5-sha256; `hs2019` is left to the key, so RSA keys verify it too.
    algorithms,
    maxAge: twelveHours,
    clockSkew: oneHour,
  }),
  sign: Object.freeze({
    algorithm: 'legacy',
    form: 'signature',
    digest: true,
  }),
  signedHeaders: Object.freeze(['(request-target)', 'host', 'date', 'digest']),
  rfc9421: Object.freeze({
    components: Object.freeze(['@method', '@target-uri', 'content-digest']),
  }),
});

/** Ready-made interoperability settings, by peer. */
export const presets = Object.freeze({ mastodon: mastodonPreset });
