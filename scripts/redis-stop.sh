#!/usr/bin/env bash
# Stops the redis-server that scripts/redis-start.sh started, from the pid file in $REDIS_DIR,
# and removes that directory. Does nothing when REDIS_DIR is unset or the server already stopped.
set -uo pipefail

dir=${REDIS_DIR:-}
[ -n "$dir" ] && [ -d "$dir" ] || exit 0
if [ -f "$dir/redis.pid" ]; then
  pid=$(cat "$dir/redis.pid")
  if kill "$pid" 2>/dev/null; then
    # SIGTERM makes Redis shut down cleanly (nothing to save); wait for it, then insist.
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
fi
# Only a directory redis-start.sh made (its name) is removed.
case $(basename "$dir") in httpsig-redis.*) rm -rf "$dir" ;; esac
