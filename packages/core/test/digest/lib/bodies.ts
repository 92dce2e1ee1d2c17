/**
 * Helpers for the digest tests: expected digests computed independently with WebCrypto, and
 * body sources that count what was pulled from them. Web APIs only: these also run in Chromium.
 */
import { base64ToBytes, bytesToBase64 } from '../../conformance/lib/messages';

export { base64ToBytes, bytesToBase64 };

/** SHA-256 of empty content, as printed in RFC 9530 Appendix B.2 (and B.4/B.7 requests). */
export const EMPTY_SHA256 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** `{"hello": "world"}` (no LF) and its digests from RFC 9530 Appendix D. */
export const HELLO = '{"hello": "world"}';
export const HELLO_SHA256 = 'X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=';
export const HELLO_SHA512 =
  'WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==';

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0) throw new Error(`odd-length hex: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The base64 digest of `bytes`, computed here with WebCrypto (not through the library). */
export async function digestBase64(
  algorithm: 'sha-256' | 'sha-512',
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const name = algorithm === 'sha-256' ? 'SHA-256' : 'SHA-512';
  return bytesToBase64(new Uint8Array(await crypto.subtle.digest(name, bytes)));
}

/** A one-member `Content-Digest` value for `bytes`, computed independently. */
export async function expectedField(
  bytes: Uint8Array<ArrayBuffer>,
  algorithm: 'sha-256' | 'sha-512' = 'sha-256',
): Promise<string> {
  return `${algorithm}=:${await digestBase64(algorithm, bytes)}:`;
}

/** A ReadableStream source that records how much was pulled and whether it was cancelled. */
export interface CountingStream {
  readonly stream: ReadableStream<Uint8Array>;
  readonly stats: { pulls: number; bytes: number; cancelled: boolean; closed: boolean };
}

/**
 * A stream of `total` bytes in `chunkSize` chunks, produced on demand (highWaterMark 0: nothing
 * is produced before a read asks for it). Byte i is `fill(i)`.
 */
export function countingStream(
  total: number,
  chunkSize: number,
  fill: (index: number) => number = (i) => i & 0xff,
): CountingStream {
  const stats = { pulls: 0, bytes: 0, cancelled: false, closed: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (stats.bytes >= total) {
          stats.closed = true;
          controller.close();
          return;
        }
        stats.pulls++;
        const size = Math.min(chunkSize, total - stats.bytes);
        const chunk = new Uint8Array(size);
        for (let i = 0; i < size; i++) chunk[i] = fill(stats.bytes + i);
        stats.bytes += size;
        controller.enqueue(chunk);
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

/** The bytes `countingStream(total, …, fill)` produces, built in one piece. */
export function patternBytes(
  total: number,
  fill: (index: number) => number = (i) => i & 0xff,
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = fill(i);
  return out;
}

/** A ReadableStream over `bytes`, split into pieces of `chunkSize`. */
export function streamOf(bytes: Uint8Array, chunkSize = 7): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        controller.enqueue(bytes.slice(offset, offset + chunkSize));
        offset += chunkSize;
      },
    },
    { highWaterMark: 0 },
  );
}

/** An async generator over `bytes` in pieces of `chunkSize` (a mix of bytes and text is allowed). */
export async function* chunksOf(bytes: Uint8Array, chunkSize = 5): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    yield bytes.slice(offset, offset + chunkSize);
  }
}
