#!/usr/bin/env bash
# make down: stop what `make up` started; keep the data.
set -uo pipefail
cd "$(dirname "$0")/.."
DATA_DIR="${SENTINEL_DATA_DIR:-data}"
PIDFILE="$DATA_DIR/sentinel.pid"
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  docker compose down || true
fi
if [ -f "$PIDFILE" ]; then
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "make down: stopped sentinel (pid $pid)"
  fi
  rm -f "$PIDFILE"
else
  echo "make down: nothing running natively"
fi
