/**
 * The runtime matrix: the portable suite (test-portable/) over the built core and fetch packages
 * in Node 20, 22 and 24, Bun, Deno, workerd (Miniflare, no compatibility flags) and headless
 * Chromium, against one verifying server on 127.0.0.1; then the Node-only packages' vitest suites
 * in Node 22 and 24. Prints one line per run, `runtime <name>: N passed, N failed, N skipped`, and
 * writes .reports/runtimes.json for scripts/test-summary.mjs. A runtime that cannot start is one
 * failure, never a skip. Runtime binaries come from the environment (scripts/runtimes/run.sh):
 * HTTPSIG_NODE22, HTTPSIG_NODE24, HTTPSIG_BUN, HTTPSIG_DENO.
 *
 *   node scripts/runtimes/matrix.mjs [--only name,name] [--no-packages] [--report FILE]
 *
 * HTTPSIG_PACKAGES_DIR (a node_modules folder) tests installed packages instead of the workspace's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInChromium } from './chromium.mjs';
import { packageEntry } from './entries.mjs';
import { startMatrixServer } from './verifying-server.mjs';
import { runInWorkerd } from './workerd.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const reports = join(root, '.reports');
const entry = join(root, 'scripts/runtimes/entry.mjs');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const withPackages = !args.includes('--no-packages');
const reportFile = args.includes('--report')
  ? args[args.indexOf('--report') + 1]
  : join(reports, 'runtimes.json');
const verbose = process.env.HTTPSIG_MATRIX_VERBOSE === '1';
// Runs over installed tarballs are reported apart from the workspace build's.
const label = process.env.HTTPSIG_PACKAGES_DIR ? 'packed-' : '';
const nodeOnlyPackages = ['node', 'express', 'fastify', 'koa', 'redis', 'cli'].map((p) => `packages/${p}`);

/** Run a command; resolves with its exit code and output, killing it after `timeout` ms. */
function exec(command, commandArgs, { env = {}, timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `killed by ${signal} (timeout ${timeout} ms)` : code, stdout, stderr });
    });
  });
}

/** The portable suite in a runtime started as a process (Node, Bun, Deno). */
async function runProcess(name, command, commandArgs) {
  const { code, stdout, stderr } = await exec(command, [...commandArgs, entry], {
    env: {
      HTTPSIG_CORE: packageEntry('core'),
      HTTPSIG_FETCH: packageEntry('fetch'),
      HTTPSIG_FETCH_ORIGIN: server.origin,
      HTTPSIG_QUIRKS_ORIGIN: server.quirksOrigin,
      HTTPSIG_RUNTIME_NAME: name,
    },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('HTTPSIG_PORTABLE_RESULT '));
  if (!line)
    throw new Error(`exited ${code} without results: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(line.slice('HTTPSIG_PORTABLE_RESULT '.length));
}

/** A Node-only package suite under another Node version, counted from vitest's JSON report. */
async function runVitest(node, name) {
  const outputFile = join(reports, `vitest-${name}.json`);
  rmSync(outputFile, { force: true });
  const { code, stderr } = await exec(
    node,
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--project',
      'node',
      ...nodeOnlyPackages,
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
    ],
    { timeout: 300_000 },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    throw new Error(
      `vitest exited ${code} without a report: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  const failures = [];
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0)
      failures.push({ name: file.name, message: file.message ?? 'failed to load' });
    for (const test of file.assertionResults ?? [])
      if (test.status === 'failed')
        failures.push({ name: test.fullName, message: (test.failureMessages ?? []).join(' ').slice(0, 300) });
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: failures.length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    failures,
    skips: [],
    quirks: [],
  };
}

function binary(variable, what) {
  const path = process.env[variable];
  if (!path) throw new Error(`${what} is not installed (${variable} unset: run scripts/runtimes/run.sh)`);
  return path;
}

/** Chromium where it is installed; outside CI a machine without it skips the run, as scripts/test.sh does. */
async function runChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path) && process.env.CI !== 'true') {
    const reason = `no Chromium at ${path} (set CHROMIUM_PATH)`;
    return {
      passed: 0,
      failed: 0,
      skipped: 1,
      failures: [],
      skips: [{ name: 'chromium', reason }],
      quirks: [],
    };
  }
  return runInChromium(origins);
}

const server = await startMatrixServer();
const origins = { fetchOrigin: server.origin, quirksOrigin: server.quirksOrigin };
const runs = [
  ['node20', () => runProcess('node20', process.execPath, [])],
  ['node22', () => runProcess('node22', binary('HTTPSIG_NODE22', 'Node 22'), [])],
  ['node24', () => runProcess('node24', binary('HTTPSIG_NODE24', 'Node 24'), [])],
  ['bun', () => runProcess('bun', binary('HTTPSIG_BUN', 'Bun'), ['run'])],
  ['deno', () => runProcess('deno', binary('HTTPSIG_DENO', 'Deno'), ['run', '-A'])],
  ['workerd', () => runInWorkerd(origins)],
  ['chromium', () => runChromium()],
];
if (withPackages) {
  runs.push(['node22-packages', () => runVitest(binary('HTTPSIG_NODE22', 'Node 22'), 'node22-packages')]);
  runs.push(['node24-packages', () => runVitest(binary('HTTPSIG_NODE24', 'Node 24'), 'node24-packages')]);
}

const results = [];
try {
  for (const [name, start] of runs) {
    if (only && !only.includes(name)) continue;
    const began = Date.now();
    let result;
    try {
      result = await start();
    } catch (error) {
      // A runtime that cannot install or start is a failure, never a skip.
      result = {
        passed: 0,
        failed: 1,
        skipped: 0,
        failures: [{ name: 'start', message: error.message }],
        skips: [],
      };
    }
    const seconds = (Date.now() - began) / 1000;
    results.push({ name: `${label}${name}`, seconds, ...result, log: undefined });
    for (const failure of result.failures)
      console.error(`[runtimes] ${name} FAIL ${failure.name}: ${failure.message}`);
    for (const quirk of result.quirks ?? [])
      console.error(
        `[runtimes] ${name} known quirk ${quirk.name}: ${quirk.reason} (observed: ${quirk.observed})`,
      );
    for (const skip of result.skips ?? [])
      console.error(`[runtimes] ${name} skipped ${skip.name}: ${skip.reason}`);
    for (const warning of new Set(result.warnings ?? []))
      console.error(`[runtimes] ${name} warning ${warning}`);
    if (verbose) console.error(JSON.stringify(result.capabilities ?? {}));
    console.log(
      `runtime ${label}${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${seconds.toFixed(1)} s)`,
    );
  }
} finally {
  await server.close();
}

mkdirSync(dirname(reportFile), { recursive: true });
writeFileSync(reportFile, `${JSON.stringify({ runtimes: results }, null, 2)}\n`);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.exit(failed > 0 ? 1 : 0);
