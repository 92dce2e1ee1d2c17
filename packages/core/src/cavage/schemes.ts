/**
 * Choosing the signature scheme of an outgoing request, as every client adapter does it: RFC 9421,
 * draft-cavage, or "double-knock" (RFC 9421 first, once more with cavage when the server refuses
 * it), with the scheme that worked remembered per origin in bounded memory.
 */
import { type BodyInput, readBody } from '../digest/body';
import { hasBody, isFetchMessage } from '../message/body';
import type { HttpMessage, RequestLike } from '../message/types';
import { createSigner, type SignerOptions } from '../sign/signer';
import { type CavageSignOptions, signCavage } from './sign';

/** The signature schemes a request can carry. */
export type SignatureScheme = 'rfc9421' | 'cavage';

/** How a client signs: one scheme, or RFC 9421 then cavage on a refusal. */
export type SchemeMode = SignatureScheme | 'double-knock';

/** A store for the scheme each origin accepted, e.g. backed by localStorage or a database. */
export interface SchemeMemory {
  get(origin: string): SignatureScheme | undefined;
  set(origin: string, scheme: SignatureScheme): void;
}

/** Client options that choose the scheme; the RFC 9421 options are core's `SignerOptions`. */
export interface SchemeOptions {
  /**
   * How requests are signed: `'rfc9421'`, `'cavage'` (a draft-cavage-12 `Signature` header, as
   * ActivityPub servers expect), or `'double-knock'`: RFC 9421 first and, when the server refuses
   * it (401, 403, or a 400 problem whose code says the signature is missing or unreadable), once
   * more with cavage. The scheme that worked is remembered per origin. @default 'rfc9421'
   */
  scheme?: SchemeMode;
  /**
   * Options for cavage signatures: `headers`, `algorithm` ('legacy' or 'hs2019'), `form`, … The
   * key and keyId default to `key` and `keyid`. In a browser `Date` cannot be set, so unless
   * `headers` says otherwise `date` is left out of the default list there.
   */
  cavage?: Partial<CavageSignOptions>;
  /**
   * Where double-knock also remembers schemes (e.g. across restarts): read when an origin is not
   * in the in-memory list (at most 1000 origins, least recently used forgotten first), written
   * whenever a scheme is learnt.
   */
  schemeMemory?: SchemeMemory;
}

/** What signing one request produced, whatever the scheme. */
export interface SchemeSignResult {
  /** Fields to set on the request, lower-case name → value. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes that were signed, when the body could be read only once: send exactly these. */
  readonly body?: Uint8Array<ArrayBuffer>;
}

/** The most origins remembered in memory; the least recently used one is forgotten first. */
export const maxRememberedOrigins = 1000;

/** A bounded least-recently-used map of origin → scheme (Map keeps insertion order). */
export class SchemeLru implements SchemeMemory {
  readonly #entries = new Map<string, SignatureScheme>();
  readonly #max: number;

  constructor(max = maxRememberedOrigins) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(origin: string): SignatureScheme | undefined {
    const scheme = this.#entries.get(origin);
    if (scheme !== undefined) {
      this.#entries.delete(origin);
      this.#entries.set(origin, scheme);
    }
    return scheme;
  }

  set(origin: string, scheme: SignatureScheme): void {
    this.#entries.delete(origin);
    this.#entries.set(origin, scheme);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}

/**
 * Problem codes of a 400 that mean "this is not a signature I can read" rather than "your
 * signature is wrong": the other scheme may succeed. A cavage-only server reads an RFC 9421
 * `Signature` field as unparseable, an RFC 9421 server finds no Signature-Input.
 */
const wrongSchemeCodes = new Set([
  'ERR_HTTPSIG_MISSING_SIGNATURE',
  'ERR_HTTPSIG_PARSE',
  'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
  'ERR_HTTPSIG_UNSUPPORTED_DIGEST',
]);

/**
 * Whether a response refuses the signature scheme, so the other one is worth a try: 401 or 403,
 * or a 400 whose problem (already parsed from JSON, or undefined) names an unreadable signature.
 */
export function refusesScheme(status: number, problem?: unknown): boolean {
  if (status === 401 || status === 403) return true;
  if (status !== 400 || typeof problem !== 'object' || problem === null) return false;
  const { code } = problem as { code?: unknown };
  return typeof code === 'string' && wrongSchemeCodes.has(code);
}

/** Whether a Content-Type is JSON, so a 400's body may be a problem worth reading. */
export function isProblemType(contentType: string | null | undefined): boolean {
  return /^application\/(problem\+)?json\b/i.test(contentType ?? '');
}

/** Signs requests in the scheme asked for, and keeps double-knock's memory of origins. */
export interface SchemeSigner {
  readonly mode: SchemeMode;
  /** The scheme to sign a first request to `origin` with. */
  first(origin: string): SignatureScheme;
  /** The scheme for a second knock after `scheme` was refused, or undefined when there is none. */
  retry(scheme: SignatureScheme): SignatureScheme | undefined;
  /** Remember that `origin` accepted `scheme` (double-knock only; otherwise nothing happens). */
  learn(origin: string, scheme: SignatureScheme): void;
  /** Sign one request with `scheme`; `cavage` overrides the cavage options for this request. */
  sign(
    scheme: SignatureScheme,
    message: HttpMessage,
    cavage?: Partial<CavageSignOptions>,
  ): Promise<SchemeSignResult>;
}

const modes: readonly SchemeMode[] = ['rfc9421', 'cavage', 'double-knock'];

/**
 * A scheme signer over core's client signer options plus `scheme`, `cavage` and `schemeMemory`.
 * Options are checked here, so a bad key fails when the client is created.
 */
export function createSchemeSigner(options: SignerOptions & SchemeOptions): SchemeSigner {
  const mode = options.scheme ?? 'rfc9421';
  if (!modes.includes(mode)) throw new TypeError("scheme must be 'rfc9421', 'cavage' or 'double-knock'");
  // The RFC 9421 signer is built even for 'cavage': it checks the key options up front.
  const signer = createSigner(options);
  const remembered = new SchemeLru();
  const cavageDefaults = options.cavage ?? {};

  const signWithCavage = async (
    message: HttpMessage,
    overrides: Partial<CavageSignOptions> | undefined,
  ): Promise<SchemeSignResult> => {
    const cavage = { ...cavageDefaults, ...overrides };
    if (cavage.headers === undefined && !scriptsCanSetDate()) {
      // A browser drops a Date field set by script, so a signed date would not reach the server.
      const withDigest = hasBody(message) && cavage.digest !== false;
      cavage.headers = ['(request-target)', 'host', ...(withDigest ? ['digest'] : [])];
    }
    const key = cavage.key ?? options.key ?? signer.key;
    const keyId = cavage.keyId ?? options.keyid ?? key.keyid;
    const maxBodySize = cavage.maxBodySize ?? options.maxBodySize;
    const limit = maxBodySize === undefined ? {} : { maxBodySize };
    // A read-once body is read here so that the bytes digested are the bytes sent.
    const body = readOnce(message)
      ? await readBody((message as RequestLike).body as BodyInput, limit)
      : undefined;
    const signed = await signCavage(body === undefined ? message : { ...(message as RequestLike), body }, {
      ...cavage,
      key,
      ...(keyId === undefined ? {} : { keyId }),
      ...limit,
    });
    return body === undefined ? { headers: signed.headers } : { headers: signed.headers, body };
  };

  return {
    mode,
    first(origin) {
      if (mode !== 'double-knock') return mode;
      const known = remembered.get(origin) ?? options.schemeMemory?.get(origin);
      if (known !== undefined) remembered.set(origin, known);
      return known ?? 'rfc9421';
    },
    retry(scheme) {
      if (mode !== 'double-knock') return undefined;
      return scheme === 'rfc9421' ? 'cavage' : 'rfc9421';
    },
    learn(origin, scheme) {
      if (mode !== 'double-knock') return;
      const previous = remembered.get(origin);
      remembered.set(origin, scheme);
      if (scheme !== previous) options.schemeMemory?.set(origin, scheme);
    },
    sign(scheme, message, cavage) {
      return scheme === 'cavage' ? signWithCavage(message, cavage) : signer(message);
    },
  };
}

/** Whether `Date` can be set on a request: not by scripts in browsers (pages and workers). */
function scriptsCanSetDate(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; importScripts?: unknown };
  return (
    scope.document === undefined && scope.WorkerGlobalScope === undefined && scope.importScripts === undefined
  );
}

/** A plain message body that can be read only once: a stream or an async iterable. */
function readOnce(message: HttpMessage): boolean {
  if (isFetchMessage(message) || !hasBody(message)) return false;
  const { body } = message as RequestLike;
  if (typeof body !== 'object' || body === null) return false;
  return (
    (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) || Symbol.asyncIterator in body
  );
}
