#!/usr/bin/env bash
# Installs what Sentinel Pipeline needs to build, test and run on Debian/Ubuntu.
# Idempotent: packages already present are left alone. Run as root or with sudo.
set -euo pipefail

# SENTINEL_DEPS (or the first argument) picks a package set; the Dockerfile uses the lean ones.
#   all (default)   everything to build, test and run here: what CI and `make up` need
#   build           only what compiling the `sentinel` binary needs (no servers, no browser)
#   runtime-api     the shared libraries `sentinel` links against, curl for health checks
#   runtime-worker  runtime-api + git and the toolchains CI jobs of the sample repositories use
MODE="${1:-${SENTINEL_DEPS:-all}}"

# The libraries `sentinel` links at run time (`ldd build/sentinel`); libstdc++/libpq come with them.
RUNTIME_LIBS=(
  libpqxx-6.4 libsqlite3-0 libhiredis0.14 libre2-9 libyaml-cpp0.7 libpugixml1v5
  libspdlog1.10 libfmt9 libxxhash0
)
BUILD_PKGS=(
  g++ make cmake ninja-build ccache pkg-config
  libboost-dev libboost-system-dev libpqxx-dev libpq-dev libsqlite3-dev libhiredis-dev
  nlohmann-json3-dev libre2-dev libyaml-cpp-dev libpugixml-dev libspdlog-dev libfmt-dev
  libcli11-dev libexpected-dev libxxhash-dev
)
NEED_NODE=0
case "$MODE" in
  all)
    PKGS=(
      build-essential g++ cmake ninja-build ccache pkg-config git
      libboost-dev libboost-system-dev libpqxx-dev libpq-dev libsqlite3-dev libhiredis-dev
      nlohmann-json3-dev libre2-dev libyaml-cpp-dev libpugixml-dev libspdlog-dev libfmt-dev
      libcli11-dev libexpected-dev libxxhash-dev libgtest-dev libgmock-dev libbenchmark-dev
      postgresql redis-server sqlite3 curl ca-certificates procps python3 python3-pytest
      chromium
    )
    NEED_NODE=1 ;;
  build) PKGS=("${BUILD_PKGS[@]}") ;;
  runtime-api) PKGS=("${RUNTIME_LIBS[@]}" curl ca-certificates) ;;
  runtime-worker)
    # git for checkouts; demo-python: python3 + pytest; demo-cpp: cmake, g++, make, GoogleTest;
    # demo-node: node. procps: `ps`/`kill` that job scripts may use.
    PKGS=("${RUNTIME_LIBS[@]}" curl ca-certificates procps git python3 python3-pytest
          cmake make g++ libgtest-dev nodejs) ;;
  *)
    echo "install-deps: unknown package set '$MODE' (use all, build, runtime-api or runtime-worker)" >&2
    exit 2 ;;
esac

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js: any installed node >= 18 with npm will do (the machine may carry a vendor build).
if [ "$NEED_NODE" = 1 ] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
  missing+=(nodejs npm)
elif [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 18 ]; then
  echo "install-deps: the dashboard needs Node.js 18 or newer; found $(node --version) (install a newer nodejs)" >&2
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all dependencies present ($MODE)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: not root and no sudo; install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: not a Debian/Ubuntu system; install these yourself: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ($MODE): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
