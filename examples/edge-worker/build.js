/**
 * Bundle worker.js into one ES module for workerd, as Wrangler would: platform neutral (no Node
 * built-ins), browser/worker export conditions.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * @param {{ fromSources?: boolean }} [options] bundle the @httpsig packages from their TypeScript
 *   sources (as the tests do) instead of their builds
 * @returns {Promise<string>} the bundled script
 */
export async function bundleWorker({ fromSources = false } = {}) {
  /** @type {Record<string, string>} */
  const alias = {};
  if (fromSources) {
    for (const name of ['core', 'server'])
      alias[`@httpsig/${name}`] = here(`../../packages/${name}/src/index.ts`);
  }
  const result = await build({
    entryPoints: [here('./worker.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser', 'import'],
    alias,
    logLevel: 'silent',
  });
  return /** @type {import('esbuild').OutputFile} */ (result.outputFiles[0]).text;
}
