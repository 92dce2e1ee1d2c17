#!/usr/bin/env bash
# Installs the matrix's runtimes from the npm registry into a cache folder outside the repository
# (HTTPSIG_RUNTIME_CACHE, default ~/.cache/httpsig-runtimes), once, and prints the lines that point
# the matrix at them, to be eval'd:
#   eval "$(bash scripts/runtimes/install.sh)"   # sets HTTPSIG_NODE22, HTTPSIG_NODE24, HTTPSIG_BUN, HTTPSIG_DENO
# A runtime that cannot be installed is reported on stderr and left unset: the matrix then counts
# it as a failure. Everything else goes to stderr.
set -uo pipefail

cache=${HTTPSIG_RUNTIME_CACHE:-$HOME/.cache/httpsig-runtimes}
mkdir -p "$cache"

# name  package   binary (under node_modules/.bin)  variable
runtimes=(
  "node22 node@22      node HTTPSIG_NODE22"
  "node24 node@24      node HTTPSIG_NODE24"
  "bun    bun@1.4.4    bun  HTTPSIG_BUN"
  "deno   deno@2.9.6   deno HTTPSIG_DENO"
)

install_one() {
  local name=$1 package=$2 bin=$3
  local dir="$cache/$name"
  local path="$dir/node_modules/.bin/$bin"
  # The package spec is recorded so that changing a pinned version reinstalls.
  if [ -x "$path" ] && [ "$(cat "$dir/.spec" 2>/dev/null)" = "$package" ] && "$path" --version >/dev/null 2>&1; then
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "[runtimes] installing $package into $dir" >&2
  if npm install --prefix "$dir" --no-audit --no-fund --no-save "$package" >"$dir.log" 2>&1 &&
    "$path" --version >/dev/null 2>&1; then
    echo "$package" >"$dir/.spec"
  else
    echo "[runtimes] installing $package failed (log: $dir.log):" >&2
    tail -5 "$dir.log" >&2
    return 1
  fi
}

pids=()
for entry in "${runtimes[@]}"; do
  read -r name package bin _ <<<"$entry"
  install_one "$name" "$package" "$bin" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

for entry in "${runtimes[@]}"; do
  read -r name package bin variable <<<"$entry"
  path="$cache/$name/node_modules/.bin/$bin"
  if [ -x "$path" ] && [ -f "$cache/$name/.spec" ]; then
    echo "[runtimes] $name: $("$path" --version 2>&1 | head -1)" >&2
    printf 'export %s=%q\n' "$variable" "$path"
  fi
done
