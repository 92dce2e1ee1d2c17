import { expect, it } from 'vitest';
import { main } from '../index.js';

it('signs a request with its body digest, verifies it and refuses tampered copies', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines[0]).toMatch(/^Content-Digest: sha-256=:[A-Za-z0-9+/]{43}=:$/);
  expect(lines.some((line) => line.startsWith('verified sig1 from client-1'))).toBe(true);
  expect(lines.some((line) => line.includes('"content-digest"'))).toBe(true);
  expect(lines.slice(-2)).toEqual([
    'request with a changed query refused: ERR_HTTPSIG_INVALID_SIGNATURE',
    'request with a changed body refused: ERR_HTTPSIG_DIGEST_MISMATCH',
  ]);
});
