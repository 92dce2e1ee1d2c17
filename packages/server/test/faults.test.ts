/**
 * Faults and hostile clients against a real Node server on 127.0.0.1 built from the server
 * package's parts (readRawBody, incomingRequestInfo, createVerifier): a client that aborts
 * mid-body, a slow body, a key resolver and a nonce store that fail or hang. Each is refused
 * with its code (failing closed), and the server keeps answering other requests meanwhile.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import {
  generateKey,
  type HttpSigKey,
  isHttpSigError,
  type KeyResolver,
  type NonceStore,
  signMessage,
} from '@httpsig/core';
import { createVerifier, type VerifierOptions } from '@httpsig/server';
import { incomingRequestInfo, readRawBody } from '@httpsig/server/node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

let privateKey: HttpSigKey;
let publicKey: HttpSigKey;
beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' }));
});

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A verifying server: the body is read with a time limit, then verified; the outcome is the answer. */
async function startServer(options: Partial<VerifierOptions>, bodyTimeoutMs = 5000): Promise<string> {
  const verifier = createVerifier({ keys: { 'client-1': publicKey }, nonceStore: false, ...options });
  const server = createServer(async (req, res) => {
    try {
      const body = await readRawBody(req, 1 << 20, { timeoutMs: bodyTimeoutMs });
      const outcome = await verifier.verify(incomingRequestInfo(req, body));
      if (outcome.ok) res.writeHead(200, { 'content-type': 'text/plain' }).end('verified');
      else res.writeHead(outcome.status, outcome.headers).end(JSON.stringify(outcome.problem));
    } catch (error) {
      // The client went away (aborted body): nothing to answer.
      if (!isHttpSigError(error)) return void res.destroy();
      res.writeHead(error.code === 'ERR_HTTPSIG_BODY_TIMEOUT' ? 408 : 400, { connection: 'close' });
      res.end(JSON.stringify({ code: error.code }));
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A signed POST, sent with fetch; resolves to the status and the problem code. */
async function signedPost(origin: string, nonce?: string): Promise<{ status: number; code?: string }> {
  const message = {
    method: 'POST',
    url: `${origin}/orders`,
    headers: { 'content-type': 'application/json' },
    body: '{"item":1}',
  };
  const { headers } = await signMessage(message, {
    key: privateKey,
    components: ['@method', '@target-uri', 'content-type', 'content-digest'],
    params: { created: true, keyid: 'client-1', ...(nonce === undefined ? {} : { nonce }) },
  });
  const response = await fetch(message.url, {
    method: 'POST',
    headers: { ...message.headers, ...headers },
    body: message.body,
  });
  const text = await response.text();
  return { status: response.status, ...(response.ok ? {} : { code: JSON.parse(text).code }) };
}

describe('hostile clients', () => {
  it('a client that aborts mid-body does not stop the server', async () => {
    const origin = await startServer({});
    const { port } = new URL(origin);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n0123456789');
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    const result = await signedPost(origin);
    expect(result).toEqual({ status: 200 });
  });

  it('a slow body is refused with ERR_HTTPSIG_BODY_TIMEOUT while other requests are served', async () => {
    const origin = await startServer({}, 300);
    const { port } = new URL(origin);
    const answer = new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n');
        // One byte every 50 ms: the whole body would take five seconds.
        const drip = setInterval(() => socket.write('x'), 50);
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString('latin1');
        });
        socket.on('close', () => {
          clearInterval(drip);
          resolve(received);
        });
        socket.on('error', (error) => {
          clearInterval(drip);
          reject(error);
        });
        setTimeout(() => socket.end(), 2000);
      });
    });
    // Served while the slow client is still dripping.
    expect(await signedPost(origin)).toEqual({ status: 200 });
    const raw = await answer;
    expect(raw.startsWith('HTTP/1.1 408')).toBe(true);
    expect(raw).toContain('ERR_HTTPSIG_BODY_TIMEOUT');
  });

  it('readRawBody refuses a bad time limit as API misuse', () => {
    const fakeRequest = { headers: {} } as Parameters<typeof readRawBody>[0];
    expect(() => readRawBody(fakeRequest, 10, { timeoutMs: 0 })).toThrow(TypeError);
  });
});

describe('failing dependencies fail closed', () => {
  it('a key resolver that throws answers 503 ERR_HTTPSIG_KEY_UNAVAILABLE', async () => {
    const keys: KeyResolver = () => {
      throw new Error('key service down');
    };
    const origin = await startServer({ keys });
    expect(await signedPost(origin)).toEqual({ status: 503, code: 'ERR_HTTPSIG_KEY_UNAVAILABLE' });
  });

  it('a key resolver that hangs times out with 503, and other requests are served meanwhile', async () => {
    // Hangs for the signatures whose nonce says so, answers at once for the others.
    const keys: KeyResolver = (_keyid, params) =>
      params.nonce === 'hang' ? new Promise<never>(() => {}) : publicKey;
    const origin = await startServer({ keys, keyResolverTimeout: 300, nonce: 'optional' });
    const stuck = signedPost(origin, 'hang');
    expect(await signedPost(origin)).toEqual({ status: 200 });
    expect(await stuck).toEqual({ status: 503, code: 'ERR_HTTPSIG_KEY_UNAVAILABLE' });
  });

  it('a nonce store that errors or hangs answers 503 ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE', async () => {
    const failing: NonceStore = { consume: () => Promise.reject(new Error('redis: connection refused')) };
    const origin = await startServer({ nonceStore: failing });
    expect(await signedPost(origin, 'n-1')).toEqual({
      status: 503,
      code: 'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
    });
    const hanging: NonceStore = { consume: () => new Promise<never>(() => {}) };
    const slow = await startServer({ nonceStore: hanging, nonceStoreTimeout: 200 });
    expect(await signedPost(slow, 'n-2')).toEqual({
      status: 503,
      code: 'ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE',
    });
  });
});

describe('limits over HTTP', () => {
  it('a request with a 12 KB Signature-Input of 1,000 members is refused with 400 and the limit named', async () => {
    const origin = await startServer({});
    const members = Array.from({ length: 1000 }, (_, i) => `s${i}=()`).join(',');
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${origin}/orders`,
        { method: 'GET', headers: { 'signature-input': members, signature: 's0=:AAAA:' } },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status.status).toBe(400);
    expect(JSON.parse(status.body)).toMatchObject({
      code: 'ERR_HTTPSIG_LIMIT_EXCEEDED',
      limit: 'maxSignatures',
    });
  });
});
