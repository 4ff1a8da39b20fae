#pragma once
// The health check behind GET /health: the database answers a ping, the queue
// (when a probe is given) is reachable. Thread-safe as the probes are.

#include <functional>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "ports/db.h"

namespace sentinel::app {

struct HealthReport {
  bool database_ok = false;
  bool queue_ok = false;
  int workers = 0;
  std::int64_t stale_writes = 0;  // worker writes rejected by fencing (a presumed-dead worker came back)
  std::string version;
  std::string database_error;  // why the database is down, for the log
  std::string queue_error;

  bool ok() const { return database_ok && queue_ok; }
};

struct HealthProbes {
  Db* db = nullptr;                           // required
  std::function<Status()> queue;              // empty: the queue counts as ok (embedded, not wired yet)
  std::function<int()> workers;               // empty: 0
  std::string version;
  std::function<std::int64_t()> stale_writes;  // empty: 0
};

HealthReport CheckHealth(const HealthProbes& probes);

}  // namespace sentinel::app
