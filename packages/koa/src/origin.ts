/** The origin a client addressed, for binding a signed response to its request (`;req`). */
import type { Context } from 'koa';

export type OriginOption = string | readonly string[] | ((ctx: Context) => string);

function compileOrigins(option: string | readonly string[]): URL[] {
  return (typeof option === 'string' ? [option] : [...option]).map((origin) => {
    const url = new URL(origin);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search) {
      throw new TypeError(
        `origin: "${origin}" must be a scheme and authority only, e.g. https://api.example.com`,
      );
    }
    return url;
  });
}

/**
 * A resolver for the origin of a request: a configured one (the one `Host` names, else the
 * first), a function of the context, or Koa's protocol and host. Not `ctx.origin`: Koa 3 made
 * that the request's `Origin` header.
 */
export function originResolver(option: OriginOption | undefined): (ctx: Context) => string {
  if (typeof option === 'function') return (ctx) => option(ctx).replace(/\/+$/, '');
  if (option === undefined) return (ctx) => `${ctx.protocol}://${ctx.host.toLowerCase()}`;
  const origins = compileOrigins(option);
  return (ctx) => {
    const host = ctx.host.toLowerCase();
    return (origins.find((url) => url.host === host) ?? (origins[0] as URL)).origin;
  };
}
