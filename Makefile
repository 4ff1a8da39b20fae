# Sentinel Pipeline. `make up` starts it; `make test` runs every test.
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
# ccache: paths relative to the checkout and no working directory in the hash, so a fresh clone
# in another folder (as CI makes) still hits the cache of an earlier build on the same machine.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: build deps test test-docker bench up down reset clean ui ui-test

deps:
	bash scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSENTINEL_SANITIZE=ON -DSENTINEL_BENCH=OFF

## build: the binary at build/sentinel (release with debug info) and the UI into ui/dist/
build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target sentinel
	@if [ -f ui/package.json ]; then $(MAKE) --no-print-directory ui; fi

## test: every C++ test (unit, store, API, integration) under ASan+UBSan, against SQLite and
## against real PostgreSQL and Redis that the tests start themselves.
test: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure --timeout 600 -j 1
	@if [ -f ui/package.json ]; then $(MAKE) --no-print-directory ui-test; fi

## ui: the dashboard into ui/dist (npm ci when node_modules is missing or older than the lockfile)
ui:
	@command -v npm >/dev/null || { echo "make ui: npm is missing (bash scripts/install-deps.sh installs nodejs and npm)" >&2; exit 1; }
	@if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
	  cd ui && npm ci --no-audit --no-fund; fi
	cd ui && npm run build

## ui-test: the dashboard's component tests (Vitest) and the end-to-end tests in Chromium
## against a real `sentinel up` (the binary of the ASan build that `make test` just built)
ui-test: ui
	cd ui && npm test
	cd ui && SENTINEL_BIN=$(CURDIR)/$(ASAN_BUILD)/sentinel npm run e2e

## test-docker: the Docker Compose path for real: a private dockerd, the images built, the stack up,
## every demo scenario through the API, a worker killed mid-run, teardown (see README, "Docker").
test-docker:
	bash scripts/install-docker-deps.sh
	bash scripts/test-docker.sh

## bench: the benchmarks, printed as a table
bench: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	bash scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

## up: build and start everything, migrate, seed; prints the URLs. down: stop (keep data). reset: stop and delete data.
up:
	bash scripts/up.sh

down:
	bash scripts/down.sh

reset:
	bash scripts/reset.sh

## demo:<scenario>: trigger a deterministic scenario against the running system and print the outcome
DEMOS := success testfail flaky timeout dns disk
$(addprefix demo\:,$(DEMOS)):
	@test -x $(BUILD)/sentinel || $(MAKE) --no-print-directory build
	$(BUILD)/sentinel demo $(subst demo:,,$@)
