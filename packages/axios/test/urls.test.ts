/**
 * The signed `@target-uri` is the URL as it goes on the wire: baseURL, params and the params
 * serializer applied, percent-encoded as each adapter sends it.
 */
import { withSignatures } from '@httpsig/axios';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastReceived, startTestServer, type TestServer } from './node-server';
import { anyStatus, type Verdict, verified } from './support';

let test: TestServer;
let origin: string;
let api: AxiosInstance;

beforeAll(async () => {
  test = await startTestServer();
  origin = test.server.origin;
  api = withSignatures(axios.create({ baseURL: `${origin}/api/v1/`, ...anyStatus }), { key: test.key });
});
afterAll(() => test.server.close());

const special = {
  'a[]': ['1', '2'],
  list: ['x', 'y'],
  sp: 'a b',
  amp: 'a&b',
  eq: 'a=b',
  uni: 'é😀',
  plus: 'a+b',
};
const specialQuery =
  'a%5B%5D=1&a%5B%5D=2&list%5B%5D=x&list%5B%5D=y&sp=a+b&amp=a%26b&eq=a%3Db' +
  '&uni=%C3%A9%F0%9F%98%80&plus=a%2Bb';

// Both adapters that run in Node: the http adapter (the default) and the fetch adapter.
describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  it('baseURL + a relative URL', async () => {
    const verdict = verified(await api.get<Verdict>('orders/7', { adapter }));
    expect(verdict.url).toBe(`${origin}/api/v1/orders/7`);
  });

  it('an absolute URL wins over baseURL', async () => {
    const verdict = verified(await api.get<Verdict>(`${origin}/elsewhere`, { adapter }));
    expect(verdict.url).toBe(`${origin}/elsewhere`);
  });

  it('params with arrays and special characters, through the default serializer', async () => {
    const verdict = verified(await api.get<Verdict>('search', { adapter, params: special }));
    expect(verdict.url).toBe(`${origin}/api/v1/search?${specialQuery}`);
    expect(verdict.url).toBe(api.getUri({ url: 'search', params: special }));
  });

  it('params added to a URL that already has a query', async () => {
    const verdict = verified(await api.get<Verdict>('search?x=1', { adapter, params: { y: '2 3' } }));
    expect(verdict.url).toBe(`${origin}/api/v1/search?x=1&y=2+3`);
  });

  it('URLSearchParams as params', async () => {
    const params = new URLSearchParams([
      ['k', 'v w'],
      ['k', 'é'],
    ]);
    const verdict = verified(await api.get<Verdict>('search', { adapter, params }));
    expect(verdict.url).toBe(`${origin}/api/v1/search?k=v+w&k=%C3%A9`);
  });

  it('unicode, spaces and reserved characters in the path', async () => {
    const verdict = verified(await api.post<Verdict>('café/ü x/a+b', { ok: true }, { adapter }));
    expect(verdict.url).toBe(`${origin}/api/v1/caf%C3%A9/%C3%BC%20x/a+b`);
  });

  it('a custom paramsSerializer function', async () => {
    const paramsSerializer = (params: Record<string, string>) =>
      Object.entries(params)
        .map(([k, v]) => `${k}=${encodeURIComponent(v).toLowerCase()}`)
        .join(';');
    const verdict = verified(
      await api.get<Verdict>('custom', { adapter, params: { a: 'é/x', b: 'c' }, paramsSerializer }),
    );
    expect(verdict.url).toBe(`${origin}/api/v1/custom?a=%c3%a9%2fx;b=c`);
  });

  it('the serialize option, with brackets left unencoded', async () => {
    const serialize = (params: Record<string, string[]>) =>
      Object.entries(params)
        .flatMap(([k, values]) => values.map((v, i) => `${k}[${i}]=${encodeURIComponent(v)}`))
        .join('&');
    const verdict = verified(
      await api.get<Verdict>('brackets', {
        adapter,
        params: { ids: ['1', 'x y'] },
        paramsSerializer: { serialize },
      }),
    );
    expect(verdict.url).toBe(`${origin}/api/v1/brackets?ids[0]=1&ids[1]=x%20y`);
  });
});

describe('characters the adapters put on the wire differently', () => {
  // A serializer that leaves ' and " raw: Node's http client sends them as they are, fetch
  // percent-encodes them (WHATWG URL): each signature covers what its adapter sent.
  const paramsSerializer = () => `name=O'Brien&q="x"`;

  it('the http adapter sends the serializer output as is', async () => {
    verified(await api.get<Verdict>('quotes', { paramsSerializer, params: { any: 1 } }));
    expect(lastReceived(test.server).url).toBe(`${origin}/api/v1/quotes?name=O'Brien&q="x"`);
  });

  it('the fetch adapter percent-encodes them', async () => {
    verified(await api.get<Verdict>('quotes', { adapter: 'fetch', paramsSerializer, params: { any: 1 } }));
    expect(lastReceived(test.server).url).toBe(`${origin}/api/v1/quotes?name=O%27Brien&q=%22x%22`);
  });
});

describe('the instance default params', () => {
  it('are merged with the request params and signed', async () => {
    const scoped = withSignatures(
      axios.create({ baseURL: origin, params: { tenant: 'a b' }, ...anyStatus }),
      { key: test.key },
    );
    const verdict = verified(await scoped.get<Verdict>('/scoped', { params: { page: 2 } }));
    expect(verdict.url).toBe(`${origin}/scoped?tenant=a+b&page=2`);
  });
});
