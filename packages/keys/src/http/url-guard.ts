/**
 * The SSRF guard applied to every URL before it is fetched, including each redirect hop.
 *
 * Without a `lookup` hook only the URL itself is judged: IP literals in private ranges and names
 * that can only be local are refused, but a public-looking hostname whose DNS records point at a
 * private address is not caught, since runtimes like browsers and workers expose no DNS. A
 * `lookup` hook closes that gap except for DNS rebinding between the check and the fetch; a
 * server that must rule that out too should fetch through an egress proxy that enforces it.
 */
import { KeySetFetchError } from '../errors';
import { isAddressLiteral, isPublicAddress } from './address';

/** Resolves a hostname to its IP addresses, e.g. with `node:dns`. */
export type LookupAddresses = (hostname: string) => readonly string[] | Promise<readonly string[]>;

export interface UrlPolicy {
  /** Accept `http:` URLs. @default false — key material is fetched over https only */
  readonly allowHttp: boolean;
  /** Accept loopback, private and link-local destinations. @default false */
  readonly allowPrivateNetworks: boolean;
  readonly lookup: LookupAddresses | undefined;
}

// Names that only ever resolve inside a machine or a local network.
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

export async function checkUrl(url: URL, policy: UrlPolicy): Promise<void> {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new KeySetFetchError(`refused a ${url.protocol} URL (https is required)`);
  }
  if (url.username !== '' || url.password !== '')
    throw new KeySetFetchError('refused a URL with credentials');
  if (policy.allowPrivateNetworks) return;
  const host = url.hostname.toLowerCase();
  if (isAddressLiteral(host)) {
    if (!isPublicAddress(host)) throw new KeySetFetchError('refused a private network address');
    return;
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  // A single-label name is completed by the resolver's search domains, i.e. an internal host.
  if (!name.includes('.') || name === 'localhost' || LOCAL_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    throw new KeySetFetchError('refused a local host name');
  }
  if (policy.lookup === undefined) return;
  let addresses: readonly string[];
  try {
    addresses = await policy.lookup(name);
  } catch (error) {
    throw new KeySetFetchError('the host name does not resolve', { cause: error });
  }
  if (addresses.length === 0) throw new KeySetFetchError('the host name does not resolve');
  if (!addresses.every(isPublicAddress)) {
    throw new KeySetFetchError('refused a host name that resolves to a private network address');
  }
}
