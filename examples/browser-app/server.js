/**
 * The page's server: static files (the Vite build) and the API on one origin. `POST
 * /api/register` records a browser's public key under its RFC 7638 thumbprint; `POST
 * /api/orders` runs only for requests signed by a registered key. `node server.js` serves dist/
 * (run `pnpm build` in this folder first) on http://127.0.0.1:5174.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpSigError, importKey, jwkThumbprint } from '@httpsig/core';
import { createVerifier, refusalFor } from '@httpsig/server';
import { incomingRequestInfo, readRawBody } from '@httpsig/server/node';

const types = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
});

/**
 * @param {{ root: string, port?: number }} options `root`: the built page
 * @returns {Promise<{ url: string, registrations: string[], accepted: { keyid: string | undefined, order: unknown }[], close(): Promise<void> }>}
 */
export async function startServer({ root, port = 0 }) {
  /** @type {Map<string, import('@httpsig/core').HttpSigKey>} */
  const registered = new Map();
  /** @type {string[]} */
  const registrations = [];
  /** @type {{ keyid: string | undefined, order: unknown }[]} */
  const accepted = [];
  const verifier = createVerifier({
    keys: (keyid) => (keyid === undefined ? undefined : registered.get(keyid)),
  });

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function api(req, res) {
    /** @param {number} status @param {Record<string, string>} headers @param {unknown} body */
    const answer = (status, headers, body) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    let body;
    try {
      body = await readRawBody(req, 64 * 1024);
    } catch (error) {
      if (!(error instanceof HttpSigError)) throw error;
      const refusal = refusalFor(error);
      return answer(refusal.status, { ...refusal.headers, connection: 'close' }, refusal.problem);
    }
    if (req.method === 'POST' && req.url === '/api/register') {
      // A real API registers a key only for a signed-in user; this example trusts the first use.
      const jwk = JSON.parse(new TextDecoder().decode(body));
      const keyid = await jwkThumbprint(jwk);
      registered.set(keyid, await importKey(jwk, { alg: 'ecdsa-p256-sha256', keyid }));
      registrations.push(keyid);
      return answer(201, {}, { keyid });
    }
    if (req.method === 'POST' && req.url === '/api/orders') {
      const outcome = await verifier.verify(incomingRequestInfo(req, body));
      if (!outcome.ok) return answer(outcome.status, outcome.headers, outcome.problem);
      const order = JSON.parse(new TextDecoder().decode(body));
      accepted.push({ keyid: outcome.signature.keyid, order });
      return answer(201, {}, { accepted: order });
    }
    return answer(404, {}, { error: 'not found' });
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function page(req, res) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(root))) return res.writeHead(404).end();
    try {
      const content = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(content);
    } catch {
      res.writeHead(404).end();
    }
  }

  const server = createServer((req, res) => {
    (req.url?.startsWith('/api/') ? api(req, res) : page(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    registrations,
    accepted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startServer({ root: fileURLToPath(new URL('./dist', import.meta.url)), port: 5174 });
  console.log(`open ${running.url}`);
}
