#!/usr/bin/env bash
# The main job, from a fresh clone: install, build, then a round trip with the httpsig CLI —
# generate a key, sign a request, verify it, show its signature base, and watch a tampered
# copy be refused.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm build >/dev/null

httpsig() { node packages/cli/dist/bin.js "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m$ httpsig %s\033[0m\n' "$*"; }

step keygen --alg ed25519 --out "$work/demo"
httpsig keygen --alg ed25519 --out "$work/demo"

printf 'POST /orders?currency=EUR HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{"hello": "world"}' >"$work/request.http"
printf '\nThe request:\n'
cat "$work/request.http"
printf '\n'

step sign --key demo.key --alg ed25519 --keyid demo-key --components '@method,@authority,@path,@query,content-type,content-length' request.http
httpsig sign --key "$work/demo.key" --alg ed25519 --keyid demo-key \
  --components '@method,@authority,@path,@query,content-type,content-length' "$work/request.http" >"$work/signed.http"
cat "$work/signed.http"
printf '\n'

step verify --key demo.pub --alg ed25519 --require '@method,@authority,@path' signed.http
httpsig verify --key "$work/demo.pub" --alg ed25519 --require '@method,@authority,@path' "$work/signed.http"

step base --label sig1 signed.http
httpsig base --label sig1 "$work/signed.http"

sed 's/currency=EUR/currency=USD/' "$work/signed.http" >"$work/tampered.http"
step verify --key demo.pub --alg ed25519 tampered.http '  # the query was changed after signing'
if httpsig verify --key "$work/demo.pub" --alg ed25519 "$work/tampered.http"; then
  echo 'demo failed: the tampered request verified' >&2
  exit 1
fi
printf '\nThe signed request verified and the tampered one was refused.\n'
