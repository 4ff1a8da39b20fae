// End-to-end engine throughput: N runs of a one-step `true` pipeline through
// the whole engine (store row, queue, claim, git checkout, process, finish),
// on each queue:
//   embedded: SQLite + in-process queue + 2 worker threads (what `sentinel up` runs);
//   redis:    PostgreSQL + Redis (throwaway servers) + 2 `sentinel worker` processes.
// Reports runs/s over a burst of N runs enqueued at once, the enqueue-to-start
// latency (run created -> claimed) p50/p99 in that burst, and the same latency
// for runs submitted one at a time to idle workers. Reports; never fails on a time.
//
//   build/bench/e2e_bench [--runs 200] [--idle-runs 20] [--mode all|embedded|redis] [--sentinel PATH]

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "adapters/git/git_source_checkout.h"
#include "adapters/memory/memory_job_queue.h"
#include "adapters/postgres/postgres_db.h"
#include "adapters/process/posix_command_runner.h"
#include "adapters/redis/redis_job_queue.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/worker.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

extern char** environ;

namespace sentinel {
namespace {

struct Figures {
  int runs = 0;
  int succeeded = 0;
  double seconds = 0;
  double runs_per_s = 0;
  double burst_p50_ms = 0, burst_p99_ms = 0;
  double idle_p50_ms = 0, idle_p99_ms = 0;
  double worker_peak_rss_mib = 0;  // the largest of the worker processes (redis mode)
};

double Percentile(std::vector<EpochMs> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return static_cast<double>(v[std::min(i, v.size() - 1)]);
}

struct Engine {
  Db* db;
  JobQueue* queue;
  std::int64_t repo_id;
};

// Submits `n` runs (all at once, or one at a time waiting for each) and waits for all.
bool Drive(const Engine& e, int n, bool one_at_a_time, std::vector<EpochMs>* latencies, EpochMs* first_created,
           EpochMs* last_finished, int* succeeded) {
  sqlstore::SqlRunStore runs(*e.db);
  std::vector<std::int64_t> ids;
  auto wait_all = [&](const std::vector<std::int64_t>& which) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    for (auto id : which) {
      for (;;) {
        auto r = runs.Get(id);
        if (r && IsTerminal(r->status)) break;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    return true;
  };
  for (int i = 0; i < n; ++i) {
    auto run = runs.Create(NewRun{e.repo_id, "", ""}, SystemClock().Now());
    if (!run) return false;
    if (!e.queue->Enqueue(Job{run->id, run->created_at, {}})) return false;
    ids.push_back(run->id);
    if (one_at_a_time && !wait_all({run->id})) return false;
  }
  if (!wait_all(ids)) return false;
  *first_created = INT64_MAX;
  *last_finished = 0;
  for (auto id : ids) {
    auto r = runs.Get(id);
    if (!r) return false;
    *succeeded += r->status == RunStatus::kSucceeded ? 1 : 0;
    *first_created = std::min(*first_created, r->created_at);
    *last_finished = std::max(*last_finished, r->finished_at.value_or(0));
    if (r->started_at) latencies->push_back(*r->started_at - r->created_at);
  }
  return true;
}

bool Measure(const Engine& e, int runs, int idle_runs, Figures* f) {
  std::vector<EpochMs> burst, idle;
  EpochMs first = 0, last = 0, a = 0, b = 0;
  int ok_idle = 0;
  if (!Drive(e, idle_runs, true, &idle, &a, &b, &ok_idle)) return false;
  if (!Drive(e, runs, false, &burst, &first, &last, &f->succeeded)) return false;
  f->runs = runs;
  f->seconds = static_cast<double>(last - first) / 1000.0;
  f->runs_per_s = f->seconds > 0 ? runs / f->seconds : 0;
  f->burst_p50_ms = Percentile(burst, 0.50);
  f->burst_p99_ms = Percentile(burst, 0.99);
  f->idle_p50_ms = Percentile(idle, 0.50);
  f->idle_p99_ms = Percentile(idle, 0.99);
  return true;
}

std::int64_t MakeRepo(Db& db, const std::string& dir) {
  auto git = adapters::git::NewGitSourceCheckout();
  std::filesystem::create_directories(dir + "/src");
  FILE* f = std::fopen((dir + "/src/.sentinel.yml").c_str(), "w");
  if (f == nullptr) return 0;
  std::fputs("steps:\n  - name: ok\n    run: 'true'\n", f);
  std::fclose(f);
  if (!git->InitRepoFromDir(dir + "/src", dir + "/origin", "bench")) return 0;
  sqlstore::SqlRepoStore repos(db);
  auto repo = repos.Create("bench", dir + "/origin", SystemClock().Now());
  return repo ? repo->id : 0;
}

bool RunEmbedded(int runs, int idle_runs, Figures* f) {
  testing::ScratchDir dir;
  auto db = adapters::SqliteDb::Open(dir.Sub("data/sentinel.db"));
  if (!db || !sqlstore::ApplyMigrations(**db, SystemClock().Now())) return false;
  auto queue = adapters::memory::NewMemoryJobQueue(SystemClock());
  sqlstore::SqlExecutionStore store(**db);
  auto runner = adapters::process::NewPosixCommandRunner();
  auto git = adapters::git::NewGitSourceCheckout();
  const std::int64_t repo = MakeRepo(**db, dir.path());
  if (repo == 0) return false;
  app::WorkerDeps d;
  d.queue = queue.get();
  d.store = &store;
  d.checkout = git.get();
  d.runner = runner.get();
  d.clock = &SystemClock();
  app::WorkerConfig c;
  c.data_dir = dir.Sub("data");
  c.poll_ms = 500;
  app::WorkerPool pool(d, c, "bench-1", 2);
  pool.Start();
  bool ok = Measure(Engine{db->get(), queue.get(), repo}, runs, idle_runs, f);
  pool.Stop(5'000);
  return ok;
}

// Peak resident size of a process, in MiB (VmHWM), or 0.
double PeakRssMib(pid_t pid) {
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
  if (f == nullptr) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::atof(line + 6);
  std::fclose(f);
  return kib / 1024.0;
}

pid_t Spawn(const std::string& bin, const std::vector<std::string>& env_extra, const std::string& log) {
  std::vector<std::string> args = {bin, "worker", "--concurrency", "1"};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), env_extra.begin(), env_extra.end());
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::fflush(stdout);
  pid_t pid = ::fork();
  if (pid == 0) {
    FILE* out = std::freopen(log.c_str(), "a", stdout);
    if (out != nullptr) ::dup2(::fileno(stdout), 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

bool RunRedis(const std::string& bin, int runs, int idle_runs, Figures* f) {
  std::string why;
  auto* pg = testing::SharedPostgres(&why);
  auto* redis = testing::SharedRedis(&why);
  if (pg == nullptr || redis == nullptr) {
    std::printf("redis+postgres: servers unavailable: %s\n", why.c_str());
    return false;
  }
  testing::ScratchDir dir;
  const std::string db_url = pg->CreateDatabase("e2e_bench");
  auto db = adapters::PostgresDb::Create(db_url);
  if (!db || !sqlstore::ApplyMigrations(**db, SystemClock().Now())) return false;
  adapters::redis::RedisQueueOptions qo;
  qo.url = redis->Url(0);
  auto queue = adapters::redis::OpenRedisJobQueue(SystemClock(), qo);
  if (!queue) return false;
  const std::int64_t repo = MakeRepo(**db, dir.path());
  if (repo == 0) return false;
  std::vector<std::string> env = {"SENTINEL_DATABASE_URL=" + db_url, "SENTINEL_QUEUE_URL=" + redis->Url(0),
                                  "SENTINEL_DATA_DIR=" + dir.Sub("data")};
  std::vector<pid_t> pids = {Spawn(bin, env, dir.Sub("w0.log")), Spawn(bin, env, dir.Sub("w1.log"))};
  bool ok = Measure(Engine{db->get(), queue->get(), repo}, runs, idle_runs, f);
  for (pid_t p : pids) f->worker_peak_rss_mib = std::max(f->worker_peak_rss_mib, PeakRssMib(p));
  for (pid_t p : pids) ::kill(p, SIGTERM);
  for (pid_t p : pids) ::waitpid(p, nullptr, 0);
  return ok;
}

// Machine-readable lines for bench/run_bench.py.
void PrintFigures(const char* kind, const Figures& f) {
  std::printf("FIGURE|%s runs/s|runs/s|%.2f\n", kind, f.runs_per_s);
  std::printf("FIGURE|%s idle p50|ms|%.3f\n", kind, f.idle_p50_ms);
  std::printf("FIGURE|%s idle p99|ms|%.3f\n", kind, f.idle_p99_ms);
  std::printf("FIGURE|%s burst p50|ms|%.3f\n", kind, f.burst_p50_ms);
  std::printf("FIGURE|%s burst p99|ms|%.3f\n", kind, f.burst_p99_ms);
  if (f.worker_peak_rss_mib > 0) std::printf("FIGURE|%s worker peak RSS|MiB|%.1f\n", kind, f.worker_peak_rss_mib);
}

void Print(const char* name, const Figures& f) {
  std::printf("%-34s %5d runs %4d ok %8.1f runs/s   burst start p50 %7.0f ms p99 %7.0f ms   idle start p50 %5.0f ms p99 %5.0f ms\n",
              name, f.runs, f.succeeded, f.runs_per_s, f.burst_p50_ms, f.burst_p99_ms, f.idle_p50_ms, f.idle_p99_ms);
  std::fflush(stdout);
}

}  // namespace
}  // namespace sentinel

int main(int argc, char** argv) {
  int runs = 200, idle_runs = 20;
  std::string mode = "all";
  std::string bin = std::filesystem::path(std::filesystem::read_symlink("/proc/self/exe")).parent_path().parent_path() /
                    "sentinel";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--runs") runs = std::atoi(argv[i + 1]);
    else if (k == "--idle-runs") idle_runs = std::atoi(argv[i + 1]);
    else if (k == "--mode") mode = argv[i + 1];
    else if (k == "--sentinel") bin = argv[i + 1];
  }
  std::printf("e2e: %d runs of a one-step `true` pipeline (git checkout + process + store writes), 2 workers\n", runs);
  int status = 0;
  if (mode == "all" || mode == "embedded") {
    sentinel::Figures f;
    if (sentinel::RunEmbedded(runs, idle_runs, &f)) {
      sentinel::Print("embedded (SQLite, in-process queue)", f);
      sentinel::PrintFigures("embedded", f);
    } else {
      std::printf("embedded: failed\n");
      status = 1;
    }
  }
  if (mode == "all" || mode == "redis") {
    sentinel::Figures f;
    if (sentinel::RunRedis(bin, runs, idle_runs, &f)) {
      sentinel::Print("redis+postgres (2 worker processes)", f);
      sentinel::PrintFigures("redis", f);
    } else {
      std::printf("redis+postgres: failed (sentinel binary %s)\n", bin.c_str());
      status = 1;
    }
  }
  return status;
}
