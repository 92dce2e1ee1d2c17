/**
 * A signature is a credential for one URL. Node's http adapter follows redirects itself and
 * would hand it to whichever origin the Location names: mark the signature fields sensitive so
 * that axios drops them on a redirect to another origin, as it does for Authorization.
 */
import type { InternalAxiosRequestConfig } from 'axios';

const signatureFields = ['signature', 'signature-input'];

export function protectOnRedirect(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  const current: unknown = config.sensitiveHeaders;
  // A malformed value is left for axios to refuse with its own error.
  if (current !== undefined && current !== null && !Array.isArray(current)) return config;
  const names = new Set([...((current as string[] | null) ?? []), ...signatureFields]);
  return { ...config, sensitiveHeaders: [...names] };
}
