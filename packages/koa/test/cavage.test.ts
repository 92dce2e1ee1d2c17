/**
 * A Mastodon-shaped draft-cavage POST to an inbox route, with @koa/bodyparser after the verifier:
 * accepted when cavage is one of the schemes, refused when the body was changed on the way.
 */
import { generateKey, type HttpSigKey, mastodonPreset, signCavage } from '@httpsig/core';
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, problemOf, type Running } from './support';

const actor = 'https://social.example/users/alice#main-key';
const activity = JSON.stringify({ type: 'Follow', actor: 'https://social.example/users/alice' });

describe('draft-cavage on Koa', () => {
  let rsa: { privateKey: HttpSigKey; publicKey: HttpSigKey };
  let server: Running;
  const seen: unknown[] = [];

  beforeAll(async () => {
    rsa = await generateKey('rsa-v1_5-sha256', { keyid: actor });
    const app = new Koa();
    app.use(
      verifySignatures({
        keys: { [actor]: rsa.publicKey },
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
    const headers = { 'content-type': 'application/activity+json' };
    const result = await signCavage(
      { method: 'POST', url, headers, body: activity },
      { ...mastodonPreset.sign, key: rsa.privateKey },
    );
    return { url, headers: { ...headers, ...result.headers } };
  }

  it('accepts the signed activity and parses it after verification', async () => {
    const { url, headers } = await signed();
    const res = await fetch(url, { method: 'POST', headers, body: activity });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      keyid: actor,
      label: 'cavage',
      components: ['(request-target)', 'host', 'date', 'digest'],
    });
    expect(seen.at(-1)).toEqual(JSON.parse(activity));
  });

  it('refuses a tampered body with ERR_HTTPSIG_DIGEST_MISMATCH; the handler does not run', async () => {
    const { url, headers } = await signed();
    const before = seen.length;
    const res = await fetch(url, { method: 'POST', headers, body: activity.replace('Follow', 'Block') });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(seen.length).toBe(before);
  });
});
