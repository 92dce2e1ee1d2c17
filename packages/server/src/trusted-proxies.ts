/** Which peers are trusted proxies: exact addresses or CIDR ranges, IPv4 and IPv6 (via ipaddr.js). */
import ipaddr from 'ipaddr.js';

export type ProxyTrust = (address: string) => boolean;

function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  // ::ffff:10.0.0.1 is the IPv4 peer 10.0.0.1 on a dual-stack socket.
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/** Compile the `trustedProxies` option into a predicate. */
export function compileProxyTrust(option: readonly string[] | ProxyTrust | undefined): ProxyTrust {
  if (option === undefined) return () => false;
  if (typeof option === 'function') return option;
  const ranges = option.map((entry) => {
    const text = entry.includes('/') ? entry : `${entry}/${entry.includes(':') ? 128 : 32}`;
    try {
      return ipaddr.parseCIDR(text);
    } catch {
      throw new TypeError(`trustedProxies: "${entry}" is not an IP address or CIDR range`);
    }
  });
  return (address) => {
    const parsed = parseAddress(address);
    if (!parsed) return false;
    return ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  };
}
