/**
 * A Mastodon-shaped draft-cavage POST to an inbox route, with @koa/bodyparser after the verifier:
 * accepted when cavage is one of the schemes, refused when the body was changed on the way.
 */
import { type HttpSigKey, mastodonPreset } from '@httpsig/core';
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorKeyId,
  actorKeys,
  deliveryHeaders,
  followActivity,
} from '../../../test-support/mastodon-delivery';
import { listen, problemOf, type Running } from './support';

describe('draft-cavage on Koa', () => {
  let rsa: { privateKey: HttpSigKey; publicKey: HttpSigKey };
  let server: Running;
  const seen: unknown[] = [];

  beforeAll(async () => {
    rsa = await actorKeys();
    const app = new Koa();
    app.use(
      verifySignatures({
        keys: { [actorKeyId]: rsa.publicKey },
        schemes: ['rfc9421', 'cavage'],
        cavage: mastodonPreset.verify,
      }),
    );
    app.use(bodyParser({ extendTypes: { json: ['application/activity+json'] } }));
    app.use((ctx) => {
      if (ctx.method !== 'POST' || ctx.path !== '/users/bob/inbox') return;
      seen.push(ctx.request.body);
      const signature = ctx.state.signature;
      ctx.body = { keyid: signature?.keyid, label: signature?.label, components: signature?.components };
    });
    server = await listen(app);
  });

  afterAll(() => server.close());

  async function signed() {
    const url = `${server.origin}/users/bob/inbox`;
    return { url, headers: await deliveryHeaders(url, rsa.privateKey) };
  }

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
