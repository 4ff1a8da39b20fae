#!/usr/bin/env bash
# API throughput: starts `sentinel api` on a free loopback port over a fresh
# SQLite database, loads a few repos and runs, and measures GET /health and
# GET /runs with wrk (requests/s and p99 latency). Callable from
# scripts/bench.sh as `bash scripts/bench_http.sh "$BUILD"`. wrk is a
# benchmark tool, not a test dependency: when it is missing this says so and
# exits 0 (install it with `apt-get install -y wrk`). Reports; never fails on a time.
set -uo pipefail
BUILD="${1:-build}"
DURATION="${BENCH_HTTP_DURATION:-10s}"
CONNECTIONS="${BENCH_HTTP_CONNECTIONS:-64}"
BIN="$BUILD/sentinel"
if ! command -v wrk >/dev/null; then
  echo "api: wrk is not installed (apt-get install -y wrk); skipping the HTTP benchmark"
  exit 0
fi
[ -x "$BIN" ] || { echo "api: $BIN not built"; exit 1; }
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
"$BIN" api --api-port "$PORT" --database-url "sqlite://$WORK/bench.db" --data-dir "$WORK/data" >"$WORK/api.log" 2>&1 &
API_PID=$!
cleanup() { kill -TERM "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs -XPOST "http://127.0.0.1:$PORT/repos" -d '{"name":"bench","url":"/tmp/bench"}' >/dev/null
for _ in $(seq 1 100); do
  curl -fs -XPOST "http://127.0.0.1:$PORT/runs" -d '{"repo":"bench"}' >/dev/null
done
echo "| endpoint | requests/s | p50 | p99 | wrk |"
echo "|---|---|---|---|---|"
for path in /health "/runs?limit=50"; do
  out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path" 2>&1)"
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errs="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ')"
  echo "| GET $path | ${rps:-?} req/s | ${p50:-?} | ${p99:-?} | -t2 -c$CONNECTIONS -d$DURATION ${errs} |"
done
