/**
 * draft-cavage signing and double-knock through axios, against real servers on 127.0.0.1 that
 * accept only cavage or only RFC 9421, with Node's http adapter and with axios's fetch adapter.
 */
import { Readable } from 'node:stream';
import { createSigningAdapter, withSignatures } from '@httpsig/axios';
import { generateKey, type SignatureScheme } from '@httpsig/core';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { useSchemeServers } from '../../../test-support/scheme-servers';

const servers = useSchemeServers();

const anyStatus = { validateStatus: () => true } as const;

describe.each(['http', 'fetch'] as const)("axios with the '%s' adapter", (adapter) => {
  it("scheme 'cavage' signs a Signature, Date and Digest the cavage server accepts", async () => {
    const client = withSignatures(axios.create({ adapter }), { key: servers.clientKey, scheme: 'cavage' });
    const response = await client.post(`${servers.cavage.url}/inbox?page=2`, { a: 1 });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ verified: 'cavage', body: '{"a":1}' });
    expect(servers.cavage.seen).toEqual(['cavage']);
  });

  it("scheme 'cavage' is refused by an RFC 9421 server, with no second knock", async () => {
    const client = withSignatures(axios.create({ adapter }), { key: servers.clientKey, scheme: 'cavage' });
    const response = await client.get(`${servers.rfc9421.url}/`, anyStatus);
    expect(response.status).toBe(400);
    // The cavage Signature header is not an RFC 9421 Signature dictionary.
    expect(response.data).toMatchObject({ code: 'ERR_HTTPSIG_PARSE' });
    expect(servers.rfc9421.seen).toEqual(['cavage']);
  });

  it('double-knock reaches both servers, and remembers cavage for its origin', async () => {
    const client = withSignatures(axios.create({ adapter }), {
      key: servers.clientKey,
      scheme: 'double-knock',
    });
    const first = await client.post(`${servers.cavage.url}/inbox`, { n: 1 });
    expect(first.data).toEqual({ verified: 'cavage', body: '{"n":1}' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);

    const second = await client.post(`${servers.cavage.url}/inbox`, { n: 2 });
    expect(second.data).toEqual({ verified: 'cavage', body: '{"n":2}' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'cavage']);

    const rfc = await client.post(`${servers.rfc9421.url}/inbox`, { n: 3 });
    expect(rfc.data).toEqual({ verified: 'rfc9421', body: '{"n":3}' });
    expect(servers.rfc9421.seen).toEqual(['rfc9421']);
  });

  it('double-knock knocks once more only: a refusal of both rejects as axios does', async () => {
    const other = await generateKey('ed25519', { keyid: 'client-1' });
    const client = withSignatures(axios.create({ adapter }), {
      key: other.privateKey,
      scheme: 'double-knock',
    });
    const refusal = await client.get(`${servers.cavage.url}/`).catch((error: unknown) => error);
    expect(axios.isAxiosError(refusal)).toBe(true);
    expect(axios.isAxiosError(refusal) && refusal.response?.status).toBe(401);
    expect(axios.isAxiosError(refusal) && refusal.response?.data).toEqual({
      status: 401,
      code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);
    // Nothing was learnt.
    await client.get(`${servers.cavage.url}/`, anyStatus);
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'rfc9421', 'cavage']);
  });
});

describe('double-knock with bodies and memory', () => {
  it('sends the same bytes on the second knock, even from a stream', async () => {
    const client = axios.create({
      adapter: createSigningAdapter({ key: servers.clientKey, scheme: 'double-knock' }, 'http'),
    });
    const body = Readable.from([Buffer.from('{"part":'), Buffer.from('1}')]);
    const response = await client.post(`${servers.cavage.url}/inbox`, body, {
      headers: { 'content-type': 'application/json' },
    });
    expect(response.data).toEqual({ verified: 'cavage', body: '{"part":1}' });
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage']);
  });

  it('reads and writes the persistence hook', async () => {
    const stored = new Map<string, SignatureScheme>();
    const schemeMemory = {
      get: (origin: string) => stored.get(origin),
      set: (origin: string, scheme: SignatureScheme) => stored.set(origin, scheme),
    };
    const options = { key: servers.clientKey, scheme: 'double-knock' as const, schemeMemory };
    await withSignatures(axios.create(), options).get(`${servers.cavage.url}/`);
    expect([...stored]).toEqual([[servers.cavage.url, 'cavage']]);
    // A new client with the same store starts with cavage.
    await withSignatures(axios.create(), options).get(`${servers.cavage.url}/`);
    expect(servers.cavage.seen).toEqual(['rfc9421', 'cavage', 'cavage']);
  });

  it('honours cavage options: hs2019 in an Authorization field', async () => {
    const client = withSignatures(axios.create(), {
      key: servers.clientKey,
      scheme: 'cavage',
      cavage: { algorithm: 'hs2019', form: 'authorization', headers: ['(request-target)', 'host', 'date'] },
    });
    const response = await client.get(`${servers.cavage.url}/actor`);
    expect(response.status).toBe(200);
    const sent = response.request as { getHeader(name: string): unknown };
    expect(String(sent.getHeader('authorization'))).toMatch(
      /^Signature keyId="client-1",algorithm="hs2019",headers="\(request-target\) host date",signature="/,
    );
    expect(sent.getHeader('signature')).toBeUndefined();
  });

  it('refuses an unknown scheme when the client is created', () => {
    expect(() =>
      withSignatures(axios.create(), { key: servers.clientKey, scheme: 'both' as unknown as 'cavage' }),
    ).toThrow(TypeError);
  });
});
