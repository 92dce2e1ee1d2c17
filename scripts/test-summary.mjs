// Prints "N passed, N failed, N skipped" from vitest's JSON report, counting each failed
// pre-test step named on the command line (build, lint, ...) as one failure. Exits 1 on any failure.
import { readFileSync } from 'node:fs';

const [file = '.reports/vitest.json', ...failedSteps] = process.argv.slice(2);
let report = { numPassedTests: 0, numFailedTests: 0, testResults: [] };
let reportMissing = false;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  reportMissing = true;
  console.error(`test-summary: cannot read ${file}: ${error.message}`);
}
// A test file that fails to load has no tests but still failed.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
);
for (const suite of brokenFiles)
  console.error(`test-summary: ${suite.name} failed to run: ${suite.message ?? ''}`);
for (const step of failedSteps) console.error(`test-summary: the ${step} step failed`);

const passed = report.numPassedTests ?? 0;
const failed =
  (report.numFailedTests ?? 0) + brokenFiles.length + failedSteps.length + (reportMissing ? 1 : 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
