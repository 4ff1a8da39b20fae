#include "app/reconciler.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <unordered_set>

namespace sentinel::app {

Reconciler::Reconciler(JobQueue& queue, ExecutionStore& store, WorkerRegistry* registry, const Clock& clock,
                       ReconcilerConfig config, LogFn log)
    : queue_(queue), store_(store), registry_(registry), clock_(clock), config_(config), log_(std::move(log)) {}

Result<ReconcileReport> Reconciler::RunOnce() {
  ReconcileReport rep;
  auto log = [&](const std::string& m) {
    if (log_) log_("reconciler: " + m);
  };
  EpochMs now = clock_.Now();

  auto reaped = queue_.ReapDeadWorkers(now);
  if (reaped) {
    rep.reaped_jobs = static_cast<int>(reaped->size());
  } else {
    rep.queue_errors++;
  }

  // Lost runs: the store decides (CAS); a requeued run is also put on the queue.
  auto expired = store_.ExpiredLeases(now, config_.batch);
  if (!expired) return Fail(expired.error());
  for (const LeaseRef& lease : *expired) {
    auto r = store_.RecoverExpired(lease, config_.max_retries, now);
    if (!r) {
      if (r.error().code != ErrorCode::kAborted) log("recovering run " + std::to_string(lease.run_id) + ": " + r.error().message);
      continue;
    }
    switch (*r) {
      case Recovery::kRequeued:
        rep.requeued++;
        log("run " + std::to_string(lease.run_id) + " attempt " + std::to_string(lease.attempt) +
            ": worker lost, requeued");
        if (!queue_.Enqueue(Job{lease.run_id, now, {}})) rep.queue_errors++;  // the orphan pass retries it
        break;
      case Recovery::kErrored:
        rep.errored++;
        log("run " + std::to_string(lease.run_id) + ": worker lost, retries exhausted, errored");
        break;
      case Recovery::kCancelled:
        rep.cancelled++;
        break;
    }
  }

  auto timed_out = store_.FailQueueTimedOut(now, config_.queue_timeout_ms);
  if (!timed_out) return Fail(timed_out.error());
  rep.timed_out = static_cast<int>(timed_out->size());
  if (rep.timed_out > 0) log(std::to_string(rep.timed_out) + " run(s) failed with queue_timeout");

  // Orphans: queued in the store, in no queue. Read the queue first: a job that
  // moves from queued to in-flight between the two reads may be enqueued twice,
  // which is harmless (the second claim loses).
  auto queued_ids = queue_.QueuedJobIds();
  auto inflight_ids = queue_.InFlightJobIds();
  if (queued_ids && inflight_ids) {
    std::unordered_set<std::int64_t> known(queued_ids->begin(), queued_ids->end());
    known.insert(inflight_ids->begin(), inflight_ids->end());
    auto queued = store_.QueuedRuns(config_.batch);
    if (!queued) return Fail(queued.error());
    now = clock_.Now();
    for (const QueuedRunRef& q : *queued) {
      if (known.count(q.run_id) != 0 || q.queued_at > now - config_.orphan_grace_ms) continue;
      if (queue_.Enqueue(Job{q.run_id, now, {}})) {
        rep.reenqueued++;
      } else {
        rep.queue_errors++;
        break;
      }
    }
    if (rep.reenqueued > 0) log(std::to_string(rep.reenqueued) + " queued run(s) were in no queue; enqueued again");
  } else {
    rep.queue_errors++;
  }

  if (registry_ != nullptr) (void)registry_->Prune(now - config_.worker_stale_ms);
  if (after_pass_) after_pass_();
  return rep;
}

ReconcilerLoop::ReconcilerLoop(Reconciler& reconciler, EpochMs interval_ms, LogFn log)
    : thread_([&reconciler, interval_ms, log = std::move(log)](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        while (!stop.stop_requested()) {
          auto r = reconciler.RunOnce();
          if (!r && log) log("reconciler: pass failed: " + r.error().message);
          std::unique_lock lock(m);
          cv.wait_for(lock, stop, std::chrono::milliseconds(interval_ms), [] { return false; });
        }
      }) {}

ReconcilerLoop::~ReconcilerLoop() = default;  // jthread: request_stop + join

}  // namespace sentinel::app
