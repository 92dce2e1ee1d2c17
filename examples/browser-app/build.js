/** Build the page with Vite, programmatically. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * @param {{ outDir: string, fromSources?: boolean }} options `fromSources` bundles the @httpsig
 *   packages from their TypeScript sources (as the tests do) instead of their builds
 */
export async function buildPage({ outDir, fromSources = false }) {
  await build({
    root: here('.'),
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    resolve: {
      alias: fromSources
        ? ['core', 'fetch'].map((name) => ({
            find: `@httpsig/${name}`,
            replacement: here(`../../packages/${name}/src/index.ts`),
          }))
        : [],
    },
  });
}
