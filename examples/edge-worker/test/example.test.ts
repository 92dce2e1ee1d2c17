import { expect, it } from 'vitest';
import { bundleWorker } from '../build.js';
import { main } from '../index.js';

it('runs in workerd: a signed order is accepted; altered, replayed and unsigned ones are refused', async () => {
  const lines: string[] = [];
  expect(await main((line) => lines.push(line), { fromSources: true })).toBe(true);
  expect(lines).toEqual([
    'signed POST /orders: 201 {"accepted":{"item":"book","quantity":2},"by":"client-1"}',
    'POST /orders with another body: 400 ERR_HTTPSIG_DIGEST_MISMATCH',
    'POST /orders with another query: 401 ERR_HTTPSIG_INVALID_SIGNATURE',
    'POST /orders sent again: 401 ERR_HTTPSIG_REPLAY',
    'POST /orders unsigned: 401 ERR_HTTPSIG_MISSING_SIGNATURE',
  ]);
}, 30_000);

it('the bundle imports no Node built-in module', async () => {
  const script = await bundleWorker({ fromSources: true });
  expect(script).not.toMatch(/\bfrom\s*["']node:|\brequire\(\s*["']node:|\bimport\(\s*["']node:/);
  expect(script).not.toMatch(/\bfrom\s*["'](crypto|buffer|stream|http)["']/);
});
