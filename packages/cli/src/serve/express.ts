/** `--framework express`: @httpsig/express first, then express.raw for the echoed body. */
import { createServer } from 'node:http';
import { verifySignatures } from '@httpsig/express';
import express from 'express';
import { echo } from './echo';
import { listen } from './listen';
import { healthPath, type ServerFactory } from './types';

export const startExpressServer: ServerFactory = async ({ host, port, verifier }) => {
  const app = express();
  app.get(healthPath, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(verifySignatures(verifier));
  app.use(express.raw({ type: () => true, limit: verifier.maxBodySize ?? '10mb' }));
  app.use((req, res) => {
    const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array(0);
    res.json(echo(req.signature as NonNullable<typeof req.signature>, req.method, req.originalUrl, body));
  });
  return listen(createServer(app), host, port);
};
