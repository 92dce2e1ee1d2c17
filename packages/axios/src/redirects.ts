/**
 * The request that follows a redirect, built as the Fetch standard (§4.4 HTTP-redirect fetch) and
 * follow-redirects build it, so that it can be signed for its own URL.
 */
import axios, { type AxiosResponse, type InternalAxiosRequestConfig, type RawAxiosHeaders } from 'axios';
import { isStreamBody } from './body';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Credentials for one origin, never sent on to another. */
const credentialFields = ['authorization', 'cookie', 'proxy-authorization'];

/** Fields of the previous signature: each hop is signed afresh, and another origin never sees them. */
const signatureFields = ['signature', 'signature-input', 'content-digest'];

/** The Location of a redirect to follow, or undefined for any other response. */
export function redirectLocation(response: AxiosResponse): string | undefined {
  if (!redirectStatuses.has(response.status)) return undefined;
  const location = axios.AxiosHeaders.from(response.headers as RawAxiosHeaders).get('location');
  return typeof location === 'string' && location !== '' ? location : undefined;
}

/**
 * The caller's `sensitiveHeaders`, checked as axios checks them when it follows redirects itself
 * (it no longer does: every hop goes out with `maxRedirects: 0`).
 */
export function sensitiveFields(config: InternalAxiosRequestConfig): string[] {
  const value: unknown = config.sensitiveHeaders;
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((name) => typeof name === 'string')) return value;
  throw new axios.AxiosError(
    'sensitiveHeaders must be an array of strings',
    axios.AxiosError.ERR_BAD_OPTION_VALUE,
    config,
  );
}

/**
 * The request that follows `status` + `location`, an answer to `previous` (a signed request sent
 * to `from`). Throws a TypeError when the redirect cannot be followed.
 */
export function followUp(
  previous: InternalAxiosRequestConfig,
  from: string,
  status: number,
  location: string,
): InternalAxiosRequestConfig {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new TypeError('Invalid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new TypeError(`Unsupported protocol ${target.protocol}`);
  }
  target.hash = '';

  const method = (previous.method ?? 'get').toUpperCase();
  const toGet =
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD');
  const headers = new axios.AxiosHeaders(previous.headers);
  // Host names the previous server; the adapter sets the new one.
  headers.delete(['host', ...signatureFields]);
  if (toGet) {
    headers.clear(/^content-/i);
  } else if (isStreamBody(previous.data)) {
    // Sent unread (no digest) and so not kept: Fetch refuses such a redirect too.
    throw new TypeError('The request body was a stream and cannot be sent again');
  }
  const crossOrigin = new URL(from).origin !== target.origin;
  if (crossOrigin) headers.delete([...credentialFields, ...sensitiveFields(previous)]);

  return {
    ...previous,
    method: toGet ? 'get' : previous.method,
    // The Location is absolute now: baseURL and params belonged to the first URL.
    url: target.href,
    baseURL: undefined,
    params: undefined,
    headers,
    data: toGet ? undefined : previous.data,
    auth: crossOrigin ? undefined : previous.auth,
  };
}
