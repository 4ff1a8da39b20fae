#pragma once
// The worker use case: lease a job from the queue, claim its run in the store
// (compare-and-set, a new attempt = the fencing token), keep the lease alive
// with a heartbeat thread, check the repository out into a fresh workspace,
// run the pipeline's steps one by one through the CommandRunner, ingest their
// JUnit reports, and finish the run; every store write is fenced. Ports only.
//
// Lifecycle: a Worker is one consumer loop (one worker id); Run() loops until
// its stop_token is triggered, finishing the run in hand. AbortCurrent() (from
// another thread) kills the current step and hands the run back to the queue.
// WorkerPool runs N of them on threads with a graceful Stop(grace).
// Thread-safety: Run/RunOnce from one thread; AbortCurrent and busy() from any.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "ports/clock.h"
#include "ports/command_runner.h"
#include "ports/execution_store.h"
#include "ports/job_queue.h"
#include "ports/source_checkout.h"
#include "ports/test_history_store.h"
#include "ports/worker_registry.h"

namespace sentinel::app {

struct WorkerConfig {
  std::string data_dir = "data";  // logs/, workspaces/ live below it; made absolute
  EpochMs lease_ms = 30'000;      // store lease and queue heartbeat TTL
  EpochMs heartbeat_ms = 10'000;  // how often the lease is extended; < lease_ms
  EpochMs poll_ms = 1'000;        // how long one queue Lease call blocks
  EpochMs kill_grace_ms = 5'000;  // SIGTERM -> SIGKILL of a step's process group
  EpochMs default_step_timeout_ms = 30 * 60'000;
  std::int64_t log_cap_bytes = 50LL << 20;
  bool keep_workspaces = false;   // false: a run's workspace is deleted when it ends
};

// What one step did, for the classifier and the analysis hook.
struct StepReport {
  int index = 0;
  std::string name;
  StepStatus status = StepStatus::kPending;
  std::optional<int> exit_code;
  int signal = 0;           // the signal that ended it, 0 if none
  std::string signal_name;  // "SIGKILL" when a signal ended it
  std::string log_path;     // absolute
  std::vector<TestCaseResult> tests;  // from its JUnit files
  std::vector<std::string> warnings;
  // The data directory ran out of space while the step ran: its log is cut
  // short (CommandRunner's log_out_of_space). Triage then says disk_full.
  bool disk_full = false;
  // The last green log of the same repository and step (absolute), when the
  // store knows one: triage diffs the failed log against it.
  std::string baseline_log_path;
  std::int64_t baseline_run_id = 0;
};

struct RunReport {
  Run run;  // as claimed (attempt = the fencing token), commit filled in
  RunStatus status = RunStatus::kSucceeded;  // the outcome about to be stored
  std::vector<StepReport> steps;             // the steps that ran, in order
};

// Classifies a failed step attempt (triage plugs in here). Empty: no step is ever retried.
using ClassifyStepFn = std::function<FailureCategory(const StepReport&)>;
// Analyses a failed run before its outcome is stored; the failures returned
// are stored with it (first one's category becomes the run's). Empty: none.
using AnalyzeRunFn = std::function<std::vector<Failure>(const RunReport&)>;
using LogFn = std::function<void(std::string_view)>;

struct WorkerDeps {
  JobQueue* queue = nullptr;
  ExecutionStore* store = nullptr;
  WorkerRegistry* registry = nullptr;  // optional
  // Optional: quarantines. A step that failed only because of failed tests whose
  // (test, signature) is quarantined does not fail the run (it counts as succeeded,
  // with a warning); its results are still recorded.
  TestHistoryStore* history = nullptr;
  SourceCheckout* checkout = nullptr;
  CommandRunner* runner = nullptr;
  const Clock* clock = nullptr;
  ClassifyStepFn classify;
  AnalyzeRunFn analyze;
  LogFn log;  // optional
  // Called after a run's finish is stored (incident evaluation plugs in here). Optional.
  std::function<void(std::int64_t run_id)> finished;
};

// The failure categories whose step failures are worth a retry (the step's `retries`).
bool IsInfrastructureClass(FailureCategory c);

// `data_dir`-relative path of a step's log, the one the API serves.
std::string StepLogPath(std::int64_t run_id, const std::string& step_name);

class Worker {
 public:
  // Every pointer in deps (but registry) must be set and outlive the worker.
  Worker(WorkerDeps deps, WorkerConfig config, std::string id);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  const std::string& id() const { return id_; }

  // Loops: lease, run, ack, until `stop`; the run in hand is finished first
  // (unless AbortCurrent is called). Registers in the registry while it runs.
  void Run(std::stop_token stop);

  // Leases at most one job (blocking up to poll_ms) and handles it. true when
  // a job was handled; an error when the queue or store failed.
  [[nodiscard]] Result<bool> RunOnce();

  // Kills the current step and hands the run back (store: queued again; queue:
  // Released). No effect when idle.
  void AbortCurrent();
  bool busy() const { return busy_.load(); }

 private:
  struct Execution;
  enum class Disposition { kFinished, kLost, kHandBack };

  Status Handle(const Leased& leased);
  Disposition Execute(Execution& ex);
  void Heartbeat(Execution& ex, std::stop_token stop);
  void Register(const std::string& status, std::optional<std::int64_t> run_id);
  void Log(const std::string& message) const;

  WorkerDeps deps_;
  WorkerConfig config_;
  std::string id_;
  EpochMs started_at_ = 0;
  std::atomic<bool> busy_{false};
  std::atomic<bool> aborting_{false};  // sticky: AbortCurrent was called
  std::mutex mu_;  // guards current_
  Execution* current_ = nullptr;
};

// N workers on N threads, ids `<prefix>-<n>`.
class WorkerPool {
 public:
  WorkerPool(WorkerDeps deps, WorkerConfig config, const std::string& id_prefix, int count);
  ~WorkerPool();  // Stop(0) if still running
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Start();
  // Stops leasing; waits up to grace_ms for the runs in hand to finish, then
  // aborts them (handed back to the queue) and joins. Idempotent.
  void Stop(EpochMs grace_ms);
  int size() const { return static_cast<int>(workers_.size()); }
  int busy() const;

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::jthread> threads_;
  std::atomic<int> running_{0};
};

}  // namespace sentinel::app
