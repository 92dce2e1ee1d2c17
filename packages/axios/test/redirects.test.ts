/**
 * Redirects in Node: the signing adapter follows them instead of axios's http adapter, and signs
 * each hop for its own URL, so that a server checking @target-uri accepts every hop.
 */
import { Readable } from 'node:stream';
import { createSigningAdapter, withSignatures } from '@httpsig/axios';
import { isHttpSigError } from '@httpsig/core';
import axios, { type AxiosError, type AxiosRequestConfig } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../../../test-support/verifying-server';
import { fieldLines, lastReceived, startTestServer, type TestServer } from './node-server';
import { anyStatus, receivedBody, text, type Verdict, verified } from './support';

let test: TestServer;
let origin: string;
/** Another origin (another port) that trusts the same key. */
let other: VerifyingServer;

beforeAll(async () => {
  test = await startTestServer();
  origin = test.server.origin;
  other = await startVerifyingServer({ keys: { 'client-1': test.publicKey } });
});
afterAll(async () => {
  await test.server.close();
  await other.close();
});

const client = (config: AxiosRequestConfig = {}) =>
  withSignatures(axios.create({ baseURL: origin, ...config }), { key: test.key });

/** What `server` receives while `send` runs. */
async function receivedDuring<T>(server: VerifyingServer, send: () => Promise<T>) {
  const from = server.received.length;
  const result = await send();
  return { result, received: server.received.slice(from) };
}

/** The redirect route: `status` to `to`. */
const redirect = (status: number, to: string) => `/redirect/${status}?to=${encodeURIComponent(to)}`;

/** The rejection of `promise`, which must reject with an AxiosError. */
async function axiosError(promise: Promise<unknown>): Promise<AxiosError> {
  const error = await promise.then(
    () => expect.fail('the request resolved'),
    (caught: unknown) => caught,
  );
  expect(axios.isAxiosError(error)).toBe(true);
  return error as AxiosError;
}

describe('each hop is signed for its own URL', () => {
  it.each([307, 308])(
    '%i: a POST keeps its method and body bytes, verified at the new URL',
    async (status) => {
      const { result: response, received } = await receivedDuring(test.server, () =>
        client().post<Verdict>(`/redirect/${status}`, { item: 'thé' }, { params: { to: '/landing?step=2' } }),
      );
      const verdict = verified(response);
      expect(verdict.method).toBe('POST');
      expect(verdict.url).toBe(`${origin}/landing?step=2`);
      expect(text(receivedBody(verdict))).toBe('{"item":"thé"}');
      expect(verdict.components).toEqual([
        '"@method"',
        '"@target-uri"',
        '"content-type"',
        '"content-digest"',
      ]);

      expect(received.map((r) => [r.method, r.url, r.error])).toEqual([
        ['POST', `${origin}${redirect(status, '/landing?step=2')}`, undefined],
        ['POST', `${origin}/landing?step=2`, undefined],
      ]);
      const [signature1, signature2] = received.map((r) => fieldLines(r, 'signature')[0]);
      expect(signature2).not.toBe(signature1);
      const [digest1, digest2] = received.map((r) => fieldLines(r, 'content-digest'));
      expect(digest2).toEqual(digest1);
    },
  );

  it('303: a POST becomes a signed GET without a body or body fields', async () => {
    const response = await client().post<Verdict>(redirect(303, '/see-other'), { a: 1 });
    const verdict = verified(response);
    expect(verdict.method).toBe('GET');
    expect(verdict.url).toBe(`${origin}/see-other`);
    expect(verdict.bodyBase64).toBe('');
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"']);
    const landed = lastReceived(test.server);
    for (const name of ['content-type', 'content-length', 'content-digest']) {
      expect(fieldLines(landed, name)).toEqual([]);
    }
  });

  it('302 after a POST: a GET without a body', async () => {
    const verdict = verified(await client().post<Verdict>(redirect(302, '/found'), 'payload'));
    expect([verdict.method, verdict.bodyBase64]).toEqual(['GET', '']);
  });

  it('301 after a PUT: the PUT and its body go on', async () => {
    const verdict = verified(await client().put<Verdict>(redirect(301, '/moved'), 'payload'));
    expect(verdict.method).toBe('PUT');
    expect(text(receivedBody(verdict))).toBe('payload');
  });

  it('302, two hops: three requests, each verified at its URL', async () => {
    const { result: response, received } = await receivedDuring(test.server, () =>
      client().get<Verdict>(redirect(302, redirect(302, '/end?n=3'))),
    );
    expect(verified(response).url).toBe(`${origin}/end?n=3`);
    expect(received.map((r) => [r.url, r.error])).toEqual([
      [`${origin}${redirect(302, redirect(302, '/end?n=3'))}`, undefined],
      [`${origin}${redirect(302, '/end?n=3')}`, undefined],
      [`${origin}/end?n=3`, undefined],
    ]);
    expect(new Set(received.map((r) => r.verified?.nonce)).size).toBe(3);
  });

  it('a path-relative Location resolves against the URL that answered', async () => {
    const verdict = verified(await client().get<Verdict>(redirect(302, 'sibling?x=1')));
    expect(verdict.url).toBe(`${origin}/redirect/sibling?x=1`);
  });

  it('the response reads as after axios followed: first config, last request, final responseUrl', async () => {
    const response = await client().get<Verdict>('/redirect/302', { params: { to: '/final' } });
    expect(response.config.url).toBe('/redirect/302');
    expect(response.config.maxRedirects).toBeUndefined();
    expect(response.request.path).toBe('/final');
    expect(response.request.res.responseUrl).toBe(`${origin}/final`);
  });

  it('without a redirect, responseUrl is the URL of the request, as with follow-redirects', async () => {
    const response = await client().get<Verdict>('/plain', { params: { q: 'a b' } });
    expect(response.request.res.responseUrl).toBe(`${origin}/plain?q=a+b`);
  });
});

describe('a redirect to another origin', () => {
  const credentials = {
    Authorization: 'Bearer token',
    Cookie: 'session=1',
    'Proxy-Authorization': 'Basic cHJveHk6cHc=',
    'X-Api-Key': 'secret',
    'X-Trace': 'kept',
  };

  it('credentials and sensitive fields stay behind; the hop is signed afresh and verified', async () => {
    const to = other.url('/landing');
    const { result: response, received } = await receivedDuring(other, () =>
      client().post<Verdict>(
        redirect(307, to),
        { a: 1 },
        { headers: credentials, sensitiveHeaders: ['X-Api-Key'] },
      ),
    );
    const sent = lastReceived(test.server);
    expect(sent.error).toBeUndefined();
    expect(fieldLines(sent, 'authorization')).toEqual(['Bearer token']);

    const verdict = verified(response);
    expect(verdict.url).toBe(to);
    expect(text(receivedBody(verdict))).toBe('{"a":1}');
    expect(received).toHaveLength(1);
    const landed = lastReceived(other);
    for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key']) {
      expect(fieldLines(landed, name)).toEqual([]);
    }
    expect(fieldLines(landed, 'x-trace')).toEqual(['kept']);
    expect(fieldLines(landed, 'signature')).toHaveLength(1);
    expect(fieldLines(landed, 'signature')).not.toEqual(fieldLines(sent, 'signature'));
  });

  it('on the same origin, the same fields follow', async () => {
    await client().get(redirect(302, '/same-origin'), {
      headers: credentials,
      sensitiveHeaders: ['X-Api-Key'],
    });
    const landed = lastReceived(test.server);
    expect(landed.url).toBe(`${origin}/same-origin`);
    expect(fieldLines(landed, 'authorization')).toEqual(['Bearer token']);
    expect(fieldLines(landed, 'cookie')).toEqual(['session=1']);
    expect(fieldLines(landed, 'x-api-key')).toEqual(['secret']);
  });

  it('a Host field set for the first server is not sent to the next', async () => {
    await client().get(redirect(302, other.url('/landing')), { headers: { Host: 'api.example' } });
    expect(fieldLines(lastReceived(test.server), 'host')).toEqual(['api.example']);
    expect(fieldLines(lastReceived(other), 'host')).toEqual([new URL(other.origin).host]);
  });

  it('a signature that covers Authorization cannot be made for the other origin: HttpSigError', async () => {
    const api = withSignatures(axios.create({ baseURL: origin }), {
      key: test.key,
      components: ['@method', '@target-uri', 'authorization'],
    });
    const from = other.received.length;
    const error = await api
      .get(redirect(302, other.url('/landing')), { headers: { Authorization: 'Bearer token' } })
      .catch((caught: unknown) => caught);
    expect(isHttpSigError(error, 'ERR_HTTPSIG_MISSING_COMPONENT')).toBe(true);
    expect(lastReceived(test.server).error).toBeUndefined();
    expect(other.received.length).toBe(from);
  });

  it('the `auth` option is sent to the first origin only', async () => {
    const auth = { username: 'user', password: 'pw' };
    const response = await client().get<Verdict>(redirect(302, other.url('/landing')), { auth });
    verified(response);
    expect(fieldLines(lastReceived(test.server), 'authorization')).toEqual([`Basic ${btoa('user:pw')}`]);
    expect(fieldLines(lastReceived(other), 'authorization')).toEqual([]);
  });
});

describe('maxRedirects', () => {
  const twoHops = redirect(302, redirect(302, '/end'));

  it('0: the redirect itself is the response, and nothing follows', async () => {
    const { result: response, received } = await receivedDuring(test.server, () =>
      client({ maxRedirects: 0, ...anyStatus }).get(twoHops),
    );
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(redirect(302, '/end'));
    expect(received).toHaveLength(1);
  });

  it('0 with the default validateStatus: rejected with the 302 response', async () => {
    const error = await axiosError(client({ maxRedirects: 0 }).get(twoHops));
    expect(error.code).toBe('ERR_BAD_RESPONSE');
    expect(error.response?.status).toBe(302);
  });

  it('1 and two hops: ERR_FR_TOO_MANY_REDIRECTS, as axios rejects, after two requests', async () => {
    const from = test.server.received.length;
    const error = await axiosError(client({ maxRedirects: 1 }).get(twoHops));
    expect(error.code).toBe('ERR_FR_TOO_MANY_REDIRECTS');
    expect(error.message).toBe('Maximum number of redirects exceeded');
    expect(error.response).toBeUndefined();
    expect(error.config?.url).toBe(twoHops);
    const received = test.server.received.slice(from);
    expect(received.map((r) => [r.url, r.error])).toEqual([
      [`${origin}${twoHops}`, undefined],
      [`${origin}${redirect(302, '/end')}`, undefined],
    ]);
  });

  it('a hop the server refuses rejects as axios would: the first config, the last answer', async () => {
    // /accept-signature asks for more components than the default ones: a 401.
    const error = await axiosError(client().get(redirect(302, '/accept-signature')));
    expect(error.code).toBe('ERR_BAD_REQUEST');
    expect(error.response?.status).toBe(401);
    expect(error.config?.url).toBe(redirect(302, '/accept-signature'));
    expect(error.config?.maxRedirects).toBeUndefined();
    expect(error.response?.config).toBe(error.config);
    expect(error.response?.request.res.responseUrl).toBe(`${origin}/accept-signature`);
  });

  it('timeout covers the whole chain, as it does when axios follows', async () => {
    const from = other.received.length;
    const slowHop = () => {
      // Block for longer than the timeout between the first answer and the next hop.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 450);
    };
    const error = await axiosError(
      client().get(redirect(302, other.url('/late')), { timeout: 400, beforeRedirect: slowHop }),
    );
    expect(error.code).toBe('ECONNABORTED');
    expect(error.message).toBe('timeout of 400ms exceeded');
    expect(other.received.length).toBe(from);
    const response = await client().get<Verdict>(twoHops, { timeout: 5000 });
    expect(verified(response).url).toBe(`${origin}/end`);
  });

  it('2 and two hops: followed to the end', async () => {
    expect(verified(await client({ maxRedirects: 2 }).get<Verdict>(twoHops)).url).toBe(`${origin}/end`);
  });

  it('a redirect refused by validateStatus is still followed', async () => {
    const api = client({ validateStatus: (status) => status === 200 });
    expect(verified(await api.get<Verdict>(twoHops)).url).toBe(`${origin}/end`);
  });
});

describe('beforeRedirect', () => {
  it('sees the next request; the fields it sets are sent and signed', async () => {
    const calls: unknown[][] = [];
    const api = withSignatures(axios.create({ baseURL: origin }), {
      key: test.key,
      // Cover X-Hop when the request carries it (only the redirected one does).
      components: (message) =>
        Object.keys(message.headers ?? {}).some((name) => name.toLowerCase() === 'x-hop')
          ? ['@method', '@target-uri', 'x-hop']
          : ['@method', '@target-uri'],
    });
    const to = other.url('/landing?via=hook');
    const response = await api.post<Verdict>(redirect(303, to), 'body', {
      headers: { Authorization: 'Bearer token' },
      beforeRedirect: (options, responseDetails, requestDetails) => {
        calls.push([structuredClone(options), responseDetails, requestDetails]);
        options.headers['X-Hop'] = 'second';
      },
    });
    const verdict = verified(response);
    expect(verdict.url).toBe(to);
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"x-hop"']);
    expect(fieldLines(lastReceived(other), 'x-hop')).toEqual(['second']);

    expect(calls).toHaveLength(1);
    const [options, responseDetails, requestDetails] = calls[0] as [
      Record<string, unknown>,
      { statusCode: number; headers: Record<string, string> },
      { url: string; method: string; headers: Record<string, string> },
    ];
    const port = Number(new URL(to).port);
    expect(options).toMatchObject({
      href: to,
      method: 'GET',
      hostname: '127.0.0.1',
      port,
      path: '/landing?via=hook',
    });
    // The next request's fields, before it is signed: no credentials for the other origin, no body fields.
    const names = Object.keys(options.headers as object).map((name) => name.toLowerCase());
    expect(names).not.toContain('authorization');
    expect(names).not.toContain('signature');
    expect(names).not.toContain('content-type');
    expect(responseDetails).toMatchObject({ statusCode: 303, headers: { location: to } });
    expect(requestDetails.url).toBe(`${origin}${redirect(303, to)}`);
    expect(requestDetails.method).toBe('POST');
    expect(requestDetails.headers.host).toBe(new URL(origin).host);
    expect(requestDetails.headers.signature).toMatch(/^sig1=:/);
  });

  it('what it throws rejects the request with ERR_FR_REDIRECTION_FAILURE, before the next hop', async () => {
    const from = other.received.length;
    const error = await axiosError(
      client().get(redirect(302, other.url('/landing')), {
        beforeRedirect: () => {
          throw new Error('not there');
        },
      }),
    );
    expect(error.code).toBe('ERR_FR_REDIRECTION_FAILURE');
    expect(error.message).toBe('Redirected request failed: not there');
    expect(other.received.length).toBe(from);
  });
});

describe('redirects that are not followed', () => {
  /** A server that accepts a body the signature does not cover. */
  let lenient: TestServer;
  beforeAll(async () => {
    lenient = await startTestServer({ requireDigest: false });
  });
  afterAll(() => lenient.server.close());
  const undigested = () =>
    withSignatures(axios.create({ baseURL: lenient.server.origin }), { key: lenient.key, digest: false });

  it('a Location that is not http(s): ERR_FR_REDIRECTION_FAILURE, as axios rejects', async () => {
    const error = await axiosError(client().get(redirect(302, 'ftp://127.0.0.1/file')));
    expect(error.code).toBe('ERR_FR_REDIRECTION_FAILURE');
    expect(error.message).toBe('Redirected request failed: Unsupported protocol ftp:');
  });

  it('a stream sent unread (digest: false) is not sent again on a 307', async () => {
    const api = undigested();
    const error = await axiosError(api.post(redirect(307, '/again'), Readable.from(['chunk'])));
    expect(error.code).toBe('ERR_FR_REDIRECTION_FAILURE');
    expect(error.message).toMatch(/stream/);
  });

  it('a stream sent unread is no obstacle to a 303, which drops the body', async () => {
    const verdict = verified(
      await undigested().post<Verdict>(redirect(303, '/after'), Readable.from(['chunk'])),
    );
    expect([verdict.method, verdict.url]).toEqual(['GET', `${lenient.server.origin}/after`]);
  });

  it('sensitiveHeaders that are not strings are refused before anything is sent', async () => {
    const from = test.server.received.length;
    const error = await axiosError(client().get('/x', { sensitiveHeaders: [42] as unknown as string[] }));
    expect(error.code).toBe('ERR_BAD_OPTION_VALUE');
    expect(test.server.received.length).toBe(from);
  });

  it('the fetch adapter follows redirects itself: the hop carries the first signature (a known limit)', async () => {
    const api = axios.create({ baseURL: origin, adapter: createSigningAdapter({ key: test.key }, 'fetch') });
    const response = await api.get<Verdict>(redirect(302, '/landing'), anyStatus);
    expect(response.status).toBe(401);
    expect(lastReceived(test.server).url).toBe(`${origin}/landing`);
  });
});
