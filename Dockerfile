# Sentinel Pipeline images, multi-stage; builds with the classic builder and with BuildKit,
# with no registry other than the base image's:
#   build   compiles the `sentinel` binary only (no tests, no benchmarks) from the lean `build`
#           package set of scripts/install-deps.sh; nothing of it reaches the other images
#   api     the stripped binary + the shared libraries it links + curl (health check)
#   worker  api + git and the toolchains the sample repositories' CI jobs use
#           (python3/pytest, cmake/g++/GoogleTest, node), and the sample repositories to seed
# docker-compose.yml builds `api` and `worker`. BASE_IMAGE: any Debian 12 image.
ARG BASE_IMAGE=debian:12

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

FROM ${BASE_IMAGE} AS api
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh runtime-api && rm -rf /var/lib/apt/lists/* /tmp/install-deps.sh \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/sentinel --shell /usr/sbin/nologin sentinel \
 && mkdir -p /var/lib/sentinel/data && chown -R sentinel:sentinel /var/lib/sentinel
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

FROM api AS worker
USER root
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh runtime-worker && rm -rf /var/lib/apt/lists/* /tmp/install-deps.sh
COPY sample_repos /opt/sentinel/sample_repos
USER sentinel
ENV SENTINEL_SAMPLE_REPOS=/opt/sentinel/sample_repos
HEALTHCHECK NONE
CMD ["worker"]
