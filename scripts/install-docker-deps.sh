#!/usr/bin/env bash
# What `make test-docker` needs besides scripts/install-deps.sh: a Docker engine (dockerd 20.10),
# Compose v1 (docker-compose 1.29; Debian 12 packages no v2 plugin) and debootstrap for the base
# image. Not part of install-deps.sh: CI does not run test-docker (see README, "Docker").
# (Where systemd runs, the package also starts the system dockerd; test-docker does not use it:
# it runs a private one and stops it at its end.)
set -euo pipefail
PKGS=(docker.io docker-compose debootstrap curl python3)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then echo "install-docker-deps: all present"; exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-docker-deps: as root: apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-docker-deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
