"""Checks the project's dependencies.

Everything is vendored, so on a normal run this only reports that. The dns and
disk scenarios make it do real I/O that really fails: a lookup of a host under
.invalid (a reserved name that never resolves, so no traffic leaves the
machine) and a write to /dev/full (every write fails with ENOSPC).
"""
import os
import socket
import sys

REGISTRY = "registry.sentinel.invalid"


def main() -> int:
    scenario = os.environ.get("SENTINEL_SCENARIO", "success")
    print(f"deps: scenario={scenario} run={os.environ.get('SENTINEL_RUN_ID', '-')} "
          f"attempt={os.environ.get('SENTINEL_RUN_ATTEMPT', '-')}", flush=True)
    if scenario == "dns":
        url = f"https://{REGISTRY}/simple/tinyjson/"
        print(f"deps: fetching index {url}", flush=True)
        try:
            socket.getaddrinfo(REGISTRY, 443)
        except socket.gaierror as e:
            print(f"ERROR: Could not fetch URL {url}: Failed to resolve '{REGISTRY}' "
                  f"([Errno {e.errno}] {e.strerror})", file=sys.stderr)
            return 1
        print(f"ERROR: {REGISTRY} resolved, which a .invalid name never should", file=sys.stderr)
        return 2
    if scenario == "disk":
        print("deps: unpacking tinyjson-1.2.0.tar.gz into the package cache", flush=True)
        try:
            with open("/dev/full", "wb") as cache:
                cache.write(b"\0" * 65536)
        except OSError as e:
            print(f"ERROR: Could not install packages due to an OSError: {e}", file=sys.stderr)
            return 1
        print("ERROR: writing to /dev/full succeeded, which it never should", file=sys.stderr)
        return 2
    print("deps: all dependencies satisfied (vendored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
