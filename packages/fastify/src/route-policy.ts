/** What a route's `config.httpSignatures` asks for: no verification, or the overrides to verify with. */
import type { RouteOverrides } from '@httpsig/server';
import type { RouteSignatureConfig } from './types';

/** The overrides to verify a route with, or `undefined` when the route is not verified. */
export function routeOverrides(
  config: RouteSignatureConfig | undefined,
  global: boolean,
): RouteOverrides | undefined {
  if (config === undefined) return global ? {} : undefined;
  if (config === false) return undefined;
  if (config === true) return {};
  if (config.skip === true) return undefined;
  const { signResponses: _sign, skip: _skip, ...overrides } = config;
  return overrides;
}

/** Whether a route's responses are signed (when the plugin signs responses at all). */
export function routeSignsResponses(config: RouteSignatureConfig | undefined): boolean {
  return typeof config !== 'object' || config.signResponses !== false;
}

/** Refuse a malformed `config.httpSignatures` when the route is declared, not at its first request. */
export function checkRouteConfig(config: unknown, route: string): void {
  if (config === undefined || typeof config === 'boolean') return;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TypeError(`${route}: config.httpSignatures must be a boolean or an object of policy overrides`);
  }
  // The verifier settles the origin once for all routes: a route value would be silently ignored.
  for (const name of ['keys', 'nonceStore', 'debug', 'origin', 'trustedProxies', 'requireTls'] as const) {
    if (name in config) {
      throw new TypeError(`${route}: config.httpSignatures.${name} can only be set on the plugin`);
    }
  }
}
