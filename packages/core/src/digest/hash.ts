/**
 * Hashing a body. Bytes go to `SubtleCrypto.digest`. Streams go through an incremental hash
 * where the runtime has one (`node:crypto`, also in Deno and Bun), so a large body is never held
 * in memory; WebCrypto has no incremental digest, so elsewhere a stream is buffered up to the limit.
 */
import { builtinCrypto } from '../internal/node-crypto';
import type { Bytes } from '../keys/types';
import { type DigestAlgorithm, digestAlgorithmEntry } from './algorithms';
import { type BodySource, collectBody, forEachChunk } from './body';

interface IncrementalHash {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

interface NodeCrypto {
  createHash(algorithm: string): IncrementalHash;
  /** One-shot hashing (Node 20.12+): no Hash object to build and later collect. */
  hash?: (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Uint8Array;
}

/** `node:crypto`'s hashing, where the runtime has it (browser bundles never reference it). */
function incrementalHashing(): NodeCrypto | undefined {
  const crypto = builtinCrypto() as NodeCrypto | undefined;
  return typeof crypto?.createHash === 'function' ? crypto : undefined;
}

/**
 * Up to this size, bytes are hashed on the calling thread where node:crypto is available: a
 * round trip through WebCrypto's thread pool (tens of microseconds in Node) costs more than
 * hashing them. Larger bodies go to the thread pool so the event loop is not held.
 */
const syncHashLimit = 64 * 1024;

/**
 * Hash bytes already in memory on the calling thread, or undefined where that is not how they
 * would be hashed (no node:crypto, or past the synchronous size): callers then await `digestBytes`.
 */
export function digestBytesNow(
  bytes: Bytes,
  algorithms: readonly DigestAlgorithm[],
): Map<DigestAlgorithm, Bytes> | undefined {
  const node = bytes.byteLength <= syncHashLimit ? incrementalHashing() : undefined;
  if (node === undefined) return undefined;
  const { hash } = node;
  return new Map(
    algorithms.map((algorithm) => {
      const name = digestAlgorithmEntry(algorithm).node;
      if (hash !== undefined) return [algorithm, ownBytes(hash(name, bytes, 'buffer'))];
      return [algorithm, toDigest(node.createHash(name).update(bytes) as IncrementalHash)];
    }),
  );
}

/** Hash bytes already in memory. */
export async function digestBytes(
  bytes: Bytes,
  algorithms: readonly DigestAlgorithm[],
): Promise<Map<DigestAlgorithm, Bytes>> {
  const now = digestBytesNow(bytes, algorithms);
  if (now !== undefined) return now;
  const digests = await Promise.all(
    algorithms.map(
      async (algorithm) =>
        [
          algorithm,
          new Uint8Array(
            await globalThis.crypto.subtle.digest(digestAlgorithmEntry(algorithm).webCrypto, bytes),
          ) as Bytes,
        ] as const,
    ),
  );
  return new Map<DigestAlgorithm, Bytes>(digests);
}

/** Hash a body with each algorithm, reading it once and at most `limit` bytes. */
export async function hashBody(
  source: BodySource,
  algorithms: readonly DigestAlgorithm[],
  limit: number,
): Promise<Map<DigestAlgorithm, Bytes>> {
  const node = source.kind === 'stream' ? incrementalHashing() : undefined;
  if (source.kind === 'bytes' || node === undefined) {
    return digestBytes(await collectBody(source, limit), algorithms);
  }
  const hashes = algorithms.map((algorithm) => node.createHash(digestAlgorithmEntry(algorithm).node));
  await forEachChunk(source, limit, (chunk) => {
    for (const hash of hashes) hash.update(chunk);
  });
  return new Map(algorithms.map((algorithm, i) => [algorithm, toDigest(hashes[i] as IncrementalHash)]));
}

function toDigest(hash: IncrementalHash): Bytes {
  return ownBytes(hash.digest());
}

/** A Buffer may be a view into a shared pool: copy it into bytes of its own. */
function ownBytes(digest: Uint8Array): Bytes {
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength).slice() as Bytes;
}
