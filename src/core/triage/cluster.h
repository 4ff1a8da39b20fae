#pragma once
// Failure clusters: failures with the same fingerprint share one cluster.
// UpdateCluster folds one new failure into a cluster record; the store decides
// which record (by fingerprint) and whether the run/repo is new to it. Pure;
// thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/time.h"
#include "core/model/model.h"

namespace sentinel::triage {

inline constexpr std::size_t kMaxClusterTitleChars = 120;
inline constexpr std::size_t kClusterExcerptLines = 3;

struct ClusterObservation {
  const Failure* failure = nullptr;  // required
  std::string template_text;         // TriageResult::cluster_template
  EpochMs at = 0;                    // when the failure happened
  bool new_run = true;               // the cluster has no failure of this run yet
  bool new_repo = true;              // ... nor of this repo
};

// Title of a cluster from its template: "<Category>: <template>", cut to
// kMaxClusterTitleChars on a UTF-8 boundary.
std::string ClusterTitle(FailureCategory category, std::string_view template_text);

// Returns `cluster` with the observation folded in. An empty cluster (no
// fingerprint) is initialised from the failure: fingerprint, category,
// signature, template, title, hint, excerpt, first_seen. Counts always grow;
// first_seen/last_seen are the min/max of what was seen; the excerpt is the
// first failure's top evidence (kept stable so links stay meaningful). A
// failure with another fingerprint leaves the cluster unchanged.
Cluster UpdateCluster(Cluster cluster, const ClusterObservation& obs);

}  // namespace sentinel::triage
