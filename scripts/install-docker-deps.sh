#!/usr/bin/env bash
# What `make test-docker` needs besides scripts/install-deps.sh:
#   - from Debian 12: a Docker engine (docker.io, dockerd 20.10), Compose v1 (docker-compose
#     1.29) and debootstrap for the base image;
#   - the Docker CLI plugins Debian 12 does not package, Compose v2 (`docker compose`) and buildx
#     (BuildKit for a Docker CLI >= 23), taken from Debian 13's packages docker-compose (2.26) and
#     docker-buildx (0.13) (each needs only libc6 >= 2.34; Debian 12 has 2.36). They are not
#     installed system-wide: `apt-get download` with a private package list (nothing in
#     /etc/apt changes) and the two binaries extracted into ~/.cache/sentinel-docker/cli-plugins,
#     which test-docker hands to the Docker CLI through DOCKER_CONFIG. A Docker CLI that already
#     has both plugins (Docker's own packages) needs none of this. SENTINEL_DOCKER_PLUGINS=0 skips it.
# Not part of install-deps.sh: CI does not run test-docker (see README, "Docker").
# (Where systemd runs, docker.io also starts the system dockerd; test-docker does not use it: it
# runs a private one and stops it at its end.)
set -euo pipefail
PKGS=(docker.io docker-compose debootstrap curl python3)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-docker-deps: needs root (apt-get install ${missing[*]})" >&2; exit 1; }
  SUDO="sudo"
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-docker-deps: installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

[ "${SENTINEL_DOCKER_PLUGINS:-1}" = 0 ] && exit 0
PLUGINS="${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-docker/cli-plugins"
if [ -x "$PLUGINS/docker-compose" ] && [ -x "$PLUGINS/docker-buildx" ]; then
  echo "install-docker-deps: all present (plugins in $PLUGINS)"
  exit 0
fi
if docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
  echo "install-docker-deps: all present (the Docker CLI has compose and buildx)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
echo "deb ${SENTINEL_DEBIAN_MIRROR:-http://deb.debian.org/debian} trixie main" >"$work/sources.list"
apt_private=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/lists"
             -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
echo "install-docker-deps: fetching Debian 13's docker-compose (v2) and docker-buildx into $PLUGINS"
apt-get "${apt_private[@]}" update >"$work/update.log" 2>&1 || { tail -5 "$work/update.log" >&2; exit 1; }
(cd "$work/deb" && apt-get "${apt_private[@]}" download docker-compose docker-buildx >"$work/download.log" 2>&1) \
  || { tail -5 "$work/download.log" >&2; exit 1; }
for deb in "$work"/deb/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
mkdir -p "$PLUGINS"
for p in docker-compose docker-buildx; do
  install -m 0755 "$work/x/usr/libexec/docker/cli-plugins/$p" "$PLUGINS/$p.part" && mv "$PLUGINS/$p.part" "$PLUGINS/$p"
done
DOCKER_CONFIG="$work/cfg" && mkdir -p "$DOCKER_CONFIG/cli-plugins" && ln -s "$PLUGINS"/docker-* "$DOCKER_CONFIG/cli-plugins/"
export DOCKER_CONFIG
echo "install-docker-deps: $(docker compose version), buildx $(docker buildx version | awk '{print $2}')"
