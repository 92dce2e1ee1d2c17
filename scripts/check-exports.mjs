/**
 * Every package's `exports`, its tsup entries and its README agree (needs `pnpm build`):
 * - each export subpath's files (import/require, types/default) are what one tsup entry emits in
 *   the formats it builds, and exist in dist; each tsup entry is exported or is a `bin`;
 * - the README documents every export subpath, imports only exported subpaths, and every name it
 *   imports from a package is exported by that package's built module.
 * Prints each disagreement and exits 1 when there is any.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const problems = [];
let checkedFiles = 0;
let checkedNames = 0;
const problem = (pkg, message) => problems.push(`${pkg}: ${message}`);

// tsup's defineConfig returns its argument; this stand-in avoids loading tsup itself.
const identityDefineConfig = {
  name: 'tsup-define-config',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^tsup$/ }, () => ({ path: 'tsup', namespace: 'tsup-stub' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'tsup-stub' }, () => ({
      contents: 'export const defineConfig = (config) => config;',
    }));
  },
};

/** The tsup options of a package: its config bundled with esbuild (tsup's defineConfig is the identity). */
async function tsupOptions(dir) {
  const result = await build({
    entryPoints: [join(dir, 'tsup.config.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: [identityDefineConfig],
  });
  const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`;
  const config = (await import(url)).default;
  return Array.isArray(config) ? config : [config];
}

/** The files one tsup options object emits: entry name -> extensions. */
function emitted(options) {
  const entries = Array.isArray(options.entry)
    ? Object.fromEntries(options.entry.map((e) => [basename(e, extname(e)), e]))
    : options.entry;
  const files = [];
  for (const name of Object.keys(entries)) {
    for (const format of options.format ?? ['cjs']) {
      // "type": "module" packages: ESM is .js, CommonJS .cjs.
      files.push(`./dist/${name}${format === 'esm' ? '.js' : '.cjs'}`);
      if (options.dts) files.push(`./dist/${name}${format === 'esm' ? '.d.ts' : '.d.cts'}`);
    }
  }
  return { names: Object.keys(entries), files };
}

/** Every file path an export condition object points at. */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targets);
}

/** `import { a, b as c } from '@httpsig/x'` statements of a README's code blocks. */
function readmeImports(text) {
  const imports = [];
  const pattern = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(@httpsig\/[^']+)'/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1]) continue; // type-only imports are checked by the type tests
    const names = match[2]
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '' && !n.startsWith('type '))
      .map((n) => n.split(/\s+as\s+/)[0]);
    imports.push({ specifier: match[3], names });
  }
  return imports;
}

const manifests = new Map();
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  manifests.set(manifest.name, { dir: join(root, 'packages', dir), manifest });
}

for (const [name, { dir, manifest }] of manifests) {
  const exportsField = manifest.exports ?? {};
  const subpaths = Object.keys(exportsField).filter((s) => s !== './package.json');
  const outputs = (await tsupOptions(dir)).map(emitted);
  const emittedFiles = new Set(outputs.flatMap((o) => o.files));

  // exports -> tsup
  const exportedFiles = new Set();
  for (const subpath of subpaths) {
    for (const target of targets(exportsField[subpath])) {
      exportedFiles.add(target);
      checkedFiles++;
      if (!emittedFiles.has(target))
        problem(name, `exports["${subpath}"] points at ${target}, which no tsup entry emits`);
      if (!existsSync(join(dir, target)))
        problem(name, `exports["${subpath}"] points at ${target}, missing from dist`);
    }
  }
  // tsup -> exports or bin
  const binTargets = new Set(
    Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {})),
  );
  for (const output of outputs) {
    for (const entry of output.names) {
      const reachable = output.files.some(
        (f) => f.startsWith(`./dist/${entry}.`) && (exportedFiles.has(f) || binTargets.has(f)),
      );
      if (!reachable) problem(name, `tsup entry "${entry}" is neither exported nor a bin`);
    }
  }
  for (const bin of binTargets)
    if (!emittedFiles.has(bin)) problem(name, `bin ${bin} is not emitted by tsup`);

  // README
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  for (const subpath of subpaths) {
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    if (!readme.includes(specifier)) problem(name, `README does not mention the export ${specifier}`);
  }
  for (const { specifier, names } of readmeImports(readme)) {
    const target = [...manifests.keys()].find((n) => specifier === n || specifier.startsWith(`${n}/`));
    if (!target) {
      problem(name, `README imports ${specifier}, which is no package of this repository`);
      continue;
    }
    const { dir: targetDir, manifest: targetManifest } = manifests.get(target);
    const subpath = specifier === target ? '.' : `./${specifier.slice(target.length + 1)}`;
    const entry = targetManifest.exports?.[subpath]?.import?.default;
    if (!entry) {
      problem(name, `README imports ${specifier}, which ${target} does not export`);
      continue;
    }
    const module = await import(pathToFileURL(join(targetDir, entry)).href);
    checkedNames += names.length;
    for (const imported of names)
      if (!(imported in module))
        problem(name, `README imports { ${imported} } from ${specifier}, which does not export it`);
  }
}

for (const line of problems) console.error(`[exports] ${line}`);
if (problems.length > 0) process.exit(1);
console.error(
  `[exports] ${manifests.size} packages: exports (${checkedFiles} files), tsup entries and READMEs (${checkedNames} imported names) agree`,
);
