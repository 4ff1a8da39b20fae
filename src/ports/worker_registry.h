#pragma once
// The workers table: each worker loop registers itself, heartbeats with its
// state (busy/idle, current run), and unregisters on a clean exit; GET /health
// and /overview read it. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

struct WorkerRecord {
  std::string id;  // hostname-pid-n
  std::string hostname;
  std::int64_t pid = 0;
  EpochMs started_at = 0;
  EpochMs heartbeat_at = 0;
  std::string status = "idle";  // "idle" | "busy"
  std::optional<std::int64_t> current_run_id;
};

class WorkerRegistry {
 public:
  virtual ~WorkerRegistry() = default;
  // Inserts or replaces the record with this id.
  [[nodiscard]] virtual Status Upsert(const WorkerRecord& worker) = 0;
  [[nodiscard]] virtual Status Remove(const std::string& id) = 0;
  // Workers that heartbeated at or after `since`, by id.
  [[nodiscard]] virtual Result<std::vector<WorkerRecord>> List(EpochMs since) = 0;
  // Deletes records whose last heartbeat is before `before`; returns how many.
  [[nodiscard]] virtual Result<std::int64_t> Prune(EpochMs before) = 0;
};

}  // namespace sentinel
