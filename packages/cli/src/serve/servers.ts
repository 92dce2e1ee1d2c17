/** The framework integrations `httpsig serve --framework` can run. */
import { startExpressServer } from './express';
import { startFastifyServer } from './fastify';
import { startKoaServer } from './koa';
import type { ServerFactory } from './types';
import { startWebServer } from './web';

export const servers: Readonly<Record<string, ServerFactory>> = {
  web: startWebServer,
  express: startExpressServer,
  fastify: startFastifyServer,
  koa: startKoaServer,
};

export const frameworkNames = Object.keys(servers);
