/**
 * node:http and node:https requests signed before their headers leave. The signature covers the
 * body's digest, which goes in a header, so the whole body is given up front: the request is
 * signed over the URL, fields and bytes it will carry, then ends itself with exactly those bytes.
 */
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https, { type RequestOptions } from 'node:https';
import { pipeline, Readable } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import {
  createSchemeSigner,
  type HttpMessage,
  type SchemeOptions,
  type SchemeSigner,
  type SchemeSignResult,
  type SignatureScheme,
  type SignerOptions,
} from '@httpsig/core';
import { discardBody, fixedBytes, type NodeRequestBody, prepareBody } from './body';
import { type HeaderLine, headerLines, headerRecord, replacedFields } from './headers';
import { knockTwice, originOf } from './knock';
import { requestTarget } from './target';

/** `http.request` / `https.request` options, plus the body. */
export interface SignedRequestOptions extends RequestOptions {
  /**
   * The whole body. Strings are sent as UTF-8. A stream is read once, up to the signer's
   * `maxBodySize`, and the bytes read are sent. FormData is sent as multipart with the boundary
   * the signature covers.
   */
  body?: NodeRequestBody;
}

/** Options of `signedRequest`: the request options and how to sign. */
export interface SignedRequestInit extends SignedRequestOptions {
  /**
   * The signer options of @httpsig/core: key (or sign + alg), components, digest, maxBodySize, …
   * and the scheme: `scheme` ('rfc9421', 'cavage' or 'double-knock'), `cavage`, `schemeMemory`.
   */
  signing: SignerOptions & SchemeOptions;
}

export type ResponseCallback = (response: IncomingMessage) => void;

/** `http.request`'s call shapes; the request it returns ends itself once signed. */
export interface SignedRequestFunction {
  (url: string | URL, options?: SignedRequestOptions, callback?: ResponseCallback): ClientRequest;
  (url: string | URL, callback?: ResponseCallback): ClientRequest;
  (options: SignedRequestOptions, callback?: ResponseCallback): ClientRequest;
}

const bodyUpFront =
  'a signed request takes its whole body in options.body: the headers, which carry its digest, go first';

/** Merge `(url, options, callback)` as http.request does. */
function requestArguments(args: readonly unknown[]): {
  options: SignedRequestOptions;
  callback: ResponseCallback | undefined;
} {
  const [first, second, third] = args;
  if (typeof first === 'string' || first instanceof URL) {
    const fromUrl: SignedRequestOptions = urlToHttpOptions(
      typeof first === 'string' ? new URL(first) : first,
    );
    if (typeof second === 'function') return { options: fromUrl, callback: second as ResponseCallback };
    return {
      options: { ...fromUrl, ...(second as SignedRequestOptions | undefined) },
      callback: third as ResponseCallback | undefined,
    };
  }
  if (typeof first !== 'object' || first === null) throw new TypeError('give a URL or request options');
  return {
    options: { ...(first as SignedRequestOptions) },
    callback: second as ResponseCallback | undefined,
  };
}

/**
 * `http.request` or `https.request` by protocol, looked up on the module at each call so that
 * tools which patch it (msw, nock) see these requests too.
 */
function transportFor(options: RequestOptions): typeof http.request {
  const { agent } = options;
  const agentProtocol = typeof agent === 'object' ? (agent as { protocol?: unknown }).protocol : undefined;
  const protocol = options.protocol ?? (typeof agentProtocol === 'string' ? agentProtocol : 'http:');
  return protocol === 'https:' ? https.request : http.request;
}

/**
 * Keep the caller from sending anything before the signature is set: `write()` and `end(data)`
 * throw; a bare `end()`, the usual last call, is accepted. Returns the release.
 */
function holdBody(request: ClientRequest): () => void {
  Object.assign(request, {
    write: () => {
      throw new TypeError(bodyUpFront);
    },
    end: (...args: unknown[]) => {
      const [first] = args;
      if (first !== undefined && first !== null && typeof first !== 'function')
        throw new TypeError(bodyUpFront);
      const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (callback) request.once('finish', callback);
      return request;
    },
  });
  // Dropping the own properties brings back ClientRequest's methods.
  return () => {
    Reflect.deleteProperty(request, 'write');
    Reflect.deleteProperty(request, 'end');
  };
}

/** The field lines the request will send, in order (node:http sends a list as one line each). */
function outgoingLines(request: ClientRequest): HeaderLine[] {
  const lines: HeaderLine[] = [];
  for (const name of request.getRawHeaderNames()) {
    const value = request.getHeader(name);
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) lines.push([name, String(item)]);
  }
  return lines;
}

function writeBody(
  request: ClientRequest,
  body: unknown,
  fixed: Uint8Array | undefined,
  signed: SchemeSignResult,
): void {
  const bytes = signed.body ?? fixed;
  if (bytes !== undefined) {
    if (!request.hasHeader('content-length')) request.setHeader('content-length', bytes.byteLength);
    request.end(bytes);
  } else if (body === undefined || body === null) {
    request.end();
  } else {
    // A stream core did not read (`digest: false`): sent as it comes, chunked.
    const source = body instanceof Readable ? body : Readable.from(body as AsyncIterable<Uint8Array>);
    pipeline(source, request, () => undefined);
  }
}

/** Signs one message in the scheme chosen for the request. */
type SignMessage = (message: HttpMessage) => Promise<SchemeSignResult>;

async function signAndSend(
  request: ClientRequest,
  sign: SignMessage,
  body: NodeRequestBody | undefined,
  release: () => void,
): Promise<void> {
  // A request destroyed while its body is read (abort, timeout) stops the read.
  const stop = () => discardBody(body);
  request.once('close', stop);
  try {
    if (request.headersSent) {
      throw new TypeError(
        'the headers were sent before they could be signed (an Expect field sends them at once)',
      );
    }
    const prepared = prepareBody(body);
    if (prepared.contentType !== undefined && !request.hasHeader('content-type')) {
      request.setHeader('content-type', prepared.contentType);
    }
    const fixed = fixedBytes(prepared.body);
    // Known before signing, so `content-length` can be a covered component.
    if (fixed !== undefined && !request.hasHeader('content-length')) {
      request.setHeader('content-length', fixed.byteLength);
    }
    for (const name of replacedFields) request.removeHeader(name);
    const host = request.getHeader('host');
    if (typeof host !== 'string') {
      throw new TypeError('a signed request needs one Host field (setHost: false sends none)');
    }
    const signed = await sign({
      method: request.method,
      ...requestTarget(request.protocol, host, request.path),
      headers: outgoingLines(request),
      ...(prepared.body === undefined || prepared.body === null ? {} : { body: prepared.body }),
    });
    if (request.destroyed) return;
    request.off('close', stop);
    for (const [name, value] of Object.entries(signed.headers)) request.setHeader(name, value);
    release();
    writeBody(request, prepared.body, fixed, signed);
  } catch (error) {
    discardBody(body);
    request.destroy(error as Error);
  }
}

/** An `http.request` that signs each request with `scheme`. */
function signingRequest(schemes: SchemeSigner, scheme: SignatureScheme): SignedRequestFunction {
  const sign: SignMessage = (message) => schemes.sign(scheme, message);
  return function signedHttpRequest(...args: unknown[]): ClientRequest {
    const { options: requestOptions, callback } = requestArguments(args);
    const { body, ...rest } = requestOptions;
    // node:http writes a raw header array at once: a record keeps the fields open until signed.
    if (Array.isArray(rest.headers)) rest.headers = headerRecord(headerLines(rest.headers));
    const send = transportFor(rest);
    const request = callback === undefined ? send(rest) : send(rest, callback);
    const release = holdBody(request);
    queueMicrotask(() => void signAndSend(request, sign, body, release));
    return request;
  } as SignedRequestFunction;
}

/**
 * An `http.request` that signs: same call shapes, for `http:` and `https:` URLs (chosen by the
 * protocol). The body goes in `options.body`; the request is signed once the calling code has
 * run (fields set with `setHeader` right after the call are covered), then ends itself. Signing
 * failures are emitted as the request's `'error'`. `scheme: 'cavage'` signs the draft-cavage way;
 * `'double-knock'` sends a request twice, which only `signedRequest` can do.
 */
export function createSignedRequest(options: SignerOptions & SchemeOptions): SignedRequestFunction {
  const schemes = createSchemeSigner(options);
  if (schemes.mode === 'double-knock') {
    throw new TypeError("scheme 'double-knock' may send a request twice: use signedRequest for it");
  }
  return signingRequest(schemes, schemes.mode);
}

/**
 * Send one signed request; resolves with the response (its body unread), rejects on any error.
 * With `scheme: 'double-knock'` a refused RFC 9421 request is sent once more with cavage (its
 * body read up front, so that both carry the same bytes), and the scheme that worked is
 * remembered per origin.
 */
export async function signedRequest(url: string | URL, init: SignedRequestInit): Promise<IncomingMessage>;
export async function signedRequest(init: SignedRequestInit): Promise<IncomingMessage>;
export async function signedRequest(
  first: string | URL | SignedRequestInit,
  second?: SignedRequestInit,
): Promise<IncomingMessage> {
  const withUrl = typeof first === 'string' || first instanceof URL;
  const init = withUrl ? second : first;
  if (init?.signing === undefined) throw new TypeError('signedRequest needs options.signing');
  const { signing, ...options } = init;
  const schemes = createSchemeSigner(signing);
  const sendWith = (scheme: SignatureScheme, requestOptions: SignedRequestOptions) => {
    const send = signingRequest(schemes, scheme);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = withUrl ? send(first, requestOptions, resolve) : send(requestOptions, resolve);
      request.on('error', reject);
    });
  };
  if (schemes.mode !== 'double-knock') return sendWith(schemes.mode, options);
  const origin = originOf(requestArguments(withUrl ? [first, options] : [options]).options);
  return knockTwice(schemes, origin, options, signing.maxBodySize, sendWith);
}
