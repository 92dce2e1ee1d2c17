/**
 * Misskey- and GoToSocial-shaped draft-cavage requests (inbox POSTs and GETs) through the Fastify
 * plugin, with Fastify's JSON parser for application/activity+json.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe } from 'vitest';
import { fediverseShapeScenarios } from '../../../test-support/fediverse-scenarios';
import { problemOf, startServer } from './support';

describe('Misskey and GoToSocial shapes on Fastify', () => {
  fediverseShapeScenarios(
    (settings) =>
      startServer(settings, (app) => {
        app.addContentTypeParser(
          'application/activity+json',
          { parseAs: 'string' },
          app.getDefaultJsonParser('error', 'error'),
        );
        const answer = async (request: FastifyRequest, _reply: FastifyReply) => ({
          keyid: request.signature?.keyid,
          label: request.signature?.label,
          components: request.signature?.components,
          type: (request.body as { type?: string } | undefined)?.type ?? null,
        });
        app.post('/users/bob/inbox', answer);
        app.get('/users/bob', answer);
        app.get('/users/bob/outbox', answer);
      }),
    async (res) => (await problemOf(res)).code,
  );
});
