/**
 * `--framework web`: the Web-standard verifier (as in Hono, Workers, Deno, Bun) behind a small
 * node:http bridge that turns each request into a fetch `Request`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultMaxBodySize, isHttpSigError } from '@httpsig/core';
import { checkRequest, createVerifier, problemFor } from '@httpsig/server';
import { readRawBody } from '@httpsig/server/node';
import { echo } from './echo';
import { healthPath, type ServerFactory } from './types';

async function toRequest(req: IncomingMessage, origin: string, limit: number): Promise<Request> {
  const body = await readRawBody(req, limit);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const host = req.headers.host ?? new URL(origin).host;
  return new Request(`http://${host}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(body.length === 0 || req.method === 'GET' || req.method === 'HEAD'
      ? {}
      : { body: body as Uint8Array<ArrayBuffer> }),
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export const startWebServer: ServerFactory = async ({ host, port, verifier: options }) => {
  const verifier = createVerifier(options);
  let origin = '';
  const server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === healthPath) {
        await send(res, Response.json({ status: 'ok' }));
        return;
      }
      const request = await toRequest(req, origin, options.maxBodySize ?? defaultMaxBodySize);
      const check = await checkRequest(request, verifier, {
        ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
      });
      if (!check.ok) {
        await send(res, check.response);
        return;
      }
      const url = new URL(request.url);
      const body = new Uint8Array(await request.arrayBuffer());
      await send(
        res,
        Response.json(echo(check.signature, request.method, `${url.pathname}${url.search}`, body)),
      );
    } catch (error) {
      if (!isHttpSigError(error)) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      // The body was over the limit: refuse it and close rather than read the rest.
      const problem = problemFor(error);
      res.writeHead(problem.status, { 'content-type': 'application/problem+json', connection: 'close' });
      res.end(JSON.stringify(problem));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
