#pragma once
// The failure store port for `sentinel reclassify`: lists stored failures with
// what re-triage needs (the step's log path, status, exit code, JUnit results)
// and rewrites one failure, moving it between clusters. Implementations are
// thread-safe (each call is its own transaction).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"
#include "core/model/model.h"

namespace sentinel {

// One stored failure and the step it came from.
struct StoredFailure {
  Failure failure;  // as stored (id, run_id, step_index, cluster_id, kb_version, ...)
  std::string step_name;
  StepStatus step_status = StepStatus::kFailed;
  std::optional<int> exit_code;
  std::string log_path;  // steps.log_path as stored (relative to the data dir)
  std::vector<TestCaseResult> tests;  // test_results of that run and step
};

class FailureStore {
 public:
  virtual ~FailureStore() = default;

  // Failures whose kb_version differs from `kb_version` (all when `all`), oldest
  // first, at most `limit` (kInvalidArgument "limit" unless 1..100000).
  [[nodiscard]] virtual Result<std::vector<StoredFailure>> ListForReclassify(const std::string& kb_version, bool all,
                                                                           int limit) = 0;

  // In one transaction: rewrites failure `id` with the triage fields of `updated`
  // (category, signature, fingerprint, confidence, title, evidence, hints,
  // remediation, kb_version) and, when the fingerprint changed, moves it out of
  // its old cluster (one occurrence fewer) into the cluster of the new
  // fingerprint (created as the run store does). Returns the new cluster id
  // (nullopt for an empty fingerprint). kNotFound when the failure is gone.
  [[nodiscard]] virtual Result<std::optional<std::int64_t>> UpdateFailure(std::int64_t id, const Failure& updated,
                                                                         EpochMs now) = 0;
};

}  // namespace sentinel
