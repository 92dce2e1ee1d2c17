#!/usr/bin/env bash
# The published shape of every package: publint (package.json, exports, files) and
# Are-The-Types-Wrong (ESM, CommonJS and types resolve under node10, node16 and bundlers),
# each on the tarball `pnpm pack` would publish. Needs `pnpm build` first.
set -uo pipefail
cd "$(dirname "$0")/.."

tarballs=$(mktemp -d)
trap 'rm -rf "$tarballs"' EXIT
failed=0
for dir in packages/*/; do
  name=$(node -p "require('./${dir}package.json').name")
  # Pack once; both tools read the same tarball that would be published.
  tarball=$(cd "$dir" && pnpm pack --pack-destination "$tarballs" 2>/dev/null | tail -1)
  if ! out=$(pnpm exec publint --strict "$tarball" 2>&1); then
    echo "$out" >&2
    echo "[packages] publint: $name has problems" >&2
    failed=1
  fi
  if ! out=$(pnpm exec attw "$tarball" --format ascii 2>&1); then
    echo "$out" >&2
    echo "[packages] attw: $name has type resolution problems" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "[packages] publint and attw: every package is clean" >&2
exit "$failed"
