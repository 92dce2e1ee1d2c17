/**
 * An Express API whose order routes run only for signed requests. The verifier is mounted before
 * `express.json()`: it checks the Content-Digest against the exact bytes received, then hands
 * those bytes to the parser, so `req.body` is what was signed.
 */
import { createMemoryNonceStore } from '@httpsig/core';
import { verifySignatures } from '@httpsig/express';
import express from 'express';

/**
 * @param {object} options
 * @param {import('@httpsig/core').KeyResolver} options.keys who may call the API (a resolver)
 * @param {import('@httpsig/core').NonceStore} [options.nonceStore] replay protection; share one (e.g. Redis) between instances
 * @param {string} [options.origin] where the API is served, e.g. `https://api.example.com`
 * @returns {import('express').Express}
 */
export function createApp({ keys, nonceStore = createMemoryNonceStore(), origin }) {
  const app = express();
  app.use(
    verifySignatures({
      keys,
      nonceStore,
      ...(origin ? { origin } : {}),
      // The request must cover its method, full URL and body (through content-digest, required
      // for requests with a body by default); a signature lives at most 60 seconds.
      requiredComponents: ['@method', '@target-uri'],
      maxAge: 60,
      // The health check stays open for load balancers.
      routes: (req) => (req.path === '/health' ? { skip: true } : undefined),
    }),
  );
  app.use(express.json());

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/orders', (req, res) => {
    res.status(201).json({ accepted: req.body, by: req.signature?.keyid });
  });
  app.get('/orders/:id', (req, res) => {
    res.json({ id: req.params.id, by: req.signature?.keyid });
  });
  return app;
}
