/**
 * A reverse proxy as a TLS-terminating edge would be: it forwards each request unchanged to the
 * API and tells it, in `X-Forwarded-Proto` and `X-Forwarded-Host`, the scheme and host the client
 * used. (Here it listens on plain loopback HTTP; a real one holds the certificate.)
 */
import { createServer, request as forward } from 'node:http';

/**
 * @param {{ upstream: string, publicHost: string }} options
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startProxy({ upstream, publicHost }) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const headers = { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': publicHost };
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(upstreamRequest);
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
