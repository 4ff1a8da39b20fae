#!/usr/bin/env bash
# shellcheck disable=SC2034  # COMPOSE is read by the scripts that source this file
# Sourced by up.sh, down.sh, reset.sh and test-docker.sh: finds a Docker engine and a Compose.
#   sentinel_compose_detect   sets the array COMPOSE to `docker compose` (v2, the CLI plugin) when
#                             present, else `docker-compose` (v1.29, what Debian 12 ships); returns
#                             1 when neither is installed or no Docker engine answers.
# COMPOSE_PROJECT_NAME defaults to `sentinel`, so the volumes are sentinel_pgdata, ... whatever
# the checkout's folder is called. SENTINEL_COMPOSE=v1|v2 forces a generation (the tests use it).
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-sentinel}"
COMPOSE=()

sentinel_compose_detect() {
  COMPOSE=()
  command -v docker >/dev/null 2>&1 || return 1
  docker info >/dev/null 2>&1 || return 1
  local want="${SENTINEL_COMPOSE:-auto}"
  if [ "$want" != v1 ] && docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif [ "$want" != v2 ] && command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  else
    return 1
  fi
}
