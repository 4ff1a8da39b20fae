// The distributed engine for real: PostgreSQL + Redis (throwaway servers) and
// TWO `sentinel worker` processes (the built binary, $SENTINEL_BIN), with the
// reconciler running in the test process as it runs in `sentinel api`.
// Fault tests, each asserting that no run is lost: kill -9 of a worker
// mid-step, a worker frozen (SIGSTOP) past its lease then resumed, Redis
// restarted while jobs wait, cancel, SIGTERM hand-back. Short leases (2 s)
// and tiny pipelines keep them fast; every wait is bounded.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/git/git_source_checkout.h"
#include "adapters/postgres/postgres_db.h"
#include "adapters/redis/redis_job_queue.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/reconciler.h"
#include "testing/wait.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

extern char** environ;

namespace sentinel::app {
namespace {

using testing::ReadFileOrEmpty;
using testing::ScratchDir;
using testing::WaitUntil;
using testing::WriteFileAll;

constexpr EpochMs kLeaseMs = 2'000;

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("SENTINEL_BIN");
    if (bin == nullptr || *bin == '\0') GTEST_SKIP() << "SENTINEL_BIN is not set (ctest sets it)";
    bin_ = bin;
    std::string why;
    auto* pg = testing::SharedPostgres(&why);
    SENTINEL_REQUIRE_SERVER(pg, why);
    redis_ = testing::SharedRedis(&why);
    SENTINEL_REQUIRE_SERVER(redis_, why);
    static int redis_db = 0;
    redis_url_ = redis_->Url(++redis_db % 16);
    db_url_ = pg->CreateTestDatabase();
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
      ::kill(pid, SIGCONT);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (HasFailure()) {
      for (int i = 0; i < static_cast<int>(pids_.size()); ++i) {
        std::string log = ReadFileOrEmpty(dir_.Sub("worker" + std::to_string(i) + ".log"));
        std::printf("---- worker %d log (tail)\n%s\n", i, log.substr(log.size() > 4000 ? log.size() - 4000 : 0).c_str());
      }
    }
  }

  void StartReconciler(int max_retries = 2) {
    reconciler_ = std::make_unique<Reconciler>(*queue_, *exec_, nullptr, SystemClock(),
                                               ReconcilerConfig{.max_retries = max_retries, .orphan_grace_ms = 500});
    loop_ = std::make_unique<ReconcilerLoop>(*reconciler_, 300);
  }

  // Starts `sentinel worker` with id prefix w<n>; returns its index.
  int SpawnWorker(const std::string& grace_seconds = "5") {
    const int index = static_cast<int>(pids_.size());
    std::vector<std::string> args = {bin_, "worker", "--concurrency", "1", "--lease-seconds", "2",
                                     "--heartbeat-seconds", "0.4", "--grace-seconds", grace_seconds,
                                     "--id-prefix", "w" + std::to_string(index)};
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      if (kv.rfind("SENTINEL_", 0) == 0 && kv.rfind("SENTINEL_SOURCE_DIR=", 0) != 0) continue;
      env.push_back(kv);
    }
    env.push_back("SENTINEL_DATABASE_URL=" + db_url_);
    env.push_back("SENTINEL_QUEUE_URL=" + redis_url_);
    env.push_back("SENTINEL_DATA_DIR=" + dir_.Sub("data"));
    const std::string log = dir_.Sub("worker" + std::to_string(index) + ".log");
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::fflush(stdout);  // or the child's freopen writes our buffered output again
    pid_t pid = ::fork();
    if (pid == 0) {
      FILE* f = std::freopen(log.c_str(), "a", stdout);
      if (f != nullptr) ::dup2(::fileno(stdout), 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    pids_.push_back(pid);
    return index;
  }

  std::int64_t MakeRepo(const std::string& name, const std::string& pipeline) {
    const std::string src = dir_.Sub("src-" + name);
    EXPECT_TRUE(WriteFileAll(src + "/.sentinel.yml", pipeline));
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

  bool WaitTerminal(std::int64_t id, int timeout_ms) {
    return WaitUntil([&] { return IsTerminal(Get(id).status); }, timeout_ms);
  }

  bool HasEvent(std::int64_t id, const std::string& kind) {
    auto d = runs_->GetDetail(id);
    if (!d) return false;
    for (const auto& e : d->events) {
      if (e.kind == kind) return true;
    }
    return false;
  }

  ScratchDir dir_;
  std::string bin_, db_url_, redis_url_;
  testing::RedisServer* redis_ = nullptr;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<SourceCheckout> git_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<ReconcilerLoop> loop_;
  std::vector<pid_t> pids_;
};

TEST_F(ClusterTest, TwoWorkerProcessesRunEveryRunExactlyOnce) {
  const auto repo = MakeRepo("quick", "steps:\n  - name: a\n    run: sleep 0.4\n  - name: b\n    run: echo done\n");
  StartReconciler();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 14; ++i) ids.push_back(Submit(repo));
  SpawnWorker();
  SpawnWorker();
  std::set<std::string> prefixes;
  for (auto id : ids) {
    ASSERT_TRUE(WaitTerminal(id, 120'000)) << "run " << id << " never finished";
    sentinel::Run r = Get(id);
    EXPECT_EQ(r.status, RunStatus::kSucceeded) << id;
    EXPECT_EQ(r.attempt, 1) << id;  // nobody ran it twice
    prefixes.insert(r.worker.substr(0, r.worker.find('-')));
  }
  EXPECT_EQ(prefixes, (std::set<std::string>{"w0", "w1"}));
  auto stale = exec_->StaleWriteCount();
  EXPECT_EQ(*stale, 0);
}

TEST_F(ClusterTest, Kill9MidStepTheRunIsFinishedByAnotherWorker) {
  const auto repo = MakeRepo("slow", "steps:\n  - name: a\n    run: sleep 2\n");
  StartReconciler();
  const auto id = Submit(repo);
  SpawnWorker();
  ASSERT_TRUE(WaitUntil([&] { return Get(id).status == RunStatus::kRunning; }, 60'000));
  ASSERT_EQ(::kill(pids_[0], SIGKILL), 0);
  SpawnWorker();
  ASSERT_TRUE(WaitTerminal(id, 60'000));
  sentinel::Run r = Get(id);
  EXPECT_EQ(r.status, RunStatus::kSucceeded);
  EXPECT_EQ(r.attempt, 2);
  EXPECT_EQ(r.worker.substr(0, 3), "w1-");
  EXPECT_TRUE(HasEvent(id, "worker_lost"));
}

TEST_F(ClusterTest, Kill9PastTheRetryLimitMarksTheRunErrored) {
  const auto repo = MakeRepo("slow", "steps:\n  - name: a\n    run: sleep 5\n");
  StartReconciler(/*max_retries=*/0);
  const auto id = Submit(repo);
  SpawnWorker();
  ASSERT_TRUE(WaitUntil([&] { return Get(id).status == RunStatus::kRunning; }, 60'000));
  ASSERT_EQ(::kill(pids_[0], SIGKILL), 0);
  ASSERT_TRUE(WaitTerminal(id, 60'000));
  sentinel::Run r = Get(id);
  EXPECT_EQ(r.status, RunStatus::kErrored);
  EXPECT_EQ(r.category, FailureCategory::kInfrastructure);
  EXPECT_EQ(r.reason, "worker_lost");
}

TEST_F(ClusterTest, FrozenWorkerPastItsLeaseIsFencedOffWhenItResumes) {
  const auto repo = MakeRepo("slow", "steps:\n  - name: a\n    run: sleep 3\n  - name: b\n    run: echo b\n");
  StartReconciler();
  const auto id = Submit(repo);
  SpawnWorker();
  ASSERT_TRUE(WaitUntil([&] { return Get(id).status == RunStatus::kRunning; }, 60'000));
  SpawnWorker();
  ASSERT_EQ(::kill(pids_[0], SIGSTOP), 0);
  // Past its lease, the run is taken over by the other worker (attempt 2).
  ASSERT_TRUE(WaitUntil([&] { return Get(id).attempt == 2; }, 60'000));
  ASSERT_EQ(::kill(pids_[0], SIGCONT), 0);
  ASSERT_TRUE(WaitTerminal(id, 60'000));
  // The resumed worker's writes are rejected and counted.
  ASSERT_TRUE(WaitUntil([&] { return *exec_->StaleWriteCount() >= 1; }, 30'000));
  sentinel::Run r = Get(id);
  EXPECT_EQ(r.status, RunStatus::kSucceeded);
  EXPECT_EQ(r.attempt, 2);
  EXPECT_EQ(r.worker.substr(0, 3), "w1-");
  auto d = runs_->GetDetail(id);
  for (const auto& s : d->steps) EXPECT_EQ(s.status, StepStatus::kSucceeded) << s.name;
  auto rows = db_->Exec("SELECT COUNT(*) FROM stale_writes WHERE run_id = $1 AND attempt = 1", {id});
  ASSERT_TRUE(rows);
  EXPECT_GE(rows->rows[0].Int(0), 1);
  EXPECT_EQ(::kill(pids_[0], 0), 0);  // it is alive and carries on
}

TEST_F(ClusterTest, RedisRestartedWhileJobsWaitEveryRunStillRuns) {
  const auto repo = MakeRepo("quick", "steps:\n  - name: a\n    run: 'true'\n");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(Submit(repo));
  ASSERT_EQ(*queue_->Depth(), 6);
  redis_->Stop();
  ASSERT_TRUE(redis_->Restart());
  ASSERT_TRUE(WaitUntil([&] { return queue_->Ping().has_value(); }, 10'000));
  EXPECT_EQ(*queue_->Depth(), 0);  // the jobs are gone with the server's memory
  StartReconciler();
  SpawnWorker();
  SpawnWorker();
  for (auto id : ids) {
    ASSERT_TRUE(WaitTerminal(id, 60'000)) << id;
    EXPECT_EQ(Get(id).status, RunStatus::kSucceeded);
  }
}

TEST_F(ClusterTest, CancelOfARunningRunOnAWorkerProcess) {
  const auto repo = MakeRepo("long", "steps:\n  - name: a\n    run: sleep 60\n");
  StartReconciler();
  const auto id = Submit(repo);
  SpawnWorker();
  ASSERT_TRUE(WaitUntil([&] { return Get(id).status == RunStatus::kRunning; }, 60'000));
  ASSERT_TRUE(exec_->RequestCancel(id, SystemClock().Now()));
  ASSERT_TRUE(WaitTerminal(id, 30'000));
  EXPECT_EQ(Get(id).status, RunStatus::kCancelled);
}

TEST_F(ClusterTest, SigtermPastTheGraceHandsTheRunBackAndAnotherWorkerFinishesIt) {
  const auto repo = MakeRepo("long", "steps:\n  - name: a\n    run: sleep 4\n");
  StartReconciler();
  const auto id = Submit(repo);
  SpawnWorker("0.5");
  ASSERT_TRUE(WaitUntil([&] { return Get(id).status == RunStatus::kRunning; }, 60'000));
  ASSERT_EQ(::kill(pids_[0], SIGTERM), 0);
  int status = 0;
  ASSERT_TRUE(WaitUntil([&] { return ::waitpid(pids_[0], &status, WNOHANG) == pids_[0]; }, 30'000));
  pids_.erase(pids_.begin());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Get(id).status, RunStatus::kQueued);
  EXPECT_TRUE(HasEvent(id, "released"));
  SpawnWorker();
  ASSERT_TRUE(WaitTerminal(id, 60'000));
  sentinel::Run r = Get(id);
  EXPECT_EQ(r.status, RunStatus::kSucceeded);
  EXPECT_EQ(r.attempt, 2);
}

TEST_F(ClusterTest, AStandaloneWorkerRefusesTheEmbeddedQueueAndSaysWhy) {
  std::string out;
  const std::string cmd = "SENTINEL_QUEUE_URL=embedded SENTINEL_DATABASE_URL='" + db_url_ + "' '" + bin_ +
                          "' worker 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int status = ::pclose(p);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_NE(out.find("redis://"), std::string::npos) << out;
  EXPECT_NE(out.find("embedded"), std::string::npos) << out;
}

}  // namespace
}  // namespace sentinel::app
