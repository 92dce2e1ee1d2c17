/**
 * One GET with every limit a fetch of untrusted or remote key material needs: the URL guard on
 * each hop, a wall-clock timeout covering headers and body, a byte cap enforced while reading,
 * redirects refused unless a budget allows them, and 200 as the only accepted status.
 */
import { KeySetFetchError } from '../errors';
import { checkUrl, type UrlPolicy } from './url-guard';

export type FetchFunction = (input: URL | string, init?: RequestInit) => Promise<Response>;

export interface FetchLimits extends UrlPolicy {
  /** @default globalThis.fetch, read at call time */
  readonly fetch: FetchFunction | undefined;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** The Accept header sent. */
  readonly accept: string;
}

export interface FetchedBody {
  /** The URL that answered, after any redirects. */
  readonly url: URL;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function fetchBounded(start: URL, limits: FetchLimits): Promise<FetchedBody> {
  const fetchImpl = limits.fetch ?? (globalThis.fetch as FetchFunction | undefined);
  if (typeof fetchImpl !== 'function') throw new KeySetFetchError('no fetch implementation is available');
  const controller = new AbortController();
  const timedOut = new KeySetFetchError(`the fetch timed out after ${limits.timeoutMs} ms`);
  const timer = setTimeout(() => controller.abort(timedOut), limits.timeoutMs);
  try {
    let url = start;
    for (let redirects = 0; ; redirects++) {
      // A lookup hook may be slow too: the timeout covers it.
      await untilAborted(checkUrl(url, limits), controller.signal, timedOut);
      const response = await send(fetchImpl, url, limits.accept, controller.signal, timedOut);
      const location = redirectTarget(response, url);
      if (location === undefined) {
        if (response.status !== 200) {
          await discard(response);
          throw new KeySetFetchError(`the server answered HTTP ${response.status}`);
        }
        const body = await readLimited(response, limits.maxBytes, controller.signal, timedOut);
        return { url, headers: response.headers, body };
      }
      await discard(response);
      if (redirects >= limits.maxRedirects) throw new KeySetFetchError('refused to follow a redirect');
      if (location === null) throw new KeySetFetchError('a redirect without a usable Location');
      url = location;
    }
  } finally {
    clearTimeout(timer);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, reason: Error): Promise<T> {
  if (signal.aborted) return Promise.reject(reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

async function send(
  fetchImpl: FetchFunction,
  url: URL,
  accept: string,
  signal: AbortSignal,
  timedOut: KeySetFetchError,
): Promise<Response> {
  try {
    return await fetchImpl(url, {
      method: 'GET',
      headers: { accept },
      // Redirects are followed here, one guarded hop at a time, or not at all.
      redirect: 'manual',
      credentials: 'omit',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw timedOut;
    throw new KeySetFetchError('the request failed', { cause: error });
  }
}

/**
 * undefined when the response is not a redirect, the next URL when it is, null when it is one
 * that cannot be followed (no Location, or a browser's opaque redirect that hides it).
 */
function redirectTarget(response: Response, base: URL): URL | null | undefined {
  if (response.type === 'opaqueredirect') return null;
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.get('location');
  if (location === null) return null;
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}

async function readLimited(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
  timedOut: KeySetFetchError,
): Promise<Uint8Array> {
  const tooLarge = () => new KeySetFetchError(`the response is larger than ${maxBytes} bytes`);
  const declared = response.headers.get('content-length');
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > maxBytes) {
    await discard(response);
    throw tooLarge();
  }
  const stream = response.body;
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof KeySetFetchError) throw error;
    if (signal.aborted) throw timedOut;
    throw new KeySetFetchError('reading the response failed', { cause: error });
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
