/** `--framework fastify`: the @httpsig/fastify plugin, with every body kept as bytes to echo. */
import { httpSignatures } from '@httpsig/fastify';
import Fastify from 'fastify';
import { echo } from './echo';
import { healthPath, type RunningServer, type ServerFactory } from './types';

export const startFastifyServer: ServerFactory = async ({ host, port, verifier }) => {
  const app = Fastify({ bodyLimit: verifier.maxBodySize ?? 10 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  await app.register(httpSignatures, verifier);
  app.get(healthPath, { config: { httpSignatures: false } }, async () => ({ status: 'ok' }));
  app.all('/*', async (request) => {
    const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array(0);
    return echo(
      request.signature as NonNullable<typeof request.signature>,
      request.method,
      request.url,
      body,
    );
  });
  const url = await app.listen({ host, port });
  const running: RunningServer = { url, close: () => app.close() };
  return running;
};
