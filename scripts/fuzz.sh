#!/usr/bin/env bash
# The dedicated fuzz run (pnpm fuzz): every fast-check property of packages/core/test/fuzz with
# FUZZ_RUNS inputs each (default 75,000: 14 properties, over a million inputs), a random seed
# and a per-input time-out that reports a hang. CI runs the same tests with a few hundred inputs.
# A failure prints the seed and the shrunk input: add the input to
# packages/core/test/fuzz/corpus/regressions.json under its target, and fix the cause.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${FUZZ_RUNS:-75000}"
report=$(mktemp)
trap 'rm -f "$report"' EXIT
start=$(date +%s)
status=0
FUZZ_RUNS="$runs" FUZZ_REPORT="$report" pnpm exec vitest run --project node packages/core/test/fuzz \
  --testTimeout=0 --hookTimeout=60000 "$@" || status=$?
properties=$(wc -l <"$report")
inputs=$(awk '{ total += $1 } END { print total + 0 }' "$report")
echo "[fuzz] ${properties} properties, ${inputs} generated inputs, $(($(date +%s) - start)) s, exit ${status}" >&2
exit "$status"
