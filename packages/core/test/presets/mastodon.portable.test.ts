/**
 * The Mastodon preset: what it signs (rsa-sha256, Signature header, Digest) and what it accepts
 * (RSA under rsa-sha256 or hs2019, ed25519, a 12-hour window, `date` when `headers` is absent).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCavageSigningString,
  generateKey,
  type HttpSigKey,
  mastodonPreset,
  parseCavageSignature,
  presets,
  type RequestLike,
  signCavage,
  signMessage,
  verifyCavage,
  verifyMessage,
} from '../../src/index';
import { base64Encode, utf8Encode } from '../../src/internal/bytes';
import { codeOf } from '../cavage/lib/fixtures';

const now = 1_700_000_000;
const actor = 'https://mastodon.example/users/alice#main-key';
const body = '{"type":"Follow","actor":"https://mastodon.example/users/alice"}';

let rsa: { privateKey: HttpSigKey; publicKey: HttpSigKey };

beforeAll(async () => {
  rsa = await generateKey('rsa-v1_5-sha256', { keyid: actor });
});

function post(headers: Record<string, string> = {}): RequestLike {
  return {
    method: 'POST',
    url: 'https://inbox.example/users/bob/inbox',
    headers: { host: 'inbox.example', 'content-type': 'application/activity+json', ...headers },
    body,
  };
}

const verifyOptions = (keys: Record<string, HttpSigKey>, at = now) => ({
  ...mastodonPreset.verify,
  keys,
  now: at,
});

describe('mastodonPreset', () => {
  it('is also presets.mastodon', () => {
    expect(presets.mastodon).toBe(mastodonPreset);
  });

  it('signs a POST the Mastodon way: rsa-sha256, Signature header, Digest, four headers', async () => {
    const signed = await signCavage(post(), { ...mastodonPreset.sign, key: rsa.privateKey, now });
    expect(Object.keys(signed.headers).sort()).toEqual(['date', 'digest', 'signature']);
    expect(signed.algorithm).toBe('rsa-sha256');
    expect(signed.signedHeaders).toEqual(mastodonPreset.signedHeaders);
    expect(signed.headers.digest).toMatch(/^SHA-256=/);
    const params = parseCavageSignature(signed.headers.signature as string);
    expect(params).toMatchObject({ keyId: actor, algorithm: 'rsa-sha256' });
    const result = await verifyCavage(post(signed.headers), verifyOptions({ [actor]: rsa.publicKey }));
    expect(result.digest).toBeDefined();
  });

  it('signs a GET without digest', async () => {
    const get: RequestLike = {
      method: 'GET',
      url: 'https://inbox.example/users/bob',
      headers: { host: 'inbox.example' },
    };
    const signed = await signCavage(get, { ...mastodonPreset.sign, key: rsa.privateKey, now });
    expect(signed.signedHeaders).toEqual(['(request-target)', 'host', 'date']);
    const headers = { ...(get.headers as Record<string, string>), ...signed.headers };
    await expect(
      verifyCavage({ ...get, headers }, verifyOptions({ [actor]: rsa.publicKey })),
    ).resolves.toBeDefined();
  });

  it('requires digest on a POST', async () => {
    const signed = await signCavage(post(), {
      ...mastodonPreset.sign,
      key: rsa.privateKey,
      now,
      headers: ['(request-target)', 'host', 'date'],
    });
    expect(await codeOf(verifyCavage(post(signed.headers), verifyOptions({ [actor]: rsa.publicKey })))).toBe(
      'ERR_HTTPSIG_POLICY',
    );
  });

  it('accepts hs2019 with an RSA key, and ed25519', async () => {
    const hs = await signCavage(post(), {
      ...mastodonPreset.sign,
      key: rsa.privateKey,
      now,
      algorithm: 'hs2019',
    });
    await expect(
      verifyCavage(post(hs.headers), verifyOptions({ [actor]: rsa.publicKey })),
    ).resolves.toMatchObject({
      algorithm: 'rsa-v1_5-sha256',
      algorithmParam: 'hs2019',
    });
    const ed = await generateKey('ed25519', { keyid: 'ed' });
    const signed = await signCavage(post(), { ...mastodonPreset.sign, key: ed.privateKey, now });
    await expect(
      verifyCavage(post(signed.headers), verifyOptions({ ed: ed.publicKey })),
    ).resolves.toMatchObject({
      algorithm: 'ed25519',
    });
  });

  it('refuses algorithms Mastodon does not use (ECDSA)', async () => {
    const ec = await generateKey('ecdsa-p256-sha256', { keyid: 'ec' });
    const signed = await signCavage(post(), { ...mastodonPreset.sign, key: ec.privateKey, now });
    expect(await codeOf(verifyCavage(post(signed.headers), verifyOptions({ ec: ec.publicKey })))).toBe(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('accepts a Date up to 12 hours old (plus an hour of skew), not older, not far in the future', async () => {
    const signed = await signCavage(post(), { ...mastodonPreset.sign, key: rsa.privateKey, now });
    const keys = { [actor]: rsa.publicKey };
    await expect(
      verifyCavage(post(signed.headers), verifyOptions(keys, now + 12 * 3600)),
    ).resolves.toBeDefined();
    expect(await codeOf(verifyCavage(post(signed.headers), verifyOptions(keys, now + 14 * 3600)))).toBe(
      'ERR_HTTPSIG_EXPIRED',
    );
    expect(await codeOf(verifyCavage(post(signed.headers), verifyOptions(keys, now - 2 * 3600)))).toBe(
      'ERR_HTTPSIG_NOT_YET_VALID',
    );
  });

  it('reads a signature without a headers parameter as signing date only', async () => {
    const date = new Date(now * 1000).toUTCString();
    const get: RequestLike = {
      method: 'GET',
      url: 'https://inbox.example/users/bob',
      headers: { host: 'inbox.example', date },
    };
    const signingString = createCavageSigningString(get, ['date']);
    expect(signingString).toBe(`date: ${date}`);
    const signature = base64Encode(await rsa.privateKey.sign(utf8Encode(signingString)));
    const headers = {
      host: 'inbox.example',
      date,
      signature: `keyId="${actor}",algorithm="rsa-sha256",signature="${signature}"`,
    };
    const options = { ...verifyOptions({ [actor]: rsa.publicKey }), requiredHeaders: ['date'] };
    await expect(verifyCavage({ ...get, headers }, options)).resolves.toMatchObject({ headers: ['date'] });
  });

  it('gives RFC 9421 settings that sign @method @target-uri content-digest with created', async () => {
    const ed = await generateKey('ed25519', { keyid: 'ed' });
    const signed = await signMessage(post(), { ...mastodonPreset.rfc9421, key: ed.privateKey, now });
    expect(signed.headers['signature-input']).toMatch(
      /\("@method" "@target-uri" "content-digest"\);created=1700000000/,
    );
    const result = await verifyMessage(post(signed.headers as Record<string, string>), {
      keys: { ed: ed.publicKey },
      requiredComponents: mastodonPreset.rfc9421.components,
      now,
    });
    expect(result.created).toBe(now);
  });
});
