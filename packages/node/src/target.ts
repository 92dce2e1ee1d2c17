/** The target URI of a request, rebuilt from what its request line and Host field will carry. */

export interface RequestTarget {
  /** The absolute URI the signature covers (`@target-uri`, `@authority`, `@path`, `@query`). */
  readonly url: string;
  /** The request-target when it is not origin-form (a proxy request in absolute-form). */
  readonly target?: string;
}

const absoluteForm = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * `protocol` (`http:`) and `authority` (the Host field: a server rebuilds the URI from it) with
 * the request-target exactly as sent: an origin-form path and query are appended unchanged, an
 * absolute-form target (a request to a proxy) is the URI itself.
 */
export function requestTarget(protocol: string, authority: string, path: string): RequestTarget {
  if (path.startsWith('/')) return { url: `${protocol}//${authority}${path}` };
  if (absoluteForm.test(path)) return { url: path, target: path };
  throw new TypeError(`the request path must start with "/" or be an absolute URI, not "${path}"`);
}
