// Prints "N passed, N failed, N skipped" from vitest's JSON report; exits 1 on any failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.reports/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`test-summary: cannot read ${file}: ${error.message}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A file that fails to load has no tests but still failed.
const failedSuites = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && r.assertionResults?.length === 0,
);
const failed = (report.numFailedTests ?? 0) + failedSuites.length;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
for (const suite of failedSuites)
  console.error(`test-summary: ${suite.name} failed to run: ${suite.message ?? ''}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
