/** The parts of a request's target URI that derived components use (RFC 9421 §2.2). */
import { HttpSigError } from '../errors';

export interface TargetUri {
  /** Lower-case scheme, e.g. `https`. */
  readonly scheme: string;
  /** Lower-case host with the port unless it is the scheme's default. */
  readonly authority: string;
  /** The path as sent; `/` when empty. */
  readonly path: string;
  /** The query without `?`; undefined when the URI has none. */
  readonly query: string | undefined;
}

const defaultPorts: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443' };
const uriPattern = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

/**
 * Split an absolute URI without re-encoding it, so the path and query are exactly the bytes
 * that go on the wire. Only the scheme and host are normalized (lower case, default port dropped).
 */
export function parseTargetUri(url: string | URL): TargetUri {
  if (typeof url !== 'string' && !(typeof url === 'object' && url !== null && typeof url.href === 'string')) {
    throw new TypeError('The request url must be a string or a URL');
  }
  const text = typeof url === 'string' ? url : url.href;
  const match = uriPattern.exec(text);
  if (!match) {
    throw new TypeError('The request url must be an absolute URI such as https://example.com/path');
  }
  const scheme = (match[1] as string).toLowerCase();
  return {
    scheme,
    authority: normalizeAuthority(match[2] as string, scheme),
    path: match[3] === '' ? '/' : (match[3] as string),
    query: match[4],
  };
}

/** Lower-case the host, drop userinfo and a default port. */
export function normalizeAuthority(authority: string, scheme: string): string {
  const at = authority.lastIndexOf('@');
  const hostPort = (at >= 0 ? authority.slice(at + 1) : authority).toLowerCase();
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!portMatch || portMatch[1] === '') {
    throw new HttpSigError('ERR_HTTPSIG_INVALID_COMPONENT', 'The request has no valid authority', {
      component: '"@authority"',
    });
  }
  const host = portMatch[1] as string;
  const port = portMatch[2];
  if (port === undefined || port === '' || port === defaultPorts[scheme]) return host;
  return `${host}:${port}`;
}
