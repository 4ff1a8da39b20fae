// The distributed engine for real: PostgreSQL + Redis (throwaway servers) and
// TWO `sentinel worker` processes (the built binary, $SENTINEL_BIN), with the
// reconciler running in the test process as it runs in `sentinel api`.
// Fault tests, each asserting that no run is lost: kill -9 of a worker
// mid-step, a worker frozen (SIGSTOP) past its lease then resumed, Redis
// restarted while jobs wait, cancel, SIGTERM hand-back. Short leases (2 s)
// and tiny pipelines keep them fast; every wait is bounded. The fixture is
// cluster_fixture.h; the longer fault runs are in cluster_fault_test.cc.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include <gtest/gtest.h>

#include "engine/cluster_fixture.h"

namespace sentinel::app {
namespace {

using testing::WaitUntil;

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
  Kill9(0);
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
  Kill9(0);
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
  pids_[0] = -1;  // reaped
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
