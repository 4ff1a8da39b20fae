#pragma once
// Failure clusters as the worker wrote them (one per fingerprint), read for the
// API: list newest last_seen first, and one cluster with the runs it affected.
// Affected runs and repos are counted from cluster_runs. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "ports/repo_store.h"

namespace sentinel {

struct ClusterSummary {
  Cluster cluster;
  std::optional<std::int64_t> representative_run_id;  // null once that run is deleted
};

// One run a cluster affected.
struct ClusterRun {
  std::int64_t run_id = 0;
  std::int64_t repo_id = 0;
  std::string repo_name;
  RunStatus status = RunStatus::kQueued;
  EpochMs created_at = 0;
};

struct ClusterDetail {
  ClusterSummary summary;
  std::vector<ClusterRun> runs;  // newest first, at most ClusterStore::kMaxDetailRuns
};

struct ClusterFilter {
  std::optional<FailureCategory> category;
  std::optional<std::int64_t> repo_id;  // clusters that affected a run of this repository
  ListQuery page;
};

class ClusterStore {
 public:
  static constexpr int kMaxDetailRuns = 200;

  virtual ~ClusterStore() = default;
  // Newest last_seen first (ties: higher id first). kInvalidArgument for a
  // malformed cursor (field "cursor") or a limit outside 1..500 (field "limit").
  [[nodiscard]] virtual Result<Page<ClusterSummary>> List(const ClusterFilter& filter) = 0;
  // kNotFound (field "id") when absent.
  [[nodiscard]] virtual Result<ClusterDetail> Get(std::int64_t id) = 0;
};

}  // namespace sentinel
