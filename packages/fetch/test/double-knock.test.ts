/**
 * Double-knock against two real servers on 127.0.0.1: one accepts only draft-cavage-12
 * signatures, the other only RFC 9421. Each request is counted with the scheme it carried.
 */
import { generateKey } from '@httpsig/core';
import { createSignedFetch, type SchemeMemory, type SignatureScheme } from '@httpsig/fetch';
import { describe, expect, it } from 'vitest';
import { useSchemeServers } from '../../../test-support/scheme-servers';

const servers = useSchemeServers();

const post = (body: string): RequestInit => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json' },
});

describe("scheme: 'cavage'", () => {
  it('signs with a draft-cavage Signature, Date and Digest the cavage server accepts', async () => {
    const fetch = createSignedFetch({ key: servers.clientKey, scheme: 'cavage' });
    const response = await fetch(`${servers.cavage.url}/inbox?x=1`, post('{"a":1}'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ verified: 'cavage', body: '{"a":1}' });
    expect(servers.cavage.seen).toEqual(['cavage']);
  });

  it('is refused by the RFC 9421 server, with no retry', async () => {
    const fetch = createSignedFetch({ key: servers.clientKey, scheme: 'cavage' });
    const response = await fetch(`${servers.rfc9421.url}/`, post('{}'));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(servers.rfc9421.seen).toEqual(['cavage']);
  });

  it('honours cavage options (hs2019, Authorization form)', async () => {
    const seen: Request[] = [];
    const fetch = createSignedFetch({
      key: servers.clientKey,
      scheme: 'cavage',
      cavage: { algorithm: 'hs2019', form: 'authorization', headers: ['(request-target)', 'host', 'date'] },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(request);
        return globalThis.fetch(request);
      },
    });
    const response = await fetch(`${servers.cavage.url}/get`);
    expect(response.status).toBe(200);
    expect(seen[0]?.headers.get('authorization')).toMatch(
      /^Signature keyId="client-1",algorithm="hs2019",headers="\(request-target\) host date",signature="/,
    );
    expect(seen[0]?.headers.has('signature')).toBe(false);
  });
});

describe("scheme: 'double-knock'", () => {
  it('succeeds against both servers, and goes straight to cavage the second time', async () => {
    const fetch = createSignedFetch({ key: servers.clientKey, scheme: 'double-knock' });

    const first = await fetch(`${servers.cavage.url}/inbox`, post('{"n":1}'));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ verified: 'cavage', body: '{"n":1}' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);

    const second = await fetch(`${servers.cavage.url}/inbox`, post('{"n":2}'));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ verified: 'cavage', body: '{"n":2}' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'cavage']);

    const rfc = await fetch(`${servers.rfc9421.url}/inbox`, post('{"n":3}'));
    expect(rfc.status).toBe(200);
    expect(await rfc.json()).toEqual({ verified: 'rfc9421', body: '{"n":3}' });
    await fetch(`${servers.rfc9421.url}/inbox`);
    expect(servers.rfc9421.seen).toEqual(['rfc9421', 'rfc9421']);
  });

  it('does not knock twice: a refusal of both schemes is returned as is', async () => {
    const other = await generateKey('ed25519', { keyid: 'client-1' });
    const fetch = createSignedFetch({ key: other.privateKey, scheme: 'double-knock' });
    const response = await fetch(`${servers.cavage.url}/`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ status: 401, code: 'ERR_HTTPSIG_INVALID_SIGNATURE' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);
    // Nothing was learnt: the next call knocks with RFC 9421 first again.
    await fetch(`${servers.cavage.url}/`);
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'rfc9421', 'cavage']);
  });

  it("with plain 'rfc9421' there is no second knock", async () => {
    const fetch = createSignedFetch({ key: servers.clientKey });
    const response = await fetch(`${servers.cavage.url}/`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(servers.cavage.seen).toEqual(['rfc9421']);
  });

  it('reads and writes the persistence hook', async () => {
    const stored = new Map<string, SignatureScheme>();
    const writes: [string, SignatureScheme][] = [];
    const schemeMemory: SchemeMemory = {
      get: (origin) => stored.get(origin),
      set: (origin, scheme) => {
        writes.push([origin, scheme]);
        stored.set(origin, scheme);
      },
    };
    const fetch = createSignedFetch({ key: servers.clientKey, scheme: 'double-knock', schemeMemory });
    await fetch(`${servers.cavage.url}/`);
    expect(writes).toEqual([[servers.cavage.url, 'cavage']]);
    // A new client with the same store starts with cavage.
    const again = createSignedFetch({ key: servers.clientKey, scheme: 'double-knock', schemeMemory });
    const response = await again(`${servers.cavage.url}/`);
    expect(response.status).toBe(200);
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'cavage']);
    expect(writes).toHaveLength(1);
  });

  it('relearns when a remembered scheme is refused', async () => {
    const writes: [string, SignatureScheme][] = [];
    const fetch = createSignedFetch({
      key: servers.clientKey,
      scheme: 'double-knock',
      schemeMemory: { get: () => 'cavage', set: (origin, scheme) => writes.push([origin, scheme]) },
    });
    expect((await fetch(`${servers.rfc9421.url}/`)).status).toBe(200);
    expect(servers.rfc9421.seen).toEqual(['cavage', 'rfc9421']);
    expect(writes).toEqual([[servers.rfc9421.url, 'rfc9421']]);
    // The in-memory list now wins over the hook.
    await fetch(`${servers.rfc9421.url}/`);
    expect(servers.rfc9421.seen).toEqual(['cavage', 'rfc9421', 'rfc9421']);
  });

  it('retries a 400 whose problem code says the signature is missing, not other 400s', async () => {
    const answers: Response[] = [];
    const problem = (code: string) =>
      new Response(JSON.stringify({ code }), {
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
      });
    const sent: string[] = [];
    const fetch = createSignedFetch({
      key: servers.clientKey,
      scheme: 'double-knock',
      fetch: async (input) => {
        const request = input as Request;
        sent.push(request.headers.has('signature-input') ? 'rfc9421' : 'cavage');
        return answers.shift() ?? new Response('ok');
      },
    });
    answers.push(problem('ERR_HTTPSIG_MISSING_SIGNATURE'));
    expect((await fetch('https://a.example/')).status).toBe(200);
    expect(sent).toEqual(['rfc9421', 'cavage']);
    answers.push(problem('ERR_HTTPSIG_DIGEST_MISMATCH'));
    const refused = await fetch('https://b.example/');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ code: 'ERR_HTTPSIG_DIGEST_MISMATCH' });
    expect(sent).toEqual(['rfc9421', 'cavage', 'rfc9421']);
  });

  it('remembers at most 1000 origins, forgetting the least recently used', async () => {
    const sent: [string, SignatureScheme][] = [];
    const fetch = createSignedFetch({
      key: servers.clientKey,
      scheme: 'double-knock',
      nonce: false,
      // Every origin accepts only cavage.
      fetch: async (input) => {
        const request = input as Request;
        const scheme = request.headers.has('signature-input') ? 'rfc9421' : 'cavage';
        sent.push([new URL(request.url).origin, scheme]);
        return new Response(null, { status: scheme === 'cavage' ? 204 : 401 });
      },
    });
    const origin = (i: number) => `https://h${i}.example`;
    await fetch(`${origin(0)}/`);
    await fetch(`${origin(1)}/`);
    for (let i = 2; i <= 1000; i++) await fetch(`${origin(i)}/`);
    // 1001 origins were learnt: h0 (least recently used) is forgotten, h1 still known.
    sent.length = 0;
    await fetch(`${origin(1)}/`);
    expect(sent).toEqual([[origin(1), 'cavage']]);
    sent.length = 0;
    await fetch(`${origin(0)}/`);
    expect(sent).toEqual([
      [origin(0), 'rfc9421'],
      [origin(0), 'cavage'],
    ]);
  }, 60_000);
});

it('refuses an unknown scheme', () => {
  expect(() => createSignedFetch({ key: servers.clientKey, scheme: 'jws' as 'cavage' })).toThrow(TypeError);
});
