/**
 * The msw test kit as an integrator uses it: handlers that only answer correctly signed
 * requests, with the failure reason otherwise, and signed mocked responses.
 */
import { generateKey, type HttpSigKey, signMessage, type VerifyOptions } from '@httpsig/core';
import { checkRequestSignature, signResponse, withSignature } from '@httpsig/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let client: { privateKey: HttpSigKey; publicKey: HttpSigKey };
let policy: VerifyOptions;
const api = 'https://api.example.test';
const ran: string[] = [];

const server = setupServer(
  http.post(
    `${api}/orders`,
    withSignature(
      {
        get keys() {
          return policy.keys;
        },
        requiredComponents: ['@method', '@target-uri'],
      },
      async ({ request, signature }) => {
        ran.push(await request.text());
        return HttpResponse.json({ keyid: signature.keyid, components: signature.components });
      },
    ),
  ),
);

beforeAll(async () => {
  client = await generateKey('ed25519', { keyid: 'client-1' });
  policy = { keys: { 'client-1': client.publicKey }, requiredComponents: ['@method', '@target-uri'] };
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function signedRequest(body: string): Promise<Request> {
  const request = new Request(`${api}/orders`, { method: 'POST', body });
  const signed = await signMessage(request, {
    key: client.privateKey,
    components: ['@method', '@target-uri'],
  });
  for (const [name, value] of Object.entries(signed.headers)) request.headers.set(name, value);
  return request;
}

describe('withSignature', () => {
  it('runs the resolver for a signed request, with the verified signature and a readable body', async () => {
    const response = await fetch(await signedRequest('{"n":1}'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      keyid: 'client-1',
      components: ['"@method"', '"@target-uri"', '"content-digest"'],
    });
    expect(ran.at(-1)).toBe('{"n":1}');
  });

  it('answers 401 with the code and never runs the resolver for an unsigned request', async () => {
    const before = ran.length;
    const response = await fetch(`${api}/orders`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'ERR_HTTPSIG_MISSING_SIGNATURE' });
    expect(ran.length).toBe(before);
  });

  it('answers 400 ERR_HTTPSIG_DIGEST_MISMATCH when the body was changed after signing', async () => {
    const signed = await signedRequest('{"amount":1}');
    const tampered = new Request(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: '{"amount":9}',
    });
    const response = await fetch(tampered);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
  });
});

describe('checkRequestSignature', () => {
  it('returns the failure with the status a verifier would answer', async () => {
    const check = await checkRequestSignature(new Request(`${api}/x`), policy);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error.code).toBe('ERR_HTTPSIG_MISSING_SIGNATURE');
    expect(check.response.status).toBe(401);
  });

  it('leaves the request body readable after a successful check', async () => {
    const request = await signedRequest('still here');
    const check = await checkRequestSignature(request, policy);
    expect(check.ok).toBe(true);
    expect(await request.text()).toBe('still here');
  });
});

describe('signResponse', () => {
  it('adds a signature and Content-Digest that verify against the request', async () => {
    const serverKeys = await generateKey('ecdsa-p256-sha256', { keyid: 'server-1' });
    const request = new Request(`${api}/r`, { method: 'GET' });
    const response = await signResponse(HttpResponse.json({ ok: true }, { status: 201 }), {
      key: serverKeys.privateKey,
      components: ['@status', '"@method";req'],
      request,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-digest')).toMatch(/^sha-256=:/);
    const { verifyMessage } = await import('@httpsig/core');
    const result = await verifyMessage(response, {
      keys: { 'server-1': serverKeys.publicKey },
      requiredComponents: ['@status', '"@method";req', 'content-digest'],
      request,
    });
    expect(result.digests).toEqual([{ field: 'content-digest', algorithms: ['sha-256'] }]);
    expect(await response.json()).toEqual({ ok: true });
  });
});
