/**
 * A Mastodon-shaped draft-cavage POST to an inbox route, with express.json() after the verifier:
 * accepted when cavage is one of the schemes, refused when the body was changed on the way.
 */
import { type HttpSigKey, mastodonPreset } from '@httpsig/core';
import { verifySignatures } from '@httpsig/express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorKeyId,
  actorKeys,
  deliveryHeaders,
  followActivity,
} from '../../../test-support/mastodon-delivery';
import { closeAll, listen, type Running, versions } from './lib/server';
import { problem } from './lib/sign';

afterAll(closeAll);

describe.each(versions)('%s', (_name, express) => {
  let rsa: { privateKey: HttpSigKey; publicKey: HttpSigKey };
  let server: Running;
  let seen: unknown[];

  beforeAll(async () => {
    rsa = await actorKeys();
    seen = [];
    const app = express();
    app.use(
      verifySignatures({
        keys: { [actorKeyId]: rsa.publicKey },
        schemes: ['rfc9421', 'cavage'],
        cavage: mastodonPreset.verify,
      }),
    );
    app.use(express.json({ type: ['application/json', 'application/activity+json'] }));
    app.post('/users/bob/inbox', (req, res) => {
      seen.push(req.body);
      res.json({
        keyid: req.signature?.keyid,
        label: req.signature?.label,
        components: req.signature?.components,
      });
    });
    server = await listen(app);
  });

  async function signed() {
    const url = server.url('/users/bob/inbox');
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
    expect((await problem(res)).code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(seen.length).toBe(before);
  });
});
