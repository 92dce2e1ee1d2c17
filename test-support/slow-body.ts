/** A client that sends a request body one byte every 50 ms over a raw socket, and what it got back. */
import { connect } from 'node:net';

/**
 * POST `path` announcing a 100-byte body and drip it. Resolves with the raw answer once the
 * server closes the connection (or after `giveUpMs`, when the client ends it itself).
 */
export function slowPost(origin: string, path: string, giveUpMs = 3000): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: 100\r\n\r\n`);
      const drip = setInterval(() => socket.write('x'), 50);
      let received = '';
      const giveUp = setTimeout(() => socket.end(), giveUpMs);
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
      });
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(giveUp);
        resolve(received);
      });
      socket.on('error', (error) => {
        clearInterval(drip);
        clearTimeout(giveUp);
        reject(error);
      });
    });
  });
}
