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

# sentinel_buildkit: the Dockerfile needs BuildKit (its compiler cache mount). Returns 0 and
# exports DOCKER_BUILDKIT=1 (and COMPOSE_DOCKER_CLI_BUILD=1, so Compose v1 builds through the
# CLI) when the Docker CLI can build with it: the buildx plugin is there, or the CLI is older
# than 23 (Debian 12's docker.io 20.10 has BuildKit built in). Returns 1 otherwise.
sentinel_buildkit() {
  local major
  if ! docker buildx version >/dev/null 2>&1; then
    major=$(docker version -f '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
    [ -n "$major" ] && [ "$major" -lt 23 ] 2>/dev/null || return 1
  fi
  export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
}
