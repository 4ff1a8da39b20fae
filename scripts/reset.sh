#!/usr/bin/env bash
# make reset: stop everything and delete all data (database, logs, workspaces, seeded repos).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
bash scripts/down.sh
# shellcheck source=scripts/compose.sh
. scripts/compose.sh
if sentinel_compose_detect; then
  "${COMPOSE[@]}" down -v --remove-orphans || true  # -v: also the named volumes
fi
if [ -n "${SENTINEL_DATA_DIR:-}" ]; then rm -rf "$SENTINEL_DATA_DIR"; else rm -rf data logs; fi
echo "make reset: data deleted"
