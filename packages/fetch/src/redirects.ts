/** Following a redirect as the Fetch standard does (§4.4 HTTP-redirect fetch), so it can be re-signed. */
import type { Outgoing } from './outgoing';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Fields that describe the body, dropped when a redirect turns the request into a GET. */
const bodyFields = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
  'content-digest',
];

export function isRedirect(response: Response): boolean {
  return redirectStatuses.has(response.status) && response.headers.has('location');
}

/** The request that follows `response`, a redirect answering `previous`. */
export function followUp(previous: Outgoing, response: Response): Outgoing {
  const location = new URL(response.headers.get('location') as string, previous.request.url);
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    throw new TypeError(`fetch: a redirect to a ${location.protocol} URL cannot be followed`);
  }
  const { status } = response;
  const prior = previous.request;
  const headers = new Headers(prior.headers);
  let method = prior.method;
  let body = previous.body;
  if (
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD')
  ) {
    method = 'GET';
    body = undefined;
    for (const name of bodyFields) headers.delete(name);
  }
  // Credentials meant for one origin never follow a redirect to another (Fetch §4.4 step 13).
  if (new URL(prior.url).origin !== location.origin) {
    headers.delete('authorization');
    headers.delete('cookie');
    headers.delete('proxy-authorization');
  }
  const request = new Request(location, {
    method,
    headers,
    signal: prior.signal,
    credentials: prior.credentials,
    cache: prior.cache,
    keepalive: prior.keepalive,
    referrerPolicy: prior.referrerPolicy,
  });
  return { request, body };
}
