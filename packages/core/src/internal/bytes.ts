/** Byte helpers that work in every runtime (no Buffer). */
import type { Bytes } from '../keys/types';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Encode(text: string): Bytes {
  return encoder.encode(text) as Bytes;
}

export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Copy any byte source into a fresh `Uint8Array<ArrayBuffer>`. */
export function toBytes(source: Uint8Array | ArrayBuffer | ArrayBufferView): Bytes {
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  const view = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return new Uint8Array(view) as Bytes;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lookup = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
// base64url letters decode too; callers that must be strict check the alphabet first.
lookup['-'.charCodeAt(0)] = 62;
lookup['_'.charCodeAt(0)] = 63;

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      alphabet.charAt(n >> 18) +
      alphabet.charAt((n >> 12) & 63) +
      alphabet.charAt((n >> 6) & 63) +
      alphabet.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${alphabet.charAt(n >> 18)}${alphabet.charAt((n >> 12) & 63)}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${alphabet.charAt(n >> 18)}${alphabet.charAt((n >> 12) & 63)}${alphabet.charAt((n >> 6) & 63)}=`;
  }
  return out;
}

export function base64UrlEncode(bytes: Uint8Array): string {
  return base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decode standard or URL-safe base64, padded or not. Returns undefined for anything that is
 * not base64 (bad characters, impossible length, wrong padding, non-zero trailing bits).
 */
export function base64Decode(text: string): Bytes | undefined {
  let end = text.length;
  let pad = 0;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) {
    end--;
    pad++;
  }
  if (pad > 2) return undefined;
  if (pad > 0 && text.length % 4 !== 0) return undefined;
  const rem = end % 4;
  if (rem === 1) return undefined;
  if (pad > 0 && (4 - rem) % 4 !== pad) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (lookup[c] as number) : -1;
    if (v < 0) return undefined;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero for a canonical encoding.
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out as Bytes;
}

/** Compare two byte arrays in time that depends only on their lengths. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function concatBytes(parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out as Bytes;
}

/**
 * Bytes of an HTTP byte string: each char up to U+00FF is one byte (as `Headers` and Node
 * give field values); a string with wider chars is taken as text and encoded as UTF-8.
 */
export function encodeByteString(text: string): Bytes {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return utf8Encode(text);
    bytes[i] = c;
  }
  return bytes as Bytes;
}
