#!/usr/bin/env bash
# The runtime matrix (pnpm test:runtimes): installs Node 22 and 24, Bun and Deno into a cache
# outside the repository, then runs the portable suite on Node 20, 22, 24, Bun, Deno, workerd and
# headless Chromium, and the Node-only packages' suites on Node 22 and 24. Needs `pnpm build`
# first (it tests the dist builds). Prints `runtime <name>: N passed, N failed, N skipped` per run
# and writes .reports/runtimes.json. Extra arguments go to matrix.mjs (--only node22,bun; --no-packages).
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f packages/core/dist/index.js ] || [ ! -f packages/fetch/dist/index.js ]; then
  echo "[runtimes] no dist build: run pnpm build first" >&2
  exit 1
fi

eval "$(bash scripts/runtimes/install.sh)"

# The Redis package's suite needs a server; one already given through REDIS_URL is used as is.
if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
  if redis_env=$(bash scripts/redis-start.sh); then
    eval "$redis_env"
    trap 'bash scripts/redis-stop.sh' EXIT
  fi
fi

node scripts/runtimes/matrix.mjs "$@"
