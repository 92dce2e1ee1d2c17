/**
 * The signed header fields are the ones axios sends: instance defaults (common and per method)
 * included, repeated values on one line, each covered when listed in the components.
 */
import { withSignatures } from '@httpsig/axios';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLines, lastReceived, startTestServer, type TestServer } from './node-server';
import { anyStatus, type Verdict, verified } from './support';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.server.close());

describe('instance default headers', () => {
  const instance = () => {
    const api = axios.create({ baseURL: test.server.origin, ...anyStatus });
    api.defaults.headers.common['X-Common'] = 'all requests';
    api.defaults.headers.post['X-Post-Only'] = 'posts';
    return withSignatures(api, {
      key: test.key,
      // Cover every x- field the request carries: the list depends on the method.
      components: (message) => {
        const names = Object.keys(message.headers ?? {}).map((name) => name.toLowerCase());
        return ['@method', '@target-uri', 'accept', ...names.filter((name) => name.startsWith('x-')).sort()];
      },
    });
  };

  it('a POST carries and covers the common and the post defaults', async () => {
    const verdict = verified(await instance().post<Verdict>('/defaults', { a: 1 }));
    expect(verdict.components).toEqual([
      '"@method"',
      '"@target-uri"',
      '"accept"',
      '"x-common"',
      '"x-post-only"',
      '"content-digest"',
    ]);
    const received = lastReceived(test.server);
    expect(fieldLines(received, 'x-common')).toEqual(['all requests']);
    expect(fieldLines(received, 'x-post-only')).toEqual(['posts']);
    expect(fieldLines(received, 'accept')).toEqual(['application/json, text/plain, */*']);
  });

  it('a GET carries the common default only', async () => {
    const verdict = verified(await instance().get<Verdict>('/defaults'));
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"accept"', '"x-common"']);
    expect(fieldLines(lastReceived(test.server), 'x-post-only')).toEqual([]);
  });

  it('a request header overrides the default, and the override is what is signed', async () => {
    const verdict = verified(
      await instance().post<Verdict>('/defaults', 'x', { headers: { 'X-Common': 'this one' } }),
    );
    expect(verdict.components).toContain('"x-common"');
    expect(fieldLines(lastReceived(test.server), 'x-common')).toEqual(['this one']);
  });
});

describe('repeated values', () => {
  const api = () =>
    withSignatures(axios.create({ baseURL: test.server.origin, ...anyStatus }), {
      key: test.key,
      components: ['@method', '@target-uri', 'x-multi', 'cookie', 'x-number'],
    });

  it('an array value is sent on one line, as signed; Cookie values are joined with "; "', async () => {
    verified(
      await api().get<Verdict>('/repeated', {
        headers: { 'X-Multi': ['a', 'b, c'], Cookie: ['session=1', 'theme=dark'], 'X-Number': 42 },
      }),
    );
    const received = lastReceived(test.server);
    expect(fieldLines(received, 'x-multi')).toEqual(['a, b, c']);
    expect(fieldLines(received, 'cookie')).toEqual(['session=1; theme=dark']);
    expect(fieldLines(received, 'x-number')).toEqual(['42']);
  });

  it('a field axios does not send (false) cannot be covered', async () => {
    const noAgent = withSignatures(axios.create({ baseURL: test.server.origin }), {
      key: test.key,
      components: ['@method', '@target-uri', 'x-off'],
    });
    await expect(noAgent.get('/off', { headers: { 'X-Off': false } })).rejects.toMatchObject({
      code: 'ERR_HTTPSIG_MISSING_COMPONENT',
    });
  });
});

describe('fields a previous signature left', () => {
  it('a stale Signature, Signature-Input and Content-Digest are replaced', async () => {
    const api = withSignatures(axios.create({ baseURL: test.server.origin, ...anyStatus }), {
      key: test.key,
    });
    const verdict = verified(
      await api.post<Verdict>('/stale', 'body', {
        headers: {
          Signature: 'sig1=:AAAA:',
          'Signature-Input': 'sig1=("@method");created=1',
          'Content-Digest': 'sha-256=:AAAA:',
        },
      }),
    );
    expect(verdict.label).toBe('sig1');
    const received = lastReceived(test.server);
    expect(fieldLines(received, 'signature')).toHaveLength(1);
    expect(fieldLines(received, 'signature')[0]).not.toBe('sig1=:AAAA:');
    expect(fieldLines(received, 'content-digest')[0]).not.toBe('sha-256=:AAAA:');
  });
});
