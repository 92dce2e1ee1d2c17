import type { SignerOptions } from '@httpsig/core';

/**
 * Options for `withSignatures` and `createSigningAdapter`: the client signer options of
 * `@httpsig/core` (key or sign callback, keyid, components, label, created, expiresIn, nonce,
 * tag, includeAlg, digest, maxBodySize, now).
 */
export type AxiosSigningOptions = SignerOptions;
