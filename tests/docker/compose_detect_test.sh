#!/usr/bin/env bash
# The Compose detection of scripts/compose.sh, against fake `docker` and `docker-compose`
# commands (no engine needed): v2 (`docker compose`) where present, else v1 (`docker-compose`),
# SENTINEL_COMPOSE forcing either, and no Compose or no engine reported as such.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
failures=0

# make_fakes ENGINE(up|down) PLUGIN(yes|no) V1(yes|no)
make_fakes() {
  rm -f "$fake/docker" "$fake/docker-compose"
  cat >"$fake/docker" <<FAKE
#!/bin/sh
case "\$1" in
  info) [ "$1" = up ] ;;
  compose) [ "$2" = yes ] && [ "\$2" = version ] ;;
  *) exit 1 ;;
esac
FAKE
  chmod +x "$fake/docker"
  if [ "$3" = yes ]; then printf '#!/bin/sh\nexit 0\n' >"$fake/docker-compose"; chmod +x "$fake/docker-compose"; fi
}

# expect WANT(docker compose|docker-compose|none) [SENTINEL_COMPOSE]
expect() {
  local got
  got=$(PATH="$fake" SENTINEL_COMPOSE="${2:-}" /bin/bash -c '. scripts/compose.sh; if sentinel_compose_detect; then echo "${COMPOSE[*]}"; else echo none; fi')
  if [ "$got" = "$1" ]; then echo "ok   ${3:-}: $got"; else echo "FAIL ${3:-}: got '$got', want '$1'"; failures=$((failures + 1)); fi
}

make_fakes up yes yes; expect "docker compose" "" "v2 plugin and v1 installed: v2"
make_fakes up yes yes; expect "docker-compose" v1 "SENTINEL_COMPOSE=v1: v1"
make_fakes up no yes;  expect "docker-compose" "" "no v2 plugin: v1"
make_fakes up yes no;  expect "docker compose" "" "v2 only: v2"
make_fakes up no yes;  expect "none" v2 "SENTINEL_COMPOSE=v2 without the plugin: none"
make_fakes up no no;   expect "none" "" "no Compose at all: none"
make_fakes down yes yes; expect "none" "" "no engine answering: none"
[ "$failures" = 0 ] || { echo "compose detection: $failures failure(s)"; exit 1; }
echo "compose detection: all cases pass"
