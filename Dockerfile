# Sentinel Pipeline images, multi-stage; builds with the classic builder and with BuildKit,
# with no registry other than the base image's:
#   runtime      the shared libraries `sentinel` links + curl (health check) + user `sentinel`
#   worker-deps  runtime + git and the toolchains the sample repositories' CI jobs use
#                (python3/pytest, cmake/g++/GoogleTest, node)
#   build        compiles the `sentinel` binary only (no tests, no benchmarks) from the lean
#                `build` package set of scripts/install-deps.sh; nothing else of it is kept
#   api          runtime + the stripped binary             (docker-compose.yml: sentinel-api)
#   worker       worker-deps + the binary + sample repos   (docker-compose.yml: sentinel-worker)
# The package layers come before the binary, so a code change rebuilds only the compile and the
# final copies. BASE_IMAGE: any Debian 12 image.
ARG BASE_IMAGE=debian:12

FROM ${BASE_IMAGE} AS runtime
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh runtime-api && rm -rf /var/lib/apt/lists/* /tmp/install-deps.sh \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/sentinel --shell /usr/sbin/nologin sentinel \
 && mkdir -p /var/lib/sentinel/data && chown -R sentinel:sentinel /var/lib/sentinel

FROM runtime AS worker-deps
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh runtime-worker && rm -rf /var/lib/apt/lists/* /tmp/install-deps.sh

FROM ${BASE_IMAGE} AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh build && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the compile reads, so edits to docs, scripts, tests or the UI keep this layer cached.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY migrations migrations
COPY src src
ARG BUILD_TYPE=Release
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DSENTINEL_TESTS=OFF -DSENTINEL_BENCH=OFF \
 && cmake --build /build --target sentinel -j "$(nproc)" \
 && strip -o /sentinel /build/sentinel

FROM runtime AS api
COPY --from=build /sentinel /usr/local/bin/sentinel
# Fails the build when a shared library the binary needs is missing from the runtime package set.
RUN if ldd /usr/local/bin/sentinel | grep 'not found'; then exit 1; fi && sentinel --version
WORKDIR /var/lib/sentinel
USER sentinel
ENV SENTINEL_DATA_DIR=/var/lib/sentinel/data SENTINEL_BIND=0.0.0.0 SENTINEL_LOG_FORMAT=json
EXPOSE 8000
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
ENTRYPOINT ["sentinel"]
CMD ["worker"]
