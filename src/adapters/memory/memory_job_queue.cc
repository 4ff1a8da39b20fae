#include "adapters/memory/memory_job_queue.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sentinel::adapters::memory {
namespace {

struct WorkerState {
  std::vector<Job> in_flight;  // oldest lease first
  EpochMs last_heartbeat = 0;
  EpochMs expires_at = 0;
  EpochMs ttl_ms = 0;  // from its last Heartbeat; the default until then
};

class MemoryJobQueue final : public JobQueue {
 public:
  MemoryJobQueue(const Clock& clock, MemoryQueueOptions options) : clock_(clock), options_(options) {}

  Status Enqueue(const Job& job) override {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(job);
    }
    cv_.notify_one();
    return Ok();
  }

  Result<std::optional<Leased>> Lease(const std::string& worker_id, EpochMs wait_ms) override {
    if (worker_id.empty()) return Fail(ErrorCode::kInvalidArgument, "worker id is empty", "worker_id");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<EpochMs>(wait_ms, 0));
    std::unique_lock lock(mu_);
    // The worker is registered and kept alive for the whole wait plus its TTL, as in Redis.
    Touch(worker_id, std::max<EpochMs>(wait_ms, 0));
    cv_.wait_until(lock, deadline, [&] { return !queue_.empty(); });
    if (queue_.empty()) return std::optional<Leased>();
    Job job = std::move(queue_.front());
    queue_.pop_front();
    // Looked up again: the worker may have been reaped and erased during the wait.
    WorkerState& w = Touch(worker_id, 0);
    w.in_flight.push_back(job);
    return std::optional<Leased>(Leased{std::move(job), worker_id});
  }

  Status Heartbeat(const std::string& worker_id, EpochMs ttl_ms) override {
    if (worker_id.empty()) return Fail(ErrorCode::kInvalidArgument, "worker id is empty", "worker_id");
    if (ttl_ms <= 0) return Fail(ErrorCode::kInvalidArgument, "heartbeat ttl must be positive", "ttl_ms");
    std::lock_guard lock(mu_);
    WorkerState& w = workers_[worker_id];  // a new worker, or one that expired and comes back
    const EpochMs now = clock_.Now();
    w.last_heartbeat = now;
    w.expires_at = now + ttl_ms;  // an explicit heartbeat sets the deadline, shorter or longer
    w.ttl_ms = ttl_ms;
    return Ok();
  }

  Status Ack(const std::string& worker_id, const Job& job) override {
    std::lock_guard lock(mu_);
    if (!TakeInFlight(worker_id, job)) return Stale("ack", worker_id, job);
    return Ok();
  }

  Status Release(const std::string& worker_id, const Job& job) override {
    {
      std::lock_guard lock(mu_);
      if (!TakeInFlight(worker_id, job)) return Stale("release", worker_id, job);
      queue_.push_front(job);
    }
    cv_.notify_one();
    return Ok();
  }

  Result<std::vector<Job>> ReapDeadWorkers(EpochMs now) override {
    std::vector<Job> reaped;
    {
      std::lock_guard lock(mu_);
      for (auto it = workers_.begin(); it != workers_.end();) {
        if (it->second.expires_at > now) {
          ++it;
          continue;
        }
        // Newest first to the head, so the oldest ends up at the very head.
        auto& jobs = it->second.in_flight;
        for (auto j = jobs.rbegin(); j != jobs.rend(); ++j) queue_.push_front(*j);
        reaped.insert(reaped.end(), jobs.begin(), jobs.end());
        it = workers_.erase(it);
      }
    }
    if (!reaped.empty()) cv_.notify_all();
    return reaped;
  }

  Result<std::vector<std::int64_t>> QueuedJobIds() override {
    std::lock_guard lock(mu_);
    std::vector<std::int64_t> ids;
    ids.reserve(queue_.size());
    for (const Job& j : queue_) ids.push_back(j.run_id);
    return ids;
  }

  Result<std::vector<std::int64_t>> InFlightJobIds() override {
    std::lock_guard lock(mu_);
    std::vector<std::int64_t> ids;
    for (const auto& [id, w] : workers_)
      for (const Job& j : w.in_flight) ids.push_back(j.run_id);
    return ids;
  }

  Result<std::int64_t> Depth() override {
    std::lock_guard lock(mu_);
    return static_cast<std::int64_t>(queue_.size());
  }

  Status Ping() override { return Ok(); }

  Result<std::vector<WorkerInfo>> RegisteredWorkers() override {
    std::lock_guard lock(mu_);
    const EpochMs now = clock_.Now();
    std::vector<WorkerInfo> out;
    for (const auto& [id, w] : workers_)
      out.push_back(WorkerInfo{id, w.last_heartbeat, w.expires_at > now, static_cast<int>(w.in_flight.size())});
    return out;
  }

 private:
  // Registers the worker and pushes its deadline to at least now + extra_ms +
  // its TTL. Requires mu_.
  WorkerState& Touch(const std::string& worker_id, EpochMs extra_ms) {
    auto [it, added] = workers_.try_emplace(worker_id);
    WorkerState& w = it->second;
    if (added) w.ttl_ms = options_.default_ttl_ms;
    const EpochMs now = clock_.Now();
    w.last_heartbeat = now;
    w.expires_at = std::max(w.expires_at, now + extra_ms + w.ttl_ms);
    return w;
  }

  // Removes one occurrence of job from the worker's in-flight set. Requires mu_.
  bool TakeInFlight(const std::string& worker_id, const Job& job) {
    auto w = workers_.find(worker_id);
    if (w == workers_.end()) return false;
    auto& jobs = w->second.in_flight;
    auto it = std::find(jobs.begin(), jobs.end(), job);
    if (it == jobs.end()) return false;
    jobs.erase(it);
    return true;
  }

  static tl::unexpected<Error> Stale(const char* op, const std::string& worker_id, const Job& job) {
    return Fail(ErrorCode::kNotFound, std::string(op) + ": run " + std::to_string(job.run_id) +
                                          " is not leased by worker '" + worker_id +
                                          "' (already acked, or reaped and handed out again)");
  }

  const Clock& clock_;
  const MemoryQueueOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;                     // front is the head
  std::map<std::string, WorkerState> workers_;
};

}  // namespace

std::unique_ptr<JobQueue> NewMemoryJobQueue(const Clock& clock, MemoryQueueOptions options) {
  return std::make_unique<MemoryJobQueue>(clock, options);
}

}  // namespace sentinel::adapters::memory
