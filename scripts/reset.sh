#!/usr/bin/env bash
# make reset: stop everything and delete all data (database, logs, workspaces, seeded repos).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/down.sh
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  docker compose down -v || true
fi
rm -rf "${SENTINEL_DATA_DIR:-data}" logs
echo "make reset: data deleted"
