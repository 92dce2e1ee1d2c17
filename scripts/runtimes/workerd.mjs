/**
 * Runs the portable suite in workerd through Miniflare, with no compatibility flags (in
 * particular no nodejs_compat): the suite, core and fetch are bundled into one module worker and
 * a request to it runs the suite and answers the results as JSON.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { packageAliases, packageNodePaths } from './entries.mjs';

const entry = fileURLToPath(new URL('./worker-entry.js', import.meta.url));

/** The worker script: one ESM bundle for the neutral platform (a `node:` import fails the build). */
export async function bundleWorker() {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    alias: packageAliases(),
    // The packages' own dependencies (structured-headers) resolve beside them.
    nodePaths: packageNodePaths(),
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export async function runInWorkerd({ fetchOrigin, quirksOrigin, log = () => {} } = {}) {
  const script = await bundleWorker();
  const mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-09-01' });
  try {
    const response = await mf.dispatchFetch('http://worker.test/run', {
      headers: {
        ...(fetchOrigin ? { 'x-verifying-server': fetchOrigin } : {}),
        ...(quirksOrigin ? { 'x-field-bytes-server': quirksOrigin } : {}),
      },
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`the worker answered ${response.status}: ${text.slice(0, 500)}`);
    const results = JSON.parse(text);
    for (const line of results.log) log(line);
    return results;
  } finally {
    await mf.dispose();
  }
}
