// The whole flow on the embedded default, in process: SQLite store, in-memory
// queue, real git checkouts and real processes (POSIX runner), worker threads
// and the reconciler loop. Over a sample repository (real pytest) and over
// small temporary repositories: timeouts that leave no grandchild alive,
// cancel of a running run, and runs queued in no queue.

#include <dirent.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/git/git_source_checkout.h"
#include "adapters/memory/memory_job_queue.h"
#include "adapters/process/posix_command_runner.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/reconciler.h"
#include "app/worker.h"
#include "testing/wait.h"
#include "testing/scratch_dir.h"

namespace sentinel::app {
namespace {

using testing::ReadFileOrEmpty;
using testing::ScratchDir;
using testing::WaitUntil;
using testing::WriteFileAll;

std::string SourceDir() {
  const char* d = std::getenv("SENTINEL_SOURCE_DIR");
  return d != nullptr ? d : ".";
}

// Pids of live processes whose command line contains `marker`.
std::vector<int> ProcessesWith(const std::string& marker) {
  std::vector<int> out;
  DIR* d = ::opendir("/proc");
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    int pid = std::atoi(e->d_name);
    if (pid <= 0 || pid == ::getpid()) continue;
    std::string cmd = ReadFileOrEmpty("/proc/" + std::string(e->d_name) + "/cmdline");
    for (char& c : cmd) {
      if (c == '\0') c = ' ';
    }
    std::string stat = ReadFileOrEmpty("/proc/" + std::string(e->d_name) + "/stat");
    const bool zombie = stat.find(") Z ") != std::string::npos;
    if (!zombie && cmd.find(marker) != std::string::npos) out.push_back(pid);
  }
  ::closedir(d);
  return out;
}

class FlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = adapters::SqliteDb::Open(dir_.Sub("data/sentinel.db"));
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::ApplyMigrations(*db_, SystemClock().Now()));
    repos_ = std::make_unique<sqlstore::SqlRepoStore>(*db_);
    runs_ = std::make_unique<sqlstore::SqlRunStore>(*db_);
    exec_ = std::make_unique<sqlstore::SqlExecutionStore>(*db_);
    registry_ = std::make_unique<sqlstore::SqlWorkerRegistry>(*db_);
    queue_ = adapters::memory::NewMemoryJobQueue(SystemClock(), {.default_ttl_ms = 2'000});
    runner_ = adapters::process::NewPosixCommandRunner();
    git_ = adapters::git::NewGitSourceCheckout();
  }

  void StartEngine(int workers) {
    WorkerDeps d;
    d.queue = queue_.get();
    d.store = exec_.get();
    d.registry = registry_.get();
    d.checkout = git_.get();
    d.runner = runner_.get();
    d.clock = &SystemClock();
    WorkerConfig c;
    c.data_dir = dir_.Sub("data");
    c.lease_ms = 2'000;
    c.heartbeat_ms = 200;
    c.poll_ms = 100;
    c.kill_grace_ms = 500;
    pool_ = std::make_unique<WorkerPool>(d, c, "flow-1", workers);
    pool_->Start();
    reconciler_ = std::make_unique<Reconciler>(*queue_, *exec_, registry_.get(), SystemClock(),
                                               ReconcilerConfig{.orphan_grace_ms = 100});
    loop_ = std::make_unique<ReconcilerLoop>(*reconciler_, 200);
  }

  void TearDown() override {
    if (pool_) pool_->Stop(2'000);
    loop_.reset();
  }

  // A git repository holding `pipeline` as .sentinel.yml (plus files); registered.
  std::int64_t MakeRepo(const std::string& name, const std::string& pipeline,
                        std::map<std::string, std::string> files = {}) {
    const std::string src = dir_.Sub("src-" + name);
    files[".sentinel.yml"] = pipeline;
    for (const auto& [path, content] : files) EXPECT_TRUE(WriteFileAll(src + "/" + path, content));
    return Register(name, src);
  }

  std::int64_t Register(const std::string& name, const std::string& src) {
    const std::string origin = dir_.Sub("data/repos/" + name);
    auto sha = git_->InitRepoFromDir(src, origin, "seed " + name);
    EXPECT_TRUE(sha) << sha.error().message;
    auto repo = repos_->Create(name, origin, SystemClock().Now());
    EXPECT_TRUE(repo) << repo.error().message;
    return repo ? repo->id : 0;
  }

  std::int64_t Submit(std::int64_t repo_id, const std::string& scenario = "", bool enqueue = true) {
    auto run = runs_->Create(NewRun{repo_id, "", scenario}, SystemClock().Now());
    EXPECT_TRUE(run) << run.error().message;
    if (enqueue) {
      EXPECT_TRUE(queue_->Enqueue(Job{run->id, SystemClock().Now(), {}}));
    }
    return run->id;
  }

  RunStatus StatusOf(std::int64_t id) { return runs_->Get(id)->status; }

  bool WaitForStatus(std::int64_t id, RunStatus want, int timeout_ms) {
    return WaitUntil([&] { return StatusOf(id) == want; }, timeout_ms);
  }

  bool WaitTerminal(std::int64_t id, int timeout_ms) {
    return WaitUntil([&] { return IsTerminal(StatusOf(id)); }, timeout_ms);
  }

  ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<sqlstore::SqlWorkerRegistry> registry_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<CommandRunner> runner_;
  std::unique_ptr<SourceCheckout> git_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<ReconcilerLoop> loop_;
};

TEST_F(FlowTest, SamplePythonRepoSucceedsAndFailsForRealWithStepsLogsCommitAndTests) {
  const auto repo = Register("demo-python", SourceDir() + "/sample_repos/demo-python");
  StartEngine(2);
  const auto ok = Submit(repo, "success");
  const auto bad = Submit(repo, "testfail");
  ASSERT_TRUE(WaitTerminal(ok, 120'000));
  ASSERT_TRUE(WaitTerminal(bad, 120'000));

  auto good = runs_->GetDetail(ok);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->run.status, RunStatus::kSucceeded);
  EXPECT_EQ(good->run.commit.size(), 40u);
  ASSERT_EQ(good->steps.size(), 2u);
  EXPECT_EQ(good->steps[1].name, "test");
  EXPECT_EQ(good->steps[1].exit_code, 0);
  EXPECT_EQ(good->tests.total, 7);
  EXPECT_EQ(good->tests.failed, 0);
  EXPECT_NE(ReadFileOrEmpty(dir_.Sub("data/" + good->steps[1].log_path)).find("7 passed"), std::string::npos);

  auto failed = runs_->GetDetail(bad);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->run.status, RunStatus::kFailed);
  EXPECT_EQ(failed->run.category, FailureCategory::kTestFailure);
  EXPECT_EQ(failed->steps[1].status, StepStatus::kFailed);
  EXPECT_EQ(failed->steps[1].exit_code, 1);
  ASSERT_EQ(failed->failed_tests.size(), 1u);
  EXPECT_NE(failed->failed_tests[0].name.find("test_total_rounds_tax"), std::string::npos);
  EXPECT_NE(ReadFileOrEmpty(dir_.Sub("data/" + failed->steps[1].log_path)).find("AssertionError"), std::string::npos);
}

TEST_F(FlowTest, TimedOutStepLeavesNoGrandchildAlive) {
  const std::string marker = "sentinel-flow-grandchild-" + std::to_string(::getpid());
  const std::string survivor = dir_.Sub("survivor");
  // A background grandchild that would write a file after 3 s, and a step that outlives its 1 s timeout.
  const auto repo = MakeRepo("bg", "steps:\n  - name: hang\n    run: \"sh -c 'sleep 3; echo alive > " + survivor +
                                       "; : " + marker + "' & sleep 60\"\n    timeout: 1s\n");
  StartEngine(1);
  const auto id = Submit(repo);
  ASSERT_TRUE(WaitTerminal(id, 30'000));
  auto d = runs_->GetDetail(id);
  EXPECT_EQ(d->run.status, RunStatus::kTimedOut);
  EXPECT_EQ(d->steps[0].status, StepStatus::kTimedOut);
  EXPECT_TRUE(ProcessesWith(marker).empty());
  // Had the grandchild survived, it would have written the file by now.
  std::this_thread::sleep_for(std::chrono::milliseconds(3'500));
  EXPECT_FALSE(std::filesystem::exists(survivor));
  EXPECT_TRUE(ProcessesWith(marker).empty());
}

TEST_F(FlowTest, CancelOfARunningRunKillsItsProcessGroup) {
  const std::string marker = "sentinel-flow-cancel-" + std::to_string(::getpid());
  const auto repo = MakeRepo("long", "steps:\n  - name: wait\n    run: \"sh -c 'sleep 60; : " + marker +
                                         "' & wait\"\n  - name: after\n    run: 'true'\n");
  StartEngine(1);
  const auto id = Submit(repo);
  ASSERT_TRUE(WaitUntil([&] { return !ProcessesWith(marker).empty(); }, 30'000));
  auto c = exec_->RequestCancel(id, SystemClock().Now());
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(WaitTerminal(id, 30'000));
  auto d = runs_->GetDetail(id);
  EXPECT_EQ(d->run.status, RunStatus::kCancelled);
  EXPECT_EQ(d->steps[1].status, StepStatus::kSkipped);
  EXPECT_TRUE(ProcessesWith(marker).empty());
}

TEST_F(FlowTest, RunsQueuedInTheStoreButInNoQueueStillRun) {
  const auto repo = MakeRepo("quick", "steps:\n  - name: a\n    run: echo hello\n");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Submit(repo, "", /*enqueue=*/false));  // e.g. seeded history
  StartEngine(2);
  for (auto id : ids) {
    ASSERT_TRUE(WaitTerminal(id, 30'000)) << id;
    EXPECT_EQ(StatusOf(id), RunStatus::kSucceeded);
  }
}

TEST_F(FlowTest, ConfigErrorInTheRepositoryFailsTheRunNamingTheLine) {
  const auto repo = MakeRepo("broken", "steps:\n  - name: a\n    run: true\n    retries: 9\n");
  StartEngine(1);
  const auto id = Submit(repo);
  ASSERT_TRUE(WaitTerminal(id, 30'000));
  auto d = runs_->GetDetail(id);
  EXPECT_EQ(d->run.status, RunStatus::kFailed);
  EXPECT_EQ(d->run.category, FailureCategory::kConfigError);
  ASSERT_EQ(d->failures.size(), 1u);
  EXPECT_NE(d->failures[0].title.find("line 4"), std::string::npos) << d->failures[0].title;
}

}  // namespace
}  // namespace sentinel::app
