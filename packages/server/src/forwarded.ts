/**
 * What trusted proxies say about the original request: `Forwarded` (RFC 7239) or the
 * `X-Forwarded-Proto` / `X-Forwarded-Host` conventions, believed only from a trusted peer. In a
 * `Forwarded` chain the nearest element is read first, and earlier ones while their sender is
 * trusted too; of `X-Forwarded-*` only the value our peer appended (the last) counts.
 */
import type { ProxyTrust } from './trusted-proxies';

export interface ForwardedView {
  readonly proto: string | undefined;
  readonly host: string | undefined;
}

interface Hop {
  readonly for?: string;
  readonly proto?: string;
  readonly host?: string;
}

function unquote(value: string): string {
  const v = value.trim();
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

function forwardedHops(values: readonly string[]): Hop[] {
  const hops: Hop[] = [];
  for (const element of values.join(',').split(',')) {
    const hop: Record<string, string> = {};
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      hop[pair.slice(0, eq).trim().toLowerCase()] = unquote(pair.slice(eq + 1));
    }
    hops.push(hop);
  }
  return hops;
}

function list(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .join(',')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * The original proto and host as told by the trusted proxies between the client and us.
 * `peer` is the address that connected to us; `fields` are lower-case name → lines.
 */
export function readForwarded(
  peer: string | undefined,
  fields: ReadonlyMap<string, readonly string[]>,
  trusted: ProxyTrust,
): ForwardedView | undefined {
  if (peer === undefined || !trusted(peer)) return undefined;
  const forwarded = fields.get('forwarded');
  if (forwarded) {
    // The last element was added by our peer; walk back while the element's sender is trusted.
    const hops = forwardedHops(forwarded);
    let chosen: Hop | undefined;
    for (let i = hops.length - 1; i >= 0; i--) {
      chosen = hops[i];
      const sender = hops[i]?.for;
      if (sender === undefined || !trusted(sender)) break;
    }
    return { proto: chosen?.proto?.toLowerCase(), host: chosen?.host };
  }
  // X-Forwarded-*: each proxy appends; the last value is what our (trusted) peer received.
  return {
    proto: list(fields.get('x-forwarded-proto')).at(-1)?.toLowerCase(),
    host: list(fields.get('x-forwarded-host')).at(-1),
  };
}
