#pragma once
// ExecutionStore (ports/execution_store.h) and WorkerRegistry
// (ports/worker_registry.h) over any Db: the same SQL for SQLite and
// PostgreSQL. Fencing: each fenced write opens its transaction with
// `UPDATE runs ... WHERE id = ? AND attempt = ? AND status = 'running'`, which
// also takes the run's row lock (PostgreSQL) or the write lock (SQLite), so a
// CAS that supersedes the attempt cannot interleave with the write.
// Thread-safe as the Db is; the Db must outlive the stores.

#include <functional>
#include <string_view>

#include "core/flaky/flaky.h"
#include "ports/db.h"
#include "ports/execution_store.h"
#include "ports/worker_registry.h"

namespace sentinel::sqlstore {

class SqlExecutionStore final : public ExecutionStore {
 public:
  // `flaky`: the thresholds of the flaky-test verdicts recomputed when a run finishes.
  explicit SqlExecutionStore(Db& db, flaky::FlakyConfig flaky = {}) : db_(db), flaky_(flaky) {}

  [[nodiscard]] Result<ClaimedRun> Claim(std::int64_t run_id, const std::string& worker, EpochMs lease_ms,
                                         EpochMs now) override;
  [[nodiscard]] Result<LeaseState> ExtendLease(const Fence& fence, EpochMs lease_ms, EpochMs now) override;
  [[nodiscard]] Status SetCommit(const Fence& fence, const std::string& sha, EpochMs now) override;
  [[nodiscard]] Status PlanSteps(const Fence& fence, const std::vector<StepPlan>& steps, EpochMs now) override;
  [[nodiscard]] Result<int> StartStep(const Fence& fence, int index, const std::string& log_path,
                                      EpochMs now) override;
  [[nodiscard]] Status FinishStepAttempt(const Fence& fence, const StepAttemptEnd& end, EpochMs now) override;
  [[nodiscard]] Status AddTestResults(const Fence& fence, int index, const std::vector<TestCaseResult>& tests,
                                      EpochMs now) override;
  [[nodiscard]] Status AddEvent(const Fence& fence, const std::string& kind, const std::string& message,
                                EpochMs now) override;
  [[nodiscard]] Status Finish(const Fence& fence, const RunOutcome& outcome, const std::vector<Failure>& failures,
                              EpochMs now) override;
  [[nodiscard]] Status HandBack(const Fence& fence, const std::string& reason, EpochMs now) override;

  [[nodiscard]] Result<std::vector<QueuedRunRef>> QueuedRuns(int limit) override;
  [[nodiscard]] Result<std::vector<LeaseRef>> ExpiredLeases(EpochMs now, int limit) override;
  [[nodiscard]] Result<Recovery> RecoverExpired(const LeaseRef& lease, int default_max_retries, EpochMs now) override;
  [[nodiscard]] Result<std::vector<std::int64_t>> FailQueueTimedOut(EpochMs now, EpochMs queue_timeout_ms) override;

  [[nodiscard]] Result<Run> RequestCancel(std::int64_t run_id, EpochMs now) override;
  [[nodiscard]] Result<Run> Retry(std::int64_t run_id, EpochMs now) override;
  [[nodiscard]] Result<std::int64_t> StaleWriteCount() override;
  [[nodiscard]] Result<std::optional<GreenStepLog>> LastGreenStepLog(std::int64_t repo_id, const std::string& step_name,
                                                                     std::int64_t before_run_id) override;

 private:
  // Runs body in one transaction after the fence check; on a stale fence,
  // records it in stale_writes and returns kAborted. `cancel_requested` gets the
  // run's flag when non-null.
  Status Fenced(const Fence& fence, std::string_view what, EpochMs now, bool* cancel_requested,
                const std::function<Status(SqlSession&)>& body);
  Result<Run> LoadRun(std::int64_t run_id);

  Db& db_;
  flaky::FlakyConfig flaky_;
};

class SqlWorkerRegistry final : public WorkerRegistry {
 public:
  explicit SqlWorkerRegistry(Db& db) : db_(db) {}

  [[nodiscard]] Status Upsert(const WorkerRecord& worker) override;
  [[nodiscard]] Status Remove(const std::string& id) override;
  [[nodiscard]] Result<std::vector<WorkerRecord>> List(EpochMs since) override;
  [[nodiscard]] Result<std::int64_t> Prune(EpochMs before) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
