#pragma once
// The fixture of the distributed-engine tests (cluster_test, cluster_fault_test):
// a throwaway PostgreSQL database and Redis db (tests/testing/servers.h), the
// stores over them in this process, and `sentinel worker` / `sentinel api`
// processes (the built binary, $SENTINEL_BIN) started and killed by the test.
// Short leases (2 s) keep the fault tests fast; every wait is bounded.
// ExpectNothingLost states what "no run lost or duplicated" means in rows.
// Not thread-safe: drive it from the test thread.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/git/git_source_checkout.h"
#include "adapters/postgres/postgres_db.h"
#include "adapters/redis/redis_job_queue.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/reconciler.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

extern char** environ;

namespace sentinel::app {

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("SENTINEL_BIN");
    if (bin == nullptr || *bin == '\0') GTEST_SKIP() << "SENTINEL_BIN is not set (ctest sets it)";
    bin_ = bin;
    std::string why;
    pg_ = testing::SharedPostgres(&why);
    SENTINEL_REQUIRE_SERVER(pg_, why);
    redis_ = testing::SharedRedis(&why);
    SENTINEL_REQUIRE_SERVER(redis_, why);
    static int redis_db = 0;
    redis_url_ = redis_->Url(++redis_db % 16);
    db_url_ = pg_->CreateTestDatabase();
    auto db = adapters::PostgresDb::Create(db_url_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::ApplyMigrations(*db_, SystemClock().Now()));
    repos_ = std::make_unique<sqlstore::SqlRepoStore>(*db_);
    runs_ = std::make_unique<sqlstore::SqlRunStore>(*db_);
    exec_ = std::make_unique<sqlstore::SqlExecutionStore>(*db_);
    adapters::redis::RedisQueueOptions qo;
    qo.url = redis_url_;
    auto q = adapters::redis::OpenRedisJobQueue(SystemClock(), qo);
    ASSERT_TRUE(q) << q.error().message;
    queue_ = std::move(*q);
    git_ = adapters::git::NewGitSourceCheckout();
  }

  void TearDown() override {
    loop_.reset();
    for (pid_t pid : pids_) {
      if (pid <= 0) continue;  // reaped already (never kill(-1, ...))
      ::kill(pid, SIGCONT);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (HasFailure()) {
      for (const std::string& name : logs_) {
        std::string log = testing::ReadFileOrEmpty(dir_.Sub(name));
        std::printf("---- %s (tail)\n%s\n", name.c_str(),
                    log.substr(log.size() > 4000 ? log.size() - 4000 : 0).c_str());
      }
    }
  }

  void StartReconciler(int max_retries = 2) {
    reconciler_ = std::make_unique<Reconciler>(*queue_, *exec_, nullptr, SystemClock(),
                                               ReconcilerConfig{.max_retries = max_retries, .orphan_grace_ms = 500});
    loop_ = std::make_unique<ReconcilerLoop>(*reconciler_, 300);
  }

  // Starts `sentinel <args>` with the database, queue and data dir of this test
  // in its environment (and `extra_env`), output to `log` in the scratch dir.
  // Returns its index in pids_.
  int SpawnProcess(std::vector<std::string> args, const std::string& log,
                   const std::vector<std::string>& extra_env = {}) {
    const int index = static_cast<int>(pids_.size());
    args.insert(args.begin(), bin_);
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      if (kv.rfind("SENTINEL_", 0) == 0 && kv.rfind("SENTINEL_SOURCE_DIR=", 0) != 0) continue;
      env.push_back(kv);
    }
    env.push_back("SENTINEL_DATABASE_URL=" + db_url_);
    env.push_back("SENTINEL_QUEUE_URL=" + redis_url_);
    env.push_back("SENTINEL_DATA_DIR=" + dir_.Sub("data"));
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    const std::string path = dir_.Sub(log);
    logs_.push_back(log);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::fflush(stdout);  // or the child's freopen writes our buffered output again
    pid_t pid = ::fork();
    if (pid == 0) {
      FILE* f = std::freopen(path.c_str(), "a", stdout);
      if (f != nullptr) ::dup2(::fileno(stdout), 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    pids_.push_back(pid);
    return index;
  }

  // Starts `sentinel worker` with id prefix w<index>; returns its index.
  int SpawnWorker(const std::string& grace_seconds = "5", int concurrency = 1) {
    const std::string n = std::to_string(pids_.size());
    return SpawnProcess({"worker", "--concurrency", std::to_string(concurrency), "--lease-seconds", "2",
                         "--heartbeat-seconds", "0.4",
                         "--grace-seconds", grace_seconds, "--id-prefix", "w" + n},
                        "worker" + n + ".log");
  }

  // kill -9 of process `index`, reaped at once (so its pid is never signalled again).
  void Kill9(int index) {
    pid_t& pid = pids_.at(static_cast<std::size_t>(index));
    ASSERT_GT(pid, 0) << "process " << index << " is gone already";
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }

  // True while process `index` runs (a crash, an exit: false).
  bool Alive(int index) {
    pid_t pid = pids_.at(static_cast<std::size_t>(index));
    return pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0;
  }

  std::int64_t MakeRepo(const std::string& name, const std::string& pipeline) {
    const std::string src = dir_.Sub("src-" + name);
    EXPECT_TRUE(testing::WriteFileAll(src + "/.sentinel.yml", pipeline));
    const std::string origin = dir_.Sub("repos/" + name);
    auto sha = git_->InitRepoFromDir(src, origin, "seed");
    EXPECT_TRUE(sha) << sha.error().message;
    auto repo = repos_->Create(name, origin, SystemClock().Now());
    EXPECT_TRUE(repo) << repo.error().message;
    return repo ? repo->id : 0;
  }

  std::int64_t Submit(std::int64_t repo_id) {
    auto run = runs_->Create(NewRun{repo_id, "", "success"}, SystemClock().Now());
    EXPECT_TRUE(run) << run.error().message;
    EXPECT_TRUE(queue_->Enqueue(Job{run->id, SystemClock().Now(), {}}));
    return run->id;
  }

  sentinel::Run Get(std::int64_t id) {
    auto r = runs_->Get(id);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : sentinel::Run{};
  }

  // Like Get, but a failed read (the database restarting) is no test failure: kQueued then.
  RunStatus StatusOr(std::int64_t id) {
    auto r = runs_->Get(id);
    return r ? r->status : RunStatus::kQueued;
  }

  bool WaitTerminal(std::int64_t id, int timeout_ms) {
    return testing::WaitUntil([&] { return IsTerminal(StatusOr(id)); }, timeout_ms);
  }

  bool HasEvent(std::int64_t id, const std::string& kind) {
    auto d = runs_->GetDetail(id);
    if (!d) return false;
    for (const auto& e : d->events) {
      if (e.kind == kind) return true;
    }
    return false;
  }

  // A count from SQL (first column of the first row), or -1 when the query fails.
  long Count(const std::string& sql, const SqlParams& params = {}) {
    auto r = db_->Exec(sql, params);
    EXPECT_TRUE(r) << sql << ": " << r.error().message;
    return r && !r->rows.empty() ? static_cast<long>(r->rows[0].Int(0)) : -1;
  }

  // Nothing lost, nothing duplicated, nothing half-written, for the runs `ids`
  // once they are all final: each is one row in a final state with its finish
  // time and no lease; a worker finished it at most once (one `finished` event;
  // a run that was finished by a worker has exactly one, at its current
  // attempt); each attempt was claimed once; its steps are the current attempt's,
  // none left pending or running; at most one failure row per step; no run was
  // made as a copy of another; and the queue holds none of them any more.
  void ExpectNothingLost(const std::vector<std::int64_t>& ids) {
    ASSERT_FALSE(ids.empty());
    const std::int64_t lo = ids.front(), hi = ids.back();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE id BETWEEN $1 AND $2", {lo, hi}),
              static_cast<long>(ids.size()));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE retry_of IS NOT NULL"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE id BETWEEN $1 AND $2 AND (status IN ('queued', 'running') "
                    "OR finished_at IS NULL OR lease_expires_at IS NOT NULL)",
                    {lo, hi}),
              0);
    // One `finished` event per run a worker finished (succeeded, failed, timed out;
    // errored may also come from the reconciler, with none), at the final attempt.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT run_id FROM run_events WHERE kind = 'finished' "
                    "AND run_id BETWEEN $1 AND $2 GROUP BY run_id HAVING COUNT(*) > 1) d",
                    {lo, hi}),
              0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM runs r WHERE r.id BETWEEN $1 AND $2 "
                    "AND r.status IN ('succeeded', 'failed', 'timed_out') AND NOT EXISTS (SELECT 1 FROM run_events e "
                    "WHERE e.run_id = r.id AND e.kind = 'finished' AND e.attempt = r.attempt)",
                    {lo, hi}),
              0);
    // Each attempt claimed exactly once (attempt n = n claims).
    EXPECT_EQ(Count("SELECT COUNT(*) FROM runs r WHERE r.id BETWEEN $1 AND $2 AND r.attempt <> (SELECT COUNT(*) "
                    "FROM run_events e WHERE e.run_id = r.id AND e.kind = 'claimed')",
                    {lo, hi}),
              0);
    // The steps of a finished run are whole and its final attempt's.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM steps s JOIN runs r ON r.id = s.run_id WHERE r.id BETWEEN $1 AND $2 "
                    "AND (s.status IN ('pending', 'running') OR (s.attempt <> r.attempt AND r.status <> 'errored'))",
                    {lo, hi}),
              0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM steps s JOIN runs r ON r.id = s.run_id WHERE r.id BETWEEN $1 AND $2 "
                    "AND r.status = 'succeeded' AND (s.status <> 'succeeded' OR s.finished_at IS NULL)",
                    {lo, hi}),
              0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT run_id FROM failures WHERE run_id BETWEEN $1 AND $2 "
                    "GROUP BY run_id, step_idx HAVING COUNT(*) > 1) d",
                    {lo, hi}),
              0);
    // A worker acks a job only once its run's final state is committed. One killed in between
    // leaves the job in flight until its lease (2 s) expires and another worker, finding the run
    // final, acks it without running it again: the queue converges shortly after (bounded wait).
    auto final_in_queue = [&] {
      auto q = queue_->QueuedJobIds();
      auto f = queue_->InFlightJobIds();
      if (!q || !f) return true;
      for (auto id : *q)
        if (id >= lo && id <= hi) return true;
      for (auto id : *f)
        if (id >= lo && id <= hi) return true;
      return false;
    };
    testing::WaitUntil([&] { return !final_in_queue(); }, 30'000);
    auto queued = queue_->QueuedJobIds();
    auto in_flight = queue_->InFlightJobIds();
    ASSERT_TRUE(queued && in_flight);
    for (auto id : *queued) EXPECT_TRUE(id < lo || id > hi) << "run " << id << " is final but still queued";
    for (auto id : *in_flight) EXPECT_TRUE(id < lo || id > hi) << "run " << id << " is final but still in flight";
  }

  testing::ScratchDir dir_;
  std::string bin_, db_url_, redis_url_;
  testing::PostgresServer* pg_ = nullptr;
  testing::RedisServer* redis_ = nullptr;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<SourceCheckout> git_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<ReconcilerLoop> loop_;
  std::vector<pid_t> pids_;        // -1 once reaped
  std::vector<std::string> logs_;  // each process' output file in dir_, printed on failure
};

}  // namespace sentinel::app
