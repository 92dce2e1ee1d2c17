/**
 * Node's global fetch signed through undici 7's setGlobalDispatcher. Node 20 bundles its own
 * undici (6.x) for fetch, but both read the dispatcher from the same global symbol.
 */
import { isHttpSigError } from '@httpsig/core';
import { createSigningInterceptor } from '@httpsig/node';
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../../../test-support/verifying-server';
import { bodyOf, clientKeys, fieldLines, type Verdict } from './lib/support';

let server: VerifyingServer;
let previous: Dispatcher;
let signing: Dispatcher;

beforeAll(async () => {
  const keys = await clientKeys();
  server = await startVerifyingServer({ keys: { 'client-1': keys.publicKey } });
  previous = getGlobalDispatcher();
  signing = new Agent().compose(createSigningInterceptor({ key: keys.privateKey, maxBodySize: 1024 }));
  setGlobalDispatcher(signing);
});
afterAll(async () => {
  setGlobalDispatcher(previous);
  await signing.close();
  await server.close();
});

describe(`globalThis.fetch (Node ${process.versions.node}, bundled undici ${process.versions.undici})`, () => {
  it('a POST with a string body is signed by the global dispatcher', async () => {
    const response = await globalThis.fetch(server.url('/global?q=1'), { method: 'POST', body: 'hello' });
    const result = (await response.json()) as Verdict;
    expect(result).toMatchObject({ verified: true, url: server.url('/global?q=1') });
    expect(result.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    expect(bodyOf(result).toString()).toBe('hello');
  });

  it('the global FormData: the boundary fetch chose is the one signed', async () => {
    const form = new FormData();
    form.append('file', new Blob(['abc'], { type: 'text/plain' }), 'a.txt');
    const response = await globalThis.fetch(server.url('/global-form'), { method: 'POST', body: form });
    expect(((await response.json()) as Verdict).verified).toBe(true);
    const [contentType] = fieldLines(server.received.at(-1), 'content-type');
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('a redirect followed by fetch is signed again for the new URL', async () => {
    const response = await globalThis.fetch(server.url('/redirect/308?to=/global-moved'), {
      method: 'PUT',
      body: 'x',
    });
    expect(await response.json()).toMatchObject({ verified: true, url: server.url('/global-moved') });
  });

  it('a body over maxBodySize fails the fetch with the HttpSigError as its cause', async () => {
    const before = server.received.length;
    const error = await globalThis
      .fetch(server.url('/global-big'), { method: 'POST', body: 'x'.repeat(2048) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(isHttpSigError((error as Error).cause, 'ERR_HTTPSIG_BODY_TOO_LARGE')).toBe(true);
    expect(server.received.length).toBe(before);
  });
});
