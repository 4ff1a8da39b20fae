# Sentinel Pipeline: one image for `sentinel api` and `sentinel worker`.
# Build dependencies come from scripts/install-deps.sh, the same script CI and `make up` use.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSENTINEL_TESTS=OFF -DSENTINEL_BENCH=OFF \
 && cmake --build build --target sentinel

FROM debian:12
# Runtime: the binary, git (checkouts) and the toolchains the sample repositories build and test with.
COPY scripts/install-deps.sh /opt/sentinel/install-deps.sh
RUN bash /opt/sentinel/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/sentinel /usr/local/bin/sentinel
COPY sample_repos /opt/sentinel/sample_repos
WORKDIR /var/lib/sentinel
ENV SENTINEL_DATA_DIR=/var/lib/sentinel/data SENTINEL_BIND=0.0.0.0 SENTINEL_SAMPLE_REPOS=/opt/sentinel/sample_repos
EXPOSE 8000
ENTRYPOINT ["sentinel"]
