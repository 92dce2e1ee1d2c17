/**
 * Runs the portable suite in headless Chromium through Playwright: the suite, core and fetch are
 * bundled for the browser, served from 127.0.0.1 (a secure context, so WebCrypto is there) and
 * run inside the page; the verifying server is reached over CORS.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { packageAliases, packageNodePaths } from './entries.mjs';

const entry = fileURLToPath(new URL('./browser-entry.js', import.meta.url));
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function bundle() {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    alias: packageAliases(),
    nodePaths: packageNodePaths(),
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export async function runInChromium({ fetchOrigin, quirksOrigin, log = () => {} } = {}) {
  const script = await bundle();
  const page = '<!doctype html><meta charset="utf-8"><script type="module" src="/suite.js"></script>';
  const server = createServer((req, res) => {
    const isScript = req.url === '/suite.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    res.end(isScript ? script : page);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: launchArgs,
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => typeof globalThis.runPortableSuite === 'function');
    const results = await tab.evaluate((origins) => globalThis.runPortableSuite(origins), {
      fetchOrigin: fetchOrigin ?? '',
      quirksOrigin: quirksOrigin ?? '',
    });
    for (const line of results.log) log(line);
    return results;
  } finally {
    await browser.close();
    server.close();
  }
}
