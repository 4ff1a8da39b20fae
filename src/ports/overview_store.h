#pragma once
// The dashboard's figures (GET /overview), each computed by an indexed
// aggregate query, never by loading the history. Thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

struct DayTrend {
  EpochMs day = 0;  // midnight UTC
  std::int64_t finished = 0;   // succeeded + failed + timed_out + errored
  std::int64_t succeeded = 0;
};

struct TopCluster {
  std::int64_t id = 0;
  std::string title;
  std::string category;
  std::int64_t occurrences = 0;  // within the window
  EpochMs last_seen = 0;
};

struct OverviewFigures {
  std::map<std::string, std::int64_t> runs_by_status;  // all time
  std::int64_t finished_in_window = 0;
  std::int64_t succeeded_in_window = 0;
  std::vector<DayTrend> trend;  // oldest first, days with finished runs only
  std::int64_t recoveries = 0;  // failed -> next success, per repository, in the window
  std::optional<double> mttr_ms;
  std::int64_t queue_depth = 0;
  std::int64_t busy_workers = 0;
  std::int64_t idle_workers = 0;
  std::map<std::string, std::int64_t> open_incidents_by_severity;  // unresolved
  std::int64_t flaky_tests = 0;
  std::vector<TopCluster> top_clusters;
  std::int64_t failures_in_window = 0;  // non-flaky
  std::int64_t failures_explained = 0;  // of them, with a known signature
};

class OverviewStore {
 public:
  virtual ~OverviewStore() = default;
  // Window figures cover [since, now]; workers count if they beat after worker_since.
  [[nodiscard]] virtual Result<OverviewFigures> Figures(EpochMs since, EpochMs worker_since) = 0;
};

}  // namespace sentinel
