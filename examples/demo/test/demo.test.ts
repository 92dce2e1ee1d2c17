import { expect, it } from 'vitest';
import { cases, compareBases, main } from '../index.js';

it('runs every client against every server: valid requests accepted, each attack refused with its code', async () => {
  const lines: string[] = [];
  const { status, results } = await main({ log: (line) => lines.push(line), color: false });
  expect(status).toBe(0);

  const clients = ['fetch', 'axios', 'undici', 'node:http'];
  const servers = ['express', 'fastify', 'koa', 'web'];
  expect(results).toHaveLength(clients.length * servers.length * cases.length);
  const expected: Record<string, string | undefined> = {
    valid: undefined,
    body: 'ERR_HTTPSIG_DIGEST_MISMATCH',
    header: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    replay: 'ERR_HTTPSIG_REPLAY',
    expired: 'ERR_HTTPSIG_EXPIRED',
    'unknown-key': 'ERR_HTTPSIG_UNKNOWN_KEY',
    algorithm: 'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    unsigned: 'ERR_HTTPSIG_MISSING_SIGNATURE',
  };
  expect(cases.map((c) => c.id)).toEqual(Object.keys(expected));
  for (const client of clients) {
    for (const server of servers) {
      for (const [id, code] of Object.entries(expected)) {
        const result = results.find((r) => r.client === client && r.server === server && r.case === id);
        const where = `${client} → ${server}, ${id}`;
        expect(result, where).toBeDefined();
        if (code === undefined) {
          expect({ where, status: result?.status, accepted: result?.accepted }).toEqual({
            where,
            status: 200,
            accepted: true,
          });
        } else {
          // The code is the one in the server's problem+json.
          expect({ where, accepted: result?.accepted, code: result?.answer?.code }).toEqual({
            where,
            accepted: false,
            code,
          });
        }
        expect(result?.ok, where).toBe(true);
      }
    }
  }

  const output = lines.join('\n');
  // Not a TTY: no colours.
  expect(output).not.toContain('\u001b[');
  expect(output).toContain('16 valid requests accepted, 112 attacks refused with the expected code');
  // The explanation marks the content-type line, and only it.
  expect(lines.filter((line) => line.startsWith('  - '))).toEqual([
    '  - "content-type": application/json   ◀ client signed',
  ]);
  expect(lines.filter((line) => line.startsWith('  + '))).toEqual([
    '  + "content-type": text/plain         ◀ server received',
  ]);
  expect(lines.some((line) => line.startsWith('    "@signature-params": '))).toBe(true);
});

it('marks only the lines that differ between two bases', () => {
  expect(compareBases('"@method": POST\n"a": 1\n"b": 2', '"@method": POST\n"a": 2\n"b": 2')).toEqual([
    '    "@method": POST',
    '  - "a": 1   ◀ client signed',
    '  + "a": 2   ◀ server received',
    '    "b": 2',
  ]);
});
