#!/usr/bin/env bash
# The whole test suite from a fresh clone: set up, build, lint, typecheck, package checks, then every test in
# Node and in headless Chromium, the type tests, the exports and packed-install checks, and the
# runtime matrix (scripts/runtimes/run.sh). The last line is always "N passed, N failed, N skipped":
# a failed set-up, build, lint or typecheck step counts as one failure each.
set -uo pipefail
cd "$(dirname "$0")/.."

failed_steps=()
step() {
  local name=$1
  shift
  echo "[test] $name" >&2
  "$@" || failed_steps+=("$name")
}

step setup bash scripts/setup.sh
if [[ " ${failed_steps[*]} " == *" setup "* ]]; then
  echo "[test] set-up failed: nothing can run" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
step build pnpm build
step lint pnpm lint
step typecheck pnpm typecheck
step packages bash scripts/check-packages.sh

mkdir -p .reports
rm -f .reports/vitest.json
projects=(--project node)
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || [ "${CI:-}" = true ]; then
  # In CI a missing browser is a failure, never a silent skip: the browser project then fails.
  projects+=(--project browser)
else
  echo "[test] Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: skipping the browser project" >&2
fi

# The Redis tests share a throwaway redis-server (a REDIS_URL already set is used as is). When it
# cannot start, REDIS_URL stays unset: in CI those tests then fail, never skip.
if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
  if redis_env=$(bash scripts/redis-start.sh); then
    eval "$redis_env"
    trap 'bash scripts/redis-stop.sh' EXIT
  else
    echo "[test] redis-server did not start: the Redis tests cannot run" >&2
  fi
elif [ -z "${REDIS_URL:-}" ]; then
  echo "[test] redis-server not found: the Redis tests cannot run" >&2
fi

pnpm exec vitest run "${projects[@]}" --reporter=default --reporter=json --outputFile.json=.reports/vitest.json

# Steps after the unit tests. Each counts as one failure when it fails; a step that reports its
# own test counts adds a --report file below instead.
step types pnpm test:types
step exports node scripts/check-exports.mjs
# The browser bundle budget (size-limit over the built packages; see docs/performance.md).
step size pnpm size
# The benchmarks are not timed in CI (too noisy), but their code runs: every contender's
# signatures are checked before timing, and each server accepts a valid and refuses a bad request.
step bench env BENCH_SMOKE=1 pnpm bench
step bench-server env BENCH_SMOKE=1 pnpm bench:server
# The packed tarballs installed outside the workspace; its portable-suite runs report their counts.
rm -f .reports/runtimes-packed.json
step pack bash scripts/check-pack.sh

# The portable suite on every runtime and the Node-only packages on Node 22 and 24; its counts
# come from .reports/runtimes.json (a run that writes no report counts as one failure).
rm -f .reports/runtimes.json
reports=(--report=.reports/runtimes.json)
# A pack step that stopped before its suite runs has already counted as one failure.
[ -f .reports/runtimes-packed.json ] && reports+=(--report=.reports/runtimes-packed.json)
echo "[test] runtimes" >&2
bash scripts/runtimes/run.sh

node scripts/test-summary.mjs .reports/vitest.json "${reports[@]}" "${failed_steps[@]}"
