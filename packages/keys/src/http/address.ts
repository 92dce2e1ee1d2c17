/**
 * IP address literals and whether they belong to the public internet. Everything special-purpose
 * (RFC 6890 and its updates) counts as private: loopback, private, shared (CGNAT), link-local,
 * documentation, benchmarking, multicast, reserved; IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by that address.
 */

/** Dotted-decimal IPv4 (the form WHATWG URL parsing normalizes every IPv4 host to). */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

/** An IPv6 address as eight 16-bit groups; a zone index (`%eth0`) is ignored. */
export function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

// Special-purpose IPv4 blocks as [a, b, c, d, prefix length].
const PRIVATE_V4: readonly (readonly [number, number, number, number, number])[] = [
  [0, 0, 0, 0, 8], // "this network"
  [10, 0, 0, 0, 8],
  [100, 64, 0, 0, 10], // shared address space (CGNAT)
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16],
  [172, 16, 0, 0, 12],
  [192, 0, 0, 0, 24], // IETF protocol assignments
  [192, 0, 2, 0, 24], // TEST-NET-1
  [192, 88, 99, 0, 24], // 6to4 relay anycast
  [192, 168, 0, 0, 16],
  [198, 18, 0, 0, 15], // benchmarking
  [198, 51, 100, 0, 24], // TEST-NET-2
  [203, 0, 113, 0, 24], // TEST-NET-3
  [224, 0, 0, 0, 4], // multicast
  [240, 0, 0, 0, 4], // reserved, and the broadcast address
];

function v4Number(bytes: readonly number[]): number {
  return (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
}

function isPublicV4(bytes: readonly number[]): boolean {
  const value = v4Number(bytes);
  return !PRIVATE_V4.some(([a, b, c, d, prefix]) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (value & mask) >>> 0 === (v4Number([a, b, c, d]) & mask) >>> 0;
  });
}

function embeddedV4(high: number, low: number): number[] {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

function isPublicV6(groups: readonly number[]): boolean {
  const g = (i: number) => groups[i] ?? 0;
  const zeroTo = (n: number) => groups.slice(0, n).every((group) => group === 0);
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d, incl. :: and ::1).
  if (zeroTo(5) && (g(5) === 0xffff || g(5) === 0)) return isPublicV4(embeddedV4(g(6), g(7)));
  // NAT64 well-known prefix 64:ff9b::/96; its local-use sibling 64:ff9b:1::/48 is private.
  if (g(0) === 0x64 && g(1) === 0xff9b) {
    return g(2) === 0 && g(3) === 0 && g(4) === 0 && g(5) === 0 && isPublicV4(embeddedV4(g(6), g(7)));
  }
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
  if (g(0) === 0x2002) return isPublicV4(embeddedV4(g(1), g(2)));
  // 2001::/23: IETF protocol assignments (Teredo, ORCHID, …); 2001:db8::/32: documentation.
  if (g(0) === 0x2001 && (g(1) < 0x200 || g(1) === 0xdb8)) return false;
  // Only global unicast (2000::/3) is public; ULA, link-local, site-local, multicast and the rest are not.
  return (g(0) & 0xe000) === 0x2000;
}

/** Whether an IP literal (IPv4, or IPv6 with or without brackets) is a public internet address. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4 !== undefined) return isPublicV4(v4);
  const v6 = parseIPv6(address.replace(/^\[(.*)\]$/, '$1'));
  return v6 !== undefined && isPublicV6(v6);
}

/** Whether a URL host is an IP literal rather than a name. */
export function isAddressLiteral(host: string): boolean {
  return parseIPv4(host) !== undefined || (host.startsWith('[') && host.endsWith(']'));
}
