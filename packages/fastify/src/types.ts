import type { SignerOptions, VerifyResult } from '@httpsig/core';
import type { RouteOverrides, VerifierOptions } from '@httpsig/server';

/** Options of the `httpSignatures` plugin: the verifier's options, plus scope and response signing. */
export interface HttpSignaturesOptions extends VerifierOptions {
  /**
   * Verify every route in the plugin's scope (`true`), or only routes whose `config.httpSignatures`
   * opts in (`false`). @default true
   */
  global?: boolean;
  /** Sign every response in scope with this key and these options (`@status`, `;req` binding, `Content-Digest`). */
  signResponses?: SignerOptions;
}

/**
 * The policy a route may tighten. The origin (`origin`, `trustedProxies`, `requireTls`) is the
 * plugin's, for every route in its scope: register the plugin in another scope for another origin.
 */
export type RoutePolicy = Omit<RouteOverrides, 'origin' | 'trustedProxies' | 'requireTls'>;

/**
 * A route's `config.httpSignatures`: `false` skips verification, `true` opts in (with
 * `global: false`), an object applies a stricter policy on top of the plugin's options.
 */
export type RouteSignatureConfig =
  | boolean
  | (RoutePolicy & {
      /** Sign this route's responses (when the plugin has `signResponses`). @default true */
      readonly signResponses?: boolean;
    });

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified signature; `null` on routes that are not verified. */
    signature: VerifyResult | null;
  }
  interface FastifyContextConfig {
    /** Per-route HTTP Message Signatures policy (see `RouteSignatureConfig`). */
    httpSignatures?: RouteSignatureConfig;
  }
}
