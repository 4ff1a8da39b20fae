#pragma once
// The execution side of the run aggregate: what workers, the reconciler and
// the cancel/retry use cases write. Every worker write is fenced: it carries
// (run_id, attempt) and is rejected with kAborted when the run's current
// attempt differs or the run is no longer `running`; a rejected write is
// recorded in stale_writes (StaleWriteCount). State changes are
// compare-and-sets, so any number of workers and reconcilers may race; every
// state change appends a run event. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace sentinel {

// The fencing token of one claim of a run.
struct Fence {
  std::int64_t run_id = 0;
  int attempt = 0;     // runs.attempt at claim time
  std::string worker;  // for stale_writes and events
};

struct ClaimedRun {
  Run run;               // status running, attempt bumped
  std::string repo_url;  // where to check it out from
};

struct StepPlan {
  std::string name;
  std::string command;
  EpochMs timeout_ms = 0;
};

// The end of one start of a step.
struct StepAttemptEnd {
  int index = 0;
  int attempt_no = 0;         // as StartStep returned
  StepStatus status = StepStatus::kFailed;
  std::optional<int> exit_code;
  EpochMs duration_ms = 0;
  std::string reason;         // why it ended so / why it is retried ("" = nothing to say)
  bool final = true;          // false: the step is retried; its row stays `running`
  std::vector<std::string> warnings;  // replaces the step's warnings when final
};

struct RunOutcome {
  RunStatus status = RunStatus::kSucceeded;  // a terminal status
  FailureCategory category = FailureCategory::kUnknown;  // stored only for failed/timed_out/errored
  std::string reason;   // "" or e.g. "config_error", "cancelled", "step deps failed"
  std::string message;  // the event's message
};

// The log of a step that succeeded in an earlier run: the baseline a failed
// step's log is diffed against (core/triage/locator.h).
struct GreenStepLog {
  std::int64_t run_id = 0;
  std::string log_path;  // data-dir-relative, as StartStep stored it
};

struct QueuedRunRef {
  std::int64_t run_id = 0;
  EpochMs queued_at = 0;
};

struct LeaseRef {
  std::int64_t run_id = 0;
  int attempt = 0;
};

enum class Recovery { kRequeued, kErrored, kCancelled };

struct LeaseState {
  bool cancel_requested = false;
};

class ExecutionStore {
 public:
  virtual ~ExecutionStore() = default;

  // ---- worker writes

  // Compare-and-set queued -> running: bumps attempt (the new fencing token),
  // sets worker, lease_expires_at = now + lease_ms, started_at; event "claimed".
  // kAborted when the run is not queued (claimed by another worker, cancelled,
  // finished); kNotFound when absent.
  [[nodiscard]] virtual Result<ClaimedRun> Claim(std::int64_t run_id, const std::string& worker, EpochMs lease_ms,
                                                 EpochMs now) = 0;
  // Fenced. Extends the lease to now + lease_ms; says whether a cancel was requested.
  [[nodiscard]] virtual Result<LeaseState> ExtendLease(const Fence& fence, EpochMs lease_ms, EpochMs now) = 0;
  // Fenced. Records the checked-out commit.
  [[nodiscard]] virtual Status SetCommit(const Fence& fence, const std::string& sha, EpochMs now) = 0;
  // Fenced. Replaces the run's steps (and the test results and failures of an
  // earlier, lost attempt) with `steps`, all pending. step_attempts stay.
  [[nodiscard]] virtual Status PlanSteps(const Fence& fence, const std::vector<StepPlan>& steps, EpochMs now) = 0;
  // Fenced. Marks step `index` running, counts one more start, records a
  // step_attempts row and an event; returns its attempt number (1, 2, ... over
  // the whole run, so attempts of an earlier lost run attempt are kept).
  [[nodiscard]] virtual Result<int> StartStep(const Fence& fence, int index, const std::string& log_path,
                                              EpochMs now) = 0;
  // Fenced. Closes a step attempt; when final, also the step row. Event
  // "step_finished" or, when not final, "step_retried" with the reason.
  [[nodiscard]] virtual Status FinishStepAttempt(const Fence& fence, const StepAttemptEnd& end, EpochMs now) = 0;
  // Fenced. Stores a step's parsed test results.
  [[nodiscard]] virtual Status AddTestResults(const Fence& fence, int index, const std::vector<TestCaseResult>& tests,
                                              EpochMs now) = 0;
  // Fenced. Appends an event.
  [[nodiscard]] virtual Status AddEvent(const Fence& fence, const std::string& kind, const std::string& message,
                                        EpochMs now) = 0;
  // Fenced. Ends the run: records `failures`, marks steps still pending or
  // running `skipped`, sets the final status, category, reason and
  // finished_at, clears the lease; event "finished". One transaction.
  [[nodiscard]] virtual Status Finish(const Fence& fence, const RunOutcome& outcome,
                                      const std::vector<Failure>& failures, EpochMs now) = 0;
  // Fenced. Hands the run back (graceful shutdown): running -> queued, lease
  // cleared, retry count unchanged; event "released".
  [[nodiscard]] virtual Status HandBack(const Fence& fence, const std::string& reason, EpochMs now) = 0;

  // ---- reconciler

  // Runs in status queued, oldest first.
  [[nodiscard]] virtual Result<std::vector<QueuedRunRef>> QueuedRuns(int limit) = 0;
  // Running runs whose lease ran out before `now`.
  [[nodiscard]] virtual Result<std::vector<LeaseRef>> ExpiredLeases(EpochMs now, int limit) = 0;
  // Compare-and-set on (running, attempt, lease expired): a run whose cancel
  // was requested becomes cancelled; else, while retry_count < its limit
  // (runs.max_retries when > 0, else default_max_retries) it is queued again
  // with retry_count + 1 (event "worker_lost"); past it, errored, category
  // infrastructure, reason worker_lost. kAborted when the CAS lost.
  [[nodiscard]] virtual Result<Recovery> RecoverExpired(const LeaseRef& lease, int default_max_retries,
                                                        EpochMs now) = 0;
  // Runs queued since before now - queue_timeout_ms become failed, reason
  // queue_timeout (each a CAS; event "queue_timeout"). Returns their ids.
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> FailQueueTimedOut(EpochMs now, EpochMs queue_timeout_ms) = 0;

  // ---- users

  // queued -> cancelled at once; running -> cancel_requested (the worker stops
  // the step at its next heartbeat and finishes the run cancelled).
  // kFailedPrecondition for a finished run; kNotFound when absent. Returns the run after.
  [[nodiscard]] virtual Result<Run> RequestCancel(std::int64_t run_id, EpochMs now) = 0;
  // A finished run is run again as a new run (same repo, ref and scenario,
  // retry_of = run_id), queued; both get an event. kFailedPrecondition while
  // the run is queued or running. Returns the new run.
  [[nodiscard]] virtual Result<Run> Retry(std::int64_t run_id, EpochMs now) = 0;

  // Writes rejected by fencing since the database was created.
  [[nodiscard]] virtual Result<std::int64_t> StaleWriteCount() = 0;

  // The newest step named `step_name` that succeeded in a run of `repo_id`
  // older than `before_run_id`, with a log; nullopt when there is none. A
  // store that keeps no history may always answer nullopt.
  [[nodiscard]] virtual Result<std::optional<GreenStepLog>> LastGreenStepLog(std::int64_t repo_id,
                                                                             const std::string& step_name,
                                                                             std::int64_t before_run_id) {
    (void)repo_id, (void)step_name, (void)before_run_id;
    return std::optional<GreenStepLog>{};
  }
};

}  // namespace sentinel
