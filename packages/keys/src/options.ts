/** Options shared by the resolvers that fetch key sets, with their defaults and checks. */
import type { FetchFunction } from './http/bounded-fetch';
import type { LookupAddresses } from './http/url-guard';
import { type Clock, systemClock } from './time';

export interface RemoteKeySetOptions {
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: FetchFunction;
  /** Shortest time, in seconds, a fetched key set is kept, whatever its caching headers say. @default 30 */
  minMaxAge?: number;
  /** Longest time, in seconds, a fetched key set is kept before it is fetched again. @default 86400 */
  maxMaxAge?: number;
  /** How long, in seconds, a key set without caching headers is kept. @default 300 */
  defaultMaxAge?: number;
  /** Least time, in seconds, between two fetches (refetch for an unknown keyid, retry after a failure). @default 30 */
  cooldown?: number;
  /** How long, in seconds, an expired key set is still used while the endpoint is down. @default 3600 */
  staleFor?: number;
  /** Wall-clock limit for one fetch, headers and body, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** Largest accepted response body, in bytes. @default 1 MiB */
  maxBytes?: number;
  /** Most keys a key set may hold; a larger set is refused as a whole. @default 100 */
  maxKeys?: number;
  /** Redirects followed, each checked like the first URL. @default 0 — a redirect fails the fetch */
  maxRedirects?: number;
  /**
   * Fetch from loopback, private and link-local addresses. @default false — such IP literals and
   * local host names are refused. Host names resolving to private addresses are caught only with `lookup`.
   */
  allowPrivateNetworks?: boolean;
  /** Fetch over plain `http:`. @default false */
  allowHttp?: boolean;
  /** Resolves a host name to its addresses, so that every one can be checked before the fetch. */
  lookup?: LookupAddresses;
  /** The clock, in Unix seconds. @default Date.now() / 1000 */
  clock?: Clock;
}

export interface ResolvedRemoteOptions {
  readonly fetch: FetchFunction | undefined;
  readonly minMaxAge: number;
  readonly maxMaxAge: number;
  readonly defaultMaxAge: number;
  readonly cooldown: number;
  readonly staleFor: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxKeys: number;
  readonly maxRedirects: number;
  readonly allowPrivateNetworks: boolean;
  readonly allowHttp: boolean;
  readonly lookup: LookupAddresses | undefined;
  readonly clock: Clock;
}

function count(name: string, value: number | undefined, fallback: number, minimum = 0): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved < minimum) {
    throw new RangeError(`${name} must be a finite number of at least ${minimum}`);
  }
  return resolved;
}

export function resolveRemoteOptions(options: RemoteKeySetOptions, caller: string): ResolvedRemoteOptions {
  const at = (name: string) => `${caller}: ${name}`;
  const minMaxAge = count(at('minMaxAge'), options.minMaxAge, 30);
  const maxMaxAge = count(at('maxMaxAge'), options.maxMaxAge, 86400);
  if (maxMaxAge < minMaxAge) throw new RangeError(`${caller}: maxMaxAge must not be below minMaxAge`);
  for (const name of ['fetch', 'lookup', 'clock'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new TypeError(`${caller}: ${name} must be a function`);
    }
  }
  return {
    fetch: options.fetch,
    minMaxAge,
    maxMaxAge,
    defaultMaxAge: count(at('defaultMaxAge'), options.defaultMaxAge, 300),
    cooldown: count(at('cooldown'), options.cooldown, 30),
    staleFor: count(at('staleFor'), options.staleFor, 3600),
    timeoutMs: count(at('timeoutMs'), options.timeoutMs, 5000, 1),
    maxBytes: count(at('maxBytes'), options.maxBytes, 1024 * 1024, 1),
    maxKeys: count(at('maxKeys'), options.maxKeys, 100, 1),
    maxRedirects: Math.floor(count(at('maxRedirects'), options.maxRedirects, 0)),
    allowPrivateNetworks: options.allowPrivateNetworks === true,
    allowHttp: options.allowHttp === true,
    lookup: options.lookup,
    clock: options.clock ?? systemClock,
  };
}
