/** `--framework koa`: @httpsig/koa, then the verified bytes read from the request to echo. */
import { createServer } from 'node:http';
import { verifySignatures } from '@httpsig/koa';
import Koa from 'koa';
import { echo } from './echo';
import { listen } from './listen';
import { healthPath, type ServerFactory } from './types';

export const startKoaServer: ServerFactory = async ({ host, port, verifier }) => {
  const app = new Koa();
  const verify = verifySignatures(verifier);
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === healthPath) {
      ctx.body = { status: 'ok' };
      return;
    }
    await verify(ctx, next);
  });
  app.use(async (ctx) => {
    // The verifier replays the verified bytes to whoever reads the request next.
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const signature = ctx.state.signature;
    if (!signature) throw new Error('the verifier let an unverified request through');
    ctx.body = echo(signature, ctx.method, ctx.originalUrl, new Uint8Array(Buffer.concat(chunks)));
  });
  return listen(createServer(app.callback()), host, port);
};
