#!/usr/bin/env bash
# make test-docker: the Docker Compose path, tested for real on this machine.
#   1. starts a private dockerd (own socket, data root and exec root; stopped by its PID at the end)
#   2. makes the Debian 12 base image with debootstrap, or imports the cached rootfs tarball
#      (~/.cache/sentinel-docker/debian-12-rootfs.tar), so no image registry is needed
#   3. builds the dashboard on the host (`make ui`), then (BuildKit, `--network host`, in
#      parallel) Debian-based stand-ins for postgres:15 and redis:7 (tests/docker/) and the
#      project's api and worker images from the Dockerfile
#   4. brings the stack up with scripts/up.sh on Compose v2 where present (else v1), checks
#      health, 2 workers, ports on 127.0.0.1 only, the dashboard on the UI port talking to the API,
#      JSON logs; runs every demo scenario on the three sample repositories through the API and
#      checks statuses, categories, clusters, flaky verdicts and incidents
#   5. kills a worker container (`docker kill`) while it runs a job: the run must still finish
#   6. `make down` keeps the named volumes (the runs are still there after an up), `down -v`
#      deletes them
#   7. the other Compose generation (v1 when v2 ran, if both exist): up, the success scenario,
#      `make down`, `make reset` (volumes gone)
#   8. no container, network or volume may be left; dockerd is stopped by its PID
# Environment: SENTINEL_DOCKER_TIMEOUT (whole run, s; default 5400), SENTINEL_API_PORT (48800),
# SENTINEL_UI_PORT (48801), SENTINEL_COMPOSE=v1|v2 (the generation of the full pass),
# SENTINEL_DOCKER_KEEP_IMAGES (default 1: the engine's data root is ~/.cache/sentinel-docker/engine,
# so a rerun reuses the image layers and the compiler cache; images are kept, containers, networks
# and volumes are not; 0: a fresh data root in the temporary folder, a cold run),
# SENTINEL_DEBIAN_MIRROR.
# For working on this script: SENTINEL_DOCKER_ENGINE=unix:///path.sock runs against an engine that
# is already running (not started, not stopped; it must hold no other containers or volumes) and
# SENTINEL_DOCKER_SKIP_BUILD=1 uses the images already tagged there instead of building them.
# Needs root (dockerd) and scripts/install-docker-deps.sh (docker.io, docker-compose, debootstrap,
# and Debian 13's Compose v2 and buildx plugins in ~/.cache/sentinel-docker/cli-plugins).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SENTINEL_TEST_DOCKER_INNER:-}" ]; then
  # The whole run is bounded; on expiry the EXIT trap below still tears everything down.
  export SENTINEL_TEST_DOCKER_INNER=1
  exec timeout -k 300 "${SENTINEL_DOCKER_TIMEOUT:-5400}" bash "$0" "$@"
fi

START=$(date +%s)
say() { printf '[test-docker %4ss] %s\n' "$(($(date +%s) - START))" "$*"; }
fail() { say "FAIL: $*"; exit 1; }

for tool in dockerd docker curl python3 timeout; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing; run: bash scripts/install-docker-deps.sh"
done
[ "$(id -u)" -eq 0 ] || fail "dockerd needs root"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-docker"
mkdir -p "$CACHE"
TMP=$(mktemp -d /tmp/sentinel-docker.XXXXXX)
ENGINE_ROOT="$TMP/root"
if [ "${SENTINEL_DOCKER_KEEP_IMAGES:-1}" = 1 ] && [ -z "${SENTINEL_DOCKER_ENGINE:-}" ]; then
  ENGINE_ROOT="$CACHE/engine"
  # One engine per data root: a second test-docker waits for the first (bounded by the timeout).
  exec 9>"$CACHE/engine.lock"
  flock -w 600 9 || fail "another make test-docker holds $CACHE/engine for 10 min"
fi
export DOCKER_HOST="${SENTINEL_DOCKER_ENGINE:-unix://$TMP/docker.sock}"
# The CLI plugins of scripts/install-docker-deps.sh (Compose v2, buildx), for this run only.
export DOCKER_CONFIG="$TMP/docker-config"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
for plugin in "$CACHE"/cli-plugins/docker-*; do [ -x "$plugin" ] && ln -s "$plugin" "$DOCKER_CONFIG/cli-plugins/"; done
export COMPOSE_PROJECT_NAME="sentinel_test_$$"
export SENTINEL_API_PORT="${SENTINEL_API_PORT:-48800}" SENTINEL_UI_PORT="${SENTINEL_UI_PORT:-48801}"
export SENTINEL_IMAGE_TAG="test"
export POSTGRES_IMAGE="sentinel-standin/postgres:15" REDIS_IMAGE="sentinel-standin/redis:7"
API="http://127.0.0.1:$SENTINEL_API_PORT"
UI="http://127.0.0.1:$SENTINEL_UI_PORT"
DOCKERD_PID=""
STATUS=1

# What is in the engine: everything in a private engine; the project's own on a given engine.
leftovers() {
  local f=()
  if [ -n "${SENTINEL_DOCKER_ENGINE:-}" ]; then f=(--filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME"); fi
  docker ps -aq "${f[@]}"
  docker network ls -q --filter type=custom "${f[@]}"
  docker volume ls -q "${f[@]}"
}

# ---- teardown: always, in this order: the stack, the check that nothing is left, dockerd --------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [ "$STATUS" != 0 ] && [ "$rc" = 0 ]; then rc=1; fi
  if { [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; } || [ -n "${SENTINEL_DOCKER_ENGINE:-}" ]; then
    if [ "${#COMPOSE[@]}" -gt 0 ]; then
      if [ "$rc" != 0 ]; then
        say "logs of the stack (last 40 lines each):"
        timeout 60 "${COMPOSE[@]}" logs --no-color --tail 40 2>&1 | sed 's/^/    /' || true
      fi
      timeout 120 "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    fi
    local left
    left=$(leftovers)
    if [ -n "$left" ]; then
      say "FAIL: left behind:"; docker ps -a; docker network ls --filter type=custom; docker volume ls
      rc=1
    else
      say "teardown: no container, network or volume left"
    fi
    if [ -n "$DOCKERD_PID" ]; then
      kill -TERM "$DOCKERD_PID" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$DOCKERD_PID" 2>/dev/null && kill -KILL "$DOCKERD_PID" 2>/dev/null
      say "dockerd (pid $DOCKERD_PID) stopped"
    fi
  fi
  # Whatever dockerd left mounted under our folders, then the folders.
  set +e  # from here on, every step runs whatever the one before returned
  grep -oE " ($TMP|$CACHE/engine)/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null
  done
  rm -rf "$TMP"
  if [ "$rc" = 0 ]; then say "PASS (${SECONDS}s)"; else say "FAILED (exit $rc, ${SECONDS}s)"; fi
  exit "$rc"
}
COMPOSE=()
trap cleanup EXIT
trap 'say "interrupted (timeout?)"; exit 124' INT TERM

# ---- 0. the Compose detection (no engine needed) ------------------------------------------------
bash tests/docker/compose_detect_test.sh || fail "compose detection"

# ---- 1. a private dockerd -----------------------------------------------------------------------
# setsid: the timeout's signal reaches this script and its children, not dockerd, which the
# teardown still needs; it is stopped by its PID there. No default bridge and no iptables rules:
# builds use the host network, the stack its own compose network and ports published on 127.0.0.1.
if [ -z "${SENTINEL_DOCKER_ENGINE:-}" ]; then
  setsid dockerd --host "$DOCKER_HOST" --data-root "$ENGINE_ROOT" --exec-root "$TMP/exec" \
    --pidfile "$TMP/docker.pid" --bridge=none --iptables=false --ip-masq=false \
    >"$TMP/dockerd.log" 2>&1 </dev/null &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 "$TMP/dockerd.log"; fail "dockerd did not start"; }
  if [ -s "$TMP/docker.pid" ]; then DOCKERD_PID=$(cat "$TMP/docker.pid"); fi  # the daemon itself
else
  docker info >/dev/null 2>&1 || fail "no engine answers at $DOCKER_HOST"
  ENGINE_ROOT="(the engine at $DOCKER_HOST)"
fi
say "dockerd $(docker version -f '{{.Server.Version}}') up (pid $DOCKERD_PID, data root $ENGINE_ROOT)"
# shellcheck source=scripts/compose.sh
. scripts/compose.sh
export COMPOSE_PROJECT_NAME="sentinel_test_$$"  # compose.sh keeps a preset name
# The generations here: the full pass on SENTINEL_COMPOSE or v2 where present (else v1), a short
# pass on the other one when it is there too.
GENS=()
for g in v2 v1; do SENTINEL_COMPOSE=$g sentinel_compose_detect && GENS+=("$g"); done
[ "${#GENS[@]}" -gt 0 ] || fail "no Compose: neither \`docker compose\` nor docker-compose (bash scripts/install-docker-deps.sh)"
FULL="${SENTINEL_COMPOSE:-${GENS[0]}}"
[[ " ${GENS[*]} " == *" $FULL "* ]] || fail "SENTINEL_COMPOSE=$FULL: that Compose is not installed"
OTHER=""
for g in "${GENS[@]}"; do [ "$g" = "$FULL" ] || OTHER=$g; done
use_compose() {  # use_compose v1|v2: COMPOSE for this script and for up.sh/down.sh/reset.sh
  export SENTINEL_COMPOSE=$1
  sentinel_compose_detect || fail "Compose $1"
  say "compose $1: ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || echo '?'))"
}
sentinel_buildkit || fail "no BuildKit: the Docker CLI $(docker version -f '{{.Client.Version}}') has no buildx plugin (bash scripts/install-docker-deps.sh)"
left=$(leftovers)
if [ -n "$left" ] && [ -z "${SENTINEL_DOCKER_ENGINE:-}" ]; then
  # A private engine holding an earlier run's stack (one killed before its teardown).
  say "removing what an earlier run left in $ENGINE_ROOT"
  docker ps -aq | xargs -r docker rm -f >/dev/null
  docker network ls -q --filter type=custom | xargs -r docker network rm >/dev/null
  docker volume ls -q | xargs -r docker volume rm >/dev/null
fi
[ -z "$(leftovers)" ] || fail "the engine is not empty at the start"

# ---- 2. the Debian 12 base image ----------------------------------------------------------------
if docker image inspect debian:12 >/dev/null 2>&1; then
  say "base image debian:12: present"
else
  ROOTFS_TAR="$CACHE/debian-12-rootfs.tar"
  if [ ! -s "$ROOTFS_TAR" ]; then
    command -v debootstrap >/dev/null 2>&1 || fail "debootstrap is missing; run: bash scripts/install-docker-deps.sh"
    say "debootstrap --variant=minbase bookworm (once; cached in $ROOTFS_TAR)"
    debootstrap --variant=minbase bookworm "$TMP/rootfs" "${SENTINEL_DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
      >"$TMP/debootstrap.log" 2>&1 || { tail -20 "$TMP/debootstrap.log"; fail "debootstrap"; }
    rm -rf "$TMP"/rootfs/var/cache/apt/archives/*.deb "$TMP"/rootfs/var/lib/apt/lists/*
    tar --numeric-owner -C "$TMP/rootfs" -cf "$ROOTFS_TAR.part" . && mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
    rm -rf "$TMP/rootfs"
  fi
  docker import "$ROOTFS_TAR" debian:12 >/dev/null
  say "base image debian:12 imported from $ROOTFS_TAR"
fi

# ---- 3. images: built at once (BuildKit shares the stages the api and worker have in common) ---
build() {  # build NAME ARGS...: in the background, log in $TMP/build-NAME.log
  local name=$1; shift
  ( t0=$SECONDS
    docker build --network host --progress plain "$@" >"$TMP/build-$name.log" 2>&1
    echo "$? $((SECONDS - t0))" >"$TMP/build-$name.rc" ) &
  BUILD_PIDS+=($!)
}
BUILD_PIDS=()
T_BUILD=$SECONDS
if [ "${SENTINEL_DOCKER_SKIP_BUILD:-}" = 1 ]; then say "not building (SENTINEL_DOCKER_SKIP_BUILD=1)"; else
  # The dashboard is built on the host (as `make up` does) and copied into the api image.
  make --no-print-directory ui >"$TMP/ui.log" 2>&1 || { tail -20 "$TMP/ui.log"; fail "make ui (the dashboard)"; }
  say "dashboard built into ui/dist ($((SECONDS - T_BUILD))s)"
  say "building the images (--network host; BuildKit; logs in $TMP/build-*.log)"
  build postgres -t "$POSTGRES_IMAGE" tests/docker/postgres
  build redis -t "$REDIS_IMAGE" tests/docker/redis
  build api --target api -t "sentinel-api:$SENTINEL_IMAGE_TAG" .
  build worker --target worker -t "sentinel-worker:$SENTINEL_IMAGE_TAG" .
  wait "${BUILD_PIDS[@]}"  # not a bare wait: dockerd is a background job of this shell too
  for name in postgres redis api worker; do
    read -r rc took <"$TMP/build-$name.rc"
    if [ "$rc" != 0 ]; then tail -40 "$TMP/build-$name.log" | sed 's/^/    /'; fail "docker build $name"; fi
    say "built $name (${took}s)"
  done
  # The compile's ccache figures (a warm rerun after a code change recompiles only what changed).
  # (BuildKit runs the shared compile once, in either build's log.)
  cat "$TMP/build-api.log" "$TMP/build-worker.log" | grep -E '^#[0-9]+ [0-9.]+ +(Hits|Misses):' | head -2 | sed -E 's/^#[0-9]+ [0-9.]+ +/    ccache (totals of the cache mount): /' || true
fi
T_BUILD=$((SECONDS - T_BUILD))
docker images --format '    {{.Repository}}:{{.Tag}}  {{.Size}}' | grep -v '<none>'

# ---- helpers ------------------------------------------------------------------------------------
# json EXPR: evaluates a Python expression over the JSON on stdin (bound to `j`) and prints it.
json() { python3 -c "import json,sys; j=json.load(sys.stdin); r=($1); print(r if not isinstance(r,(dict,list)) else json.dumps(r))"; }
get() { curl -fsS --max-time 10 "$API$1"; }
post() { curl -fsS --max-time 10 -H 'Content-Type: application/json' -d "$2" "$API$1"; }
run_status() { get "/runs/$1" | json "j['status']"; }
wait_terminal() {  # wait_terminal SECONDS ID...: until every run has ended
  local deadline=$((SECONDS + $1)) id s; shift
  for id in "$@"; do
    while :; do
      s=$(run_status "$id" 2>/dev/null || echo '?')
      case "$s" in queued | running | '?') ;; *) break ;; esac
      [ "$SECONDS" -lt "$deadline" ] || fail "run $id still $s"
      sleep 1
    done
  done
}
up() {  # the way `make up` does it, on the images just built; seeding below
  SENTINEL_UP_BUILD=0 SENTINEL_SEED=0 SENTINEL_DATA_DIR="$TMP/native-data" bash scripts/up.sh \
    >"$TMP/up.log" 2>&1 || { cat "$TMP/up.log"; fail "scripts/up.sh"; }
}
# The sample repositories as seeded here: the image's, with the 10 s timeouts of their test
# steps raised to 60 s, so that a loaded machine (2 cores shared by many builds) does not turn a
# passing test into a timeout; the timeout scenario loops forever, so it still times out.
mkdir -p "$TMP/samples"
cp -r sample_repos/. "$TMP/samples/"
sed -i 's/^\(    timeout: \)10s$/\160s/' "$TMP"/samples/*/.sentinel.yml
chmod -R a+rX "$TMP/samples"
seed() {
  "${COMPOSE[@]}" run --rm --no-deps -T -v "$TMP/samples:/opt/sentinel/sample_repos:ro" worker seed \
    >"$TMP/seed.log" 2>&1 || { cat "$TMP/seed.log"; fail "sentinel seed"; }
}

# check_ports: the api publishes the API and UI ports on 127.0.0.1 only; nothing else publishes.
check_ports() {
  local api_id published svc
  api_id=$("${COMPOSE[@]}" ps -q api)
  published=$(docker port "$api_id")
  printf '    api ports: %s\n' "$(echo "$published" | tr '\n' ' ')"
  echo "$published" | grep -q "^8000/tcp -> 127\.0\.0\.1:$SENTINEL_API_PORT\$" || fail "the API port is not published on 127.0.0.1:$SENTINEL_API_PORT"
  echo "$published" | grep -q "^$SENTINEL_UI_PORT/tcp -> 127\.0\.0\.1:$SENTINEL_UI_PORT\$" || fail "the UI port is not published on 127.0.0.1:$SENTINEL_UI_PORT"
  if echo "$published" | grep -v -q '127\.0\.0\.1:'; then fail "a port is published beyond 127.0.0.1"; fi
  for svc in postgres redis worker; do
    [ -z "$(docker port "$("${COMPOSE[@]}" ps -q "$svc" | head -1)")" ] || fail "$svc publishes a port"
  done
}
# check_ui: the dashboard on the UI port (index.html, its assets, /config.js naming the published
# API) and the API answering the page's origin (CORS).
check_ui() {
  local index asset cfg
  index=$(curl -fsS --max-time 10 "$UI/") || fail "the dashboard does not answer on $UI"
  echo "$index" | grep -q '<div id="root">' || fail "$UI/ is not the dashboard's index.html"
  asset=$(echo "$index" | grep -oE '/assets/[^"]+\.js' | head -1)
  [ -n "$asset" ] && curl -fsS --max-time 10 -o /dev/null "$UI$asset" || fail "the dashboard's script $UI$asset"
  curl -fsS --max-time 10 -o /dev/null "$UI/runs/1" || fail "a client route ($UI/runs/1) does not load the app"
  cfg=$(curl -fsS --max-time 10 "$UI/config.js") || fail "$UI/config.js"
  echo "$cfg" | grep -q "\"http://127.0.0.1:$SENTINEL_API_PORT\"" || fail "config.js does not point the page at the API: $cfg"
  curl -fsS --max-time 10 -D - -o /dev/null -H "Origin: $UI" "$API/runs?limit=1" | tr -d '\r' \
    | grep -qi "^access-control-allow-origin: $UI\$" || fail "the API does not allow the dashboard's origin $UI (CORS)"
  say "dashboard: $UI serves index.html, $asset, client routes and config.js -> $API (CORS allowed)"
}
# wait_workers N: until the API sees N live workers and every worker container is healthy (its
# health check, `sentinel worker --healthcheck`, finds the container's heartbeat in the workers
# table).
wait_workers() {
  local workers ids health c
  ids=$("${COMPOSE[@]}" ps -q worker)
  workers=$(echo "$ids" | grep -c .)
  [ "$workers" = "$1" ] || fail "expected $1 worker containers, found $workers"
  for _ in $(seq 1 120); do [ "$(get /health | json "j['workers']")" = "$1" ] && break; sleep 1; done
  [ "$(get /health | json "j['workers']")" = "$1" ] || fail "the API does not see $1 live workers"
  for c in $ids; do
    for _ in $(seq 1 90); do
      health=$(docker inspect -f '{{.State.Health.Status}}' "$c")
      [ "$health" = healthy ] && break
      sleep 1
    done
    [ "$health" = healthy ] || { docker inspect -f '{{json .State.Health}}' "$c"; fail "worker container $c is $health"; }
  done
  say "workers: $1 live (GET /health), their containers healthy (last check: $(docker inspect "$c" | json "j[0]['State']['Health']['Log'][-1]['Output'].strip()"))"
}

# ---- 4. the stack -------------------------------------------------------------------------------
use_compose "$FULL"
T_STACK=$SECONDS
say "up: ${COMPOSE[*]} up (project $COMPOSE_PROJECT_NAME, API on 127.0.0.1:$SENTINEL_API_PORT, UI on 127.0.0.1:$SENTINEL_UI_PORT)"
up
seed
sed 's/^/    /' "$TMP/up.log" "$TMP/seed.log" | grep -v '^    \(Creating\|Starting\|Pulling\)' || true
wait_workers 2
get /health | json "j" | sed 's/^/    health: /'
check_ports
check_ui
# Structured logs: what `compose logs` shows of the api and the workers is JSON, line by line.
"${COMPOSE[@]}" logs --no-color api worker >"$TMP/logs.txt" 2>&1
python3 - "$TMP/logs.txt" <<'PY' || fail "compose logs: not JSON lines"
import json, sys
lines = [l.split("| ", 1)[1] for l in open(sys.argv[1]) if "| " in l]
lines = [l for l in lines if l.strip()]
bad = [l for l in lines if not l.lstrip().startswith("{")]
if not lines or bad:
    print(f"    {len(lines)} lines, {len(bad)} not JSON; first: {bad[:3]}"); sys.exit(1)
for l in lines: json.loads(l)
print(f"    compose logs api worker: {len(lines)} lines, all JSON (e.g. {lines[-1].strip()[:120]})")
PY

# ---- 5. every demo scenario, on the three sample repositories, through the API ------------------
# `sentinel demo` (a one-off container of the worker image, talking to the api service over the
# compose network)
# queues the runs with POST /runs, waits, and exits non-zero unless every status and the expected
# failure category are there.
for scenario in success testfail flaky timeout dns disk; do
  t0=$SECONDS
  if ! "${COMPOSE[@]}" run --rm --no-deps -T worker demo "$scenario" --repo all --api http://api:8000 --wait 900 \
       >"$TMP/demo-$scenario.log" 2>&1; then
    sed 's/^/    /' "$TMP/demo-$scenario.log"; fail "demo $scenario"
  fi
  say "demo $scenario: $(tail -1 "$TMP/demo-$scenario.log") ($((SECONDS - t0))s)"
  grep -E '^  run [0-9]+' "$TMP/demo-$scenario.log" | sed 's/^/    /' | head -6
done

# Outcomes over the API, independently of the demo command.
runs=$(get '/runs?limit=200')
echo "$runs" | json "sorted({(r['repo'], r['status']) for r in j['items']})" | sed 's/^/    runs (repo, status): /'
[ "$(echo "$runs" | json "sum(r['status'] in ('queued','running') for r in j['items'])")" = 0 ] \
  || fail "runs still queued or running after every demo finished"
for repo in demo-python demo-cpp demo-node; do
  for st in succeeded failed timed_out; do
    n=$(echo "$runs" | json "sum(r['repo']=='$repo' and r['status']=='$st' for r in j['items'])")
    [ "$n" -gt 0 ] || fail "$repo has no $st run"
  done
done
clusters=$(get '/clusters?limit=100')
for category in test_failure timeout network_dns disk_full; do
  n=$(echo "$clusters" | json "sum(c['category']=='$category' for c in j['items'])")
  [ "$n" -gt 0 ] || fail "no $category cluster"
done
# testfail fails the same test three times per repository: one cluster of three runs each.
top=$(echo "$clusters" | json "max(c['occurrences'] for c in j['items'] if c['category']=='test_failure')")
[ "$top" -ge 3 ] || fail "the largest test_failure cluster has $top occurrences, expected >= 3"
echo "$clusters" | json "sorted((c['category'], c['occurrences']) for c in j['items'])" | sed 's/^/    clusters (category, occurrences): /'
code=$(curl -s -o "$TMP/flaky.json" -w '%{http_code}' "$API/tests/flaky?limit=50")
if [ "$code" = 404 ]; then say "flaky verdicts: GET /tests/flaky not in this build (not checked)"
else
  [ "$code" = 200 ] || fail "GET /tests/flaky: HTTP $code"
  n=$(json "sum(t.get('classification')=='flaky' for t in j['items'])" <"$TMP/flaky.json")
  [ "$n" -gt 0 ] || fail "no test classified flaky after the flaky scenario"
  say "flaky verdicts: $n flaky test(s)"
fi
code=$(curl -s -o "$TMP/incidents.json" -w '%{http_code}' "$API/incidents?limit=50")
if [ "$code" = 404 ]; then say "incidents: GET /incidents not in this build (not checked)"
else
  [ "$code" = 200 ] || fail "GET /incidents: HTTP $code"
  n=$(json "len(j['items'])" <"$TMP/incidents.json")
  [ "$n" -gt 0 ] || fail "no incident after three failures of one cluster"
  say "incidents: $n"
fi

# ---- 6. a worker container killed mid-run loses no run ------------------------------------------
# demo-cpp compiles in its build step, so a run is still running when its worker dies. The lease
# expires (queue.lease_seconds, 30 s) and the reconciler hands the run to the other worker.
killed_run=""
ids=()
for _ in 1 2; do
  ids+=("$(post /runs '{"repo":"demo-cpp","scenario":"success"}' | json "j['id']")")
done
deadline=$((SECONDS + 120))
while [ -z "$killed_run" ]; do
  for id in "${ids[@]}"; do
    r=$(get "/runs/$id")
    if [ "$(echo "$r" | json "j['status']")" = running ]; then
      worker=$(echo "$r" | json "j['worker'] or ''")
      [ -n "$worker" ] && { killed_run=$id; break; }
    fi
  done
  [ -n "$killed_run" ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "no kill-test run started within 120 s"
  sleep 0.5
done
container=${worker%%-*}  # worker ids are HOSTNAME-PID-N; a container's hostname is its short id
docker kill "$container" >/dev/null || fail "docker kill $container (worker $worker)"
say "killed worker container $container while it ran run $killed_run"
wait_terminal 600 "${ids[@]}"
for id in "${ids[@]}"; do
  r=$(get "/runs/$id")
  st=$(echo "$r" | json "j['status']")
  [ "$st" = succeeded ] || fail "run $id ended $st after its worker was killed"
done
r=$(get "/runs/$killed_run")
say "run $killed_run: $(echo "$r" | json "j['status']"), attempt $(echo "$r" | json "j['attempt']"), worker $(echo "$r" | json "j['worker']") (was $worker)"
[ "$(echo "$r" | json "j['attempt']")" -ge 2 ] || fail "run $killed_run was not retried after its worker died"

# ---- 7. make down keeps the data, make reset deletes it -----------------------------------------
say "api log, last 2 lines:"
"${COMPOSE[@]}" logs --no-color --tail 2 api | sed 's/^/    /'
# down_keeps_data: `make down` stops every container and keeps the 3 named volumes; an up again
# finds every run.
down_keeps_data() {
  local total after vols
  total=$(get '/runs?limit=500' | json "len(j['items'])")
  SENTINEL_DATA_DIR="$TMP/native-data" bash scripts/down.sh >"$TMP/down.log" 2>&1 || { cat "$TMP/down.log"; fail "scripts/down.sh"; }
  [ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")" ] || fail "containers left after make down"
  vols=$(docker volume ls -q --filter "name=${COMPOSE_PROJECT_NAME}_" | wc -l)
  [ "$vols" = 3 ] || fail "make down should keep the 3 named volumes, found $vols"
  up
  after=$(get '/runs?limit=500' | json "len(j['items'])")
  [ "$after" = "$total" ] || fail "after make down + up: $after runs, expected $total"
  say "make down kept the $vols named volumes: $after runs after up again"
}
# reset_deletes_data: `make reset` removes the containers, the network and the named volumes.
reset_deletes_data() {
  SENTINEL_DATA_DIR="$TMP/native-data" bash scripts/reset.sh >"$TMP/reset.log" 2>&1 || { cat "$TMP/reset.log"; fail "scripts/reset.sh"; }
  [ -z "$(docker volume ls -q --filter "name=${COMPOSE_PROJECT_NAME}_")" ] || fail "volumes left after make reset"
  [ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")" ] || fail "containers left after make reset"
  say "make reset deleted the containers and the volumes"
}
down_keeps_data
reset_deletes_data
T_STACK=$((SECONDS - T_STACK))

# ---- 8. the other Compose generation: the same files and scripts, a shorter pass ----------------
T_OTHER=0
if [ -n "$OTHER" ]; then
  T_OTHER=$SECONDS
  use_compose "$OTHER"
  up
  seed
  wait_workers 2
  check_ports
  check_ui
  if ! "${COMPOSE[@]}" run --rm --no-deps -T worker demo success --repo all --api http://api:8000 --wait 900 \
       >"$TMP/demo-other.log" 2>&1; then
    sed 's/^/    /' "$TMP/demo-other.log"; fail "demo success on compose $OTHER"
  fi
  say "demo success: $(tail -1 "$TMP/demo-other.log")"
  down_keeps_data
  reset_deletes_data
  T_OTHER=$((SECONDS - T_OTHER))
else
  say "only Compose $FULL is installed here: the other generation is not tested"
fi

say "image sizes:"
docker images --format '    {{.Repository}}:{{.Tag}}  {{.Size}}' | grep -v '<none>'
# The images a rebuild replaced (a kept engine would otherwise grow with every code change).
docker image prune -f >/dev/null 2>&1 || true
say "times: images ${T_BUILD}s, compose $FULL (full pass) ${T_STACK}s, compose ${OTHER:-none} (short pass) ${T_OTHER}s"
STATUS=0
