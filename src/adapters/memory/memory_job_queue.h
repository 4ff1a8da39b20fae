#pragma once
// The `embedded` job queue: an in-process FIFO with leases, for `sentinel up`
// and tests. Same contract as every JobQueue (ports/job_queue.h); nothing
// survives the process. Thread-safe (one mutex, one condition variable).

#include <memory>

#include "ports/clock.h"
#include "ports/job_queue.h"

namespace sentinel::adapters::memory {

struct MemoryQueueOptions {
  // How long a worker stays alive after a Lease when it has not called Heartbeat yet.
  EpochMs default_ttl_ms = 30'000;
};

// `clock` must outlive the queue. Lease blocks on a steady clock; heartbeat
// deadlines use `clock`.
std::unique_ptr<JobQueue> NewMemoryJobQueue(const Clock& clock, MemoryQueueOptions options = {});

}  // namespace sentinel::adapters::memory
