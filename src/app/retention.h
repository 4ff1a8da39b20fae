#pragma once
// Retention: removes step logs, workspaces and run history older than the
// configured limits (sentinel.yml retention.*), never the data of a run that
// is still referenced (ports/retention_store.h: open incidents, cluster
// representatives, retries, flakiness) nor of a run still queued or running.
// `sentinel gc` runs it once; `up` and `api` every retention.interval.
// Thread-safe as the store is; two collectors at once only race to delete the
// same files (harmless).

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/retention_store.h"

namespace sentinel::app {

struct RetentionPolicy {
  EpochMs log_ms = 0;        // logs of runs finished longer ago than this go; 0 = keep forever
  EpochMs run_ms = 0;        // runs (and their logs) finished longer ago than this go; 0 = keep forever
  EpochMs workspace_ms = 0;  // workspaces untouched for this long go (never an active run's); 0 = keep
  bool dry_run = false;      // count what would go, remove nothing
};

struct GcReport {
  std::int64_t runs_deleted = 0;
  std::int64_t log_dirs_removed = 0;
  std::int64_t workspaces_removed = 0;
  std::int64_t bytes_freed = 0;
  std::int64_t kept_referenced = 0;  // old log folders kept because their run is referenced or active
};

// One sweep over data_dir/logs/run-<id>/ and data_dir/workspaces/run-<id>-<attempt>/
// and the runs table. Errors from the store stop the sweep (what was removed stays removed).
[[nodiscard]] Result<GcReport> CollectGarbage(RetentionStore& store, const std::string& data_dir, const Clock& clock,
                                              const RetentionPolicy& policy);

// Runs CollectGarbage every interval_ms on a thread (the first sweep after one
// interval) until destroyed; reports each sweep through `log`.
class GcLoop {
 public:
  GcLoop(RetentionStore& store, std::string data_dir, const Clock& clock, RetentionPolicy policy, EpochMs interval_ms,
         std::function<void(const std::string&)> log = {});
  ~GcLoop();
  GcLoop(const GcLoop&) = delete;
  GcLoop& operator=(const GcLoop&) = delete;

 private:
  std::jthread thread_;
};

}  // namespace sentinel::app
