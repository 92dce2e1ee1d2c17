/**
 * The dual stack: RFC 9421 and draft-cavage-12 (Mastodon-style) signatures through one verifier.
 * Cavage is opt-in, RFC 9421 wins when a request carries both, and refusals keep their codes.
 */
import {
  generateKey,
  type HttpSigKey,
  type KeyResolver,
  mastodonPreset,
  signCavage,
  signMessage,
} from '@httpsig/core';
import { createVerifier, type IncomingRequestInfo, type VerifierOptions } from '@httpsig/server';
import { beforeAll, describe, expect, it } from 'vitest';

const actor = 'https://social.example/users/alice#main-key';
const origin = 'https://inbox.example';
const activity = JSON.stringify({ type: 'Follow', actor: 'https://social.example/users/alice' });

let rsa: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let ed: { privateKey: HttpSigKey; publicKey: HttpSigKey };

beforeAll(async () => {
  rsa = await generateKey('rsa-v1_5-sha256', { keyid: actor });
  ed = await generateKey('ed25519', { keyid: 'client-1' });
});

function inboxPost(body = activity): {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
} {
  return {
    method: 'POST',
    url: `${origin}/users/bob/inbox`,
    headers: { host: 'inbox.example', 'content-type': 'application/activity+json' },
    body,
  };
}

/** A request as received, with plain headers. */
interface Sent {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string;
}

/** A Mastodon-shaped cavage POST as the server receives it. */
async function cavagePost(
  extra: { form?: 'signature' | 'authorization'; algorithm?: 'legacy' | 'hs2019' } = {},
): Promise<Sent> {
  const message = inboxPost();
  const signed = await signCavage(message, { ...mastodonPreset.sign, key: rsa.privateKey, ...extra });
  return {
    method: 'POST',
    target: '/users/bob/inbox',
    headers: { ...message.headers, ...signed.headers },
    body: message.body,
  };
}

/** An RFC 9421-signed POST, with its fields as plain headers. */
async function rfcPost(): Promise<Sent> {
  const message = inboxPost();
  const signed = await signMessage(message, {
    key: ed.privateKey,
    components: ['@method', '@target-uri', 'content-digest'],
    // The verifier keeps replay protection on by default, so RFC 9421 signatures carry a nonce.
    params: { created: true, keyid: 'client-1', nonce: crypto.randomUUID() },
  });
  return {
    method: 'POST',
    target: '/users/bob/inbox',
    headers: { ...message.headers, ...(signed.headers as Record<string, string>) },
    body: message.body,
  };
}

function verifierWith(extra: Partial<VerifierOptions> = {}) {
  return createVerifier({
    keys: { [actor]: rsa.publicKey, 'client-1': ed.publicKey },
    origin,
    schemes: ['rfc9421', 'cavage'],
    cavage: mastodonPreset.verify,
    ...extra,
  });
}

async function refusal(verifier: ReturnType<typeof createVerifier>, request: IncomingRequestInfo) {
  const outcome = await verifier.verify(request);
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome;
}

describe('cavage in @httpsig/server', () => {
  it('accepts a Mastodon-shaped cavage POST when cavage is allowed, mapped onto VerifyResult', async () => {
    const outcome = await verifierWith().verify(await cavagePost());
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scheme).toBe('cavage');
    expect(outcome.targetUri).toBe(`${origin}/users/bob/inbox`);
    expect(outcome.signature).toMatchObject({
      label: 'cavage',
      keyid: actor,
      alg: 'rsa-v1_5-sha256',
      components: ['(request-target)', 'host', 'date', 'digest'],
      params: { keyid: actor, alg: 'rsa-sha256' },
      nonce: undefined,
    });
    expect(outcome.signature.base).toContain('(request-target): post /users/bob/inbox');
    expect(outcome.signature.digests).toHaveLength(1);
    expect(outcome.signature.signatures).toHaveLength(1);
    expect(outcome.cavage?.form).toBe('signature');
  });

  it('refuses the same request under the default schemes (cavage is opt-in)', async () => {
    const request = await cavagePost();
    // Read as RFC 9421, the cavage Signature value is not a Signature dictionary.
    const outcome = await refusal(verifierWith({ schemes: undefined }), request);
    expect(outcome.problem.code).toBe('ERR_HTTPSIG_PARSE');
    const explicit = await refusal(verifierWith({ schemes: ['rfc9421'] }), request);
    expect(explicit.problem.code).toBe('ERR_HTTPSIG_PARSE');
    // With no signature at all, the refusal and its hint are RFC 9421's.
    const { signature: _signature, ...unsigned } = request.headers;
    const missing = await refusal(verifierWith(), { ...request, headers: unsigned });
    expect(missing.problem.code).toBe('ERR_HTTPSIG_MISSING_SIGNATURE');
    expect(missing.headers['accept-signature']).toContain('"@method"');
  });

  it('accepts the Authorization: Signature form and hs2019 with an RSA key', async () => {
    const outcome = await verifierWith().verify(
      await cavagePost({ form: 'authorization', algorithm: 'hs2019' }),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.cavage?.form).toBe('authorization');
    expect(outcome.signature.params.alg).toBe('hs2019');
  });

  it('prefers RFC 9421 when a request carries both', async () => {
    const rfc = await rfcPost();
    const cavage = await cavagePost({ form: 'authorization' });
    const both: Sent = {
      ...rfc,
      headers: { ...rfc.headers, authorization: cavage.headers.authorization as string },
    };
    const outcome = await verifierWith().verify(both);
    expect(outcome.ok && outcome.scheme).toBe('rfc9421');
    expect(outcome.ok && outcome.signature.keyid).toBe('client-1');

    // A broken RFC 9421 signature is not rescued by the cavage one next to it.
    const input = both.headers['signature-input'] as string;
    const created = Number(/created=(\d+)/.exec(input)?.[1]);
    const broken: Sent = {
      ...both,
      headers: { ...both.headers, 'signature-input': input.replace(/created=\d+/, `created=${created - 1}`) },
    };
    const refused = await refusal(verifierWith(), broken);
    expect(refused.problem.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('accepts only RFC 9421 requests under schemes [rfc9421] and only cavage under [cavage]', async () => {
    expect((await verifierWith({ schemes: ['rfc9421'] }).verify(await rfcPost())).ok).toBe(true);
    expect((await verifierWith({ schemes: ['cavage'] }).verify(await cavagePost())).ok).toBe(true);
    // An RFC 9421 request at a cavage-only server is told so, without an RFC 9421 hint.
    const refused = await refusal(verifierWith({ schemes: ['cavage'] }), await rfcPost());
    expect(refused.problem.code).toBe('ERR_HTTPSIG_POLICY');
    expect(refused.problem.detail).toMatch(/draft-cavage signatures only/);
    expect(refused.headers['accept-signature']).toBeUndefined();
  });

  it('refuses a tampered body with ERR_HTTPSIG_DIGEST_MISMATCH', async () => {
    const request = await cavagePost();
    const outcome = await refusal(verifierWith(), { ...request, body: activity.replace('Follow', 'Block') });
    expect(outcome.problem.code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(outcome.status).toBe(400);
    expect(outcome.headers['content-type']).toBe('application/problem+json');
  });

  it('refuses a tampered signed header or target with ERR_HTTPSIG_INVALID_SIGNATURE', async () => {
    const request = await cavagePost();
    const otherDate = new Date(Date.now() - 60_000).toUTCString();
    const dated = await refusal(verifierWith(), {
      ...request,
      headers: { ...request.headers, date: otherDate },
    });
    expect(dated.problem.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    const moved = await refusal(verifierWith(), { ...request, target: '/users/carol/inbox' });
    expect(moved.problem.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('applies the preset window: a 14-hour-old Date is refused (12 h + 1 h skew), a 12-hour-old one accepted', async () => {
    const request = await cavagePost();
    const signedAt = Date.parse(request.headers.date as string) / 1000;
    const late = await refusal(verifierWith({ now: signedAt + 14 * 3600 }), request);
    expect(late.problem.code).toBe('ERR_HTTPSIG_EXPIRED');
    expect((await verifierWith({ now: signedAt + 12 * 3600 }).verify(request)).ok).toBe(true);
    // Without the preset the server default (300 s) applies.
    const strict = await refusal(verifierWith({ cavage: {}, now: signedAt + 600 }), request);
    expect(strict.problem.code).toBe('ERR_HTTPSIG_EXPIRED');
  });

  it('refuses what the preset does not require to be signed, or an algorithm it does not allow', async () => {
    const message = inboxPost();
    const noDigest = await signCavage(message, {
      ...mastodonPreset.sign,
      key: rsa.privateKey,
      headers: ['(request-target)', 'host', 'date'],
    });
    const policy = await refusal(verifierWith(), {
      method: 'POST',
      target: '/users/bob/inbox',
      headers: { ...message.headers, ...noDigest.headers },
      body: message.body,
    });
    expect(policy.problem.code).toBe('ERR_HTTPSIG_POLICY');

    const ec = await generateKey('ecdsa-p256-sha256', { keyid: 'ec-1' });
    const ecSigned = await signCavage(message, { ...mastodonPreset.sign, key: ec.privateKey });
    const mismatch = await refusal(verifierWith({ keys: { 'ec-1': ec.publicKey } }), {
      method: 'POST',
      target: '/users/bob/inbox',
      headers: { ...message.headers, ...ecSigned.headers },
      body: message.body,
    });
    expect(mismatch.problem.code).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('adapts a KeyResolver: it gets the keyId, the mapped params and label cavage', async () => {
    const calls: unknown[] = [];
    const resolver: KeyResolver = (keyid, params, context) => {
      calls.push({ keyid, alg: params.alg, label: context.label });
      return keyid === actor ? rsa.publicKey : undefined;
    };
    const outcome = await verifierWith({ keys: resolver }).verify(await cavagePost());
    expect(outcome.ok).toBe(true);
    expect(calls).toEqual([{ keyid: actor, alg: 'rsa-sha256', label: 'cavage' }]);
    const unknown = await refusal(verifierWith({ keys: () => undefined }), await cavagePost());
    expect(unknown.problem.code).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });

  it('runs authorize and the hooks on cavage signatures', async () => {
    const verified: string[] = [];
    const errors: string[] = [];
    const hooks = {
      onVerified: (signature: { label: string }) => verified.push(signature.label),
      onError: (error: { code: string }) => errors.push(error.code),
    };
    const allowed = await verifierWith({ ...hooks, authorize: (s) => s.keyid === actor }).verify(
      await cavagePost(),
    );
    expect(allowed.ok).toBe(true);
    const denied = await refusal(verifierWith({ ...hooks, authorize: () => false }), await cavagePost());
    expect(denied.status).toBe(403);
    expect(denied.problem).toMatchObject({ code: 'ERR_HTTPSIG_FORBIDDEN', label: 'cavage' });
    expect(verified).toEqual(['cavage']);
    expect(errors).toEqual(['ERR_HTTPSIG_FORBIDDEN']);
  });

  it('with debug, a refusal shows the cavage signing string the server computed', async () => {
    const request = await cavagePost();
    const tampered = { ...request, headers: { ...request.headers, host: 'evil.example' } };
    const outcome = await refusal(verifierWith({ debug: 'force' }), tampered);
    expect(outcome.problem.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    const debug = outcome.problem.debug;
    expect(debug?.targetUri).toBe(`${origin}/users/bob/inbox`);
    expect(debug?.signatureBase).toBe(
      [
        '(request-target): post /users/bob/inbox',
        'host: evil.example',
        `date: ${request.headers.date}`,
        `digest: ${request.headers.digest}`,
      ].join('\n'),
    );
    expect(debug?.components?.[1]).toEqual({ component: 'host', value: 'evil.example' });
    // Without debug, nothing of the base is sent.
    expect((await refusal(verifierWith(), tampered)).problem.debug).toBeUndefined();
  });

  it('with debug, a signature without headers is shown over the configured defaultHeaders', async () => {
    const date = new Date().toUTCString();
    const request: Sent = {
      method: 'GET',
      target: '/users/bob',
      headers: {
        host: 'inbox.example',
        date,
        signature: `keyId="${actor}",algorithm="rsa-sha256",signature="AAAA"`,
      },
      body: '',
    };
    const verifier = verifierWith({
      debug: 'force',
      cavage: { ...mastodonPreset.verify, requiredHeaders: ['date'] },
    });
    const outcome = await refusal(verifier, request);
    expect(outcome.problem.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(outcome.problem.debug?.signatureBase).toBe(`date: ${date}`);
  });

  it('has no replay protection for cavage (no nonce): the same request verifies twice', async () => {
    const verifier = verifierWith();
    const request = await cavagePost();
    expect((await verifier.verify(request)).ok).toBe(true);
    expect((await verifier.verify(request)).ok).toBe(true);
  });

  it('lets a route turn cavage off', async () => {
    const outcome = await verifierWith().verify(await cavagePost(), { schemes: ['rfc9421'] });
    expect(outcome.ok).toBe(false);
  });
});
