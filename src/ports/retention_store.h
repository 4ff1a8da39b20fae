#pragma once
// What retention (`sentinel gc`) asks of the store: which finished runs may
// lose their logs or their whole history, and deleting that history. A run is
// "referenced" - and kept, whatever its age - when an unresolved incident
// lists it or its cluster, a cluster shows it as its representative, a
// later run is its retry, or a test's flakiness names it as the last failing
// run. Runs that are not finished are never expired. Thread-safe.

#include <cstdint>
#include <set>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

class RetentionStore {
 public:
  virtual ~RetentionStore() = default;
  // Finished, unreferenced runs with finished_at < before and id > after_id, by id, at most limit.
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> ExpiredRuns(EpochMs before, std::int64_t after_id,
                                                                      int limit) = 0;
  // Of `ids`, those whose logs may go: finished before `before` and unreferenced, or no longer in the store.
  [[nodiscard]] virtual Result<std::set<std::int64_t>> LogsExpired(const std::vector<std::int64_t>& ids,
                                                                   EpochMs before) = 0;
  // Of `ids`, the runs that are queued or running (their workspaces are in use).
  [[nodiscard]] virtual Result<std::set<std::int64_t>> ActiveRuns(const std::vector<std::int64_t>& ids) = 0;
  // Deletes the runs and everything recorded for them (steps, events, tests, failures,
  // cluster and incident links), in one transaction; a run that became referenced
  // meanwhile is kept. Returns how many runs were deleted.
  [[nodiscard]] virtual Result<std::int64_t> DeleteRuns(const std::vector<std::int64_t>& ids, EpochMs before) = 0;
};

}  // namespace sentinel
