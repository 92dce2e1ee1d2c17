/**
 * The published shape, installed: every package is packed (`pnpm pack`, so workspace:* becomes a
 * version), the tarballs are installed with npm into an empty project outside the workspace, and
 * there (no workspace links) every export is imported as ESM and required as CommonJS, each
 * README's example runs (scripts/check-pack-examples.mjs), the `httpsig` bin signs and verifies a
 * request, and the portable suite runs over the INSTALLED core and fetch in Node 22, Node 24, Bun,
 * Deno and workerd (counted in .reports/runtimes-packed.json). Runtime paths come from
 * scripts/runtimes/install.sh (see scripts/check-pack.sh). Exits 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { examples } from './check-pack-examples.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// The registry versions the examples run against: those the workspace tests with.
const exampleDependencies = {
  '@koa/bodyparser': '6.1.0',
  axios: '1.21.1',
  express: '5.3.0',
  fastify: '5.12.8',
  ioredis: '5.11.1',
  koa: '3.3.0',
  msw: '2.15.0',
  undici: '7.30.2',
};

const failures = [];
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, ...options });
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`,
  };
}
function report(what, result) {
  if (result.ok) console.error(`[pack] ok ${what}`);
  else {
    console.error(`[pack] FAIL ${what}\n${result.output.trim().split('\n').slice(-15).join('\n')}`);
    failures.push(what);
  }
}

const project = mkdtempSync(join(tmpdir(), 'httpsig-pack-'));
const keep = process.env.HTTPSIG_KEEP_PACK === '1';
try {
  // 1. Pack every package.
  const tarballs = join(project, 'tarballs');
  mkdirSync(tarballs);
  const packages = [];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    const packed = run('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: join(root, 'packages', dir),
    });
    const file = packed.output
      .trim()
      .split('\n')
      .findLast((line) => line.endsWith('.tgz'));
    if (!packed.ok || !file) {
      report(`pack ${manifest.name}`, { ok: false, output: packed.output });
      continue;
    }
    packages.push({ name: manifest.name, manifest, tarball: `file:${file}` });
  }

  // 2. Install them, and only them, into an empty project (overrides keep the packages' own
  // @httpsig dependencies on the tarballs instead of the registry).
  const dependencies = { ...exampleDependencies };
  const overrides = {};
  for (const p of packages) {
    dependencies[p.name] = p.tarball;
    overrides[p.name] = `$${p.name}`;
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      { name: 'httpsig-pack-check', private: true, type: 'module', dependencies, overrides },
      null,
      2,
    ),
  );
  const installed = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
  report('npm install of the packed tarballs outside the workspace', installed);
  if (!installed.ok) throw new Error('install failed');

  // 3. Every export, as ESM and as CommonJS, by package name.
  for (const p of packages) {
    for (const subpath of Object.keys(p.manifest.exports ?? {})) {
      if (subpath === './package.json') continue;
      const specifier = subpath === '.' ? p.name : `${p.name}/${subpath.slice(2)}`;
      const esm = `const m = await import('${specifier}'); if (Object.keys(m).length === 0) throw new Error('no exports');`;
      report(
        `import ${specifier}`,
        run(process.execPath, ['--input-type=module', '-e', esm], { cwd: project }),
      );
      const cjs = `const m = require('${specifier}'); if (Object.keys(m).length === 0) throw new Error('no exports');`;
      report(`require ${specifier}`, run(process.execPath, ['-e', cjs], { cwd: project }));
    }
  }

  // 4. The README examples.
  for (const [file, source] of Object.entries(examples)) writeFileSync(join(project, file), source);
  for (const file of Object.keys(examples)) {
    if (file === 'support.mjs') continue;
    if (file === 'redis.mjs' && !process.env.REDIS_URL) {
      // Without Redis this example cannot run: a failure in CI, a notice elsewhere.
      if (process.env.CI === 'true')
        report('README example redis.mjs (REDIS_URL is not set)', { ok: false, output: '' });
      else console.error('[pack] skipped README example redis.mjs: REDIS_URL is not set');
      continue;
    }
    report(`README example ${file}`, run(process.execPath, [file], { cwd: project, timeout: 60_000 }));
  }

  // 5. The CLI README: keygen, sign, verify, digest through the installed bin.
  const bin = join(project, 'node_modules/.bin/httpsig');
  writeFileSync(
    join(project, 'request.http'),
    'POST /orders?currency=EUR HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n\r\n{"amount":10}',
  );
  const cli = [
    ['keygen', '--alg', 'ed25519', '--out', 'mykey'],
    [
      'sign',
      '--key',
      'mykey.key',
      '--alg',
      'ed25519',
      '--keyid',
      'my-key',
      '--components',
      '@method,@authority,@path,content-type',
      'request.http',
    ],
  ];
  let cliOk = true;
  for (const args of cli) {
    const step = run(bin, args, { cwd: project });
    if (args[0] === 'sign' && step.ok)
      writeFileSync(join(project, 'signed.http'), spawnSync(bin, args, { cwd: project }).stdout);
    report(`httpsig ${args[0]}`, step);
    cliOk &&= step.ok;
  }
  if (cliOk) {
    const verified = run(bin, ['verify', '--key', 'mykey.pub', '--alg', 'ed25519', 'signed.http'], {
      cwd: project,
    });
    report('httpsig verify', {
      ...verified,
      ok: verified.ok && /verified sig1 keyid="my-key"/.test(verified.output),
    });
  }
  const digest = run(bin, ['digest'], { cwd: project, input: '{"hello": "world"}' });
  report('httpsig digest', {
    ...digest,
    ok: digest.ok && digest.output.includes('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'),
  });

  // 6. The portable suite over the installed core and fetch in Node 22/24, Bun, Deno and workerd.
  const packedReport = join(root, '.reports/runtimes-packed.json');
  rmSync(packedReport, { force: true });
  const matrix = run(
    process.execPath,
    [
      join(root, 'scripts/runtimes/matrix.mjs'),
      '--only',
      'node22,node24,bun,deno,workerd',
      '--no-packages',
      '--report',
      packedReport,
    ],
    {
      cwd: root,
      env: { ...process.env, HTTPSIG_PACKAGES_DIR: join(project, 'node_modules') },
      stdio: 'inherit',
    },
  );
  // Its test failures are counted from its report; only a run that wrote none fails this check.
  if (!matrix.ok && !existsSync(packedReport)) failures.push('portable suite over the installed packages');
} catch (error) {
  failures.push(error.message);
} finally {
  if (keep) console.error(`[pack] project kept at ${project}`);
  else rmSync(project, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`[pack] ${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.error('[pack] the packed packages install, import and run outside the workspace');
