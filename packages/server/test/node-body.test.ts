/** The Node helpers: a bounded raw-body read, and replaying the bytes to a later reader. */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHttpSigError } from '@httpsig/core';
import { readRawBody, replayBody } from '@httpsig/server/node';
import { describe, expect, it } from 'vitest';

/** Start a server running `handle` for one request, send `body`, return what `handle` resolved. */
async function withRequest<T>(
  body: Buffer,
  handle: (req: IncomingMessage) => Promise<T>,
  headers: Record<string, string> = {},
): Promise<T> {
  let result!: Promise<T>;
  const server = createServer((req, res) => {
    result = handle(req);
    result.then(
      () => res.end('ok'),
      () => res.writeHead(413, { connection: 'close' }).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', resolve);
      res.on('error', resolve);
    });
    req.on('error', () => resolve());
    req.end(body);
  });
  server.close();
  return result;
}

describe('readRawBody', () => {
  it('reads the exact bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 13, 10]);
    expect(Buffer.from(await withRequest(bytes, (req) => readRawBody(req, 100)))).toEqual(bytes);
  });

  it('refuses at once when Content-Length is over the limit, and when a chunked body passes it', async () => {
    const big = Buffer.alloc(2048, 1);
    const declared = await withRequest(big, (req) => readRawBody(req, 1024)).catch((e: unknown) => e);
    expect(isHttpSigError(declared, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    const chunked = await withRequest(big, (req) => readRawBody(req, 1024), {
      'transfer-encoding': 'chunked',
    }).catch((e: unknown) => e);
    expect(isHttpSigError(chunked, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
  });
});

describe('replayBody', () => {
  const payload = Buffer.from('{"replayed":"bytes \u00e9"}');

  it('a later reader gets the same bytes through data/end events', async () => {
    const seen = await withRequest(payload, async (req) => {
      const bytes = await readRawBody(req, 1000);
      replayBody(req, bytes);
      expect(req.readable).toBe(true);
      return new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
      });
    });
    expect(seen).toEqual(payload);
  });

  it('through async iteration, pipe and setEncoding', async () => {
    const iterated = await withRequest(payload, async (req) => {
      replayBody(req, await readRawBody(req, 1000));
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(iterated).toEqual(payload);
    const text = await withRequest(payload, async (req) => {
      replayBody(req, await readRawBody(req, 1000));
      req.setEncoding('utf8');
      let out = '';
      for await (const chunk of req) out += chunk;
      return out;
    });
    expect(text).toBe(payload.toString('utf8'));
    const { PassThrough } = await import('node:stream');
    const piped = await withRequest(payload, async (req) => {
      replayBody(req, await readRawBody(req, 1000));
      const sink = new PassThrough();
      req.pipe(sink);
      const chunks: Buffer[] = [];
      for await (const chunk of sink) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(piped).toEqual(payload);
  });

  it('read(n) is byte-sized, and stream.pipeline/finished complete', async () => {
    const { PassThrough } = await import('node:stream');
    const { finished, pipeline } = await import('node:stream/promises');
    const sized = await withRequest(payload, async (req) => {
      replayBody(req, await readRawBody(req, 1000));
      await new Promise((resolve) => req.once('readable', resolve));
      return req.read(4) as Buffer;
    });
    expect(sized).toEqual(payload.subarray(0, 4));
    const piped = await withRequest(payload, async (req) => {
      replayBody(req, await readRawBody(req, 1000));
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (chunk: Buffer) => chunks.push(chunk));
      await pipeline(req, sink);
      await finished(req);
      return Buffer.concat(chunks);
    });
    expect(piped).toEqual(payload);
  });
});
