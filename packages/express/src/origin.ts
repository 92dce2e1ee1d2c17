/** The origin a client addressed, for binding a signed response to its request. */
import type { Request } from 'express';

export function compileOrigins(option: string | readonly string[] | undefined): URL[] {
  const list = option === undefined ? [] : typeof option === 'string' ? [option] : [...option];
  return list.map((origin) => {
    const url = new URL(origin);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search) {
      throw new TypeError(
        `origin: "${origin}" must be a scheme and authority only, e.g. https://api.example.com`,
      );
    }
    return url;
  });
}

/** A configured origin (the one `Host` names, else the first), or Express's protocol and `Host`. */
export function requestOrigin(req: Request, origins: readonly URL[]): string {
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined);
  if (origins.length > 0) {
    return (origins.find((url) => url.host === host?.toLowerCase()) ?? (origins[0] as URL)).origin;
  }
  return `${req.protocol}://${(host ?? 'localhost').toLowerCase()}`;
}
