/** Express apps on 127.0.0.1 for the tests, in both major versions. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';

export type ExpressModule = typeof express;

/** Both Express versions the middleware supports, for `describe.each`. */
export const versions: [string, ExpressModule][] = [
  ['Express 5', express],
  ['Express 4', express4],
];

export interface Running {
  readonly origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

const running = new Set<Server>();

export async function listen(app: (req: never, res: never) => void): Promise<Running> {
  const server = createServer(app as Parameters<typeof createServer>[0] & object);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.add(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    close: () => {
      running.delete(server);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Close every server a test file started. */
export async function closeAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  running.clear();
}
