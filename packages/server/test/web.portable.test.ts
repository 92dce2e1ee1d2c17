/**
 * The Web-standard verifier as a Request → Response handler (Hono, Workers, Deno, Bun): requests
 * signed by @httpsig/fetch are accepted, every refusal is a problem+json with a stable code.
 */
import { generateKey, type HttpSigKey, signMessage, verifyMessage } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { checkRequest, signResponse, type VerifierOptions, verifyRequest } from '@httpsig/server';
import { beforeAll, describe, expect, it } from 'vitest';

let client: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let server: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let options: VerifierOptions;
let handled: string[];

beforeAll(async () => {
  client = await generateKey('ed25519', { keyid: 'client-1' });
  server = await generateKey('ecdsa-p256-sha256', { keyid: 'server-1' });
});

/** A route handler as a Web-standard server would run it. */
function handlerFor(verifier: VerifierOptions) {
  return async (request: Request): Promise<Response> => {
    const check = await checkRequest(request, verifier);
    if (!check.ok) return check.response;
    handled.push(await request.text());
    return Response.json({ keyid: check.signature.keyid, components: check.signature.components });
  };
}

/** A signing fetch whose "network" is the handler itself. */
function clientFor(handler: (request: Request) => Promise<Response>, extra: object = {}) {
  return createSignedFetch({
    key: client.privateKey,
    nonce: true,
    fetch: (input, init) => handler(new Request(input, init)),
    ...extra,
  });
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as {
    code: string;
    status: number;
    detail: string;
    debug?: { signatureBase?: string };
  };
}

describe('checkRequest', () => {
  beforeAll(() => {
    handled = [];
    options = { keys: { 'client-1': client.publicKey } };
  });

  it('accepts a signed request; the handler still reads the body', async () => {
    const response = await clientFor(handlerFor(options))('https://api.example.com/orders?x=1', {
      method: 'POST',
      body: JSON.stringify({ amount: 5 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ keyid: 'client-1' });
    expect(handled.at(-1)).toBe('{"amount":5}');
  });

  it('an unsigned request: 401 with the code and an Accept-Signature saying what to sign', async () => {
    const before = handled.length;
    const response = await handlerFor(options)(new Request('https://api.example.com/orders'));
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_MISSING_SIGNATURE');
    // A GET has no content: the hint asks for what it can cover.
    expect(response.headers.get('accept-signature')).toBe(
      'sig1=("@method" "@target-uri");created;nonce;keyid',
    );
    const post = await handlerFor(options)(
      new Request('https://api.example.com/orders', { method: 'POST', body: 'x' }),
    );
    expect(post.headers.get('accept-signature')).toBe(
      'sig1=("@method" "@target-uri" "content-digest");created;nonce;keyid',
    );
    expect(handled.length).toBe(before);
  });

  it('a body changed after signing: 400 ERR_HTTPSIG_DIGEST_MISMATCH, handler not run', async () => {
    const before = handled.length;
    const tamper = async (request: Request) =>
      handlerFor(options)(new Request(request, { body: '{"amount":500}' }));
    const response = await clientFor(tamper)('https://api.example.com/orders', {
      method: 'POST',
      body: '{"amount":5}',
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
    expect(JSON.stringify(problem)).not.toContain('amount');
    expect(handled.length).toBe(before);
  });

  it('a replayed request is refused with ERR_HTTPSIG_REPLAY (one options object, one replay store)', async () => {
    const sent: Request[] = [];
    const record = async (request: Request) => {
      sent.push(request.clone());
      return handlerFor(options)(request);
    };
    expect(
      (await clientFor(record)('https://api.example.com/pay', { method: 'POST', body: 'x' })).status,
    ).toBe(200);
    const replayed = await handlerFor(options)(sent[0] as Request);
    expect(replayed.status).toBe(401);
    expect((await problemOf(replayed)).code).toBe('ERR_HTTPSIG_REPLAY');
  });

  it('a signature without a nonce is refused by default, accepted with nonce: optional', async () => {
    const noNonce = (verifier: VerifierOptions) =>
      createSignedFetch({
        key: client.privateKey,
        nonce: false,
        fetch: (input, init) => handlerFor(verifier)(new Request(input, init)),
      })('https://api.example.com/');
    expect((await problemOf(await noNonce(options))).code).toBe('ERR_HTTPSIG_POLICY');
    expect((await noNonce({ ...options, nonce: 'optional' })).status).toBe(200);
  });

  it('expired and future signatures', async () => {
    const old = clientFor(handlerFor(options), { now: () => Date.now() / 1000 - 3600 });
    expect((await problemOf(await old('https://api.example.com/'))).code).toBe('ERR_HTTPSIG_EXPIRED');
    const future = clientFor(handlerFor(options), { now: () => Date.now() / 1000 + 3600 });
    expect((await problemOf(await future('https://api.example.com/'))).code).toBe(
      'ERR_HTTPSIG_NOT_YET_VALID',
    );
  });

  it('an unknown key and a disallowed algorithm', async () => {
    const stranger = await generateKey('ed25519', { keyid: 'stranger' });
    const unknown = createSignedFetch({
      key: stranger.privateKey,
      nonce: true,
      fetch: (input, init) => handlerFor(options)(new Request(input, init)),
    });
    expect((await problemOf(await unknown('https://api.example.com/'))).code).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
    const strict = { ...options, algorithms: ['ecdsa-p256-sha256' as const] };
    expect((await problemOf(await clientFor(handlerFor(strict))('https://api.example.com/'))).code).toBe(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    );
  });

  it('authorize → 403 ERR_HTTPSIG_FORBIDDEN for a valid signature the rule refuses', async () => {
    const guarded = { ...options, authorize: () => false };
    const response = await clientFor(handlerFor(guarded))('https://api.example.com/admin');
    expect(response.status).toBe(403);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_FORBIDDEN');
  });

  it('requireTls refuses plain http', async () => {
    const response = await clientFor(handlerFor({ ...options, requireTls: true }))('http://api.example.com/');
    expect(response.status).toBe(403);
    expect((await problemOf(response)).code).toBe('ERR_HTTPSIG_TLS_REQUIRED');
  });
});

describe('origin', () => {
  it('a pinned origin: a request signed for the public URL verifies where the runtime sees an internal one', async () => {
    const pinned: VerifierOptions = {
      keys: { 'client-1': client.publicKey },
      origin: 'https://api.example.com',
    };
    const internal = async (request: Request) => {
      const url = new URL(request.url);
      return handlerFor(pinned)(new Request(`http://10.0.0.7:8080${url.pathname}${url.search}`, request));
    };
    expect((await clientFor(internal)('https://api.example.com/v1/items?id=3')).status).toBe(200);
    // Without the pin, the internal URL is what is verified, and the signature does not match it.
    const unpinned: VerifierOptions = { keys: { 'client-1': client.publicKey } };
    const direct = async (request: Request) => {
      const url = new URL(request.url);
      return handlerFor(unpinned)(new Request(`http://10.0.0.7:8080${url.pathname}`, request));
    };
    expect((await problemOf(await clientFor(direct)('https://api.example.com/v1/items'))).code).toBe(
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    );
  });
});

describe('debug', () => {
  it("adds the server's signature base and component values to the problem", async () => {
    const verifier: VerifierOptions = { keys: { 'client-1': client.publicKey }, debug: 'force' };
    const message = new Request('https://api.example.com/a', { method: 'GET' });
    const signed = await signMessage(message, {
      key: client.privateKey,
      components: ['@method', '@target-uri'],
      params: { created: true, keyid: 'client-1', nonce: true },
    });
    for (const [name, value] of Object.entries(signed.headers)) message.headers.set(name, value);
    const moved = new Request('https://api.example.com/b', { headers: message.headers });
    const check = await checkRequest(moved, verifier);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem.debug?.signatureBase).toContain('"@target-uri": https://api.example.com/b');
    expect(check.problem.debug?.components).toContainEqual({
      component: '"@target-uri"',
      value: 'https://api.example.com/b',
    });
    const quiet = await checkRequest(moved, { keys: { 'client-1': client.publicKey } });
    expect(quiet.ok ? undefined : quiet.problem.debug).toBeUndefined();
  });
});

describe('verifyRequest and signResponse', () => {
  it('verifyRequest resolves the signature or rejects with the HttpSigError', async () => {
    const verifier: VerifierOptions = { keys: { 'client-1': client.publicKey }, nonce: 'optional' };
    await expect(verifyRequest(new Request('https://api.example.com/'), verifier)).rejects.toMatchObject({
      code: 'ERR_HTTPSIG_MISSING_SIGNATURE',
    });
  });

  it('signs a response bound to the request, with a Content-Digest', async () => {
    const request = new Request('https://api.example.com/r', { method: 'PUT', body: 'x' });
    const response = await signResponse(Response.json({ ok: true }, { status: 201 }), request, {
      key: server.privateKey,
    });
    const result = await verifyMessage(response, {
      keys: { 'server-1': server.publicKey },
      requiredComponents: ['@status', 'content-type', '"@method";req', '"@target-uri";req', 'content-digest'],
      requireDigest: true,
      request,
    });
    expect(result.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    expect(await response.json()).toEqual({ ok: true });
  });
});
