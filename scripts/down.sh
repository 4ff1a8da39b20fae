#!/usr/bin/env bash
# make down: stop what `make up` started; keep the data.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
DATA_DIR="${SENTINEL_DATA_DIR:-data}"
PIDFILE="$DATA_DIR/sentinel.pid"
# shellcheck source=scripts/compose.sh
. scripts/compose.sh
if sentinel_compose_detect; then
  "${COMPOSE[@]}" down --remove-orphans || true  # the named volumes (the data) stay
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
