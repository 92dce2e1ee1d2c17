/**
 * The four client stacks of the demo, each signing with its @httpsig adapter. Each has a
 * transport hook that runs after signing, just before the bytes go out: it records what is sent
 * and, for the attack cases, alters it the way an attacker on the path would.
 */
import { connect } from 'node:net';
import { withSignatures } from '@httpsig/axios';
import { createSignedFetch } from '@httpsig/fetch';
import { createSigningInterceptor, signedRequest } from '@httpsig/node';
import axios, { AxiosHeaders } from 'axios';
import { Agent, request as undiciRequest } from 'undici';

/**
 * A change made in transit: header fields (lower-case names) and the body text.
 * @typedef {{ headers?: (headers: Record<string, string>) => void, body?: (body: string) => string }} Tamper
 */
/** @typedef {{ headers: Record<string, string>, body: Uint8Array<ArrayBuffer> }} Wire the request as it went out */
/**
 * @typedef {object} Exchange
 * @property {number} status
 * @property {string} text the response body
 * @property {Wire | undefined} sent
 */
/**
 * @typedef {object} Send
 * @property {string} url
 * @property {import('@httpsig/core').SignerOptions} signing
 * @property {string} body JSON
 * @property {Tamper} [tamper]
 */
/** @typedef {(send: Send) => Promise<Exchange>} Client */
/** @typedef {import('@httpsig/node').DispatchOptions} DispatchOptions */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A copy of the body bytes. @param {unknown} value @returns {Uint8Array<ArrayBuffer>} */
function bytesOf(value) {
  if (value === undefined || value === null) return new Uint8Array(0);
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  throw new TypeError('the demo sends fixed bodies only');
}

/** @param {Iterable<[string, unknown]>} entries @returns {Record<string, string>} */
function lowerCased(entries) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** Apply `tamper` to what is about to be sent; returns the request that goes out. */
function inTransit(/** @type {Wire} */ wire, /** @type {Tamper | undefined} */ tamper) {
  const headers = { ...wire.headers };
  tamper?.headers?.(headers);
  const body = tamper?.body ? encoder.encode(tamper.body(decoder.decode(wire.body))) : wire.body;
  return { headers, body };
}

const jsonType = { 'content-type': 'application/json' };

/** @type {Client} */
async function fetchClient({ url, signing, body, tamper }) {
  /** @type {Wire | undefined} */
  let sent;
  const signedFetch = createSignedFetch({
    ...signing,
    // The hook: createSignedFetch hands the signed Request to this fetch.
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const wire = {
        headers: lowerCased(request.headers),
        body: new Uint8Array(await request.arrayBuffer()),
      };
      sent = inTransit(wire, tamper);
      return fetch(request.url, { method: request.method, headers: sent.headers, body: sent.body });
    },
  });
  const response = await signedFetch(url, { method: 'POST', headers: jsonType, body });
  return { status: response.status, text: await response.text(), sent };
}

/** @type {Client} */
async function axiosClient({ url, signing, body, tamper }) {
  /** @type {Wire | undefined} */
  let sent;
  const http = axios.getAdapter('http');
  // The hook: an adapter under the signing one, passing the signed config to axios's http adapter.
  const hook = Object.assign(
    /** @type {import('axios').AxiosAdapter} */
    async (config) => {
      const wire = {
        headers: lowerCased(Object.entries(config.headers.toJSON())),
        body: bytesOf(config.data),
      };
      sent = inTransit(wire, tamper);
      config.headers = AxiosHeaders.from(sent.headers);
      config.data = Buffer.from(sent.body);
      return http(config);
    },
    // Signed as for the http adapter it wraps.
    { adapterName: 'http' },
  );
  const instance = withSignatures(axios.create({ adapter: hook }), signing);
  const response = await instance.post(url, body, {
    headers: jsonType,
    responseType: 'text',
    maxRedirects: 0,
    validateStatus: () => true,
  });
  return { status: response.status, text: String(response.data), sent };
}

/** @type {Client} */
async function undiciClient({ url, signing, body, tamper }) {
  /** @type {Wire | undefined} */
  let sent;
  // The hook: an interceptor closest to the dispatcher, so it sees the signed dispatch options.
  /** @param {(opts: DispatchOptions, handler: unknown) => boolean} dispatch */
  const hook = (dispatch) => (/** @type {DispatchOptions} */ opts, /** @type {unknown} */ handler) => {
    const wire = {
      headers: lowerCased(Object.entries(/** @type {Record<string, unknown>} */ (opts.headers ?? {}))),
      body: bytesOf(opts.body),
    };
    sent = inTransit(wire, tamper);
    return dispatch({ ...opts, headers: sent.headers, body: Buffer.from(sent.body) }, handler);
  };
  const agent = new Agent().compose(
    /** @type {never} */ (hook),
    /** @type {never} */ (createSigningInterceptor(signing)),
  );
  try {
    const response = await undiciRequest(url, { method: 'POST', headers: jsonType, body, dispatcher: agent });
    return { status: response.statusCode, text: await response.body.text(), sent };
  } finally {
    await agent.close();
  }
}

/**
 * The hook for node:http: a socket whose writes pass through `tamper`. node:http writes the head
 * (request line and fields) as one latin1 string, then the body bytes.
 * @param {import('node:net').Socket} socket @param {Tamper | undefined} tamper
 * @param {(wire: Wire) => void} record
 */
function tappedSocket(socket, tamper, record) {
  const write = socket.write.bind(socket);
  /** @type {string[]} */
  let requestLine = [];
  /** @type {Record<string, string>} */
  let headers = {};
  let sent = Buffer.alloc(0);
  Object.assign(socket, {
    /** @param {string | Uint8Array} chunk @param {...any} rest */
    write(chunk, ...rest) {
      if (typeof chunk === 'string' && chunk.includes('\r\n\r\n')) {
        const [head = ''] = chunk.split('\r\n\r\n');
        const [first = '', ...lines] = head.split('\r\n');
        requestLine = [first];
        headers = lowerCased(
          lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        );
        const changed = inTransit({ headers, body: new Uint8Array(0) }, { ...tamper, body: undefined });
        headers = changed.headers;
        const fields = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
        record({ headers, body: new Uint8Array(0) });
        return write([...requestLine, ...fields, '', ''].join('\r\n'), ...rest);
      }
      const body = inTransit({ headers: {}, body: bytesOf(chunk) }, { ...tamper, headers: undefined }).body;
      // The end of the request may come as an empty write: only bytes count as the body.
      if (body.length > 0) {
        sent = Buffer.concat([sent, body]);
        record({ headers, body: new Uint8Array(sent) });
      }
      return write(Buffer.from(body), ...rest);
    },
  });
  return socket;
}

/** @type {Client} */
async function httpClient({ url, signing, body, tamper }) {
  /** @type {Wire | undefined} */
  let sent;
  const response = await signedRequest(url, {
    method: 'POST',
    headers: jsonType,
    body,
    signing,
    createConnection: (/** @type {import('node:http').ClientRequestArgs} */ options) =>
      tappedSocket(
        connect({ host: options.host ?? '127.0.0.1', port: Number(options.port) }),
        tamper,
        (wire) => {
          sent = wire;
        },
      ),
  });
  const chunks = [];
  for await (const chunk of response) chunks.push(/** @type {Buffer} */ (chunk));
  return { status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), sent };
}

/** @type {Readonly<Record<string, Client>>} */
export const clients = {
  fetch: fetchClient,
  axios: axiosClient,
  undici: undiciClient,
  'node:http': httpClient,
};

/**
 * Send a captured request again, byte for byte in its signed fields and body, as an attacker who
 * recorded it would. Fields fetch manages itself (Host is the same URL's) are left to it.
 * @param {string} url @param {Wire} wire
 */
export async function resend(url, wire) {
  const managed = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
  const headers = Object.entries(wire.headers).filter(([name]) => !managed.has(name));
  const response = await fetch(url, { method: 'POST', headers, body: wire.body });
  return { status: response.status, text: await response.text(), sent: wire };
}
