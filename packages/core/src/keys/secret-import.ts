/** Shared secrets (HMAC): strict base64 or base64url text, or bytes, imported raw. */
import { base64Decode } from '../internal/bytes';
import { invalidKey } from './key-errors';
import type { Prepared } from './prepared-material';
import type { Bytes } from './types';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Strict base64 or base64url (one alphabet, no inner whitespace). */
export function decodeSecret(text: string): Bytes {
  const bytes = BASE64.test(text) || BASE64URL.test(text) ? base64Decode(text) : undefined;
  if (bytes === undefined) throw invalidKey('The shared secret is not valid base64 or base64url');
  return bytes;
}

export function prepareSecret(bytes: Bytes): Prepared {
  if (bytes.length === 0) throw invalidKey('The shared secret is empty');
  return { format: 'raw', data: bytes, type: 'secret' };
}
