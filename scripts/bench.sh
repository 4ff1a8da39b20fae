#!/usr/bin/env bash
# make bench: run every benchmark binary and print its figures, with the machine they ran on.
# Benchmarks report; they never fail the build on a time.
set -uo pipefail
BUILD="${1:-build}"
echo "# Sentinel Pipeline benchmarks"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)"
status=0
for b in "$BUILD"/bench/*_bench; do
  [ -x "$b" ] || continue
  echo
  echo "## $(basename "$b")"
  "$b" || { echo "(benchmark $(basename "$b") exited with $?)"; status=1; }
done
exit $status
