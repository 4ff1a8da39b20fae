#!/usr/bin/env bash
# make bench: every figure of issue 10 beside the peer measured in the same run, as one table
# (bench/run_bench.py), also written to bench/RESULTS.md. SENTINEL_BENCH_QUICK=1 runs short
# loads (a couple of minutes). Benchmarks report; they never fail the build on a time.
set -uo pipefail
BUILD="${1:-build}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
# Debian's python3 (the one with the peers' packages and sqlite3), else whatever is on PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY="$(command -v python3 || true)"
[ -n "$PY" ] || { echo "bench: python3 is required (scripts/install-deps.sh)"; exit 1; }
command -v wrk >/dev/null || echo "bench: wrk is not installed (apt-get install -y wrk): HTTP figures are skipped"
"$PY" "$HERE/bench/run_bench.py" "$BUILD" --out "$HERE/bench/RESULTS.md"
