#!/usr/bin/env bash
# The whole test suite from a fresh clone: set up, build, lint, typecheck, then every test in
# Node and in headless Chromium. The last line is "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

pnpm build >/dev/null
pnpm lint
pnpm typecheck

mkdir -p .reports
projects=(--project node)
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  projects+=(--project browser)
elif [ "${CI:-}" = true ]; then
  # In CI a missing browser is a failure, never a silent skip: let the browser project fail.
  projects+=(--project browser)
else
  echo "[test] Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: skipping the browser project" >&2
fi

status=0
pnpm exec vitest run "${projects[@]}" --reporter=default --reporter=json --outputFile.json=.reports/vitest.json || status=$?
node scripts/test-summary.mjs .reports/vitest.json || status=1
exit "$status"
