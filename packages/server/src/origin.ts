/**
 * The scheme and authority a request was addressed to, for `@scheme`, `@authority` and
 * `@target-uri`. A pinned `origin` wins; otherwise the connection and `Host` (or HTTP/2
 * `:authority`) say it, and forwarded fields only when the peer is a trusted proxy.
 */
import { HttpSigError } from '@httpsig/core';
import { readForwarded } from './forwarded';
import type { ProxyTrust } from './trusted-proxies';
import type { IncomingRequestInfo } from './types';

export interface OriginPolicy {
  readonly pinned: readonly URL[];
  readonly trusted: ProxyTrust;
  readonly requireTls: boolean;
}

export function compilePinnedOrigins(option: string | readonly string[] | undefined): URL[] {
  const list = option === undefined ? [] : typeof option === 'string' ? [option] : [...option];
  return list.map((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new TypeError(`origin: "${origin}" is not a URL such as https://api.example.com`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search) {
      throw new TypeError(
        `origin: "${origin}" must be a scheme and authority only, e.g. https://api.example.com`,
      );
    }
    return url;
  });
}

/** The origin (`https://host[:port]`) the request is verified against. */
export function resolveOrigin(
  info: IncomingRequestInfo,
  fields: ReadonlyMap<string, readonly string[]>,
  policy: OriginPolicy,
): string {
  const forwarded = readForwarded(info.remoteAddress, fields, policy.trusted);
  const scheme = forwarded?.proto ?? (info.encrypted ? 'https' : 'http');
  if (policy.requireTls && scheme !== 'https') {
    throw new HttpSigError('ERR_HTTPSIG_TLS_REQUIRED', 'This API accepts requests over HTTPS only');
  }
  const host = forwarded?.host ?? info.authority ?? fields.get('host')?.[0];
  if (policy.pinned.length > 0) {
    // With several pinned origins, Host picks one of them and nothing else.
    const match = policy.pinned.find((url) => url.host === host?.toLowerCase()) ?? policy.pinned[0];
    return (match as URL).origin;
  }
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) {
    throw new HttpSigError(
      'ERR_HTTPSIG_MISSING_COMPONENT',
      'The request has no usable Host to verify @authority against',
      {
        component: '"@authority"',
      },
    );
  }
  return `${scheme}://${host.toLowerCase()}`;
}
