# Sentinel Pipeline images, multi-stage. Needs BuildKit (the default builder of Docker 23+ and
# of `docker compose`; with Debian 12's docker.io 20.10 set DOCKER_BUILDKIT=1, as scripts/up.sh
# does) for the compiler cache mount; no registry other than the base image's:
#   runtime      the shared libraries `sentinel` links + curl (the api's health check) + user `sentinel`
#   worker-deps  runtime + git and the toolchains the sample repositories' CI jobs use
#                (python3/pytest, cmake/g++/GoogleTest, node)
#   build        compiles the `sentinel` binary only (Release, no tests, no benchmarks) from the
#                lean `build` package set of scripts/install-deps.sh, through ccache in a cache
#                mount (a rebuild after a code change recompiles only what changed)
#   api          runtime + the stripped binary + the dashboard built on the host (ui/dist)
#                                                             (docker-compose.yml: api)
#   worker       worker-deps + the binary + sample repos      (docker-compose.yml: worker)
# The package layers come before the sources, so a code change rebuilds only the compile and the
# final copies. BASE_IMAGE: any Debian 12 image. JOBS: parallel compile jobs (default: all CPUs).
ARG BASE_IMAGE=debian:12

FROM ${BASE_IMAGE} AS runtime
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh runtime-api \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log /tmp/install-deps.sh \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/sentinel --shell /usr/sbin/nologin sentinel \
 && mkdir -p /var/lib/sentinel/data && chown -R sentinel:sentinel /var/lib/sentinel

FROM runtime AS worker-deps
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh runtime-worker \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log /tmp/install-deps.sh

FROM ${BASE_IMAGE} AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh build && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the compile reads (.dockerignore also drops the unit tests beside the code), so edits
# to docs, scripts, tests or the UI keep this layer cached.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY migrations migrations
COPY src src
ARG JOBS=
# Release at -O2 (faster to compile than -O3, same code paths); ccache's files persist in the
# builder's cache mount across builds; CCACHE_BASEDIR/NOHASHDIR keep its hashes path-free.
ENV CCACHE_DIR=/ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=2G
RUN --mount=type=cache,id=sentinel-ccache,target=/ccache \
    cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DSENTINEL_TESTS=OFF -DSENTINEL_BENCH=OFF >/dev/null \
 && cmake --build /build --target sentinel -j "${JOBS:-$(nproc)}" \
 && { ccache --show-stats | grep -iE '^ *(hits|misses):' || true; }
RUN strip -o /sentinel /build/sentinel

FROM runtime AS api
COPY --from=build /sentinel /usr/local/bin/sentinel
# The dashboard as built on the host into ui/dist (`make ui`; `make up` builds it first), copied
# when present: without it the UI port answers how to build it. (Not built here: npm inside a
# build needs the npm registry's TLS chain, which a machine behind a TLS-inspecting proxy does
# not hand to containers; and Debian's npm adds ~400 packages to the build.)
COPY ui/package.json ui/dis[t] /usr/share/sentinel/ui/
# Fails the build when a shared library the binary needs is missing from the runtime package set.
RUN rm /usr/share/sentinel/ui/package.json \
 && if ldd /usr/local/bin/sentinel | grep 'not found'; then exit 1; fi && sentinel --version
WORKDIR /var/lib/sentinel
USER sentinel
# SENTINEL_UI_DIR: `sentinel api` also serves the dashboard on SENTINEL_UI_PORT (3000).
ENV SENTINEL_DATA_DIR=/var/lib/sentinel/data SENTINEL_BIND=0.0.0.0 SENTINEL_LOG_FORMAT=json \
    SENTINEL_UI_DIR=/usr/share/sentinel/ui
EXPOSE 8000 3000
HEALTHCHECK --interval=5s --timeout=3s --retries=20 CMD curl -fsS http://127.0.0.1:8000/health >/dev/null || exit 1
ENTRYPOINT ["sentinel"]
CMD ["api"]

FROM worker-deps AS worker
COPY --from=build /sentinel /usr/local/bin/sentinel
RUN if ldd /usr/local/bin/sentinel | grep 'not found'; then exit 1; fi && sentinel --version
COPY sample_repos /opt/sentinel/sample_repos
WORKDIR /var/lib/sentinel
USER sentinel
ENV SENTINEL_DATA_DIR=/var/lib/sentinel/data SENTINEL_BIND=0.0.0.0 SENTINEL_LOG_FORMAT=json \
    SENTINEL_SAMPLE_REPOS=/opt/sentinel/sample_repos
# No port to probe: healthy while a worker loop of this container heartbeats in the workers table.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["sentinel", "worker", "--healthcheck"]
ENTRYPOINT ["sentinel"]
CMD ["worker"]
