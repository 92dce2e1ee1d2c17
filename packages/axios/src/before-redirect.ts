/**
 * The caller's `beforeRedirect`, called as axios and follow-redirects call it: with the options of
 * the next request, the redirect response and the request it answers. It runs before the next
 * request is signed, so the header fields it sets are sent and can be covered.
 */
import axios, {
  type AxiosHeaders,
  type AxiosRequestConfig,
  type AxiosResponse,
  type HttpStatusCode,
  type InternalAxiosRequestConfig,
  type RawAxiosHeaders,
} from 'axios';

export type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** The options follow-redirects hands over: the next URL, its parts, the method and the fields. */
function redirectOptions(next: InternalAxiosRequestConfig) {
  const target = new URL(next.url as string);
  return {
    protocol: target.protocol,
    hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: target.port === '' ? '' : Number(target.port),
    host: target.host,
    path: target.pathname + target.search,
    pathname: target.pathname,
    search: target.search,
    href: target.href,
    method: (next.method ?? 'get').toUpperCase(),
    headers: next.headers.toJSON() as Record<string, unknown>,
  };
}

/** The fields the previous request went out with, as Node sent them (Host included). */
function sentFields(previous: InternalAxiosRequestConfig, request: unknown): Record<string, string> {
  const sent = (request as { getHeaders?: () => Record<string, unknown> } | undefined)?.getHeaders?.();
  const fields = sent ?? previous.headers.toJSON();
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}

/** The fields after the callback, which may have changed `options.headers` or replaced it. */
function changedFields(before: AxiosHeaders, after: unknown): AxiosHeaders {
  const headers = new axios.AxiosHeaders((after ?? {}) as RawAxiosHeaders);
  // `false` keeps axios from adding a field (User-Agent, …); a plain object does not carry it.
  for (const [name, value] of Object.entries(before)) {
    if (value === false && !headers.has(name)) headers.set(name, false);
  }
  return headers;
}

/** The next request with the callback's field changes; what it throws rejects the request. */
export function callBeforeRedirect(
  beforeRedirect: BeforeRedirect,
  next: InternalAxiosRequestConfig,
  previous: InternalAxiosRequestConfig,
  from: string,
  response: AxiosResponse,
): InternalAxiosRequestConfig {
  const options = redirectOptions(next);
  beforeRedirect(
    options,
    {
      headers: axios.AxiosHeaders.from(response.headers as RawAxiosHeaders).toJSON(true) as Record<
        string,
        string
      >,
      statusCode: response.status as HttpStatusCode,
    },
    {
      url: from,
      method: (previous.method ?? 'get').toUpperCase(),
      headers: sentFields(previous, response.request),
    },
  );
  return { ...next, headers: changedFields(next.headers, options.headers) };
}
