// The worker and reconciler use cases over the SQLite store and the in-memory
// queue, with FakeCommandRunner and FakeSourceCheckout: what runs, in which
// order and environment, what the store records, retries, cancel, fencing,
// hand-back, and the reconciler's recovery passes.

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/memory/memory_job_queue.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/reconciler.h"
#include "app/run_control.h"
#include "app/triage_hooks.h"
#include "adapters/kb/embedded_kb.h"
#include "app/worker.h"
#include "testing/fake_command_runner.h"
#include "testing/fake_source_checkout.h"
#include "testing/scratch_dir.h"

namespace sentinel::app {
namespace {

using testing::FakeCommandRunner;
using testing::FakeSourceCheckout;
using testing::ReadFileOrEmpty;
using testing::ScratchDir;

constexpr char kTwoSteps[] =
    "env: {GREETING: hello}\n"
    "steps:\n"
    "  - name: build\n"
    "    run: make\n"
    "    timeout: 30s\n"
    "  - name: test\n"
    "    run: pytest\n"
    "    junit: reports/*.xml\n"
    "    env: {STEP_ONLY: '1'}\n"
    "  - name: deploy\n"
    "    run: ./deploy\n";

constexpr char kJUnitOneFailure[] =
    "<testsuite name='s'><testcase classname='c' name='ok'/>"
    "<testcase classname='c' name='bad'><failure message='assert 1 == 2'/></testcase>"
    "<testcase classname='c' name='crash'><error message='boom'/></testcase></testsuite>";

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = adapters::SqliteDb::Open(dir_.Sub("sentinel.db"));
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::ApplyMigrations(*db_, SystemClock().Now()));
    repos_ = std::make_unique<sqlstore::SqlRepoStore>(*db_);
    runs_ = std::make_unique<sqlstore::SqlRunStore>(*db_);
    exec_ = std::make_unique<sqlstore::SqlExecutionStore>(*db_);
    registry_ = std::make_unique<sqlstore::SqlWorkerRegistry>(*db_);
    queue_ = adapters::memory::NewMemoryJobQueue(SystemClock(), {.default_ttl_ms = 2'000});
    config_.data_dir = dir_.Sub("data");
    config_.lease_ms = 1'000;
    config_.heartbeat_ms = 50;
    config_.poll_ms = 50;
    config_.kill_grace_ms = 100;
  }

  WorkerDeps Deps() {
    WorkerDeps d;
    d.queue = queue_.get();
    d.store = exec_.get();
    d.registry = registry_.get();
    d.checkout = &checkout_;
    d.runner = &runner_;
    d.clock = &SystemClock();
    d.classify = classify_;
    d.analyze = analyze_;
    return d;
  }

  std::unique_ptr<Worker> MakeWorker(const std::string& id = "host-1-0") {
    return std::make_unique<Worker>(Deps(), config_, id);
  }

  // A repository with these files, one queued run of it, its job on the queue.
  std::int64_t Submit(std::map<std::string, std::string> files, const std::string& scenario = "success") {
    const std::string url = "fake://repo-" + std::to_string(++repo_counter_);
    checkout_.SetRepo(url, std::move(files), "feedfacefeedfacefeedfacefeedfacefeedface");
    auto repo = repos_->Create("repo" + std::to_string(repo_counter_), url, SystemClock().Now());
    EXPECT_TRUE(repo) << repo.error().message;
    auto run = runs_->Create(NewRun{repo->id, "main", scenario}, SystemClock().Now());
    EXPECT_TRUE(run) << run.error().message;
    EXPECT_TRUE(queue_->Enqueue(Job{run->id, SystemClock().Now(), {}}));
    return run->id;
  }

  RunDetail Detail(std::int64_t id) {
    auto d = runs_->GetDetail(id);
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : RunDetail{};
  }

  std::int64_t Scalar(const std::string& sql) {
    auto r = db_->Exec(sql);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->rows.empty() ? r->rows[0].Int(0) : -1;
  }

  bool HasEvent(const RunDetail& d, const std::string& kind, const std::string& needle = "") {
    for (const auto& e : d.events) {
      if (e.kind == kind && e.message.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<sqlstore::SqlWorkerRegistry> registry_;
  std::unique_ptr<JobQueue> queue_;
  FakeCommandRunner runner_;
  FakeSourceCheckout checkout_;
  ClassifyStepFn classify_;
  AnalyzeRunFn analyze_;
  WorkerConfig config_;
  int repo_counter_ = 0;
};

TEST_F(WorkerTest, RunsEveryStepInOrderWithAScrubbedEnvironmentAndSucceeds) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.SetScript("make", {Completed{0, 0, ""}, "compiling\n"});
  auto w = MakeWorker();
  auto r = w->RunOnce();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(*r);

  EXPECT_EQ(runner_.commands_ran_, (std::vector<std::string>{"make", "pytest", "./deploy"}));
  const CommandSpec& test = runner_.specs_[1];
  const std::string ws = config_.data_dir + "/workspaces/run-" + std::to_string(id) + "-1";
  EXPECT_EQ(test.cwd, ws);
  std::map<std::string, std::string> want_env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", ws}, {"LANG", "C.UTF-8"}, {"GREETING", "hello"},
      {"STEP_ONLY", "1"}, {"CI", "true"}, {"SENTINEL_SCENARIO", "success"}, {"SENTINEL_RUN_ID", std::to_string(id)},
      {"SENTINEL_RUN_ATTEMPT", "1"}};
  EXPECT_EQ(test.env, want_env);
  EXPECT_EQ(runner_.specs_[0].timeout_ms, 30'000);
  EXPECT_EQ(test.log_path, config_.data_dir + "/logs/run-" + std::to_string(id) + "/test.log");
  EXPECT_EQ(ReadFileOrEmpty(runner_.specs_[0].log_path), "compiling\n");

  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kSucceeded);
  EXPECT_EQ(d.run.commit, "feedfacefeedfacefeedfacefeedfacefeedface");
  EXPECT_EQ(d.run.attempt, 1);
  ASSERT_EQ(d.steps.size(), 3u);
  for (const Step& s : d.steps) {
    EXPECT_EQ(s.status, StepStatus::kSucceeded) << s.name;
    EXPECT_EQ(s.exit_code, 0);
    EXPECT_EQ(s.attempts, 1);
  }
  EXPECT_EQ(d.steps[1].log_path, "logs/run-" + std::to_string(id) + "/test.log");
  // The junit glob matched nothing: said on the step, not an error.
  ASSERT_EQ(d.steps[1].warnings.size(), 1u);
  EXPECT_NE(d.steps[1].warnings[0].find("no file matches reports/*.xml"), std::string::npos);
  // Acked: nothing left in the queue; the workspace is gone.
  EXPECT_EQ(*queue_->Depth(), 0);
  EXPECT_TRUE(queue_->InFlightJobIds()->empty());
  EXPECT_FALSE(std::filesystem::exists(ws));
}

TEST_F(WorkerTest, FailedStepSkipsTheRestAndItsTestsAreIngested) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}, {"reports/junit.xml", kJUnitOneFailure},
                          {"reports/broken.xml", "<testsuite><testcase"}});
  runner_.SetScript("pytest", {Completed{1, 0, ""}, "E assert 1 == 2\n"});
  auto w = MakeWorker();
  ASSERT_TRUE(w->RunOnce());
  EXPECT_EQ(runner_.commands_ran_, (std::vector<std::string>{"make", "pytest"}));
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.run.category, FailureCategory::kTestFailure);
  EXPECT_EQ(d.steps[1].status, StepStatus::kFailed);
  EXPECT_EQ(d.steps[1].exit_code, 1);
  EXPECT_EQ(d.steps[2].status, StepStatus::kSkipped);
  EXPECT_EQ(d.tests.total, 3);
  EXPECT_EQ(d.tests.failed, 1);
  EXPECT_EQ(d.tests.errors, 1);  // an <error> is a failure, never a pass
  EXPECT_EQ(d.failed_tests.size(), 2u);
  // The malformed report is a warning on the step.
  ASSERT_EQ(d.steps[1].warnings.size(), 1u);
  EXPECT_NE(d.steps[1].warnings[0].find("reports/broken.xml"), std::string::npos) << d.steps[1].warnings[0];
}

TEST_F(WorkerTest, MissingPipelineFileFailsTheRunAsConfigError) {
  const auto id = Submit({{"README.md", "no pipeline"}});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.run.category, FailureCategory::kConfigError);
  EXPECT_EQ(d.run.reason, "config_error");
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kConfigError);
  EXPECT_NE(d.failures[0].title.find(".sentinel.yml not found"), std::string::npos);
  EXPECT_TRUE(runner_.commands_ran_.empty());
}

TEST_F(WorkerTest, InvalidPipelineFileNamesTheLine) {
  const auto id = Submit({{".sentinel.yml", "steps:\n  - name: a\n    run: true\n    timeout: 5 minutes\n"}});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.run.category, FailureCategory::kConfigError);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_NE(d.failures[0].title.find("line 4"), std::string::npos) << d.failures[0].title;
  ASSERT_EQ(d.failures[0].evidence.size(), 1u);
  EXPECT_EQ(d.failures[0].evidence[0].line, 4);
  EXPECT_TRUE(HasEvent(d, "finished", "line 4"));
}

TEST_F(WorkerTest, CheckoutOfAMissingRefFailsTheRun) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  checkout_.SetError("fake://repo-1", Error{ErrorCode::kInvalidArgument, "ref 'main' not found in fake://repo-1", ""});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.run.category, FailureCategory::kConfigError);
  EXPECT_TRUE(runner_.commands_ran_.empty());
}

constexpr char kRetryingStep[] =
    "steps:\n"
    "  - name: deps\n"
    "    run: fetch\n"
    "    retries: 2\n"
    "    junit: reports/junit.xml\n"
    "  - name: test\n"
    "    run: pytest\n";

TEST_F(WorkerTest, InfrastructureFailureIsRetriedUpToRetriesAndEveryAttemptIsKept) {
  classify_ = [](const StepReport& s) {
    EXPECT_NE(ReadFileOrEmpty(s.log_path).find("Could not resolve host"), std::string::npos);
    return FailureCategory::kNetworkDns;
  };
  const auto id = Submit({{".sentinel.yml", kRetryingStep}});
  runner_.SetScript("fetch", {Completed{6, 0, ""}, "curl: (6) Could not resolve host: x.invalid\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_EQ(runner_.commands_ran_, (std::vector<std::string>{"fetch", "fetch", "fetch"}));
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.steps[0].attempts, 3);
  EXPECT_EQ(d.steps[0].exit_code, 6);
  EXPECT_EQ(d.steps[1].status, StepStatus::kSkipped);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM step_attempts WHERE run_id = " + std::to_string(id)), 3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM run_events WHERE kind = 'step_retried' AND message LIKE '%network_dns%'"), 2);
  // The attempts are appended to one log, each later one under a header line.
  std::string log = ReadFileOrEmpty(config_.data_dir + "/" + d.steps[0].log_path);
  EXPECT_NE(log.find("=== sentinel: step deps attempt 3"), std::string::npos) << log;
}

TEST_F(WorkerTest, WithoutAClassifierNothingIsRetried) {
  const auto id = Submit({{".sentinel.yml", kRetryingStep}});
  runner_.SetScript("fetch", {Completed{6, 0, ""}, "curl: (6) Could not resolve host\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_EQ(runner_.commands_ran_.size(), 1u);
  EXPECT_EQ(Detail(id).steps[0].attempts, 1);
}

TEST_F(WorkerTest, AFailingTestIsNeverRetriedAwayEvenWhenClassifiedAsInfrastructure) {
  classify_ = [](const StepReport&) { return FailureCategory::kNetworkError; };
  const auto id = Submit({{".sentinel.yml", kRetryingStep}, {"reports/junit.xml", kJUnitOneFailure}});
  runner_.SetScript("fetch", {Completed{1, 0, ""}, "connection reset\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_EQ(runner_.commands_ran_.size(), 1u);
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.steps[0].attempts, 1);
}

TEST_F(WorkerTest, TimedOutStepMakesTheRunTimedOut) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.SetScript("pytest", {TimedOut{}, "sentinel: step timed out after 10s\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kTimedOut);
  EXPECT_EQ(d.run.category, FailureCategory::kTimeout);
  EXPECT_EQ(d.steps[1].status, StepStatus::kTimedOut);
  EXPECT_EQ(d.steps[2].status, StepStatus::kSkipped);
}

TEST_F(WorkerTest, AnalysisHookFailuresAreStoredWithTheOutcome) {
  analyze_ = [](const RunReport& r) {
    EXPECT_EQ(r.status, RunStatus::kFailed);
    EXPECT_EQ(r.steps.size(), 2u);
    Failure f;
    f.step_index = 1;
    f.category = FailureCategory::kCompilationError;
    f.title = "error: expected ';'";
    f.fingerprint = "abc";
    return std::vector<Failure>{f};
  };
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.SetScript("pytest", {Completed{2, 0, ""}, "x.c:1: error: expected ';'\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.category, FailureCategory::kCompilationError);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].fingerprint, "abc");
}

TEST_F(WorkerTest, CancelOfARunningRunKillsTheStepAndEndsCancelled) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.BlockUntilCancelled("pytest", "running tests...\n");
  auto w = MakeWorker();
  std::thread t([&] { ASSERT_TRUE(w->RunOnce()); });
  ASSERT_TRUE(runner_.WaitForRuns(2, 10'000));
  auto c = exec_->RequestCancel(id, SystemClock().Now());
  ASSERT_TRUE(c) << c.error().message;
  t.join();
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kCancelled);
  EXPECT_EQ(d.steps[1].status, StepStatus::kErrored);
  EXPECT_EQ(d.steps[2].status, StepStatus::kSkipped);
  EXPECT_TRUE(HasEvent(d, "cancel_requested"));
  EXPECT_EQ(runner_.commands_ran_.size(), 2u);
}

TEST_F(WorkerTest, DuplicateDeliveryOfAClaimedRunIsAckedWithoutRunningAnything) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  ASSERT_TRUE(exec_->Claim(id, "someone-else", 60'000, SystemClock().Now()));
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_TRUE(runner_.commands_ran_.empty());
  EXPECT_EQ(*queue_->Depth(), 0);
  EXPECT_TRUE(queue_->InFlightJobIds()->empty());
  EXPECT_EQ(Detail(id).run.worker, "someone-else");
}

TEST_F(WorkerTest, AWorkerWhoseLeaseWasTakenOverStopsAndItsWritesAreRejected) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.BlockUntilCancelled("pytest");
  auto w = MakeWorker("host-1-0");
  std::thread t([&] { ASSERT_TRUE(w->RunOnce()); });
  ASSERT_TRUE(runner_.WaitForRuns(2, 10'000));
  // The reconciler presumes it dead (its lease "expired") and another worker claims the run.
  ASSERT_TRUE(db_->Exec("UPDATE runs SET lease_expires_at = 0 WHERE id = $1", {id}));
  auto rec = exec_->RecoverExpired({id, 1}, 2, SystemClock().Now());
  ASSERT_TRUE(rec) << rec.error().message;
  auto again = exec_->Claim(id, "host-2-0", 60'000, SystemClock().Now());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->run.attempt, 2);
  t.join();  // its heartbeat is refused: the step is stopped, nothing more is written
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kRunning);
  EXPECT_EQ(d.run.attempt, 2);
  EXPECT_EQ(d.run.worker, "host-2-0");
  EXPECT_EQ(d.steps[1].status, StepStatus::kRunning);  // attempt 1 never finished it
  EXPECT_GE(*exec_->StaleWriteCount(), 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM run_events WHERE kind = 'finished'"), 0);
}

TEST_F(WorkerTest, AbortCurrentHandsTheRunBackToTheQueue) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.BlockUntilCancelled("make");
  auto w = MakeWorker();
  std::thread t([&] { ASSERT_TRUE(w->RunOnce()); });
  ASSERT_TRUE(runner_.WaitForRuns(1, 10'000));
  EXPECT_TRUE(w->busy());
  w->AbortCurrent();
  t.join();
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kQueued);
  EXPECT_TRUE(HasEvent(d, "released"));
  EXPECT_EQ(*queue_->QueuedJobIds(), (std::vector<std::int64_t>{id}));
  EXPECT_FALSE(w->busy());
}

TEST_F(WorkerTest, PoolRunsJobsConcurrentlyAndRegistersItsWorkers) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(Submit({{".sentinel.yml", "steps:\n  - name: a\n    run: 'true'\n"}}));
  WorkerPool pool(Deps(), config_, "host-7", 3);
  pool.Start();
  for (int spin = 0; spin < 400; ++spin) {
    bool all = true;
    for (auto id : ids) all = all && IsTerminal(runs_->Get(id)->status);
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  auto workers = registry_->List(0);
  ASSERT_TRUE(workers);
  EXPECT_EQ(workers->size(), 3u);
  pool.Stop(5'000);
  for (auto id : ids) EXPECT_EQ(runs_->Get(id)->status, RunStatus::kSucceeded) << id;
  EXPECT_TRUE(registry_->List(0)->empty());  // unregistered on a clean stop
}

// ---------------------------------------------------------------- reconciler

TEST_F(WorkerTest, ReconcilerEnqueuesRunsThatAreInNoQueue) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  auto lost_queue = adapters::memory::NewMemoryJobQueue(SystemClock());  // "Redis restarted": empty
  ASSERT_TRUE(db_->Exec("UPDATE runs SET queued_at = queued_at - 10000 WHERE id = $1", {id}));
  Reconciler rec(*lost_queue, *exec_, registry_.get(), SystemClock(), ReconcilerConfig{});
  auto r = rec.RunOnce();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->reenqueued, 1);
  EXPECT_EQ(*lost_queue->QueuedJobIds(), (std::vector<std::int64_t>{id}));
  // Idempotent: it is in a queue now.
  auto again = rec.RunOnce();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->reenqueued, 0);
  EXPECT_EQ(*lost_queue->Depth(), 1);
}

TEST_F(WorkerTest, ReconcilerRequeuesAnExpiredLeaseThenErrorsPastTheLimit) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  Reconciler rec(*queue_, *exec_, registry_.get(), SystemClock(), ReconcilerConfig{.max_retries = 1});
  for (int round = 0; round < 2; ++round) {
    auto leased = queue_->Lease("dead-worker", 0);
    ASSERT_TRUE(leased && leased->has_value());
    ASSERT_TRUE(exec_->Claim(id, "dead-worker", 1, SystemClock().Now()));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(queue_->Ack("dead-worker", (*leased)->job));
    auto r = rec.RunOnce();
    ASSERT_TRUE(r) << r.error().message;
    if (round == 0) {
      EXPECT_EQ(r->requeued, 1);
      EXPECT_EQ(runs_->Get(id)->status, RunStatus::kQueued);
      EXPECT_EQ(*queue_->QueuedJobIds(), (std::vector<std::int64_t>{id}));
    } else {
      EXPECT_EQ(r->errored, 1);
    }
  }
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kErrored);
  EXPECT_EQ(d.run.reason, "worker_lost");
  EXPECT_EQ(d.run.category, FailureCategory::kInfrastructure);
}

TEST_F(WorkerTest, ReconcilerFailsRunsQueuedPastTheQueueTimeout) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  ASSERT_TRUE(db_->Exec("UPDATE runs SET queued_at = queued_at - 100000 WHERE id = $1", {id}));
  Reconciler rec(*queue_, *exec_, nullptr, SystemClock(), ReconcilerConfig{.queue_timeout_ms = 50'000});
  auto r = rec.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->timed_out, 1);
  EXPECT_EQ(runs_->Get(id)->reason, "queue_timeout");
  // Its job is still on the queue; a worker that leases it acks it without running it.
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_TRUE(runner_.commands_ran_.empty());
}

// ---------------------------------------------------------------- triage hooks

std::shared_ptr<const triage::Kb> EmbeddedKb() {
  auto kb = kb::LoadEmbeddedKb();
  EXPECT_TRUE(kb) << kb.error().message;
  return std::make_shared<const triage::Kb>(std::move(*kb));
}

TEST_F(WorkerTest, TriageRetriesADnsFailureOnceAndRecordsTheTriagedFailure) {
  auto kb = EmbeddedKb();
  classify_ = MakeTriageClassifier(kb);
  analyze_ = MakeTriageAnalyzer(kb);
  const auto id = Submit({{".sentinel.yml", "steps:\n  - name: deps\n    run: fetch\n    retries: 1\n"}}, "dns");
  runner_.SetScript("fetch", {Completed{6, 0, ""},
                              "fetching deps\ncurl: (6) Could not resolve host: mirror.sentinel.invalid\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_EQ(runner_.commands_ran_.size(), 2u);
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.run.category, FailureCategory::kNetworkDns);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kNetworkDns);
  EXPECT_FALSE(d.failures[0].fingerprint.empty());
  ASSERT_FALSE(d.failures[0].evidence.empty());
  EXPECT_TRUE(HasEvent(d, "step_retried", "network_dns"));
}

TEST_F(WorkerTest, TriageNeverRetriesATestFailure) {
  auto kb = EmbeddedKb();
  classify_ = MakeTriageClassifier(kb);
  analyze_ = MakeTriageAnalyzer(kb);
  const auto id = Submit({{".sentinel.yml", "steps:\n  - name: test\n    run: pytest\n    retries: 3\n"}});
  runner_.SetScript("pytest", {Completed{1, 0, ""},
                               "tests/test_x.py F\nE       AssertionError: assert 1 == 2\n1 failed, 3 passed\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_EQ(runner_.commands_ran_.size(), 1u);
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kTestFailure);
}

TEST_F(WorkerTest, ATimedOutStepIsTriagedAsATimeout) {
  auto kb = EmbeddedKb();
  classify_ = MakeTriageClassifier(kb);
  analyze_ = MakeTriageAnalyzer(kb);
  const auto id = Submit({{".sentinel.yml", "steps:\n  - name: test\n    run: pytest\n    timeout: 10s\n"}});
  runner_.SetScript("pytest", {TimedOut{}, "......\nsentinel: step 'test' timed out after 10s (SIGTERM, then SIGKILL)\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kTimedOut);
  EXPECT_EQ(d.run.category, FailureCategory::kTimeout);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kTimeout);
}

// ---------------------------------------------------------------- run control

TEST_F(WorkerTest, ACheckoutWithNoDiskSpaceErrorsTheRunAsDiskFull) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  checkout_.SetError("fake://repo-1", Error{ErrorCode::kResourceExhausted,
                                            "cannot clone: fatal: write error: No space left on device", "url"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(id);
  EXPECT_EQ(d.run.status, RunStatus::kErrored);
  EXPECT_EQ(d.run.category, FailureCategory::kDiskFull);
  EXPECT_EQ(d.run.reason, "disk_full");
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kDiskFull);
  EXPECT_NE(d.failures[0].title.find("No space left on device"), std::string::npos);
  EXPECT_TRUE(runner_.commands_ran_.empty());
}

TEST_F(WorkerTest, AStepWhoseLogRanOutOfSpaceFailsTheRunAsDiskFullEvenWhenItExitedZero) {
  auto kb = EmbeddedKb();
  classify_ = MakeTriageClassifier(kb);
  analyze_ = MakeTriageAnalyzer(kb);
  const auto passed = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.SetScript("make", {Completed{0, 0, ""}, "compiling\n", "No space left on device", true});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  RunDetail d = Detail(passed);
  EXPECT_EQ(d.run.status, RunStatus::kErrored);
  EXPECT_EQ(d.run.category, FailureCategory::kDiskFull);
  ASSERT_GE(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].status, StepStatus::kErrored);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kDiskFull);
  EXPECT_EQ(runner_.commands_ran_, (std::vector<std::string>{"make"}));  // nothing ran after it

  // A step that failed and whose log lost its end: disk_full too, not the triage of what is left.
  runner_.SetScript("make", {Completed{2, 0, ""}, "compiling\n", "No space left on device", true});
  const auto failed = Submit({{".sentinel.yml", kTwoSteps}});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  d = Detail(failed);
  EXPECT_EQ(d.run.status, RunStatus::kFailed);
  EXPECT_EQ(d.run.category, FailureCategory::kDiskFull);
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].category, FailureCategory::kDiskFull);
}

TEST_F(WorkerTest, StepLogIsServedFromAnOffsetAndUnknownStepsAreNotFound) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  runner_.SetScript("make", {Completed{0, 0, ""}, "line one\nline two\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  auto all = ReadStepLog(*runs_, config_.data_dir, id, 0, 0);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->text, "line one\nline two\n");
  EXPECT_TRUE(all->complete);
  EXPECT_EQ(all->next_offset, 18);
  auto tail = ReadStepLog(*runs_, config_.data_dir, id, 0, 9);
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->text, "line two\n");
  auto past = ReadStepLog(*runs_, config_.data_dir, id, 0, 100);
  ASSERT_TRUE(past);
  EXPECT_EQ(past->text, "");
  EXPECT_EQ(ReadStepLog(*runs_, config_.data_dir, id, 7, 0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadStepLog(*runs_, config_.data_dir, id + 50, 0, 0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadStepLog(*runs_, config_.data_dir, id, 0, -1).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(WorkerTest, RetryOfAFinishedRunQueuesANewRunAndDispatchesIt) {
  const auto id = Submit({{".sentinel.yml", kTwoSteps}});
  std::vector<std::int64_t> dispatched;
  auto dispatch = [&](const sentinel::Run& r) -> Status {
    dispatched.push_back(r.id);
    return queue_->Enqueue(Job{r.id, r.created_at, {}});
  };
  EXPECT_EQ(RetryRun(*exec_, SystemClock(), id, dispatch).error().code, ErrorCode::kFailedPrecondition);
  runner_.SetScript("pytest", {Completed{1, 0, ""}, "failed\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  auto again = RetryRun(*exec_, SystemClock(), id, dispatch);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(dispatched, (std::vector<std::int64_t>{again->id}));
  runner_.SetScript("pytest", {Completed{0, 0, ""}, "ok\n"});
  ASSERT_TRUE(MakeWorker()->RunOnce());
  EXPECT_EQ(runs_->Get(again->id)->status, RunStatus::kSucceeded);
  EXPECT_EQ(runs_->Get(id)->status, RunStatus::kFailed);
  auto cancel = CancelRun(*exec_, SystemClock(), id);
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace sentinel::app
