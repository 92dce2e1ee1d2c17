#!/usr/bin/env bash
# Load under attack, outside CI: build the packages, then run scripts/load.mjs
# (LOAD_SECONDS=60 by default; LOAD_SECONDS=5 for a quick check).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${LOAD_SKIP_BUILD:-}" != 1 ]; then pnpm --filter @httpsig/core --filter @httpsig/server run build; fi
node scripts/load.mjs
