#!/usr/bin/env bash
# The packed packages installed outside the workspace (scripts/check-pack.mjs). Needs `pnpm build`
# first; installs the runtimes it runs the portable suite in (scripts/runtimes/install.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/runtimes/install.sh)"
node scripts/check-pack.mjs "$@"
