#!/usr/bin/env bash
# The main job, from a fresh clone: install, build, then run examples/demo — every client stack
# (fetch, axios, undici, node:http) against every server integration (Express, Fastify, Koa,
# Web-standard) with a valid signed request and seven attacks, on keys generated for the run.
# Exits non-zero unless every valid request is accepted and every attack refused as expected.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm build >/dev/null
node examples/demo/index.js
