/**
 * Build the page, serve it with the API, and open it twice in headless Chromium: the first visit
 * generates and registers a key, the second (a reload) signs with the same key from IndexedDB.
 * `node index.js` (after `pnpm build` at the repository root; needs Chromium, CHROMIUM_PATH).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildPage } from './build.js';
import { startServer } from './server.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** @param {import('playwright-core').Page} page @returns {Promise<string[]>} the page's log */
async function pageLog(page) {
  await page.waitForSelector('#log[data-done]', { timeout: 15_000 });
  const text = await page.textContent('#log');
  return (text ?? '').trim().split('\n');
}

/**
 * @param {(line: string) => void} log @param {{ fromSources?: boolean }} [options]
 * @returns {Promise<boolean>}
 */
export async function main(log = console.log, { fromSources = false } = {}) {
  const outDir = await mkdtemp(join(tmpdir(), 'httpsig-browser-app-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    await buildPage({ outDir, fromSources });
    const server = await startServer({ root: outDir });
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      for (const line of await pageLog(page)) log(`first visit: ${line}`);
      await page.reload();
      for (const line of await pageLog(page)) log(`after reload: ${line}`);
      log(
        `server: ${server.registrations.length} key registered, ${server.accepted.length} signed orders accepted`,
      );
      const [registered] = server.registrations;
      return (
        server.registrations.length === 1 &&
        server.accepted.length === 2 &&
        server.accepted.every((order) => order.keyid === registered)
      );
    } finally {
      await server.close();
    }
  } finally {
    await browser.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
