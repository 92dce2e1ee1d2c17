/**
 * Node only: a large streamed body is hashed incrementally (memory stays flat), a stream over the
 * limit is refused after reading just past the limit and its source is stopped, and Node streams
 * (Readable.from, fs.createReadStream) verify against digests computed with node:crypto.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDigestField,
  defaultMaxBodySize,
  readBody,
  signMessage,
  verifyDigestField,
  verifyMessage,
} from '../../src/index';
import type { RequestLike } from '../../src/message/types';
import {
  expectHttpSigError,
  keyOf,
  loadTestKeys,
  rejectionOf,
  withSignature,
} from '../conformance/lib/messages';
import { HELLO_SHA256 } from './lib/bodies';

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
const HUGE = 256 * MiB;
/** Generous: the body is 256 MiB; an implementation that buffers it grows by at least that. */
const MAX_GROWTH = 64 * MiB;

/** Chunk `i` of the generated body: its index, then a byte pattern that depends on it. */
function chunkAt(i: number): Buffer {
  const chunk = Buffer.alloc(CHUNK, (i * 31 + 7) & 0xff);
  chunk.writeUInt32BE(i, 0);
  return chunk;
}

/** Digests of the generated body, computed here with node:crypto, one chunk at a time. */
function expectedDigests(total: number): { sha256: string; sha512: string } {
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  for (let i = 0; i * CHUNK < total; i++) {
    const chunk = chunkAt(i);
    sha256.update(chunk);
    sha512.update(chunk);
  }
  return { sha256: sha256.digest('base64'), sha512: sha512.digest('base64') };
}

interface MemoryWatch {
  sample(): void;
  report(label: string): { rss: number; arrayBuffers: number };
}

/** Records the peak rss / arrayBuffers above the level at creation. */
function watchMemory(): MemoryWatch {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let rss = 0;
  let arrayBuffers = 0;
  return {
    sample() {
      const now = process.memoryUsage();
      rss = Math.max(rss, now.rss - base.rss);
      arrayBuffers = Math.max(arrayBuffers, now.arrayBuffers - base.arrayBuffers);
    },
    report(label) {
      this.sample();
      console.info(
        `[memory] ${label}: peak growth rss ${(rss / MiB).toFixed(1)} MiB, arrayBuffers ${(arrayBuffers / MiB).toFixed(1)} MiB ` +
          `(body ${(HUGE / MiB).toFixed(0)} MiB; rss at start ${(base.rss / MiB).toFixed(0)} MiB)`,
      );
      return { rss, arrayBuffers };
    },
  };
}

/**
 * Resolves on 'close'. A Node stream stopped before its end is destroyed with an AbortError,
 * which is the expected way to stop it here, so 'error' is not a failure.
 */
function closeOf(stream: Readable): Promise<void> {
  stream.on('error', () => undefined);
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

/** A ReadableStream producing `total` bytes lazily, one chunk per pull. */
function webSource(total: number, watch?: MemoryWatch) {
  const stats = { produced: 0, cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (stats.produced >= total) {
          controller.close();
          return;
        }
        if (i % 64 === 0) watch?.sample();
        controller.enqueue(chunkAt(i++));
        stats.produced += CHUNK;
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

/** A Node Readable producing `total` bytes lazily. */
function nodeSource(total: number, watch?: MemoryWatch) {
  const stats = { produced: 0 };
  let i = 0;
  const readable = new Readable({
    read() {
      if (stats.produced >= total) {
        this.push(null);
        return;
      }
      if (i % 64 === 0) watch?.sample();
      stats.produced += CHUNK;
      this.push(chunkAt(i++));
    },
  });
  return { readable, stats };
}

describe(`a ${HUGE / MiB} MiB streamed body`, { timeout: 120_000 }, () => {
  let expected: { sha256: string; sha512: string };
  beforeAll(() => {
    expected = expectedDigests(HUGE);
  });

  it('ReadableStream: createDigestField completes with flat memory', async () => {
    const watch = watchMemory();
    const { stream, stats } = webSource(HUGE, watch);
    const value = await createDigestField(stream, { maxBodySize: 512 * MiB });
    const growth = watch.report('createDigestField(ReadableStream)');
    expect(value).toBe(`sha-256=:${expected.sha256}:`);
    expect(stats.produced).toBe(HUGE);
    expect(growth.arrayBuffers).toBeLessThan(MAX_GROWTH);
    expect(growth.rss).toBeLessThan(MAX_GROWTH);
  });

  it('Node Readable: verifyDigestField with two algorithms completes with flat memory', async () => {
    const watch = watchMemory();
    const { readable, stats } = nodeSource(HUGE, watch);
    const result = await verifyDigestField(
      `sha-256=:${expected.sha256}:, sha-512=:${expected.sha512}:`,
      readable,
      { maxBodySize: 512 * MiB },
    );
    const growth = watch.report('verifyDigestField(Readable, sha-256 + sha-512)');
    expect(result.algorithms).toEqual(['sha-256', 'sha-512']);
    expect(stats.produced).toBe(HUGE);
    expect(growth.arrayBuffers).toBeLessThan(MAX_GROWTH);
    expect(growth.rss).toBeLessThan(MAX_GROWTH);
  });

  it('verifyMessage checks a covered digest over a streamed body with flat memory', async () => {
    const keys = await loadTestKeys();
    const ED = 'test-key-ed25519';
    const headers: [string, string][] = [['Content-Digest', `sha-256=:${expected.sha256}:`]];
    const unsigned: RequestLike = { method: 'PUT', url: 'https://upload.example/big', headers };
    // The digest was computed independently, so signing need not read the body.
    const result = await signMessage(unsigned, {
      key: keyOf(keys.private, ED),
      components: ['@method', '@path', 'content-digest'],
      params: { created: 1_700_000_000, keyid: ED },
      digest: false,
    });
    const watch = watchMemory();
    const { stream, stats } = webSource(HUGE, watch);
    const verified = await verifyMessage(
      { ...withSignature(unsigned, result), body: stream },
      {
        keys: keys.public,
        requiredComponents: ['content-digest'],
        now: 1_700_000_000,
        maxBodySize: 512 * MiB,
      },
    );
    const growth = watch.report('verifyMessage(ReadableStream body)');
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    expect(stats.produced).toBe(HUGE);
    expect(growth.arrayBuffers).toBeLessThan(MAX_GROWTH);
    expect(growth.rss).toBeLessThan(MAX_GROWTH);
  });
});

describe('the default 10 MiB limit on a huge stream', () => {
  // Just past the limit, with room for one chunk in flight and Node's read-ahead buffer.
  const stopsBy = defaultMaxBodySize + 4 * CHUNK;

  it('ReadableStream: refused after a little more than 10 MiB, and cancelled', async () => {
    const { stream, stats } = webSource(HUGE);
    const error = await rejectionOf(createDigestField(stream));
    expectHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE');
    console.info(`[limit] ReadableStream: ${stats.produced} bytes produced before refusal`);
    expect(stats.produced).toBeGreaterThan(defaultMaxBodySize);
    expect(stats.produced).toBeLessThanOrEqual(stopsBy);
    expect(stats.cancelled).toBe(true);
  });

  it('Node Readable: refused after a little more than 10 MiB, and destroyed', async () => {
    const { readable, stats } = nodeSource(HUGE);
    const closed = closeOf(readable);
    const error = await rejectionOf(verifyDigestField(`sha-256=:${HELLO_SHA256}:`, readable));
    expectHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE');
    console.info(`[limit] Node Readable: ${stats.produced} bytes produced before refusal`);
    expect(stats.produced).toBeGreaterThan(defaultMaxBodySize);
    expect(stats.produced).toBeLessThanOrEqual(stopsBy);
    expect(readable.destroyed).toBe(true);
    await closed;
  });

  it('Readable.from(async generator): the generator is closed', async () => {
    let produced = 0;
    let closed = false;
    async function* generate() {
      try {
        for (let i = 0; i * CHUNK < HUGE; i++) {
          produced += CHUNK;
          yield chunkAt(i);
        }
      } finally {
        closed = true;
      }
    }
    const error = await rejectionOf(readBody(Readable.from(generate())));
    expectHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE');
    expect(produced).toBeLessThanOrEqual(stopsBy);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe('Node streams', () => {
  let dir: string;
  let file: string;
  let content: Buffer;
  let sha256: string;
  let sha512: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'httpsig-digest-'));
    file = join(dir, 'body.bin');
    content = randomBytes(3 * MiB + 7);
    writeFileSync(file, content);
    sha256 = createHash('sha256').update(content).digest('base64');
    sha512 = createHash('sha512').update(content).digest('base64');
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('Readable.from text and Buffer chunks verifies against the RFC 9530 Appendix D digest', async () => {
    const readable = Readable.from(['{"hello"', Buffer.from(': "wor'), 'ld"}']);
    await expect(verifyDigestField(`sha-256=:${HELLO_SHA256}:`, readable)).resolves.toMatchObject({
      algorithms: ['sha-256'],
    });
  });

  it('Readable.from a single Buffer is one chunk of bytes', async () => {
    await expect(createDigestField(Readable.from([content]))).resolves.toBe(`sha-256=:${sha256}:`);
  });

  it('fs.createReadStream verifies against digests computed with node:crypto', async () => {
    const result = await verifyDigestField(
      `sha-512=:${sha512}:, sha-256=:${sha256}:`,
      createReadStream(file),
    );
    expect(result.algorithms).toEqual(['sha-512', 'sha-256']);
    await expect(createDigestField(createReadStream(file, { highWaterMark: 1000 }))).resolves.toBe(
      `sha-256=:${sha256}:`,
    );
  });

  it('fs.createReadStream of a changed file is a mismatch', async () => {
    const changed = Buffer.from(content);
    changed[changed.length - 1] = (changed[changed.length - 1] as number) ^ 1;
    const other = join(dir, 'changed.bin');
    writeFileSync(other, changed);
    expectHttpSigError(
      await rejectionOf(verifyDigestField(`sha-256=:${sha256}:`, createReadStream(other))),
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });

  it('fs.createReadStream over maxBodySize is refused and the file is closed', async () => {
    const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
    const closed = closeOf(stream);
    expectHttpSigError(
      await rejectionOf(verifyDigestField(`sha-256=:${sha256}:`, stream, { maxBodySize: MiB })),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
    expect(stream.destroyed).toBe(true);
    await closed;
    expect(stream.bytesRead).toBeLessThan(2 * MiB);
  });

  it('signing a plain message with a file stream body returns the bytes to send', async () => {
    const keys = await loadTestKeys();
    const message: RequestLike = {
      method: 'PUT',
      url: 'https://upload.example/file',
      headers: [],
      body: createReadStream(file),
    };
    const result = await signMessage(message, {
      key: keyOf(keys.private, 'test-key-ed25519'),
      components: ['@method', '@path'],
      params: { created: 1_700_000_000, keyid: 'test-key-ed25519' },
    });
    expect(result.contentDigest).toBe(`sha-256=:${sha256}:`);
    expect(Buffer.from(result.body as Uint8Array).equals(content)).toBe(true);
    const verified = await verifyMessage(
      { ...withSignature(message, result), body: createReadStream(file) },
      { keys: keys.public, requiredComponents: [], now: 1_700_000_000 },
    );
    expect(verified.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
  });

  it('readBody of a file stream returns its exact bytes', async () => {
    const bytes = await readBody(createReadStream(file));
    expect(Buffer.from(bytes).equals(content)).toBe(true);
  });
});
