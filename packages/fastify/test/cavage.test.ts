/**
 * A Mastodon-shaped draft-cavage POST to an inbox route, parsed by Fastify's JSON parser after
 * the plugin: accepted when cavage is one of the schemes, refused when the body was changed.
 */
import { type HttpSigKey, mastodonPreset } from '@httpsig/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorKeyId,
  actorKeys,
  deliveryHeaders,
  followActivity,
} from '../../../test-support/mastodon-delivery';
import { problemOf, startServer, type TestServer } from './support';

describe('draft-cavage on Fastify', () => {
  let rsa: { privateKey: HttpSigKey; publicKey: HttpSigKey };
  let server: TestServer;
  const seen: unknown[] = [];

  beforeAll(async () => {
    rsa = await actorKeys();
    server = await startServer(
      {
        keys: { [actorKeyId]: rsa.publicKey },
        schemes: ['rfc9421', 'cavage'],
        cavage: mastodonPreset.verify,
      },
      (app) => {
        app.addContentTypeParser(
          'application/activity+json',
          { parseAs: 'string' },
          app.getDefaultJsonParser('error', 'error'),
        );
        app.post('/users/bob/inbox', async (request) => {
          seen.push(request.body);
          return {
            keyid: request.signature?.keyid,
            label: request.signature?.label,
            components: request.signature?.components,
          };
        });
      },
    );
  });

  afterAll(() => server.close());

  async function signed() {
    const url = server.url('/users/bob/inbox');
    return { url, headers: await deliveryHeaders(url, rsa.privateKey) };
  }

  // Known gap: the plugin checks requests without Signature-Input before reading the body, so a
  // cavage POST is verified against no body and refused. Needs the pre-check in src/plugin.ts to
  // let a cavage-signed request through to the full check; then turn this into a plain `it`.
  it('accepts the signed activity and parses it after verification', async () => {
    const { url, headers } = await signed();
    const res = await fetch(url, { method: 'POST', headers, body: followActivity });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      keyid: actorKeyId,
      label: 'cavage',
      components: ['(request-target)', 'host', 'date', 'digest'],
    });
    expect(seen.at(-1)).toEqual(JSON.parse(followActivity));
  });

  it('refuses a tampered body with ERR_HTTPSIG_DIGEST_MISMATCH; the handler does not run', async () => {
    const { url, headers } = await signed();
    const before = seen.length;
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: followActivity.replace('Follow', 'Block'),
    });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(seen.length).toBe(before);
  });
});
