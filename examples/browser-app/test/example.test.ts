import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { chromiumPath, main } from '../index.js';

// Without Chromium the test is skipped on a developer machine, and fails in CI.
const haveChromium = existsSync(chromiumPath) || process.env.CI === 'true';

it.runIf(haveChromium)(
  'signs fetch calls from headless Chromium with a non-extractable key that survives a reload',
  async () => {
    const lines: string[] = [];
    expect(await main((line) => lines.push(line), { fromSources: true })).toBe(true);
    const keyid = /^first visit: key (\S+) generated, registered and stored in IndexedDB$/.exec(
      lines[0] ?? '',
    )?.[1];
    expect(keyid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(lines.slice(1)).toEqual([
      'first visit: private key extractable: false',
      'first visit: signed POST /api/orders: 201 {"accepted":{"item":"book","quantity":1}}',
      'first visit: unsigned POST /api/orders: 401 ERR_HTTPSIG_MISSING_SIGNATURE',
      `after reload: key ${keyid} loaded from IndexedDB`,
      'after reload: private key extractable: false',
      'after reload: signed POST /api/orders: 201 {"accepted":{"item":"book","quantity":1}}',
      'after reload: unsigned POST /api/orders: 401 ERR_HTTPSIG_MISSING_SIGNATURE',
      'server: 1 key registered, 2 signed orders accepted',
    ]);
  },
  60_000,
);
