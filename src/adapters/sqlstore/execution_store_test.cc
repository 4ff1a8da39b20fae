// The execution store (claim, fencing, reconciler queries, cancel, retry,
// workers) against both real stores: SQLite (a temporary file) and
// PostgreSQL (a throwaway server, a fresh database per test).

#include <atomic>
#include <cctype>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::sqlstore {
namespace {

using adapters::PostgresDb;
using adapters::SqliteDb;

constexpr EpochMs kT0 = 1'790'000'000'000;
constexpr EpochMs kLease = 2'000;

enum class Backend { kSqlite, kPostgres };

class ExecutionStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      url_ = pg->CreateTestDatabase();
      db_ = Open();
    } else {
      db_ = Open();
    }
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(ApplyMigrations(*db_, kT0));
    repos_ = std::make_unique<SqlRepoStore>(*db_);
    runs_ = std::make_unique<SqlRunStore>(*db_);
    exec_ = std::make_unique<SqlExecutionStore>(*db_);
    workers_ = std::make_unique<SqlWorkerRegistry>(*db_);
    auto repo = repos_->Create("demo", "/srv/demo", kT0);
    ASSERT_TRUE(repo) << repo.error().message;
    repo_id_ = repo->id;
  }

  std::unique_ptr<Db> Open() {
    if (GetParam() == Backend::kSqlite) {
      auto db = SqliteDb::Open(dir_.Sub("sentinel.db"));
      return db ? std::unique_ptr<Db>(std::move(*db)) : nullptr;
    }
    auto db = PostgresDb::Create(url_);
    return db ? std::unique_ptr<Db>(std::move(*db)) : nullptr;
  }

  std::int64_t NewRun(EpochMs at = kT0) {
    auto r = runs_->Create(sentinel::NewRun{repo_id_, "main", "success"}, at);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->id : 0;
  }

  Fence Claim(std::int64_t id, const std::string& worker, EpochMs now) {
    auto c = exec_->Claim(id, worker, kLease, now);
    EXPECT_TRUE(c) << c.error().message;
    return c ? Fence{id, c->run.attempt, worker} : Fence{};
  }

  std::vector<std::string> EventKinds(std::int64_t id) {
    auto d = runs_->GetDetail(id);
    EXPECT_TRUE(d);
    std::vector<std::string> kinds;
    if (d) {
      for (const auto& e : d->events) kinds.push_back(e.kind);
    }
    return kinds;
  }

  std::int64_t Scalar(const std::string& sql) {
    auto r = db_->Exec(sql);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->rows.empty() ? r->rows[0].Int(0) : -1;
  }

  testing::ScratchDir dir_;
  std::string url_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SqlRepoStore> repos_;
  std::unique_ptr<SqlRunStore> runs_;
  std::unique_ptr<SqlExecutionStore> exec_;
  std::unique_ptr<SqlWorkerRegistry> workers_;
  std::int64_t repo_id_ = 0;
};

TEST_P(ExecutionStoreTest, ClaimBumpsTheAttemptAndOnlyOneClaimWins) {
  const auto id = NewRun();
  auto first = exec_->Claim(id, "w1", kLease, kT0 + 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->run.status, RunStatus::kRunning);
  EXPECT_EQ(first->run.attempt, 1);
  EXPECT_EQ(first->run.worker, "w1");
  EXPECT_EQ(first->run.lease_expires_at, kT0 + 10 + kLease);
  EXPECT_EQ(first->repo_url, "/srv/demo");

  auto second = exec_->Claim(id, "w2", kLease, kT0 + 11);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kAborted);
  auto missing = exec_->Claim(id + 100, "w2", kLease, kT0 + 11);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(EventKinds(id), (std::vector<std::string>{"queued", "claimed"}));
}

TEST_P(ExecutionStoreTest, ConcurrentClaimsFromManyThreadsGiveExactlyOneWinner) {
  const auto id = NewRun();
  std::atomic<int> won{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto c = exec_->Claim(id, "w" + std::to_string(i), kLease, kT0 + 1);
      if (c) won++;
      else if (c.error().code == ErrorCode::kAborted) aborted++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(aborted.load(), 5);
  EXPECT_EQ(Scalar("SELECT attempt FROM runs WHERE id = " + std::to_string(id)), 1);
}

TEST_P(ExecutionStoreTest, FullAttemptWritesStepsTestsAndFinalStatus) {
  const auto id = NewRun();
  Fence f = Claim(id, "w1", kT0 + 1);
  ASSERT_TRUE(exec_->SetCommit(f, "abc123", kT0 + 2));
  ASSERT_TRUE(exec_->PlanSteps(f, {{"deps", "true", 1000}, {"test", "pytest", 2000}, {"lint", "ruff", 500}}, kT0 + 3));
  auto a1 = exec_->StartStep(f, 0, "logs/run-1/deps.log", kT0 + 4);
  ASSERT_TRUE(a1) << a1.error().message;
  EXPECT_EQ(*a1, 1);
  // An infrastructure-class failure, retried: the attempt stays visible.
  ASSERT_TRUE(exec_->FinishStepAttempt(f, {0, 1, StepStatus::kFailed, 1, 10, "network_dns: retrying", false, {}}, kT0 + 5));
  auto a2 = exec_->StartStep(f, 0, "logs/run-1/deps.log", kT0 + 6);
  ASSERT_TRUE(a2);
  EXPECT_EQ(*a2, 2);
  ASSERT_TRUE(exec_->FinishStepAttempt(f, {0, 2, StepStatus::kSucceeded, 0, 20, "", true, {}}, kT0 + 7));
  auto t1 = exec_->StartStep(f, 1, "logs/run-1/test.log", kT0 + 8);
  ASSERT_TRUE(t1);
  TestCaseResult pass{id, 1, "s", "c", "ok", TestOutcome::kPassed, 3, "", 1, "junit.xml"};
  TestCaseResult err{id, 1, "s", "c", "boom", TestOutcome::kError, 4, "crashed", 1, "junit.xml"};
  ASSERT_TRUE(exec_->AddTestResults(f, 1, {pass, err}, kT0 + 9));
  ASSERT_TRUE(exec_->FinishStepAttempt(f, {1, *t1, StepStatus::kFailed, 1, 30, "", true, {"bad.xml: malformed"}},
                                       kT0 + 10));
  Failure failure;
  failure.step_index = 1;
  failure.category = FailureCategory::kTestFailure;
  failure.title = "1 test failed";
  failure.evidence = {{3, "E boom"}};
  failure.hints = {"look at boom"};
  ASSERT_TRUE(exec_->Finish(f, {RunStatus::kFailed, FailureCategory::kTestFailure, "step test failed", ""}, {failure},
                            kT0 + 11));

  auto d = runs_->GetDetail(id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->run.status, RunStatus::kFailed);
  EXPECT_EQ(d->run.category, FailureCategory::kTestFailure);
  EXPECT_EQ(d->run.commit, "abc123");
  EXPECT_EQ(d->run.finished_at, kT0 + 11);
  EXPECT_FALSE(d->run.lease_expires_at.has_value());
  ASSERT_EQ(d->steps.size(), 3u);
  EXPECT_EQ(d->steps[0].status, StepStatus::kSucceeded);
  EXPECT_EQ(d->steps[0].attempts, 2);
  EXPECT_EQ(d->steps[0].duration_ms, 30);
  EXPECT_EQ(d->steps[1].status, StepStatus::kFailed);
  EXPECT_EQ(d->steps[1].exit_code, 1);
  EXPECT_EQ(d->steps[1].warnings, (std::vector<std::string>{"bad.xml: malformed"}));
  EXPECT_EQ(d->steps[1].log_path, "logs/run-1/test.log");
  EXPECT_EQ(d->steps[2].status, StepStatus::kSkipped);
  EXPECT_EQ(d->tests.total, 2);
  EXPECT_EQ(d->tests.errors, 1);
  ASSERT_EQ(d->failures.size(), 1u);
  EXPECT_EQ(d->failures[0].evidence.size(), 1u);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM step_attempts WHERE run_id = " + std::to_string(id)), 3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM run_events WHERE kind = 'step_retried' AND message LIKE '%network_dns%'"), 1);
  EXPECT_EQ(EventKinds(id).back(), "finished");
}

TEST_P(ExecutionStoreTest, FailuresWithOneFingerprintShareOneClusterAcrossRunsAndRepos) {
  // Given three failed runs, two with the same fingerprint (in two repos) and one with another,
  // we should get two clusters: one with two occurrences over two runs and two repos.
  auto other_repo = repos_->Create("other", "/srv/other", kT0);
  ASSERT_TRUE(other_repo) << other_repo.error().message;
  auto fail_run = [&](std::int64_t repo_id, const std::string& fingerprint, EpochMs at) -> std::int64_t {
    auto run = runs_->Create(sentinel::NewRun{repo_id, "", "testfail"}, at);
    EXPECT_TRUE(run);
    Fence f = Claim(run->id, "w1", at + 1);
    Failure x;
    x.step_index = 1;
    x.category = FailureCategory::kTestFailure;
    x.signature = "pytest.assertion";
    x.fingerprint = fingerprint;
    x.cluster_template = "E assert <NUM> == <NUM>";
    x.title = "test_total failed";
    x.evidence = {{12, "E   assert 589 == 590"}};
    x.hints = {"an assertion failed"};
    x.kb_version = "kb-1";
    EXPECT_TRUE(exec_->Finish(f, {RunStatus::kFailed, FailureCategory::kTestFailure, "", ""}, {x}, at + 2));
    return run->id;
  };
  const auto a = fail_run(repo_id_, "aaaa000000000001", kT0 + 100);
  const auto b = fail_run(other_repo->id, "aaaa000000000001", kT0 + 200);
  const auto c = fail_run(repo_id_, "bbbb000000000002", kT0 + 300);

  auto da = runs_->GetDetail(a), db = runs_->GetDetail(b), dc = runs_->GetDetail(c);
  ASSERT_TRUE(da && db && dc);
  ASSERT_TRUE(da->failures.at(0).cluster_id.has_value());
  EXPECT_EQ(da->failures[0].cluster_id, db->failures.at(0).cluster_id);
  EXPECT_NE(da->failures[0].cluster_id, dc->failures.at(0).cluster_id);
  const std::string cid = std::to_string(*da->failures[0].cluster_id);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM clusters"), 2);
  EXPECT_EQ(Scalar("SELECT occurrences FROM clusters WHERE id = " + cid), 2);
  EXPECT_EQ(Scalar("SELECT first_seen FROM clusters WHERE id = " + cid), kT0 + 102);
  EXPECT_EQ(Scalar("SELECT last_seen FROM clusters WHERE id = " + cid), kT0 + 202);
  EXPECT_EQ(Scalar("SELECT representative_run_id FROM clusters WHERE id = " + cid), a);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM cluster_runs WHERE cluster_id = " + cid), 2);
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT repo_id) FROM cluster_runs WHERE cluster_id = " + cid), 2);
  auto title = db_->Exec("SELECT title, template FROM clusters WHERE id = " + cid);
  ASSERT_TRUE(title && !title->rows.empty());
  EXPECT_NE(title->rows[0].Text(0).find("assert <NUM> == <NUM>"), std::string::npos) << title->rows[0].Text(0);
  EXPECT_EQ(title->rows[0].Text(1), "E assert <NUM> == <NUM>");
}

TEST_P(ExecutionStoreTest, StaleAttemptWritesAreRejectedAndCounted) {
  const auto id = NewRun();
  Fence old = Claim(id, "w1", kT0);
  ASSERT_TRUE(exec_->PlanSteps(old, {{"s", "sleep 1", 1000}}, kT0 + 1));
  // The lease runs out; the reconciler requeues; another worker claims.
  auto expired = exec_->ExpiredLeases(kT0 + kLease + 1, 10);
  ASSERT_TRUE(expired);
  ASSERT_EQ(expired->size(), 1u);
  auto rec = exec_->RecoverExpired((*expired)[0], 2, kT0 + kLease + 1);
  ASSERT_TRUE(rec) << rec.error().message;
  EXPECT_EQ(*rec, Recovery::kRequeued);
  Fence fresh = Claim(id, "w2", kT0 + kLease + 2);
  EXPECT_EQ(fresh.attempt, 2);
  ASSERT_TRUE(exec_->PlanSteps(fresh, {{"s", "sleep 1", 1000}}, kT0 + kLease + 3));

  // Every kind of write from the old attempt is rejected.
  auto ext = exec_->ExtendLease(old, kLease, kT0 + kLease + 4);
  ASSERT_FALSE(ext);
  EXPECT_EQ(ext.error().code, ErrorCode::kAborted);
  EXPECT_EQ(exec_->StartStep(old, 0, "x", kT0 + 5).error().code, ErrorCode::kAborted);
  EXPECT_EQ(exec_->SetCommit(old, "zzz", kT0 + 5).error().code, ErrorCode::kAborted);
  EXPECT_EQ(exec_->AddTestResults(old, 0, {}, kT0 + 5).error().code, ErrorCode::kAborted);
  EXPECT_EQ(exec_->Finish(old, {RunStatus::kSucceeded, FailureCategory::kUnknown, "", ""}, {}, kT0 + 6).error().code,
            ErrorCode::kAborted);
  auto count = exec_->StaleWriteCount();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 5);

  // The new attempt's result stands.
  ASSERT_TRUE(exec_->Finish(fresh, {RunStatus::kFailed, FailureCategory::kUnknown, "r", ""}, {}, kT0 + kLease + 9));
  auto run = runs_->Get(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_EQ(run->commit, "");
  EXPECT_EQ(run->attempt, 2);
  // And once finished, even the right attempt cannot write.
  EXPECT_EQ(exec_->AddEvent(fresh, "late", "", kT0 + kLease + 10).error().code, ErrorCode::kAborted);
}

TEST_P(ExecutionStoreTest, ExpiredLeaseIsRequeuedUpToTheLimitThenErrored) {
  const auto id = NewRun();
  EpochMs now = kT0;
  for (int round = 1; round <= 2; ++round) {
    Fence f = Claim(id, "w", now);
    EXPECT_EQ(f.attempt, round);
    // Not expired yet: nothing to recover, and a CAS on it loses.
    auto early = exec_->ExpiredLeases(now + kLease - 1, 10);
    ASSERT_TRUE(early);
    EXPECT_TRUE(early->empty());
    EXPECT_EQ(exec_->RecoverExpired({id, f.attempt}, 1, now + 1).error().code, ErrorCode::kAborted);
    now += kLease + 1;
    auto rec = exec_->RecoverExpired({id, f.attempt}, 1, now);
    ASSERT_TRUE(rec) << rec.error().message;
    EXPECT_EQ(*rec, round == 1 ? Recovery::kRequeued : Recovery::kErrored);
    // A second reconciler racing on the same lease loses.
    EXPECT_EQ(exec_->RecoverExpired({id, f.attempt}, 1, now).error().code, ErrorCode::kAborted);
    now += 1;
  }
  auto run = runs_->Get(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kErrored);
  EXPECT_EQ(run->category, FailureCategory::kInfrastructure);
  EXPECT_EQ(run->reason, "worker_lost");
  EXPECT_EQ(EventKinds(id),
            (std::vector<std::string>{"queued", "claimed", "worker_lost", "claimed", "worker_lost"}));
}

TEST_P(ExecutionStoreTest, QueueTimeoutFailsOnlyRunsWaitingTooLong) {
  const auto old_run = NewRun(kT0);
  const auto young = NewRun(kT0 + 5'000);
  auto failed = exec_->FailQueueTimedOut(kT0 + 6'000, 3'000);
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(*failed, (std::vector<std::int64_t>{old_run}));
  auto r = runs_->Get(old_run);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, RunStatus::kFailed);
  EXPECT_EQ(r->reason, "queue_timeout");
  auto y = runs_->Get(young);
  EXPECT_EQ(y->status, RunStatus::kQueued);
  auto again = exec_->FailQueueTimedOut(kT0 + 6'000, 3'000);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  auto queued = exec_->QueuedRuns(10);
  ASSERT_TRUE(queued);
  ASSERT_EQ(queued->size(), 1u);
  EXPECT_EQ((*queued)[0].run_id, young);
  EXPECT_EQ((*queued)[0].queued_at, kT0 + 5'000);
}

TEST_P(ExecutionStoreTest, CancelQueuedIsImmediateRunningIsRequestedFinishedIsRefused) {
  const auto queued = NewRun();
  auto c1 = exec_->RequestCancel(queued, kT0 + 1);
  ASSERT_TRUE(c1) << c1.error().message;
  EXPECT_EQ(c1->status, RunStatus::kCancelled);
  EXPECT_EQ(exec_->Claim(queued, "w", kLease, kT0 + 2).error().code, ErrorCode::kAborted);

  const auto running = NewRun();
  Fence f = Claim(running, "w", kT0 + 3);
  auto before = exec_->ExtendLease(f, kLease, kT0 + 4);
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->cancel_requested);
  auto c2 = exec_->RequestCancel(running, kT0 + 5);
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->status, RunStatus::kRunning);
  auto after = exec_->ExtendLease(f, kLease, kT0 + 6);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->cancel_requested);
  ASSERT_TRUE(exec_->Finish(f, {RunStatus::kCancelled, FailureCategory::kUnknown, "cancelled", ""}, {}, kT0 + 7));

  auto refused = exec_->RequestCancel(running, kT0 + 8);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(exec_->RequestCancel(9999, kT0).error().code, ErrorCode::kNotFound);
}

TEST_P(ExecutionStoreTest, LostWorkerOfACancelledRunEndsCancelled) {
  const auto id = NewRun();
  Fence f = Claim(id, "w", kT0);
  ASSERT_TRUE(exec_->RequestCancel(id, kT0 + 1));
  auto rec = exec_->RecoverExpired({id, f.attempt}, 3, kT0 + kLease + 1);
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, Recovery::kCancelled);
  EXPECT_EQ(runs_->Get(id)->status, RunStatus::kCancelled);
}

TEST_P(ExecutionStoreTest, RetryMakesANewQueuedRunOnlyForFinishedRuns) {
  const auto id = NewRun();
  EXPECT_EQ(exec_->Retry(id, kT0 + 1).error().code, ErrorCode::kFailedPrecondition);
  Fence f = Claim(id, "w", kT0 + 1);
  EXPECT_EQ(exec_->Retry(id, kT0 + 2).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(exec_->Finish(f, {RunStatus::kFailed, FailureCategory::kTestFailure, "", ""}, {}, kT0 + 3));
  auto again = exec_->Retry(id, kT0 + 4);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_NE(again->id, id);
  EXPECT_EQ(again->status, RunStatus::kQueued);
  EXPECT_EQ(again->ref, "main");
  EXPECT_EQ(again->scenario, "success");
  EXPECT_EQ(Scalar("SELECT retry_of FROM runs WHERE id = " + std::to_string(again->id)), id);
  EXPECT_EQ(EventKinds(id).back(), "retried");
  EXPECT_EQ(runs_->Get(id)->status, RunStatus::kFailed);  // history kept
}

TEST_P(ExecutionStoreTest, HandBackRequeuesWithoutCountingARetry) {
  const auto id = NewRun();
  Fence f = Claim(id, "w", kT0);
  ASSERT_TRUE(exec_->HandBack(f, "worker shutting down", kT0 + 1));
  auto r = runs_->Get(id);
  EXPECT_EQ(r->status, RunStatus::kQueued);
  EXPECT_EQ(Scalar("SELECT retry_count FROM runs WHERE id = " + std::to_string(id)), 0);
  Fence g = Claim(id, "w2", kT0 + 2);
  EXPECT_EQ(g.attempt, 2);
}

TEST_P(ExecutionStoreTest, WorkerRegistryUpsertsListsAndPrunes) {
  ASSERT_TRUE(workers_->Upsert({"h-1-0", "h", 1, kT0, kT0, "idle", std::nullopt}));
  ASSERT_TRUE(workers_->Upsert({"h-1-1", "h", 1, kT0, kT0 + 10, "busy", 42}));
  ASSERT_TRUE(workers_->Upsert({"h-1-0", "h", 1, kT0, kT0 + 20, "busy", 7}));
  auto all = workers_->List(0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].status, "busy");
  EXPECT_EQ((*all)[0].current_run_id, 7);
  auto pruned = workers_->Prune(kT0 + 15);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 1);
  auto left = workers_->List(0);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, "h-1-0");
  ASSERT_TRUE(workers_->Remove("h-1-0"));
  EXPECT_TRUE(workers_->List(0)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecutionStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace sentinel::sqlstore
