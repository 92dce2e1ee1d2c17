/**
 * The API the client talks to: a node:http server that verifies every request with
 * @httpsig/server (method, target URI, body digest, freshness, replay) and answers with what it
 * verified, or with the problem document of the refusal.
 */
import { createServer } from 'node:http';
import { defaultMaxBodySize, HttpSigError } from '@httpsig/core';
import { createVerifier, refusalFor } from '@httpsig/server';
import { incomingRequestInfo, readRawBody } from '@httpsig/server/node';

/** @typedef {{ url: string, close(): Promise<void> }} RunningApi */

/**
 * Start the API on a free loopback port.
 * @param {{ keys: Record<string, import('@httpsig/core').HttpSigKey> }} options
 * @returns {Promise<RunningApi>}
 */
export async function startApi({ keys }) {
  // One verifier for the server's lifetime: it holds the in-memory replay store.
  const verifier = createVerifier({ keys });
  const server = createServer(async (req, res) => {
    /** @type {{ status: number, headers: Record<string, string>, body: unknown }} */
    let answer;
    try {
      const body = await readRawBody(req, defaultMaxBodySize);
      const outcome = await verifier.verify(incomingRequestInfo(req, body));
      answer = outcome.ok
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: {
              keyid: outcome.signature.keyid,
              covered: outcome.signature.components,
              received: new TextDecoder().decode(body),
            },
          }
        : { status: outcome.status, headers: { ...outcome.headers }, body: outcome.problem };
    } catch (error) {
      if (!(error instanceof HttpSigError)) throw error;
      // A body over the limit: refused before it is read in full.
      const refusal = refusalFor(error);
      answer = {
        status: refusal.status,
        headers: { ...refusal.headers, connection: 'close' },
        body: refusal.problem,
      };
    }
    res.writeHead(answer.status, answer.headers);
    res.end(JSON.stringify(answer.body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
