/**
 * An undici interceptor that signs every request a dispatcher sends: `undici.request`,
 * `undici.fetch`, `Agent`, `Pool`, `Client`, and Node's global `fetch` through
 * `setGlobalDispatcher`. Types are structural so that this module needs no undici at runtime.
 */
import { stringify } from 'node:querystring';
import { createSchemeSigner, type SchemeOptions, type SchemeSigner, type SignerOptions } from '@httpsig/core';
import { whenAborted } from './abort';
import { discardBody, prepareBody } from './body';
import { firstValue, headerLines, headerRecord, withoutReplaced } from './headers';
import { requestTarget } from './target';

/** The dispatch options the interceptor reads and rewrites (a subset of undici's). */
export interface DispatchOptions {
  origin?: string | URL;
  path: string;
  method: string;
  headers?: unknown;
  body?: unknown;
  query?: Record<string, unknown> | null;
  /** `undici.request`'s abort signal, passed along in the options. */
  signal?: unknown;
}

/** A dispatch handler: signing failures reach its `onResponseError` (undici 7) or `onError` (older). */
export interface DispatchHandler {
  onResponseError?(controller: unknown, error: Error): void;
  onError?(error: Error): void;
}

/** An interceptor for `dispatcher.compose(…)`, generic so that it takes any undici version's types. */
export type SigningInterceptor = <Options extends DispatchOptions, Handler extends DispatchHandler>(
  dispatch: (options: Options, handler: Handler) => boolean,
) => (options: Options, handler: Handler) => boolean;

/**
 * Core's signer options, the scheme (`'rfc9421'` or `'cavage'`, with `cavage` options), and the
 * origin for a Pool or Client.
 */
export interface SigningInterceptorOptions extends SignerOptions, Omit<SchemeOptions, 'schemeMemory'> {
  /**
   * The origin signed for requests dispatched without one: a `Pool` or `Client` is called with a
   * path only (`pool.request({ path })`). An `Agent` always passes the origin.
   */
  origin?: string | URL;
}

/** `path` with undici's `query` option serialized onto it, as undici itself does. */
function pathWithQuery(path: string, query: DispatchOptions['query']): string {
  if (query === undefined || query === null) return path;
  if (path.includes('?') || path.includes('#')) {
    throw new TypeError('Query params cannot be passed when url already contains "?" or "#".');
  }
  const serialized = stringify(query as Parameters<typeof stringify>[0]);
  return serialized ? `${path}?${serialized}` : path;
}

/** The options to dispatch: signed headers, the path with its query, and the bytes that were signed. */
async function signOptions<Options extends DispatchOptions>(
  schemes: SchemeSigner,
  opts: Options,
  fallbackOrigin: string | URL | undefined,
): Promise<Options> {
  const { query, ...rest } = opts;
  const origin = opts.origin ?? fallbackOrigin;
  if (origin === undefined) {
    throw new TypeError(
      'the request has no origin: pass `origin` to createSigningInterceptor for a Pool or Client',
    );
  }
  const base = new URL(String(origin));
  const path = pathWithQuery(opts.path, query);
  const lines = withoutReplaced(headerLines(opts.headers));
  const { body, contentType } = prepareBody(opts.body ?? undefined);
  if (contentType !== undefined && firstValue(lines, 'content-type') === undefined) {
    lines.push(['content-type', contentType]);
  }
  const signed = await schemes.sign(schemes.mode === 'cavage' ? 'cavage' : 'rfc9421', {
    method: opts.method,
    // The Host field, when set, is the authority the server sees.
    ...requestTarget(base.protocol, firstValue(lines, 'host') ?? base.host, path),
    headers: lines,
    ...(body === undefined ? {} : { body }),
  });
  lines.push(...Object.entries(signed.headers));
  // The caller's options with headers, path and body in shapes every undici version takes.
  return {
    ...(rest as Options),
    path,
    headers: headerRecord(lines),
    // A stream core read for the digest goes as the bytes read.
    body: signed.body ?? body ?? opts.body,
  };
}

function fail(handler: DispatchHandler, error: unknown): void {
  const reason = error instanceof Error ? error : new Error(String(error));
  if (typeof handler.onResponseError === 'function') handler.onResponseError(null, reason);
  else if (typeof handler.onError === 'function') handler.onError(reason);
  else throw reason;
}

/**
 * Sign each request with `options` (core's signer options, plus `origin` for a Pool or Client).
 * Place it first in `compose(…)`, closest to the dispatcher, so that it signs every attempt the
 * redirect and retry interceptors make: `agent.compose(signing, interceptors.redirect())`.
 * Failures (a body over `maxBodySize`, a key that cannot sign) reject the request.
 */
export function createSigningInterceptor(options: SigningInterceptorOptions): SigningInterceptor {
  const { origin, ...signerOptions } = options;
  const schemes = createSchemeSigner(signerOptions);
  if (schemes.mode === 'double-knock') {
    // An interceptor cannot send a request again with another signature once it was answered.
    throw new TypeError("scheme 'double-knock' is not available in an interceptor: use @httpsig/fetch");
  }
  return (dispatch) =>
    function signingDispatch(opts, handler) {
      // Signing is asynchronous and dispatch is not: the request goes out once signed, unless it
      // was aborted or refused first. Exactly one of the three outcomes reaches the handler.
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        stopListening();
        outcome();
      };
      const refuse = (error: unknown) =>
        settle(() => {
          discardBody(opts.body);
          fail(handler, error);
        });
      const stopListening = whenAborted(opts.signal, refuse);
      signOptions(schemes, opts, origin).then(
        (signed) =>
          settle(() => {
            try {
              dispatch(signed, handler);
            } catch (error) {
              fail(handler, error);
            }
          }),
        refuse,
      );
      return true;
    };
}

/** The same as `createSigningInterceptor`. */
export const signingInterceptor = createSigningInterceptor;
