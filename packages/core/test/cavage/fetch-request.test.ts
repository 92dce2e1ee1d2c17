// Node only: browsers forbid setting Date on a fetch Request, so this is not a portable test.
import { describe, expect, it } from 'vitest';
import { generateKey, signCavage, verifyCavage } from '../../src/index';
import { codeOf } from './lib/fixtures';

const now = 1_700_000_000;
const keyId = 'https://my.example/actor#main-key';

describe('fetch Request objects', () => {
  it('signs and verifies a POST with a body, leaving the body readable', async () => {
    const { privateKey, publicKey } = await generateKey('ed25519');
    const body = '{"type":"Like"}';
    const request = new Request('https://social.example/inbox', {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body,
    });
    const signed = await signCavage(request, { key: privateKey, keyId, now });
    for (const [name, value] of Object.entries(signed.headers)) request.headers.set(name, value);
    // A Request hides Host: the URL's authority is what fetch sends and what is signed.
    expect(signed.signingString).toContain('\nhost: social.example\n');
    const result = await verifyCavage(request, { keys: { [keyId]: publicKey }, now, maxAge: 60 });
    expect(result.headers).toEqual(['(request-target)', 'host', 'date', 'digest']);
    expect(await request.text()).toBe(body);
  });

  it('refuses a Request whose body differs from the signed Digest', async () => {
    const { privateKey, publicKey } = await generateKey('ed25519');
    const original = new Request('https://social.example/inbox', { method: 'POST', body: 'one' });
    const signed = await signCavage(original, { key: privateKey, keyId, now });
    const forged = new Request('https://social.example/inbox', {
      method: 'POST',
      body: 'two',
      headers: signed.headers,
    });
    expect(await codeOf(verifyCavage(forged, { keys: { [keyId]: publicKey }, now }))).toBe(
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    );
  });
});
