/**
 * Shared helpers for the conformance tests: turn the vendored RFC 9421 vectors into library
 * messages, and load the RFC's Appendix B.1 test keys. Web APIs only: these helpers also run in
 * headless Chromium.
 */
import { expect } from 'vitest';
import type { Algorithm } from '../../../src/algorithms/registry';
import { HttpSigError, type HttpSigErrorCode } from '../../../src/errors';
import { importKey } from '../../../src/index';
import type { HttpSigKey } from '../../../src/keys/types';
import type { RequestLike, ResponseLike } from '../../../src/message/types';
import keysJson from '../../vectors/rfc9421-keys.json';
import vectorsJson from '../../vectors/rfc9421-vectors.json';

// ---------------------------------------------------------------------------------------------
// Vector shapes (only the members the tests read)
// ---------------------------------------------------------------------------------------------

export type HeaderPair = [string, string];

export interface ParsedMessage {
  type: 'request' | 'response' | 'fragment';
  method?: string;
  requestTarget?: string;
  url?: string;
  path?: string;
  query?: string | null;
  authority?: string;
  scheme?: string;
  status?: number;
  headers: HeaderPair[];
  /** Exact text after the colon, when whitespace or obs-fold matter. */
  headersRaw?: HeaderPair[];
  body?: string;
  decodedBody?: string;
  trailers?: HeaderPair[];
}

export interface PrintedMessage {
  raw?: string;
  parsed: ParsedMessage;
  note?: string;
}

export interface NamedValue {
  name: string;
  value: string | number | boolean;
}

export interface Transformation {
  description: string;
  parsed: ParsedMessage;
  expectedValid: boolean;
  signatureBase: string;
}

export interface SignatureVector {
  id: string;
  title: string;
  targetMessageType: 'request' | 'response';
  message: PrintedMessage;
  signedMessage: PrintedMessage;
  relatedRequest?: PrintedMessage;
  label: string;
  coveredComponents: string[];
  signatureParameters: NamedValue[];
  signatureParamsValue: string;
  signatureBase: string;
  signatureInputHeader: string;
  signatureHeader: string;
  signatureBase64: string;
  keyid: string;
  algorithm: Algorithm;
  deterministic: boolean;
  check: 'sign-and-compare' | 'verify-only';
  transformations?: Transformation[];
  expect?: { verifiesAgainstForwardedMessage?: boolean };
}

export interface ComponentCase {
  id: string;
  message: PrintedMessage & { constructed?: boolean };
  kind?: string;
  componentIdentifier?: string;
  componentIdentifiers?: string[];
  expectedValue?: string;
  expectedLine?: string;
  expectedError?: boolean;
  errorReason?: string;
  printedLines?: string;
  note?: string;
}

export interface FieldMember {
  label: string;
  value?: string;
  coveredComponents?: string[];
  parameters?: NamedValue[];
  byteSequenceBase64?: string;
  length?: number;
}

export interface FieldExample {
  id: string;
  kind: string;
  value?: string;
  coveredComponents?: string[];
  parameters?: NamedValue[];
  members?: FieldMember[];
  unsignedMessage?: PrintedMessage;
  messageWithDigest?: PrintedMessage;
  contentDigestLine?: string;
}

export interface ContentDigestVector {
  id: string;
  body: string;
  header: string;
}

export interface Rfc9421Vectors {
  messages: Record<string, PrintedMessage>;
  signatures: SignatureVector[];
  components: ComponentCase[];
  fieldExamples: FieldExample[];
  contentDigests: ContentDigestVector[];
}

export interface KeyVector {
  keyid: string;
  kty: string;
  publicKeyPem?: string;
  privateKeyPem?: string;
  jwkPrivate: JsonWebKey;
  jwkPublic?: JsonWebKey;
  secretBase64?: string;
}

export const vectors = vectorsJson as unknown as Rfc9421Vectors;
export const keyVectors = (keysJson as unknown as { keys: KeyVector[] }).keys;

export function signatureVector(id: string): SignatureVector {
  const found = vectors.signatures.find((v) => v.id === id);
  if (!found) throw new Error(`no signature vector ${id}`);
  return found;
}

export function fieldExample(id: string): FieldExample {
  const found = vectors.fieldExamples.find((v) => v.id === id);
  if (!found) throw new Error(`no field example ${id}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Vector → library message
// ---------------------------------------------------------------------------------------------

/**
 * The request invented around a header-only `fragment` (RFC 9421 §2.1 prints field lines
 * alone). Its Host matches the fragments' own `Host: www.example.com`.
 */
export const FRAGMENT_REQUEST = { method: 'GET', url: 'https://www.example.com/' } as const;

function headerPairs(parsed: ParsedMessage): HeaderPair[] {
  // `headersRaw` keeps the exact whitespace and obs-fold, which the library must normalise.
  const source = parsed.headersRaw ?? parsed.headers;
  return source.map(([name, value]) => [name, value]);
}

function hostOf(parsed: ParsedMessage): string | undefined {
  return parsed.headers.find(([name]) => name.toLowerCase() === 'host')?.[1];
}

/** A library request from a parsed vector request (or an invented request around a fragment). */
export function requestFrom(parsed: ParsedMessage): RequestLike {
  const headers = headerPairs(parsed);
  if (parsed.type === 'fragment') return { ...FRAGMENT_REQUEST, headers };
  if (parsed.type !== 'request') throw new Error(`not a request: ${parsed.type}`);
  const target = parsed.requestTarget ?? '/';
  const originForm = target.startsWith('/');
  const scheme = parsed.scheme ?? 'https';
  const authority = parsed.authority ?? hostOf(parsed) ?? 'www.example.com';
  let url: string;
  if (parsed.url !== undefined) url = parsed.url;
  else if (originForm) url = `${scheme}://${authority}${target}`;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) url = target;
  else url = `${scheme}://${authority}/`;
  const request: RequestLike = { method: parsed.method ?? 'GET', url, headers };
  // Absolute-form, authority-form and asterisk-form targets are passed as sent.
  if (!originForm) request.target = target;
  if (parsed.body !== undefined) request.body = parsed.body;
  if (parsed.trailers !== undefined) request.trailers = parsed.trailers.map(([n, v]): HeaderPair => [n, v]);
  return request;
}

/** A library response from a parsed vector response. */
export function responseFrom(parsed: ParsedMessage, request?: RequestLike): ResponseLike {
  if (parsed.type !== 'response' || parsed.status === undefined) throw new Error('not a response');
  const response: ResponseLike = { status: parsed.status, headers: headerPairs(parsed) };
  const body = parsed.body ?? parsed.decodedBody;
  if (body !== undefined) response.body = body;
  if (parsed.trailers !== undefined) response.trailers = parsed.trailers.map(([n, v]): HeaderPair => [n, v]);
  if (request !== undefined) response.request = request;
  return response;
}

/** Any parsed vector message as a library message. */
export function messageFrom(parsed: ParsedMessage): RequestLike | ResponseLike {
  return parsed.type === 'response' ? responseFrom(parsed) : requestFrom(parsed);
}

/** The related request of a response vector, if any. */
export function relatedRequestOf(v: SignatureVector): RequestLike | undefined {
  return v.relatedRequest ? requestFrom(v.relatedRequest.parsed) : undefined;
}

/** The message before signing (for 4.3-proxy_sig it already carries the client's sig1). */
export function unsignedMessageOf(v: SignatureVector): RequestLike | ResponseLike {
  return messageFrom(v.message.parsed);
}

/** The message as printed with its signature fields. */
export function signedMessageOf(v: SignatureVector): RequestLike | ResponseLike {
  return messageFrom(v.signedMessage.parsed);
}

/** The signature parameters as an ordered object (property order = serialization order). */
export function paramsOf(list: readonly NamedValue[]): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {};
  for (const { name, value } of list) params[name] = value;
  return params;
}

/** The `created` parameter of a vector. */
export function createdOf(v: SignatureVector): number {
  const created = v.signatureParameters.find((p) => p.name === 'created')?.value;
  if (typeof created !== 'number') throw new Error(`vector ${v.id} has no created`);
  return created;
}

type AnyMessage = RequestLike | ResponseLike;

function pairsOf(message: AnyMessage): HeaderPair[] {
  const headers = message.headers;
  if (!Array.isArray(headers)) throw new Error('test messages keep headers as pairs');
  return headers as HeaderPair[];
}

/** A copy of the message with its field lines replaced. */
export function withHeaders<T extends AnyMessage>(message: T, headers: HeaderPair[]): T {
  return { ...message, headers };
}

/** A copy of the message without any field line named `name` (case-insensitive). */
export function withoutHeader<T extends AnyMessage>(message: T, name: string): T {
  const lower = name.toLowerCase();
  return withHeaders(
    message,
    pairsOf(message).filter(([n]) => n.toLowerCase() !== lower),
  );
}

/** A copy of the message without Signature and Signature-Input. */
export function withoutSignatureFields<T extends AnyMessage>(message: T): T {
  return withoutHeader(withoutHeader(message, 'signature'), 'signature-input');
}

/** A copy of the message with every `name` field line replaced by one line holding `value`. */
export function withHeader<T extends AnyMessage>(message: T, name: string, value: string): T {
  const rest = withoutHeader(message, name);
  return withHeaders(rest, [...pairsOf(rest), [name, value]]);
}

/** A copy of the message with one more field line. */
export function addHeader<T extends AnyMessage>(message: T, name: string, value: string): T {
  return withHeaders(message, [...pairsOf(message), [name, value]]);
}

/** The value of the first field line named `name`. */
export function headerOf(message: AnyMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  return pairsOf(message).find(([n]) => n.toLowerCase() === lower)?.[1];
}

/**
 * Put a sign result's fields on the message: the complete Signature-Input and Signature values
 * and, when signing added them, Content-Digest and Content-Type.
 */
export function withSignature<T extends AnyMessage>(
  message: T,
  result: { signatureInput: string; signature: string; headers?: Readonly<Record<string, string>> },
): T {
  let out = message;
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (name !== 'signature-input' && name !== 'signature') out = withHeader(out, name, value);
  }
  return withHeader(withHeader(out, 'Signature-Input', result.signatureInput), 'Signature', result.signature);
}

/** Replace the byte sequence of one member of the Signature field (other members kept). */
export function withSignatureBytes<T extends AnyMessage>(message: T, label: string, base64: string): T {
  const current = headerOf(message, 'signature');
  if (current === undefined) throw new Error('message has no Signature field');
  const pattern = new RegExp(`(^|,\\s*)(${escapeRegExp(label)})=:[^:]*:`);
  if (!pattern.test(current)) throw new Error(`Signature has no member ${label}`);
  return withHeader(message, 'Signature', current.replace(pattern, `$1$2=:${base64}:`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------------------------

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The base64 of `b64`'s bytes with byte `index` XORed with `mask` (default: lowest bit). */
export function flipByte(b64: string, index: number, mask = 0x01): string {
  const bytes = base64ToBytes(b64);
  const i = ((index % bytes.length) + bytes.length) % bytes.length;
  bytes[i] = (bytes[i] as number) ^ (mask & 0xff || 0x01);
  return bytesToBase64(bytes);
}

// ---------------------------------------------------------------------------------------------
// Keys (RFC 9421 Appendix B.1)
// ---------------------------------------------------------------------------------------------

/** The algorithm each RFC test key is used with. */
export const keyAlgorithms: Readonly<Record<string, Algorithm>> = {
  'test-key-rsa': 'rsa-v1_5-sha256',
  'test-key-rsa-pss': 'rsa-pss-sha512',
  'test-key-ecc-p256': 'ecdsa-p256-sha256',
  'test-key-ed25519': 'ed25519',
  'test-shared-secret': 'hmac-sha256',
};

export function keyVector(keyid: string): KeyVector {
  const found = keyVectors.find((k) => k.keyid === keyid);
  if (!found) throw new Error(`no key ${keyid}`);
  return found;
}

export interface TestKeys {
  /** Signing keys by keyid (the HMAC secret for test-shared-secret). */
  readonly private: Readonly<Record<string, HttpSigKey>>;
  /** Verification keys by keyid (the HMAC secret for test-shared-secret). */
  readonly public: Readonly<Record<string, HttpSigKey>>;
}

export type KeyForm = 'jwk' | 'pem';

const cache = new Map<KeyForm, Promise<TestKeys>>();

async function importPair(k: KeyVector, form: KeyForm): Promise<[HttpSigKey, HttpSigKey]> {
  const alg = keyAlgorithms[k.keyid];
  if (alg === undefined) throw new Error(`no algorithm for ${k.keyid}`);
  if (alg === 'hmac-sha256') {
    const secret = k.secretBase64;
    if (secret === undefined) throw new Error('shared secret missing');
    const key = await importKey(form === 'jwk' ? k.jwkPrivate : secret, { alg, keyid: k.keyid });
    return [key, key];
  }
  if (form === 'jwk') {
    const publicJwk = k.jwkPublic;
    if (publicJwk === undefined) throw new Error(`public JWK missing for ${k.keyid}`);
    return Promise.all([
      importKey(k.jwkPrivate, { alg, keyid: k.keyid }),
      importKey(publicJwk, { alg, keyid: k.keyid }),
    ]);
  }
  if (k.privateKeyPem === undefined || k.publicKeyPem === undefined)
    throw new Error(`PEM missing for ${k.keyid}`);
  return Promise.all([
    importKey(k.privateKeyPem, { alg, keyid: k.keyid }),
    importKey(k.publicKeyPem, { alg, keyid: k.keyid }),
  ]);
}

/** The key for `keyid` in a record (throws when absent, so tests fail loudly). */
export function keyOf(record: Readonly<Record<string, HttpSigKey>>, keyid: string): HttpSigKey {
  const key = record[keyid];
  if (key === undefined) throw new Error(`no test key ${keyid}`);
  return key;
}

/** Import every RFC test key once (per form), keyed by keyid. */
export function loadTestKeys(form: KeyForm = 'jwk'): Promise<TestKeys> {
  let pending = cache.get(form);
  if (!pending) {
    pending = (async () => {
      const privateKeys: Record<string, HttpSigKey> = {};
      const publicKeys: Record<string, HttpSigKey> = {};
      for (const k of keyVectors) {
        const [priv, pub] = await importPair(k, form);
        privateKeys[k.keyid] = priv;
        publicKeys[k.keyid] = pub;
      }
      return { private: privateKeys, public: publicKeys };
    })();
    pending.catch(() => cache.delete(form));
    cache.set(form, pending);
  }
  return pending;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** What `fn` threw (undefined when it returned). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** What `promise` rejected with (undefined when it resolved). */
export async function rejectionOf(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Assert that `error` is an `HttpSigError` with `code` (the message names the code seen otherwise). */
export function expectHttpSigError(error: unknown, code: HttpSigErrorCode): asserts error is HttpSigError {
  if (!(error instanceof HttpSigError)) {
    const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    expect.fail(`expected HttpSigError ${code}, got ${shown}`);
  }
  expect(error.code, error.message).toBe(code);
}
