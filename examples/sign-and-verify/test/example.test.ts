import { expect, it } from 'vitest';
import { main } from '../index.js';

it('signs a request, verifies it and refuses the tampered copy', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line))).toBe(true);
  expect(lines.some((line) => line.startsWith('verified sig1 from client-1'))).toBe(true);
  expect(lines.at(-1)).toBe('tampered request refused: ERR_HTTPSIG_INVALID_SIGNATURE');
});
