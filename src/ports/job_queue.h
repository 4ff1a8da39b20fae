#pragma once
// The job queue: dispatches run ids to workers. A reliable FIFO with leases:
// a leased job sits in the worker's in-flight set until it is acked, released,
// or reaped after the worker stops heartbeating. The store is the source of
// truth for a run's state; the queue only dispatches. Implementations are
// thread-safe: any number of threads (and, for Redis, processes) may share one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

// One unit of dispatch. Two jobs are the same job when all three fields are equal.
struct Job {
  std::int64_t run_id = 0;
  EpochMs enqueued_at = 0;  // the producer's clock; used for enqueue->start latency
  std::string payload;      // optional, small (a few hundred bytes at most); any bytes

  bool operator==(const Job&) const = default;
};

struct Leased {
  Job job;
  std::string worker_id;
};

struct WorkerInfo {
  std::string id;
  EpochMs last_heartbeat = 0;  // time of its last Heartbeat or Lease; 0 if unknown (Redis
                               // forgets it with the expired key)
  bool alive = false;          // false: its heartbeat expired and it awaits ReapDeadWorkers
  int in_flight = 0;           // jobs it holds; busy == in_flight > 0
};

// Contract (the same for every implementation; tests/contract checks it):
//
// - FIFO: Lease hands out jobs in Enqueue order; a Released or reaped job goes
//   back to the head, ahead of everything enqueued after it.
// - At-least-once: a job is delivered to one worker at a time and never lost
//   while the backend keeps its data, but it may be delivered again after its
//   worker was reaped (a frozen worker may then still be running it). Callers
//   make runs idempotent with the store's compare-and-set claim and attempt
//   fencing; the queue does not fence.
// - Leases: Lease and Heartbeat register the worker. A worker is alive while
//   its last Heartbeat(ttl) (or, before any, the default TTL of the
//   implementation, counted from the Lease) has not run out; Lease keeps it
//   alive for its whole wait plus that TTL. Call Heartbeat every ttl/3 or so.
//   A Heartbeat that arrives after expiry but before a reap revives the worker
//   with its leases intact. A worker id names one worker (one consumer loop);
//   two live workers must never share one.
// - Stale ack: Ack or Release of a job that is not in that worker's in-flight
//   set (already acked, or reaped and handed to someone else) returns
//   kNotFound and changes nothing.
// - Errors: kUnavailable when the backend cannot be reached or a call timed
//   out; the call had no effect or an unknown one (an Enqueue may have landed),
//   and the caller retries later. The queue reconnects by itself on a later
//   call. kInvalidArgument for an empty worker id or a malformed job.
//   Nothing here throws or aborts on a backend failure.
// - Threads: every method may be called from any thread concurrently. Destroy
//   the queue only after every call (including a blocked Lease) has returned.
//
// Lifecycle: producers call Enqueue. A worker loops Lease -> run -> Ack, with a
// Heartbeat every few seconds while it holds a lease, and Releases its job on
// graceful shutdown. One process (the reconciler) calls ReapDeadWorkers
// periodically, and compares QueuedJobIds/InFlightJobIds with the store to
// re-enqueue runs that the queue lost (e.g. a Redis restart without persistence).
class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Appends to the tail.
  [[nodiscard]] virtual Status Enqueue(const Job& job) = 0;

  // Moves the head job atomically into worker_id's in-flight set and returns it.
  // Blocks up to wait_ms (0: don't block) for a job; nullopt when none came.
  [[nodiscard]] virtual Result<std::optional<Leased>> Lease(const std::string& worker_id,
                                                            EpochMs wait_ms) = 0;

  // Keeps all of worker_id's leases alive for ttl_ms from now.
  [[nodiscard]] virtual Status Heartbeat(const std::string& worker_id, EpochMs ttl_ms) = 0;

  // Done: removes the job from worker_id's in-flight set. kNotFound when stale.
  [[nodiscard]] virtual Status Ack(const std::string& worker_id, const Job& job) = 0;

  // Hands the job back to the head of the queue. kNotFound when stale.
  [[nodiscard]] virtual Status Release(const std::string& worker_id, const Job& job) = 0;

  // For every worker whose heartbeat has expired: returns its in-flight jobs to
  // the head of the queue (oldest first) and unregisters it. Returns the jobs
  // moved. `now` is the caller's clock: the embedded queue compares heartbeat
  // deadlines with it; Redis uses server-side key expiry and ignores it.
  [[nodiscard]] virtual Result<std::vector<Job>> ReapDeadWorkers(EpochMs now) = 0;

  // Run ids waiting, head first; run ids leased by any worker. For the reconciler.
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> QueuedJobIds() = 0;
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> InFlightJobIds() = 0;

  // Number of jobs waiting (not counting in-flight ones).
  [[nodiscard]] virtual Result<std::int64_t> Depth() = 0;

  // Health: Ok when the backend answers, kUnavailable otherwise.
  [[nodiscard]] virtual Status Ping() = 0;

  [[nodiscard]] virtual Result<std::vector<WorkerInfo>> RegisteredWorkers() = 0;
};

}  // namespace sentinel
