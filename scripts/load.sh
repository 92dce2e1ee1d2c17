#!/usr/bin/env bash
# Load under attack, outside CI: build the packages, then run scripts/load.mjs (a plain node:http
# verifier with hostile side clients) and scripts/load-frameworks.mjs (Express and Fastify under
# a 70% valid / 30% invalid mix, with RSS measured). LOAD_SECONDS=60 by default per run;
# LOAD_SECONDS=5 for a quick check. Both scripts run even if the first fails; the exit status
# says whether either did.
set -uo pipefail
cd "$(dirname "$0")/.."
export LOAD_SECONDS="${LOAD_SECONDS:-60}"
if [ "${LOAD_SKIP_BUILD:-}" != 1 ]; then
  pnpm --filter @httpsig/core --filter @httpsig/server --filter @httpsig/express --filter @httpsig/fastify run build || exit 1
fi
status=0
node scripts/load.mjs || status=1
node scripts/load-frameworks.mjs || status=1
exit "$status"
