/**
 * Misskey- and GoToSocial-shaped draft-cavage requests (inbox POSTs and GETs) through the Express
 * middleware with express.json() after it, in both Express versions.
 */
import { verifySignatures } from '@httpsig/express';
import type { Request, Response } from 'express';
import { afterAll, describe } from 'vitest';
import { fediverseShapeScenarios } from '../../../test-support/fediverse-scenarios';
import { closeAll, listen, versions } from './lib/server';
import { problem } from './lib/sign';

afterAll(closeAll);

describe.each(versions)('%s', (_name, express) => {
  fediverseShapeScenarios(
    async (settings) => {
      const app = express();
      app.use(verifySignatures(settings));
      app.use(express.json({ type: ['application/json', 'application/activity+json'] }));
      const answer = (req: Request, res: Response) => {
        res.json({
          keyid: req.signature?.keyid,
          label: req.signature?.label,
          components: req.signature?.components,
          type: req.body?.type ?? null,
        });
      };
      app.post('/users/bob/inbox', answer);
      app.get('/users/bob', answer);
      app.get('/users/bob/outbox', answer);
      return listen(app);
    },
    async (res) => (await problem(res)).code,
  );
});
