#!/usr/bin/env bash
# make up: start Sentinel Pipeline and return once it is ready.
# With a Docker engine that answers: docker compose (PostgreSQL, Redis, api, workers).
# Without one: one native `sentinel up` process on the embedded default (SQLite + in-process queue).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="${SENTINEL_DATA_DIR:-data}"
API_PORT="${SENTINEL_API_PORT:-8000}"
UI_PORT="${SENTINEL_UI_PORT:-3000}"
BIND="${SENTINEL_BIND:-127.0.0.1}"
PIDFILE="$DATA_DIR/sentinel.pid"
LOG="$DATA_DIR/sentinel.log"

wait_healthy() {
  local url="$1"
  for _ in $(seq 1 120); do
    if curl -fsS "$url/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}

# shellcheck source=scripts/compose.sh
. scripts/compose.sh
if [ "${SENTINEL_NATIVE:-}" != "1" ] && sentinel_compose_detect; then
  echo "make up: Docker engine found: starting the compose stack with \`${COMPOSE[*]}\` (PostgreSQL, Redis, api, workers)"
  build_flag=(--build)  # SENTINEL_UP_BUILD=0: use the images as they are (make test-docker built them)
  if [ "${SENTINEL_UP_BUILD:-1}" = 0 ]; then build_flag=(--no-build)
  elif ! sentinel_buildkit; then
    echo "make up: the images build with BuildKit, which this Docker CLI ($(docker version -f '{{.Client.Version}}' 2>/dev/null)) lacks:" >&2
    echo "  install its buildx plugin (Docker's docker-buildx-plugin, or Debian 13's docker-buildx; see scripts/install-docker-deps.sh)" >&2
    exit 1
  fi
  # The api image serves the dashboard built here (ui/dist), as `make build` builds it.
  if [ "${build_flag[0]}" = --build ] && [ -f ui/package.json ]; then
    if command -v npm >/dev/null 2>&1; then make --no-print-directory ui
    else echo "make up: npm is missing: the dashboard is not built into the image (bash scripts/install-deps.sh)" >&2; fi
  fi
  "${COMPOSE[@]}" up -d "${build_flag[@]}"
  if ! wait_healthy "http://127.0.0.1:$API_PORT"; then
    echo "make up: the API did not become healthy; see: ${COMPOSE[*]} logs api" >&2
    exit 1
  fi
  # Seeding makes git repositories: a one-off container of the worker image (git, the sample
  # repositories), removed when done.
  history_flag=(--history)  # SENTINEL_SEED_HISTORY=0: register the sample repositories only
  if [ "${SENTINEL_SEED_HISTORY:-1}" = 0 ]; then history_flag=(); fi
  if [ "${SENTINEL_SEED:-1}" != 0 ]; then  # SENTINEL_SEED=0: no seeding at all
    "${COMPOSE[@]}" run --rm --no-deps -T worker seed "${history_flag[@]}" || true
  fi
  echo "Sentinel Pipeline is up (${COMPOSE[*]}, project $COMPOSE_PROJECT_NAME)"
  echo "  API: http://127.0.0.1:$API_PORT"
  echo "  UI:  http://127.0.0.1:$UI_PORT"
  echo "  logs: ${COMPOSE[*]} logs -f api worker"
  exit 0
fi

echo "make up: no Docker engine: running natively (SQLite + in-process queue)"
bash scripts/install-deps.sh
make --no-print-directory build

mkdir -p "$DATA_DIR"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "make up: already running (pid $(cat "$PIDFILE"))"
else
  nohup build/sentinel up --data-dir "$DATA_DIR" --api-port "$API_PORT" --ui-port "$UI_PORT" --bind "$BIND" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
fi
if ! wait_healthy "http://127.0.0.1:$API_PORT"; then
  echo "make up: sentinel did not become healthy within 60 s; last lines of $LOG:" >&2
  tail -n 30 "$LOG" >&2 || true
  exit 1
fi
echo "Sentinel Pipeline is up (pid $(cat "$PIDFILE"), log $LOG)"
echo "  API: http://127.0.0.1:$API_PORT   (try: curl http://127.0.0.1:$API_PORT/health)"
if [ -f ui/package.json ]; then echo "  UI:  http://127.0.0.1:$UI_PORT"; fi
