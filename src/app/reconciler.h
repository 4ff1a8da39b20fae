#pragma once
// The reconciler: makes the queue agree with the store, which is the source of
// truth. One pass: reap the queue's dead workers; recover runs whose lease
// expired (requeue up to the retry limit, else errored / worker_lost; a
// cancelled one ends cancelled); fail runs queued past queue_timeout; enqueue
// runs that are queued in the store but in no queue (e.g. after a Redis
// restart). Idempotent, and safe with several reconcilers running: every
// state change is a compare-and-set in the store, and a duplicate job is
// harmless (its claim loses). Thread-safe as its ports are; ReconcilerLoop
// runs passes on its own thread.

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <thread>

#include "app/worker.h"
#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/execution_store.h"
#include "ports/job_queue.h"
#include "ports/worker_registry.h"

namespace sentinel::app {

struct ReconcilerConfig {
  int max_retries = 2;                   // default for runs without their own limit
  EpochMs queue_timeout_ms = 2 * 3600'000;
  EpochMs orphan_grace_ms = 2'000;       // a queued run younger than this may still be on its way to the queue
  EpochMs worker_stale_ms = 120'000;     // registry rows without a heartbeat for this long are pruned
  int batch = 500;                       // runs looked at per query
};

struct ReconcileReport {
  int reaped_jobs = 0;   // jobs of dead queue consumers put back
  int requeued = 0;      // lost runs queued again
  int errored = 0;       // lost runs past the retry limit
  int cancelled = 0;     // lost runs whose cancel was pending
  int timed_out = 0;     // runs failed with queue_timeout
  int reenqueued = 0;    // store-queued runs missing from the queue, enqueued again
  int queue_errors = 0;  // queue calls that failed (the pass carries on)
};

class Reconciler {
 public:
  // queue and store must outlive it; registry is optional.
  Reconciler(JobQueue& queue, ExecutionStore& store, WorkerRegistry* registry, const Clock& clock,
             ReconcilerConfig config, LogFn log = {});

  // One pass. Fails only when the store cannot be read; queue problems are counted.
  [[nodiscard]] Result<ReconcileReport> RunOnce();

  // Runs at the end of every pass (incident evaluation of runs the pass ended
  // or a crash left pending, and time-based incident moves). Set before the loop starts.
  void SetAfterPass(std::function<void()> fn) { after_pass_ = std::move(fn); }

 private:
  JobQueue& queue_;
  ExecutionStore& store_;
  WorkerRegistry* registry_;
  const Clock& clock_;
  ReconcilerConfig config_;
  LogFn log_;
  std::function<void()> after_pass_;
};

// Runs Reconciler::RunOnce every interval_ms on a thread until destroyed.
class ReconcilerLoop {
 public:
  ReconcilerLoop(Reconciler& reconciler, EpochMs interval_ms, LogFn log = {});
  ~ReconcilerLoop();
  ReconcilerLoop(const ReconcilerLoop&) = delete;
  ReconcilerLoop& operator=(const ReconcilerLoop&) = delete;

 private:
  std::jthread thread_;
};

}  // namespace sentinel::app
