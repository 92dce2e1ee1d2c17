/**
 * The four verifying APIs of the demo, each on a free loopback port: Express, Fastify and Koa
 * with their @httpsig integrations, and the Web-standard verifier (as in Hono, Workers, Deno,
 * Bun) behind a small node:http bridge. Each answers a verified POST /orders with 200 JSON; every
 * refusal is the integration's own problem+json.
 */
import { createServer } from 'node:http';
import { defaultMaxBodySize } from '@httpsig/core';
import { verifySignatures as expressSignatures } from '@httpsig/express';
import { httpSignatures } from '@httpsig/fastify';
import { verifySignatures as koaSignatures } from '@httpsig/koa';
import { checkRequest, createVerifier } from '@httpsig/server';
import { readRawBody } from '@httpsig/server/node';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';

/** @typedef {import('@httpsig/server').VerifierOptions} VerifierOptions */
/** @typedef {{ readonly name: string, readonly url: string, close(): Promise<void> }} RunningServer */
/** @typedef {(policy: VerifierOptions) => Promise<RunningServer>} StartServer */

const host = '127.0.0.1';

/** The answer to a verified request: who signed it and the order it carried. */
function accepted(/** @type {string | undefined} */ keyid, /** @type {Uint8Array} */ body) {
  return { accepted: true, keyid, order: JSON.parse(new TextDecoder().decode(body)) };
}

/**
 * @param {string} name @param {import('node:http').Server} server
 * @returns {Promise<RunningServer>}
 */
async function listen(name, server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    name,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** @type {StartServer} */
async function startExpress(policy) {
  const app = express();
  // The verifier first: the raw parser after it reads exactly the verified bytes.
  app.use(expressSignatures(policy));
  app.use(express.raw({ type: () => true }));
  app.post('/orders', (req, res) => {
    res.json(accepted(req.signature?.keyid, new Uint8Array(req.body)));
  });
  return listen('express', createServer(app));
}

/** @type {StartServer} */
async function startFastify(policy) {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  await app.register(httpSignatures, policy);
  app.post('/orders', async (request) =>
    accepted(request.signature?.keyid, new Uint8Array(/** @type {Buffer} */ (request.body))),
  );
  const url = await app.listen({ host, port: 0 });
  return { name: 'fastify', url, close: () => app.close() };
}

/** @type {StartServer} */
async function startKoa(policy) {
  const app = new Koa();
  app.use(koaSignatures(policy));
  app.use(async (ctx) => {
    // The verifier replays the verified bytes to whoever reads the request next.
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(/** @type {Buffer} */ (chunk));
    ctx.body = accepted(ctx.state.signature?.keyid, new Uint8Array(Buffer.concat(chunks)));
  });
  return listen('koa', createServer(app.callback()));
}

/** @type {StartServer} */
async function startWeb(policy) {
  const verifier = createVerifier(policy);
  const server = createServer(async (req, res) => {
    // node:http → fetch Request, as a Web runtime would hand it over.
    const body = await readRawBody(req, defaultMaxBodySize);
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.append(
        /** @type {string} */ (req.rawHeaders[i]),
        /** @type {string} */ (req.rawHeaders[i + 1]),
      );
    }
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length === 0 ? {} : { body: /** @type {Uint8Array<ArrayBuffer>} */ (body) }),
    });
    const check = await checkRequest(request, verifier);
    const response = check.ok
      ? Response.json(accepted(check.signature.keyid, new Uint8Array(await request.arrayBuffer())))
      : check.response;
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return listen('web', server);
}

/** @type {Readonly<Record<string, StartServer>>} */
export const servers = { express: startExpress, fastify: startFastify, koa: startKoa, web: startWeb };
