#!/usr/bin/env bash
# Starts a throwaway redis-server in the background on a free loopback port, with no persistence,
# and prints the lines that point the tests at it, to be eval'd:
#   eval "$(bash scripts/redis-start.sh)"   # sets REDIS_URL and REDIS_DIR
#   bash scripts/redis-stop.sh              # stops it
# REDIS_PORT chooses the port (e.g. to restart on the same one). Everything else goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[redis] %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  log "redis-server not found (bash scripts/setup.sh installs it through apt)"
  exit 1
fi

# The kernel picks a free port for node, which releases it for redis-server.
port=${REDIS_PORT:-$(node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")}
dir=$(mktemp -d "${TMPDIR:-/tmp}/httpsig-redis.XXXXXX")

redis-server --daemonize yes --save '' --appendonly no --port "$port" --bind 127.0.0.1 \
  --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" >&2

# Up when it answers PING; redis-cli may be absent, so bash's /dev/tcp speaks the protocol.
ping() {
  local reply=''
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'PING\r\n' >&3
  read -r -t 0.5 reply <&3 || true
  exec 3>&-
  [[ $reply == +PONG* ]]
}
SECONDS=0
while [ "$SECONDS" -lt 10 ]; do
  if ping 2>/dev/null; then
    log "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$port ($dir)"
    printf 'export REDIS_URL=redis://127.0.0.1:%s\n' "$port"
    printf 'export REDIS_DIR=%s\n' "$dir"
    exit 0
  fi
  # It aborted (e.g. the port is taken): no point waiting.
  grep -q 'aborting' "$dir/redis.log" 2>/dev/null && break
  sleep 0.1
done

log "redis-server did not answer PING on 127.0.0.1:$port; its log:"
tail -n 5 "$dir/redis.log" >&2 || true
[ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null
rm -rf "$dir"
exit 1
