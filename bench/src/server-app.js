/**
 * One server for `pnpm bench:server`, run in a child process: Express or Fastify, verifying
 * with @httpsig (Node path or WebCrypto path) or with a minimal hand-written inline verifier
 * over the same node:crypto key. Answers the parent's IPC messages: its port, and memory after GC.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { importKey } from '@httpsig/core';
import { verifySignatures } from '@httpsig/express';
import { httpSignatures } from '@httpsig/fastify';
import express from 'express';
import Fastify from 'fastify';
import { wrappedProvider } from './contenders.js';

const { FRAMEWORK, VARIANT, PUBLIC_PEM } = process.env;
const keyid = 'bench-client';
const maxAge = 300;

/** The inline verifier: exactly the checks this workload needs, nothing general. */
function inlineVerifier(origin) {
  const publicKey = createPublicKey(PUBLIC_PEM);
  const inputPattern = /^sig1=(\(([^)]*)\)(;.*))$/;
  return (method, target, headers, body) => {
    const input = inputPattern.exec(headers['signature-input'] ?? '');
    const signature = /^sig1=:([A-Za-z0-9+/=]+):$/.exec(headers.signature ?? '');
    if (!input || !signature) return false;
    const created = Number(/;created=(\d+)/.exec(input[3])?.[1]);
    if (!(Math.abs(Date.now() / 1000 - created) <= maxAge) || !input[3].includes(`;keyid="${keyid}"`))
      return false;
    const digest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
    if (headers['content-digest'] !== digest) return false;
    const lines = [];
    for (const name of input[2].split(' ')) {
      const component = name.slice(1, -1);
      const value =
        component === '@method'
          ? method
          : component === '@target-uri'
            ? `${origin}${target}`
            : headers[component];
      if (value === undefined) return false;
      lines.push(`${name}: ${value}`);
    }
    lines.push(`"@signature-params": ${input[1]}`);
    return nodeVerify(null, Buffer.from(lines.join('\n')), publicKey, Buffer.from(signature[1], 'base64'));
  };
}

async function verifierOptions(origin) {
  const key = await importKey(PUBLIC_PEM, {
    alg: 'ed25519',
    keyid,
    ...(VARIANT === 'httpsig-webcrypto' ? { crypto: wrappedProvider } : {}),
  });
  return {
    keys: { [keyid]: key },
    origin,
    nonceStore: false,
    requiredComponents: ['@method', '@target-uri', 'content-digest'],
    algorithms: ['ed25519'],
    maxAge,
  };
}

async function expressApp(port) {
  const origin = `http://127.0.0.1:${port}`;
  const app = express();
  if (VARIANT === 'inline') {
    const verify = inlineVerifier(origin);
    app.use(express.raw({ type: '*/*' }), (req, res, next) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verify(req.method, req.originalUrl, req.headers, body)) return res.status(401).end();
      req.body = JSON.parse(body.toString());
      next();
    });
  } else {
    app.use(verifySignatures(await verifierOptions(origin)));
    app.use(express.json());
  }
  app.post('/orders', (req, res) => res.json({ ok: true, amount: req.body?.amount }));
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function fastifyApp(port) {
  const origin = `http://127.0.0.1:${port}`;
  const app = Fastify();
  if (VARIANT === 'inline') {
    const verify = inlineVerifier(origin);
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      if (!verify(request.method, request.url, request.headers, body)) {
        const error = new Error('unauthorized');
        error.statusCode = 401;
        return done(error);
      }
      done(null, JSON.parse(body.toString()));
    });
  } else {
    await app.register(httpSignatures, await verifierOptions(origin));
  }
  app.post('/orders', async (request) => ({ ok: true, amount: request.body?.amount }));
  await app.listen({ port, host: '127.0.0.1' });
  return app.server.address().port;
}

const port = Number(process.env.PORT);
const bound = await (FRAMEWORK === 'express' ? expressApp(port) : fastifyApp(port));
process.on('message', (message) => {
  if (message === 'memory') {
    globalThis.gc?.();
    process.send({ memory: process.memoryUsage() });
  }
});
process.send({ port: bound });
