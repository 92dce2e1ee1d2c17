/**
 * Which build of @httpsig/core and @httpsig/fetch the matrix tests: the workspace's dist by
 * default, or the packages installed from their tarballs in an outside project when
 * HTTPSIG_PACKAGES_DIR names its node_modules (scripts/check-pack.sh). Entries are the ESM files
 * each package's `exports` maps `import` to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function packageDir(name) {
  const installed = process.env.HTTPSIG_PACKAGES_DIR;
  return installed ? join(installed, '@httpsig', name) : join(root, 'packages', name);
}

/** The file `import '@httpsig/<name>'` loads, read from the package's exports. */
export function packageEntry(name) {
  const dir = packageDir(name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const target = manifest.exports?.['.']?.import?.default ?? manifest.exports?.['.']?.import;
  if (typeof target !== 'string') throw new Error(`@httpsig/${name} has no ESM export`);
  return join(dir, target);
}

/** esbuild aliases that point the bundles at those entries. */
export function packageAliases() {
  return { '@httpsig/core': packageEntry('core'), '@httpsig/fetch': packageEntry('fetch') };
}

/** Where the packages' own dependencies are found when bundling. */
export function packageNodePaths() {
  const installed = process.env.HTTPSIG_PACKAGES_DIR;
  return installed ? [installed] : [join(root, 'packages/core/node_modules')];
}
