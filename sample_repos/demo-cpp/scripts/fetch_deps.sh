#!/bin/sh
# Checks the project's dependencies. GoogleTest comes from the system, so a
# normal run only reports that. The dns and disk scenarios do real I/O that
# really fails: a download from a host under .invalid (never resolves; no
# traffic leaves the machine) and a write to /dev/full (ENOSPC on every write).
set -u
scenario="${SENTINEL_SCENARIO:-success}"
echo "deps: scenario=$scenario run=${SENTINEL_RUN_ID:--} attempt=${SENTINEL_RUN_ATTEMPT:--}"
case "$scenario" in
  dns)
    url="https://mirror.sentinel.invalid/googletest-1.12.1.tar.gz"
    echo "deps: downloading $url"
    if command -v curl >/dev/null 2>&1; then
      curl -fsSL --max-time 20 -o /dev/null "$url"
      exit $?
    fi
    getent hosts mirror.sentinel.invalid && exit 2
    echo "deps: Could not resolve host: mirror.sentinel.invalid" >&2
    exit 6
    ;;
  disk)
    echo "deps: unpacking googletest-1.12.1.tar.gz into .deps-cache"
    head -c 1048576 /dev/zero > /dev/full
    exit $?
    ;;
esac
echo "deps: googletest from the system (find_package(GTest))"
