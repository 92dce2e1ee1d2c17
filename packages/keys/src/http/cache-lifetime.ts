/**
 * How long a fetched key set stays fresh, from its HTTP caching headers (RFC 9111 §4.2.1):
 * `Cache-Control: max-age` minus `Age`, else `Expires` minus `Date`, else a default; always within
 * [min, max]. `no-store` and `no-cache` give the minimum: a verifier cannot refetch on every
 * request, and the minimum is what the server operator accepts as the shortest cache life.
 */

export interface LifetimeBounds {
  /** Shortest freshness, in seconds, whatever the headers say. */
  readonly minMaxAge: number;
  /** Longest freshness, in seconds: a removed key stops verifying at most this long after. */
  readonly maxMaxAge: number;
  /** Freshness when the response carries no caching headers. */
  readonly defaultMaxAge: number;
}

/** Cache-Control directives, lower-cased, with their (unquoted) arguments. */
export function parseCacheControl(value: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  if (value === null) return directives;
  // name [= token | quoted-string], comma-separated; a quoted argument may itself hold commas.
  const directive = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s,"]*))?\s*(?:,|$)/y;
  while (directive.lastIndex < value.length) {
    const match = directive.exec(value);
    if (match === null) break;
    const name = (match[1] as string).toLowerCase();
    const argument = match[2];
    // RFC 9111 §4.2.1: with a duplicated directive, the first one wins.
    if (directives.has(name)) continue;
    directives.set(
      name,
      argument === undefined
        ? true
        : argument.startsWith('"')
          ? argument.slice(1, -1).replace(/\\(.)/g, '$1')
          : argument,
    );
  }
  return directives;
}

function deltaSeconds(value: string | true | undefined): number | undefined {
  return typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms.
const HTTP_DATE = [
  /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

function httpDate(value: string | null): number | undefined {
  if (value === null || !HTTP_DATE.some((form) => form.test(value.trim()))) return undefined;
  // asctime carries no zone and means GMT.
  const time = Date.parse(/GMT$/.test(value.trim()) ? value : `${value} GMT`);
  return Number.isNaN(time) ? undefined : time / 1000;
}

/** Freshness lifetime in seconds for a response received at `now` (Unix seconds). */
export function freshnessLifetime(headers: Headers, now: number, bounds: LifetimeBounds): number {
  const clamp = (seconds: number) => Math.min(bounds.maxMaxAge, Math.max(bounds.minMaxAge, seconds));
  const cacheControl = parseCacheControl(headers.get('cache-control'));
  if (cacheControl.has('no-store') || cacheControl.has('no-cache')) return bounds.minMaxAge;
  const age = deltaSeconds(headers.get('age') ?? undefined) ?? 0;
  if (cacheControl.has('max-age')) {
    // An unparseable max-age means the response is already stale (RFC 9111 §4.2.1).
    const maxAge = deltaSeconds(cacheControl.get('max-age'));
    return clamp(maxAge === undefined ? 0 : maxAge - age);
  }
  const expiresHeader = headers.get('expires');
  if (expiresHeader !== null) {
    // An invalid Expires (e.g. "0") also means already expired (RFC 9111 §5.3).
    const expires = httpDate(expiresHeader);
    const date = httpDate(headers.get('date')) ?? now;
    return clamp(expires === undefined ? 0 : expires - date - age);
  }
  return clamp(bounds.defaultMaxAge);
}
