/**
 * Shared helpers for the security suite: RFC 9421 Appendix B test keys, a signed request, and a
 * refusal check that also records each error, so every file can scan the messages for leaks.
 */
import { expect } from 'vitest';
import { HttpSigError, type HttpSigErrorCode } from '../../src/errors';
import { signMessage } from '../../src/index';
import type { RequestLike } from '../../src/message/types';
import type { SignOptions } from '../../src/sign/types';
import { keyVector } from '../conformance/lib/messages';

export { keyOf, loadTestKeys, type TestKeys } from '../conformance/lib/messages';

export const NOW = 1_700_000_000;
export const BODY = '{"account":"BODY-SECRET-4f9e2b","amount":100}';
export const ED = 'test-key-ed25519';
export const RSA = 'test-key-rsa';
export const PSS = 'test-key-rsa-pss';
export const EC = 'test-key-ecc-p256';
export const HMAC = 'test-shared-secret';

export function baseRequest(overrides: Partial<RequestLike> = {}): RequestLike {
  return {
    method: 'POST',
    url: 'https://api.example.com/transfers?from=alice&to=bob',
    headers: { 'content-type': 'application/json', 'x-request-id': 'req-7c1d0e' },
    body: BODY,
    ...overrides,
  };
}

/** `message` with the fields signing added (Signature-Input, Signature, Content-Digest). */
export async function sign(message: RequestLike, options: SignOptions): Promise<RequestLike> {
  const result = await signMessage(message, { now: NOW, ...options });
  return withFields(message, result.headers);
}

/** A copy of `message` with `fields` set (replacing lines of the same name). */
export function withFields(message: RequestLike, fields: Readonly<Record<string, string>>): RequestLike {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers as Record<string, string>)) {
    headers[name.toLowerCase()] = value;
  }
  for (const [name, value] of Object.entries(fields)) headers[name.toLowerCase()] = value;
  return { ...message, headers };
}

/** A copy of `message` without the named fields. */
export function withoutFields(message: RequestLike, ...names: string[]): RequestLike {
  const headers = Object.fromEntries(
    Object.entries(message.headers as Record<string, string>).filter(([name]) => !names.includes(name)),
  );
  return { ...message, headers };
}

export function field(message: RequestLike, name: string): string {
  const value = (message.headers as Record<string, string>)[name];
  if (value === undefined) throw new Error(`no ${name} field`);
  return value;
}

/** Every error a refusal check saw, with the strings its message must not contain. */
const seen: { error: HttpSigError; forbidden: string[] }[] = [];

/** Strings no error message may contain: secret key material and the body. */
export function secretStrings(): string[] {
  const secrets = [BODY, 'BODY-SECRET'];
  for (const keyid of [ED, RSA, PSS, EC, HMAC]) {
    const k = keyVector(keyid);
    if (k.secretBase64) secrets.push(k.secretBase64.slice(0, 12));
    const d = (k.jwkPrivate as { d?: string }).d;
    if (d) secrets.push(d.slice(0, 12));
    if (k.privateKeyPem) secrets.push(k.privateKeyPem.split('\n')[1]?.slice(0, 12) ?? '');
    if (k.publicKeyPem) secrets.push(k.publicKeyPem.split('\n')[1]?.slice(0, 12) ?? '');
  }
  return secrets.filter((s) => s.length >= 8);
}

/**
 * Values from the message an error message must not repeat: signature bytes, the body and
 * every field value longer than a token (short values such as `GET` may be named).
 */
function messageStrings(message: RequestLike | undefined): string[] {
  if (!message) return [];
  const strings: string[] = [];
  for (const [name, value] of Object.entries((message.headers ?? {}) as Record<string, string>)) {
    if (name === 'signature') {
      for (const match of value.matchAll(/:([A-Za-z0-9+/=]{16,}):/g))
        strings.push((match[1] as string).slice(0, 16));
    } else if (value.length > 16) {
      strings.push(value);
    }
  }
  if (typeof message.body === 'string' && message.body.length >= 8) strings.push(message.body);
  return strings;
}

/** Expect `work` to be refused with `code` (and `limit`, for a limit), and record the error. */
export async function expectRefusal(
  work: Promise<unknown>,
  code: HttpSigErrorCode,
  message?: RequestLike,
  limit?: string,
): Promise<HttpSigError> {
  let error: unknown;
  try {
    await work;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected ${code}`).toBeInstanceOf(HttpSigError);
  const refusal = error as HttpSigError;
  expect(refusal.code).toBe(code);
  if (limit !== undefined) expect(refusal.limit).toBe(limit);
  seen.push({ error: refusal, forbidden: messageStrings(message) });
  return refusal;
}

/** Every recorded error message, checked against the secrets and its own message's values. */
export function expectNoLeaks(): number {
  const secrets = secretStrings();
  for (const { error, forbidden } of seen) {
    for (const text of [...secrets, ...forbidden]) {
      expect(error.message, `${error.code} message leaks ${text.slice(0, 8)}…`).not.toContain(text);
    }
  }
  return seen.length;
}
