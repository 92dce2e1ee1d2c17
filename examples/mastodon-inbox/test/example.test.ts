import { mastodonPreset } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { expect, it } from 'vitest';
import { actorKeyResolver, createActor } from '../actors.js';
import { startInbox } from '../inbox.js';
import { deliverer, main, startInstance } from '../index.js';

it('accepts draft-cavage and RFC 9421 deliveries in one inbox, and refuses tampered and misattributed ones', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines).toEqual([
    'alice, draft-cavage (Signature: keyId=…,algorithm="rsa-sha256"): 202',
    'bob, RFC 9421 (Signature-Input): 202',
    "alice's delivery with another body: 400 ERR_HTTPSIG_DIGEST_MISMATCH",
    "bob delivering an activity of alice's: 403",
    'inbox: Follow from /users/alice (cavage)',
    'inbox: Follow from /users/bob (rfc9421)',
  ]);
});

it('a cavage delivery is signed as Mastodon signs it, and one older than 12 hours (and the hour of clock skew) is refused', async () => {
  const instance = await startInstance();
  const alice = await createActor(instance.origin, 'alice');
  instance.publish(alice.document);
  const inbox = await startInbox({ keys: actorKeyResolver(), onActivity: () => {} });
  try {
    let sent: Request | undefined;
    const response = await deliverer(alice, 'cavage', (input, init) => {
      sent = new Request(input, init);
      return fetch(sent.clone());
    })(inbox.url, { type: 'Like', actor: alice.id });
    expect(response.status).toBe(202);
    const signature = sent?.headers.get('signature') ?? '';
    expect(signature).toContain(`keyId="${alice.keyId}"`);
    expect(signature).toContain('algorithm="rsa-sha256"');
    expect(signature).toContain('headers="(request-target) host date digest"');
    expect(sent?.headers.get('digest')).toMatch(/^SHA-256=/);

    const stale = await createSignedFetch({
      key: alice.privateKey,
      keyid: alice.keyId,
      scheme: 'cavage',
      cavage: { ...mastodonPreset.sign, now: Date.now() / 1000 - 14 * 60 * 60 },
    })(inbox.url, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body: JSON.stringify({ type: 'Like', actor: alice.id }),
    });
    expect([stale.status, (await stale.json()).code]).toEqual([401, 'ERR_HTTPSIG_EXPIRED']);
  } finally {
    await inbox.close();
    await instance.close();
  }
});
