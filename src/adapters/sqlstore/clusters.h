#pragma once
// Cluster upkeep shared by the SQL stores (internal to adapters/sqlstore):
// folding a failure into the cluster of its fingerprint, and the JSON text
// encodings of a failure's list columns. Stateless; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"
#include "core/model/model.h"
#include "ports/db.h"

namespace sentinel::sqlstore {

// Folds failure `x` of run `run_id` into the cluster of x.fingerprint: a new
// cluster is seeded by the pure triage::UpdateCluster (title, template,
// excerpt, hint); an existing one counts one more occurrence (and one more
// flaky occurrence when x.flaky). The run (and its repo) is linked in
// cluster_runs. Returns the cluster id.
[[nodiscard]] Result<std::int64_t> UpsertCluster(SqlSession& s, std::int64_t run_id, const Failure& x, EpochMs now);

std::string EncodeStrings(const std::vector<std::string>& v);
std::string EncodeEvidence(const std::vector<EvidenceLine>& v);

}  // namespace sentinel::sqlstore
