// Prints "N passed, N failed, N skipped" from vitest's JSON report plus any other reports named
// with --report=FILE (the runtime matrix's .reports/runtimes.json: { runtimes: [{ name, passed,
// failed, skipped }] }), counting each failed pre-test step named on the command line (build,
// lint, ...) as one failure. A report that was asked for but cannot be read is one failure.
// Exits 1 on any failure.
//   node scripts/test-summary.mjs .reports/vitest.json [--report=.reports/runtimes.json] [failed-step ...]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const extraReports = args.filter((a) => a.startsWith('--report=')).map((a) => a.slice('--report='.length));
const [file = '.reports/vitest.json', ...failedSteps] = args.filter((a) => !a.startsWith('--report='));

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`test-summary: cannot read ${path}: ${error.message}`);
    return undefined;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;

const report = readJson(file);
if (report === undefined) failed++;
else {
  // A test file that fails to load has no tests but still failed.
  const brokenFiles = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  );
  for (const suite of brokenFiles)
    console.error(`test-summary: ${suite.name} failed to run: ${suite.message ?? ''}`);
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + brokenFiles.length;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

for (const path of extraReports) {
  const extra = readJson(path);
  if (extra === undefined || !Array.isArray(extra.runtimes)) {
    failed++;
    continue;
  }
  for (const run of extra.runtimes) {
    passed += run.passed ?? 0;
    failed += run.failed ?? 0;
    skipped += run.skipped ?? 0;
  }
}

for (const step of failedSteps) console.error(`test-summary: the ${step} step failed`);
failed += failedSteps.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
