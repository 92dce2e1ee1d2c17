import type { SchemeOptions, SignerOptions } from '@httpsig/core';

/**
 * Options for `withSignatures` and `createSigningAdapter`: the client signer options of
 * `@httpsig/core` (key or sign callback, keyid, components, label, created, expiresIn, nonce,
 * tag, includeAlg, digest, maxBodySize, now), and the scheme: `scheme` ('rfc9421', 'cavage' or
 * 'double-knock'), `cavage` (draft-cavage options) and `schemeMemory`.
 */
export type AxiosSigningOptions = SignerOptions & SchemeOptions;
