#!/usr/bin/env python3
"""`make bench`: every figure of issue 10 beside the peer measured in the same run.

Starts what it measures on free loopback ports in a temporary folder (PostgreSQL,
Redis, `sentinel api`, `sentinel up`, nginx, FastAPI/uvicorn, Celery), bounds every
load in time and count, stops what it started by PID, and prints one Markdown table:
figure, unit, Sentinel, peer, peer figure, ratio. A peer whose Debian packages are
missing prints "peer absent"; a missing endpoint prints "n/a: endpoint absent".
Benchmarks report: this script never fails on a time (exit 0 unless it cannot run).

  python3 bench/run_bench.py BUILD_DIR [--out bench/RESULTS.md]
  env: SENTINEL_BENCH_QUICK=1 (short loads, about two minutes), BENCH_DURATION (s per wrk
       run), BENCH_CONNS (64), BENCH_SIZES ("1000,100000")
"""
import glob
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(HERE, "peers")
QUICK = os.environ.get("SENTINEL_BENCH_QUICK") == "1"
DURATION = int(os.environ.get("BENCH_DURATION", "3" if QUICK else "10"))
WARMUP = 1 if QUICK else 2
CONNS = int(os.environ.get("BENCH_CONNS", "64"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
BIG = max(SIZES)
T0 = 1767225600000  # 2026-01-01T00:00:00Z, epoch ms

# The peers are Debian packages: Debian's own python3 has them (another python3 on PATH may not).
PEER_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
ROWS = []  # (figure, unit, sentinel, peer name, peer value, ratio text)
PIDS = []  # what we started, stopped by PID at exit
PG = {}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def add(figure, unit, value, peer_name=None, peer_value=None, higher_is_better=True):
    ratio = "-"
    if isinstance(value, (int, float)) and isinstance(peer_value, (int, float)) and value > 0 and peer_value > 0:
        r = value / peer_value if higher_is_better else peer_value / value
        ratio = f"{r:.2f}x" + ("" if higher_is_better else " (lower is better)")
    ROWS.append((figure, unit, fmt(value), peer_name or "-", fmt(peer_value), ratio))
    log(f"{figure}: {fmt(value)} {unit} | {peer_name or '-'} {fmt(peer_value)} | {ratio}")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(argv, logfile, env=None, cwd=None):
    out = open(logfile, "ab")
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
    PIDS.append(p)
    return p


def stop(p, grace=10):
    if p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception:
        return 0, b""


def wait_http(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if get(url, 2)[0] in (200, 503):
            return True
        time.sleep(0.1)
    return False


def have(cmd):
    return shutil.which(cmd) is not None


def wrk(url):
    """req/s, p50 ms, p99 ms, errors of one bounded wrk run (after a warm-up)."""
    base = ["wrk", f"-t2", f"-c{CONNS}", "--timeout", "5s"]
    subprocess.run(base + [f"-d{WARMUP}s", url], capture_output=True, timeout=WARMUP + 30)
    r = subprocess.run(base + [f"-d{DURATION}s", "-s", os.path.join(PEERS, "wrk_report.lua"), url],
                       capture_output=True, text=True, timeout=DURATION + 60)
    line = next((l for l in r.stdout.splitlines() if l.startswith("RESULT")), "")
    kv = dict(p.split("=", 1) for p in line.split()[1:])
    if not kv:
        return None
    errors = sum(int(kv[k]) for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout", "non2xx"))
    return {"rps": float(kv["rps"]), "p50": float(kv["p50_ms"]), "p99": float(kv["p99_ms"]), "errors": errors}


def rss_mib(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


# ---------------------------------------------------------------- servers

def pg_bin():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return dirs[-1] if dirs else None


def as_pg(argv):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + argv
    return argv


def start_postgres(tmp):
    b = pg_bin()
    if b is None:
        return None
    d = os.path.join(tmp, "pg")
    os.makedirs(d)
    if os.geteuid() == 0:
        shutil.chown(d, "postgres")
        os.chmod(tmp, 0o755)
    port = free_port()
    subprocess.run(as_pg([f"{b}/initdb", "-D", f"{d}/data", "-U", "bench", "--auth=trust", "-E", "UTF8"]),
                   capture_output=True, check=True, timeout=120)
    subprocess.run(as_pg([f"{b}/pg_ctl", "-D", f"{d}/data", "-l", f"{d}/pg.log", "-w", "-o",
                          f"-c listen_addresses=127.0.0.1 -p {port} -k {d} -c max_connections=200 "
                          "-c shared_buffers=256MB", "start"]), capture_output=True, check=True, timeout=120)
    PG.update(bin=b, data=f"{d}/data", port=port)
    return port


def stop_postgres():
    if PG:
        subprocess.run(as_pg([f"{PG['bin']}/pg_ctl", "-D", PG["data"], "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=60)
        PG.clear()


def psql(port, db, sql, *extra):
    return subprocess.run([f"{pg_bin()}/psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
                           "-U", "bench", *extra, db], input=sql, capture_output=True, text=True, timeout=600)


def start_redis(tmp):
    if not have("redis-server"):
        return None
    port = free_port()
    p = start(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--daemonize", "no", "--dir", tmp], os.path.join(tmp, "redis.log"))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return port
        except OSError:
            time.sleep(0.05)
    stop(p)
    return None


# ---------------------------------------------------------------- the history

def seed_sql(n, postgres):
    """A deterministic history of n runs: 3 repos, 10% failed (each with a failure in one of
    300 clusters), 10% errored, the rest succeeded; one step per run. Portable SQL."""
    g = f"WITH RECURSIVE g(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM g WHERE n < {n}) "
    clusters = min(300, max(1, n // 10))
    sql = [
        f"INSERT INTO repos (id, name, url, created_at) VALUES (1, 'bench-a', '/srv/bench-a', {T0}), "
        f"(2, 'bench-b', '/srv/bench-b', {T0}), (3, 'bench-c', '/srv/bench-c', {T0});",
        "INSERT INTO runs (id, repo_id, ref, commit_sha, scenario, status, attempt, worker, reason, category, "
        "created_at, queued_at, started_at, finished_at, updated_at) " + g +
        "SELECT n, 1 + n % 3, CASE WHEN n % 5 = 0 THEN 'main' ELSE '' END, "
        "'0123456789abcdef0123456789abcdef' || (10000000 + n), '', "
        "CASE n % 10 WHEN 0 THEN 'failed' WHEN 7 THEN 'errored' ELSE 'succeeded' END, 1, 'bench-w' || (n % 2), "
        "CASE n % 10 WHEN 7 THEN 'worker_lost' ELSE '' END, "
        "CASE n % 10 WHEN 0 THEN 'test_failure' WHEN 7 THEN 'infrastructure' ELSE '' END, "
        f"{T0} + n * 60000, {T0} + n * 60000, {T0} + n * 60000 + 500, {T0} + n * 60000 + 2500, "
        f"{T0} + n * 60000 + 2500 FROM g;",
        "INSERT INTO steps (run_id, idx, name, command, status, exit_code, attempts, started_at, finished_at, "
        "duration_ms, log_path, attempt) SELECT id, 0, 'test', 'pytest -q', "
        "CASE status WHEN 'failed' THEN 'failed' WHEN 'errored' THEN 'errored' ELSE 'succeeded' END, "
        "CASE status WHEN 'failed' THEN 1 ELSE 0 END, 1, started_at, finished_at, 2000, "
        "'logs/run-' || id || '/0.log', 1 FROM runs;",
        "INSERT INTO clusters (id, fingerprint, category, signature, title, template, occurrences, first_seen, "
        "last_seen, excerpt, hint, kb_version) "
        f"WITH RECURSIVE c(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM c WHERE n < {clusters}) "
        "SELECT n, 'fp' || n, 'test_failure', 'pytest-failed', 'test_' || n || ' failed', 'FAILED test_<N>', 0, "
        f"{T0}, {T0}, '[{{\"line\": 12, \"text\": \"FAILED tests/test_x.py::test_y\"}}]', 'rerun the test', "
        "'bench' FROM c;",
        "INSERT INTO failures (run_id, step_idx, category, signature, fingerprint, cluster_id, confidence, title, "
        "evidence, hints, remediation, kb_version, created_at) SELECT id, 0, 'test_failure', 'pytest-failed', "
        f"'fp' || (1 + (id / 10) % {clusters}), 1 + (id / 10) % {clusters}, 0.9, 'test_y failed', "
        "'[{\"line\": 12, \"text\": \"FAILED tests/test_x.py::test_y\"}]', '[\"rerun the test\"]', '[]', "
        "'bench', finished_at FROM runs WHERE status = 'failed';",
        "INSERT INTO cluster_runs (cluster_id, run_id, repo_id) SELECT f.cluster_id, f.run_id, r.repo_id "
        "FROM failures f JOIN runs r ON r.id = f.run_id;",
        "UPDATE clusters SET occurrences = (SELECT COUNT(*) FROM failures f WHERE f.cluster_id = clusters.id), "
        "representative_run_id = (SELECT MAX(run_id) FROM failures f WHERE f.cluster_id = clusters.id), "
        "first_seen = COALESCE((SELECT MIN(created_at) FROM failures f WHERE f.cluster_id = clusters.id), first_seen), "
        "last_seen = COALESCE((SELECT MAX(created_at) FROM failures f WHERE f.cluster_id = clusters.id), last_seen);",
    ]
    # The overview's running figures (migration 0006) are kept when a run finishes; a history
    # seeded by SQL fills them as the migration's backfill does.
    backfill = open(os.path.join(ROOT, "migrations", "sqlite", "0006_overview_figures.sql")).read()
    sql.append("DELETE FROM run_days; DELETE FROM repo_recoveries; DELETE FROM repo_health;")
    sql.append(backfill[backfill.index("-- The history so far."):])
    if postgres:
        for t in ("repos", "runs", "clusters", "failures"):
            sql.append(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}));")
        sql.append("ANALYZE;")
    else:
        sql.append("ANALYZE;")
    return "\n".join(sql)


def migrate(sentinel, url, tmp):
    r = subprocess.run([sentinel, "migrate", "--database-url", url],
                       capture_output=True, text=True, timeout=120, cwd=tmp)
    if r.returncode != 0:
        raise RuntimeError(f"sentinel migrate {url}: {r.stdout}{r.stderr}")


def make_sqlite_history(sentinel, tmp, n):
    path = os.path.join(tmp, f"hist-{n}.db")
    migrate(sentinel, f"sqlite://{path}", tmp)
    con = sqlite3.connect(path)
    con.executescript(seed_sql(n, False))
    con.commit()
    con.close()
    return f"sqlite://{path}"


def make_pg_history(sentinel, tmp, pg_port, n):
    db = f"hist_{n}"
    psql(pg_port, "postgres", f"CREATE DATABASE {db};")
    url = f"postgresql://bench@127.0.0.1:{pg_port}/{db}"
    migrate(sentinel, url, tmp)
    r = psql(pg_port, db, seed_sql(n, True))
    if r.returncode != 0:
        raise RuntimeError(f"seeding {db}: {r.stderr}")
    return url


# ---------------------------------------------------------------- measurements

def start_api(sentinel, tmp, name, db_url, queue_url="embedded"):
    port = free_port()
    env = dict(os.environ, SENTINEL_LOG_LEVEL=os.environ.get("SENTINEL_LOG_LEVEL", "warn"))
    p = start([sentinel, "api", "--api-port", str(port), "--database-url", db_url, "--queue-url", queue_url,
               "--data-dir", os.path.join(tmp, f"data-{name}")], os.path.join(tmp, f"api-{name}.log"), env=env, cwd=tmp)
    if not wait_http(f"http://127.0.0.1:{port}/health"):
        log(f"sentinel api ({name}) did not come up; see {tmp}/api-{name}.log")
        stop(p)
        return None, None
    return p, port


def endpoint_present(base, path):
    status, body = get(base + path, 60)
    return not (status == 404 and b"no such path" in body)


def http_figure(label, base, path, peer_name=None, peer=None):
    if not endpoint_present(base, path):
        ROWS.append((f"GET {path} {label}", "req/s", "n/a: endpoint absent", "-", "-", "-"))
        log(f"GET {path}: n/a: endpoint absent")
        return None
    r = wrk(base + path)
    if r is None:
        ROWS.append((f"GET {path} {label}", "req/s", "wrk failed", "-", "-", "-"))
        return None
    note = f" ({r['errors']} errors)" if r["errors"] else ""
    add(f"GET {path} {label}{note}", "req/s", r["rps"], peer_name, peer["rps"] if peer else None)
    add(f"GET {path} {label} p99", "ms", r["p99"], peer_name, peer["p99"] if peer else None, higher_is_better=False)
    return r


def bench_http(sentinel, tmp, pg_port, redis_port):
    have_wrk = have("wrk")
    if not have_wrk:
        ROWS.append(("HTTP figures", "req/s", "wrk absent (apt-get install wrk)", "-", "-", "-"))
        return
    # Ceiling: nginx's fixed answer.
    nginx = None
    if have("nginx") or os.path.exists("/usr/sbin/nginx"):
        nport = free_port()
        nd = os.path.join(tmp, "nginx")
        os.makedirs(nd)
        conf = os.path.join(nd, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"daemon off; worker_processes auto; pid {nd}/nginx.pid; error_log {nd}/error.log;\n"
                    f"events {{ worker_connections 1024; }}\n"
                    f"http {{ access_log off; server {{ listen 127.0.0.1:{nport}; "
                    f"location / {{ return 200 'ok'; }} }} }}\n")
        p = start([shutil.which("nginx") or "/usr/sbin/nginx", "-c", conf, "-p", nd], os.path.join(nd, "out.log"))
        if wait_http(f"http://127.0.0.1:{nport}/health", 20):
            nginx = wrk(f"http://127.0.0.1:{nport}/health")
        stop(p)
    # The FastAPI peer (2 uvicorn workers, asyncpg) over its own 'runs' table of BIG rows.
    fastapi = {}
    peer_ok = have("uvicorn") and pg_port is not None and subprocess.run(
        [PEER_PY, "-c", "import fastapi, asyncpg, uvloop, httptools"], capture_output=True).returncode == 0
    if peer_ok:
        psql(pg_port, "postgres", "CREATE DATABASE peer;")
        r = psql(pg_port, "peer", open(os.path.join(PEERS, "peer_schema.sql")).read(), "-v", f"rows={BIG}")
        uport = free_port()
        env = dict(os.environ, PEERBENCH_DSN=f"host=127.0.0.1 port={pg_port} user=bench dbname=peer",
                   PEERBENCH_DB="asyncpg")
        p = start([PEER_PY, "-m", "uvicorn", "app_fastapi:app", "--host", "127.0.0.1", "--port", str(uport),
                   "--workers", "2", "--log-level", "warning", "--no-access-log", "--loop", "uvloop", "--http",
                   "httptools"], os.path.join(tmp, "uvicorn.log"), env=env, cwd=PEERS)
        if r.returncode == 0 and wait_http(f"http://127.0.0.1:{uport}/health", 60):
            fastapi["health"] = wrk(f"http://127.0.0.1:{uport}/health")
            fastapi["runs"] = wrk(f"http://127.0.0.1:{uport}/runs")
        else:
            log(f"FastAPI peer did not come up: {r.stderr[:300]}")
        stop(p)
    peer_name = "FastAPI+uvicorn w2 asyncpg" if fastapi.get("health") else "peer absent"

    backends = [("SQLite", None)]
    if pg_port is not None:
        backends.append(("PostgreSQL+Redis" if redis_port else "PostgreSQL", "pg"))
    for label, kind in backends:
        for n in sorted(SIZES, reverse=True):
            url = (make_sqlite_history(sentinel, tmp, n) if kind is None
                   else make_pg_history(sentinel, tmp, pg_port, n))
            queue = f"redis://127.0.0.1:{redis_port}/0" if kind and redis_port else "embedded"
            p, port = start_api(sentinel, tmp, f"{label}-{n}", url, queue)
            if p is None:
                continue
            base = f"http://127.0.0.1:{port}"
            idle = rss_mib(p.pid)
            tag = f"{label}, {n:,} runs"
            if n == BIG:
                h = http_figure(f"({label})", base, "/health", peer_name, fastapi.get("health"))
                if h and nginx:
                    add(f"GET /health ({label}) vs nginx `return 200`", "req/s", h["rps"], "nginx ceiling",
                        nginx["rps"])
            http_figure(f"({tag})", base, "/runs?limit=50", peer_name if n == BIG else None,
                        fastapi.get("runs") if n == BIG else None)
            if n == BIG:
                rid = n - (n % 10)  # a failed run, with a step and a failure
                http_figure(f"({tag})", base, f"/runs/{rid}")
                for path in ("/clusters", "/overview", "/tests/flaky", "/incidents"):
                    http_figure(f"({tag})", base, path)
                add(f"RSS of `sentinel api` idle ({tag})", "MiB", idle)
                add(f"RSS of `sentinel api` peak under load ({tag})", "MiB", rss_mib(p.pid, "VmHWM"))
            stop(p)
    if nginx and fastapi.get("health"):
        add("GET /health ceiling: nginx `return 200`", "req/s", nginx["rps"], peer_name, fastapi["health"]["rps"])


def bench_up_memory(sentinel, tmp):
    url = make_sqlite_history(sentinel, tmp, BIG) if not os.path.exists(os.path.join(tmp, f"hist-{BIG}.db")) \
        else f"sqlite://{tmp}/hist-{BIG}.db"
    port, ui = free_port(), free_port()
    p = start([sentinel, "up", "--no-seed", "--api-port", str(port), "--ui-port", str(ui), "--database-url", url,
               "--data-dir", os.path.join(tmp, "data-up")], os.path.join(tmp, "up.log"), cwd=tmp)
    if wait_http(f"http://127.0.0.1:{port}/health", 60):
        time.sleep(2)
        add(f"RSS of `sentinel up`, {BIG:,}-run history, idle", "MiB", rss_mib(p.pid))
    else:
        ROWS.append((f"RSS of `sentinel up`, {BIG:,}-run history", "MiB", "did not start", "-", "-", "-"))
    stop(p)


def parse_figures(text):
    """FIGURE|name|unit|value lines printed by the C++ benchmarks."""
    out = {}
    for line in text.splitlines():
        if line.startswith("FIGURE|"):
            _, name, unit, value = line.split("|", 3)
            out[name] = (unit, float(value))
    return out


def celery_peer(tmp, redis_port, jobs, lat_jobs):
    ok = redis_port and subprocess.run([PEER_PY, "-c", "import celery, redis"],
                                       capture_output=True).returncode == 0
    if not ok:
        return None
    env = dict(os.environ, REDIS_URL=f"redis://127.0.0.1:{redis_port}/5", PB_LOGDIR=tmp)
    try:
        r = subprocess.run([PEER_PY, os.path.join(PEERS, "queue_bench.py"), "celery", "--jobs", str(jobs),
                            "--lat-jobs", str(lat_jobs), "--rate", "20", "--workers", "2", "--timeout", "120"],
                           capture_output=True, text=True, env=env, cwd=PEERS, timeout=400)
    except subprocess.TimeoutExpired:
        return None
    line = next((l for l in r.stdout.splitlines() if l.startswith("RESULT")), "")
    kv = dict(p.split("=", 1) for p in line.split()[1:])
    if not kv:
        log(f"celery peer failed: {r.stderr[-400:]}")
        return None
    return {k: float(v.rstrip("/s")) for k, v in kv.items() if k != "kind"}


def bench_engine(build, tmp, redis_port):
    jobs, lat_jobs = (1000, 100) if QUICK else (5000, 600)
    celery = celery_peer(tmp, redis_port, jobs, lat_jobs)
    cname = "Celery 5.2.6 (2 x prefork c=1)" if celery else "peer absent"
    # queue layer
    qb = os.path.join(build, "bench", "queue_bench")
    if os.path.exists(qb):
        env = dict(os.environ, QUEUE_BENCH_JOBS=str(jobs), QUEUE_BENCH_LAT_JOBS=str(lat_jobs))
        if redis_port:
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/6"
        r = subprocess.run([qb], capture_output=True, text=True, env=env, timeout=600)
        f = parse_figures(r.stdout)
        for kind in ("embedded", "redis"):
            if f"{kind} enqueue" not in f:
                continue
            add(f"queue {kind}: enqueue", "jobs/s", f[f"{kind} enqueue"][1], cname,
                celery and celery["enqueue_jobs_per_s"])
            add(f"queue {kind}: processed, 2 consumers", "jobs/s", f[f"{kind} processed"][1], cname,
                celery and celery["process_jobs_per_s"])
            add(f"queue {kind}: enqueue-to-start p50 (idle consumers)", "ms", f[f"{kind} p50"][1], cname,
                celery and celery["lat_p50_ms"], higher_is_better=False)
            add(f"queue {kind}: enqueue-to-start p99 (idle consumers)", "ms", f[f"{kind} p99"][1], cname,
                celery and celery["lat_p99_ms"], higher_is_better=False)
    # end to end
    eb = os.path.join(build, "bench", "e2e_bench")
    if os.path.exists(eb):
        runs, idle = (200, 20) if QUICK else (1000, 50)
        r = subprocess.run([eb, "--runs", str(runs), "--idle-runs", str(idle), "--sentinel",
                            os.path.join(build, "sentinel")], capture_output=True, text=True, timeout=900)
        f = parse_figures(r.stdout)
        if not f:
            log(f"e2e_bench printed no figures: {r.stdout[-600:]} {r.stderr[-600:]}")
        for kind, label in (("embedded", "embedded (SQLite, 2 worker threads)"),
                            ("redis", "PostgreSQL+Redis (2 worker processes)")):
            if f"{kind} runs/s" not in f:
                continue
            add(f"end to end {label}, {runs} runs", "runs/s", f[f"{kind} runs/s"][1], cname + " no-op jobs",
                celery and celery["process_jobs_per_s"])
            add(f"end to end {label}: enqueue-to-start p50 (idle)", "ms", f[f"{kind} idle p50"][1], cname,
                celery and celery["lat_p50_ms"], higher_is_better=False)
            add(f"end to end {label}: enqueue-to-start p99 (idle)", "ms", f[f"{kind} idle p99"][1], cname,
                celery and celery["lat_p99_ms"], higher_is_better=False)
            if f"{kind} worker peak RSS" in f:
                add(f"RSS of a `sentinel worker` running steps (peak)", "MiB", f[f"{kind} worker peak RSS"][1])


MS_PER_UNIT = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}  # Google Benchmark's time_unit


def gbench(exe, bm, min_time=None):
    """One Google Benchmark result as a dict, or None (with the reason logged)."""
    argv = [exe, f"--benchmark_filter=^{bm}(/real_time|/manual_time)?$", "--benchmark_format=json"]
    if min_time is not None:
        argv.append(f"--benchmark_min_time={min_time}")
    r = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    try:
        return json.loads(r.stdout)["benchmarks"][0]
    except (ValueError, KeyError, IndexError):
        log(f"{os.path.basename(exe)} {bm}: no result ({r.stderr[-300:]})")
        return None


def bench_triage(build):
    min_time = 0.2 if QUICK else 1.0
    for name, bm, key, unit, baseline in (
            ("triage", "BM_TriageCorpus", "bytes_per_second", "MB/s", 217.0),
            ("triage", "BM_TriageCorpusWithBaseline", "bytes_per_second", "MB/s", 100.0),
            ("fingerprint", "BM_FingerprintStream/pure:1", "lines/s", "lines/s", 1.9e6)):
        exe = os.path.join(build, "bench", f"{name}_bench")
        if not os.path.exists(exe):
            continue
        b = gbench(exe, bm, min_time)
        if b is None:
            continue
        v = b[key] / (1e6 if unit == "MB/s" else 1)
        # Rates per CPU-second, so that a loaded machine does not halve a single-threaded figure
        # (benchmarks timed on the wall clock report their rate over real time).
        if b.get("name", "").endswith("/real_time") and b.get("cpu_time") and b["cpu_time"] < b["real_time"]:
            v *= b["real_time"] / b["cpu_time"]
        peer = "aim of issue 12 (with a baseline)" if "Baseline" in bm else "baseline of issue 10"
        add(f"`{name}` throughput per CPU-second ({bm})", unit, v, peer, baseline)


def bench_history(build):
    """Flaky recomputation and incident evaluation / overview at two history sizes."""
    exe = os.path.join(build, "bench", "flaky_bench")
    if os.path.exists(exe):
        for bm, figure in (("BM_FullRecompute1000x1000", "flaky: full recomputation, 1,000 tests x 1,000 runs (1M results)"),
                           ("BM_IncrementalRunSqlite/100/iterations:10", "flaky: one finished run's update (100 tests, SQLite)"),
                           ("BM_IncrementalRunSqlite/1000/iterations:10", "flaky: one finished run's update (1,000 tests, SQLite)"),
                           ("BM_FlakyCommandMillionLines/iterations:1", "`sentinel flaky` over a 1M-line history")):
            b = gbench(exe, bm)
            if b is not None:
                add(figure, "ms", b["real_time"] * MS_PER_UNIT[b.get("time_unit", "ns")])
    exe = os.path.join(build, "bench", "incident_bench")
    if not os.path.exists(exe):
        return
    for n in SIZES:
        env = dict(os.environ, INCIDENT_BENCH_RUNS=str(n), INCIDENT_BENCH_EVALS="50" if QUICK else "200")
        r = subprocess.run([exe], capture_output=True, text=True, timeout=900, env=env)
        for line in r.stdout.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 7 or cells[0] not in ("sqlite", "postgres"):
                continue
            store = "SQLite" if cells[0] == "sqlite" else "PostgreSQL"
            num = lambda c: float(c.split()[0])  # noqa: E731
            try:
                add(f"incident evaluation per finished run p50 ({store}, {n:,} runs)", "ms", num(cells[3]))
                add(f"incident evaluation per finished run p99 ({store}, {n:,} runs)", "ms", num(cells[4]))
                add(f"overview figures p50 ({store}, {n:,} runs)", "ms", num(cells[5]))
            except ValueError:
                log(f"incident_bench: unexpected row {line!r}")


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1048576:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({model}), {mem}, {os.uname().sysname} {os.uname().release}"


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    out_path = None
    if "--out" in sys.argv:
        out_path = sys.argv[sys.argv.index("--out") + 1]
    build = os.path.abspath(build)
    sentinel = os.path.join(build, "sentinel")
    if not os.path.exists(sentinel):
        print(f"bench: {sentinel} is not built (make build)", file=sys.stderr)
        return 1
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_before = load()
    tmp = tempfile.mkdtemp(prefix="sentinel-bench-")
    os.chmod(tmp, 0o755)
    try:
        pg_port = None
        try:
            pg_port = start_postgres(tmp)
        except Exception as e:  # noqa: BLE001 - report and carry on without PostgreSQL
            log(f"PostgreSQL unavailable: {e}")
        redis_port = start_redis(tmp)
        for name, fn in (("triage", lambda: bench_triage(build)),
                         ("history", lambda: bench_history(build)),
                         ("http", lambda: bench_http(sentinel, tmp, pg_port, redis_port)),
                         ("memory of sentinel up", lambda: bench_up_memory(sentinel, tmp)),
                         ("engine", lambda: bench_engine(build, tmp, redis_port))):
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - one part failing must not lose the others
                log(f"{name}: failed: {e}")
                ROWS.append((f"{name} benchmarks", "-", f"failed: {str(e)[:120]}", "-", "-", "-"))
    finally:
        for p in reversed(PIDS):
            stop(p)
        stop_postgres()
        shutil.rmtree(tmp, ignore_errors=True)
    cmd = "SENTINEL_BENCH_QUICK=1 make bench" if QUICK else "make bench"
    lines = [
        "# Sentinel Pipeline benchmarks",
        "",
        f"- machine: {machine()}",
        f"- load average (1/5/15 min): {load_before} at the start, {load()} at the end",
        f"- when: {started}; command: `{cmd}` (wrk -t2 -c{CONNS}, {DURATION} s per figure after a {WARMUP} s "
        f"warm-up; histories of {', '.join(f'{s:,}' for s in SIZES)} runs)",
        "- ratio: Sentinel / peer for throughput, peer / Sentinel for latency and memory-free figures "
        "marked lower-is-better; every peer was measured in this same run, on this same machine",
        "",
        "| figure | unit | Sentinel | peer | peer figure | ratio |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} | {e} | {f} |" for a, b, c, d, e, f in ROWS]
    text = "\n".join(lines) + "\n"
    print(text)
    if out_path:
        with open(out_path, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
