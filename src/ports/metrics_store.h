#pragma once
// What GET /metrics reads from the store. Two kinds of figures:
//  - gauges, the truth shared by every API process: counted per scrape with
//    indexed COUNT/GROUP BY queries (run status, live workers, open incidents,
//    flaky tests, stale writes);
//  - facts appended since a watermark (run events and failures, by id), which
//    the caller folds into its cumulative counters and histograms, so a scrape
//    reads only what is new, never a whole history.
// Thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

struct StoreGauges {
  std::map<std::string, std::int64_t> runs_by_status;  // every run status present
  std::map<std::string, std::int64_t> workers_by_state;  // "idle" / "busy" of live workers
  std::map<std::string, std::int64_t> open_incidents_by_severity;  // status open or mitigating
  std::int64_t flaky_tests = 0;                         // test_flakiness rows classified flaky
  std::int64_t stale_writes = 0;                        // writes rejected by fencing
};

// One run event (run_events row) with, for "finished" events, the run's outcome.
struct RunEventFact {
  std::int64_t id = 0;
  std::string kind;  // claimed, step_finished, step_retried, finished, worker_lost, released, retried, ...
  std::string message;
  std::int64_t run_id = 0;
  EpochMs at = 0;
  // "finished" events only:
  std::string run_status;
  std::optional<EpochMs> run_duration_ms;                          // finished_at - started_at
  std::vector<std::pair<std::string, EpochMs>> step_durations;     // (step status, duration) of ended steps
};

struct FailureFact {
  std::int64_t id = 0;
  std::string category;
};

class MetricsStore {
 public:
  virtual ~MetricsStore() = default;
  // Workers that heartbeated at or after live_since count as live.
  [[nodiscard]] virtual Result<StoreGauges> Gauges(EpochMs live_since) = 0;
  // Run events with id > after_id, oldest first, at most limit.
  [[nodiscard]] virtual Result<std::vector<RunEventFact>> RunEventsAfter(std::int64_t after_id, int limit) = 0;
  // Failures with id > after_id, oldest first, at most limit.
  [[nodiscard]] virtual Result<std::vector<FailureFact>> FailuresAfter(std::int64_t after_id, int limit) = 0;
};

}  // namespace sentinel
