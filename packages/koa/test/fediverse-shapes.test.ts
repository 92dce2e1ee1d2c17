/**
 * Misskey- and GoToSocial-shaped draft-cavage requests (inbox POSTs and GETs) through the Koa
 * middleware, with @koa/bodyparser after it.
 */
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { describe } from 'vitest';
import { fediverseShapeScenarios } from '../../../test-support/fediverse-scenarios';
import { listen, problemOf } from './support';

const routes = new Set(['POST /users/bob/inbox', 'GET /users/bob', 'GET /users/bob/outbox']);

describe('Misskey and GoToSocial shapes on Koa', () => {
  fediverseShapeScenarios(
    async (settings) => {
      const app = new Koa();
      app.use(verifySignatures(settings));
      app.use(bodyParser({ extendTypes: { json: ['application/activity+json'] } }));
      app.use((ctx) => {
        if (!routes.has(`${ctx.method} ${ctx.path}`)) return;
        const signature = ctx.state.signature;
        ctx.body = {
          keyid: signature?.keyid,
          label: signature?.label,
          components: signature?.components,
          type: (ctx.request.body as { type?: string } | undefined)?.type ?? null,
        };
      });
      const running = await listen(app);
      return { url: (path: string) => `${running.origin}${path}`, close: () => running.close() };
    },
    async (res) => (await problemOf(res)).code ?? '',
  );
});
