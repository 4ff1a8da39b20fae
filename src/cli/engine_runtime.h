#pragma once
// The engine wired to real adapters: the job queue a URL names (embedded or
// Redis), the SQL execution store and worker registry, the POSIX command
// runner, git, N worker threads and the reconciler loop. Used by
// `sentinel worker` and `sentinel up` (and by `sentinel api` for the
// reconciler alone). Start from the main thread after blocking stop signals;
// Stop(grace) or the destructor stops the workers before the reconciler.

#include <memory>
#include <string>

#include "app/notifier.h"
#include "app/reconciler.h"
#include "app/worker.h"
#include "core/base/result.h"
#include "core/config/settings.h"
#include "core/incidents/incident_rules.h"
#include "core/flaky/flaky.h"
#include "ports/clock.h"
#include "ports/db.h"
#include "ports/job_queue.h"

namespace sentinel::cli {

inline constexpr std::string_view kEmbeddedQueue = "embedded";

// "embedded" (the in-process queue) or redis://[:password@]host[:port][/db].
// kInvalidArgument (field "queue_url") otherwise.
[[nodiscard]] Result<std::unique_ptr<JobQueue>> OpenQueue(const std::string& url, const Clock& clock,
                                                          EpochMs default_ttl_ms);

struct EngineOptions {
  int workers = 1;                      // worker threads; 0 = none
  bool reconcile = false;               // run the reconciler loop
  EpochMs reconcile_interval_ms = 2'000;
  std::string worker_id_prefix;         // "" = hostname-pid
  bool triage = true;                   // classify failed steps (infra-class retries) and triage failed runs
  bool incidents = true;                // evaluate the incident rules when a run finishes and in the reconciler
  incidents::Thresholds incident_thresholds;
  app::NotifierConfig notifier;         // webhooks out: the outbox rows of incident transitions (delivered by the API)
  flaky::FlakyConfig flaky;             // thresholds of the verdicts recomputed when a run finishes
  app::WorkerConfig worker;
  app::ReconcilerConfig reconciler;
};

// The engine options the settings give: lease, heartbeat, retries, timeouts,
// data dir; `settings.workers` worker threads and the reconciler.
EngineOptions EngineOptionsFrom(const Settings& settings);
// The same with no workers: the reconciler alone (for `sentinel api`).
EngineOptions ReconcilerOnly(const Settings& settings);

class EngineRuntime {
 public:
  // db and queue must outlive the runtime. Starts the threads at once.
  [[nodiscard]] static Result<std::unique_ptr<EngineRuntime>> Start(Db& db, JobQueue& queue, EngineOptions options);
  ~EngineRuntime();
  EngineRuntime(const EngineRuntime&) = delete;
  EngineRuntime& operator=(const EngineRuntime&) = delete;

  // Stops leasing, lets the runs in hand finish for up to grace_ms, then hands
  // them back; stops the reconciler. Idempotent.
  void Stop(EpochMs grace_ms);
  int workers() const;
  int busy() const;

 private:
  struct Parts;
  explicit EngineRuntime(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// "<hostname>-<pid>".
std::string DefaultWorkerPrefix();


}  // namespace sentinel::cli
