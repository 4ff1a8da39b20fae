#pragma once
// The health check behind GET /health: the database answers a ping, the queue
// (when a probe is given) is reachable. CheckHealth probes once, inline;
// HealthMonitor probes in the background and answers from the last result, so
// a health request costs no round trip while an outage still shows within
// about a second. Thread-safe as the probes are.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

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

struct HealthMonitorOptions {
  std::chrono::milliseconds interval{250};     // time between two probes of one dependency
  std::chrono::milliseconds stale_after{900};  // a probe unanswered this long counts as down
};

// Probes the database (ping, then the stale-write count) and the queue (ping,
// then the live workers) on one thread each, every `interval`. Current() is
// the last report, except that a dependency whose probe has hung for longer
// than `stale_after` (a frozen server, a black-holed link) is reported down
// without waiting for the probe. The constructor waits for the first results
// (at most `stale_after`); the destructor stops and joins the threads, waiting
// for a probe in flight. `log` hears each change of state (ok <-> down).
class HealthMonitor {
 public:
  using LogFn = std::function<void(std::string_view)>;
  explicit HealthMonitor(HealthProbes probes, HealthMonitorOptions options = {}, LogFn log = {});
  ~HealthMonitor();
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  // The latest report; shared and immutable. Cheap: a lock and a reference count.
  std::shared_ptr<const HealthReport> Current() const;

 private:
  struct Probe {
    bool ok = false;
    bool answered = false;
    std::string error;
    std::int64_t count = 0;  // stale writes (database) or live workers (queue)
    std::optional<std::chrono::steady_clock::time_point> in_flight_since;
  };
  void Loop(std::stop_token stop, bool database);
  void Publish();  // rebuilds snapshot_ from db_ and queue_; holds mu_

  HealthProbes probes_;
  HealthMonitorOptions options_;
  LogFn log_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  Probe db_, queue_;                                // guarded by mu_
  std::shared_ptr<const HealthReport> snapshot_;    // guarded by mu_
  std::jthread db_thread_, queue_thread_;           // last: they stop and join first
};

}  // namespace sentinel::app
