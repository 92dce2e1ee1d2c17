/**
 * Redirects in Node. Axios's http adapter would follow them itself (with follow-redirects) and
 * replay the first signature to every URL. Instead each hop goes out with `maxRedirects: 0`; the
 * request that follows a redirect is built here, signed for its own URL and sent again.
 */
import axios, { type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { callBeforeRedirect } from './before-redirect';
import { chainTimeout } from './chain-timeout';
import { followUp, redirectLocation, sensitiveFields } from './redirects';
import { wireTargetUri } from './target-uri';

type Config = InternalAxiosRequestConfig;

/** follow-redirects' limit, which applies when axios passes none. */
const defaultMaxRedirects = 21;

/** Whether axios's http adapter would follow this request's redirects. */
export function followsRedirects(config: Config): boolean {
  // A custom transport is used as it is, and axios never redirects an HTTP/2 request.
  return config.maxRedirects !== 0 && !config.transport && Number(config.httpVersion ?? 1) !== 2;
}

/** An error with follow-redirects' code and message, which axios wraps as it wraps that one. */
function redirectError(config: Config, request: unknown, code: string, message: string, cause?: unknown) {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = `Error [${code}]`;
  return axios.AxiosError.from(Object.assign(error, { code }), code, config, request);
}

/**
 * The response as axios gives it after following redirects itself: `config` is the request as first
 * sent, `request` the last one, and `request.res.responseUrl` the URL that answered.
 */
function asFollowed(response: AxiosResponse, first: Config, url: string): AxiosResponse {
  response.config = first;
  const res = (response.request as { res?: { responseUrl?: string } } | undefined)?.res;
  if (typeof res === 'object' && res !== null) res.responseUrl = url;
  return response;
}

/** One hop: its response, and the error when validateStatus refused it (a redirect may still be followed). */
async function exchange(send: AxiosAdapter, hop: Config, first: Config, url: string) {
  try {
    return { response: asFollowed(await send(hop), first, url) };
  } catch (error) {
    if (!axios.isAxiosError(error)) throw error;
    error.config = first;
    if (!error.response) throw error;
    return { response: asFollowed(error.response, first, url), refusal: error };
  }
}

/** A redirect's body is not read by anyone: a stream must not stay open. */
function discard(response: AxiosResponse): void {
  (response.data as { destroy?: () => void } | null | undefined)?.destroy?.();
}

/** Send `config` signed, and each request that follows a redirect signed again, up to `maxRedirects`. */
export async function sendFollowingRedirects(
  config: Config,
  sign: (config: Config) => Promise<Config>,
  send: AxiosAdapter,
): Promise<AxiosResponse> {
  sensitiveFields(config);
  // As in axios: any other falsy value (undefined, null, NaN) leaves follow-redirects' default.
  const limit = config.maxRedirects || defaultMaxRedirects;
  const first = await sign(config);
  const clock = chainTimeout(first);
  let hop = first;
  let previous: unknown;
  for (let redirects = 1; ; redirects++) {
    const url = wireTargetUri(hop, 'http');
    const timing = clock.forHop(previous);
    if (axios.isAxiosError(timing)) throw timing;
    const { response, refusal } = await exchange(send, { ...hop, ...timing, maxRedirects: 0 }, first, url);
    const location = redirectLocation(response);
    if (location === undefined) {
      if (refusal) throw refusal;
      return response;
    }
    discard(response);
    previous = response.request;
    if (redirects > limit) {
      throw redirectError(
        first,
        response.request,
        'ERR_FR_TOO_MANY_REDIRECTS',
        'Maximum number of redirects exceeded',
      );
    }
    let next: Config;
    try {
      next = followUp(hop, url, response.status, location);
      if (config.beforeRedirect) next = callBeforeRedirect(config.beforeRedirect, next, hop, url, response);
    } catch (cause) {
      const message = `Redirected request failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      throw redirectError(first, response.request, 'ERR_FR_REDIRECTION_FAILURE', message, cause);
    }
    hop = await sign(next);
  }
}
