#!/usr/bin/env bash
# Installs what the project needs on a machine with only Node >= 20: pnpm (the version pinned in
# package.json), Chromium for the browser tests and redis-server for the Redis tests (through
# apt, when root or sudo is available), and the dependencies from the lockfile. Each step is
# skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")

log() { printf '[setup] %s\n' "$*" >&2; }

if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  log "installing pnpm $want_pnpm"
  if ! npm i -g "pnpm@$want_pnpm" >/dev/null 2>&1; then
    # A corepack shim can block the global install (EEXIST).
    corepack disable pnpm >/dev/null 2>&1 || true
    npm i -g "pnpm@$want_pnpm" >/dev/null
  fi
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi
}

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ] && [ "${HTTPSIG_SKIP_APT:-}" != 1 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} through apt"
    as_root apt-get update -qq >/dev/null 2>&1 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || log "could not install ${missing[*]}; the browser tests need Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}, the Redis tests redis-server"
  else
    log "no apt-get: install ${missing[*]} yourself for the browser and Redis tests"
  fi
fi

log "installing dependencies"
pnpm install --frozen-lockfile --prefer-offline >/dev/null
