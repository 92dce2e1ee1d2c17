/**
 * Redirects followed by Node's http adapter: the signature fields are credentials for one URL
 * and are not handed to another origin.
 */
import { withSignatures } from '@httpsig/axios';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLines, lastReceived, startTestServer, type TestServer } from './node-server';
import { text } from './support';

let first: TestServer;
let other: TestServer;

beforeAll(async () => {
  first = await startTestServer();
  other = await startTestServer();
});
afterAll(async () => {
  await first.server.close();
  await other.server.close();
});

describe('a redirect to another origin', () => {
  it('the first request is verified; the next origin receives no signature fields', async () => {
    const api = withSignatures(axios.create({ baseURL: first.server.origin, validateStatus: () => true }), {
      key: first.key,
    });
    const to = other.server.url('/landing');
    const response = await api.post('/redirect/307', { a: 1 }, { params: { to } });

    expect(lastReceived(first.server).error).toBeUndefined();
    const landed = lastReceived(other.server);
    expect(landed.url).toBe(to);
    expect(text(landed.body)).toBe('{"a":1}');
    expect(fieldLines(landed, 'signature')).toEqual([]);
    expect(fieldLines(landed, 'signature-input')).toEqual([]);
    expect(response.status).toBe(401);
    expect(response.data).toMatchObject({ code: 'ERR_HTTPSIG_MISSING_SIGNATURE' });
  });

  it("the caller's own sensitive headers are still dropped", async () => {
    const api = withSignatures(axios.create({ baseURL: first.server.origin, validateStatus: () => true }), {
      key: first.key,
    });
    await api.get('/redirect/302', {
      params: { to: other.server.url('/landing') },
      headers: { 'X-Api-Key': 'secret' },
      sensitiveHeaders: ['X-Api-Key'],
    });
    const landed = lastReceived(other.server);
    expect(fieldLines(landed, 'x-api-key')).toEqual([]);
    expect(fieldLines(landed, 'signature')).toEqual([]);
  });
});
