#pragma once
// `sentinel reclassify`: re-triages stored failures made by another knowledge-
// base version (or all of them) from their steps' logs and JUnit results, and
// reports (and, unless dry-run, stores) what changed. Pure orchestration over
// a FailureStore and a triage function; not thread-safe per call (one caller).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/worker.h"
#include "core/base/result.h"
#include "ports/failure_store.h"

namespace sentinel::app {

// Triages one stored step (app/triage_hooks.h TriageStoredStep bound to a Kb).
// kNotFound when the step's log is missing.
using TriageStoredStepFn = std::function<Result<Failure>(std::int64_t run_id, const StepReport& step)>;

struct ReclassifyOptions {
  std::string kb_version;  // the current KB's version
  std::string data_dir;    // steps.log_path is relative to it
  bool all = false;        // re-triage every failure, not only other versions'
  bool dry_run = false;    // report only, change nothing
  int limit = 100000;      // at most this many failures per call
};

struct ReclassifyChange {
  std::int64_t failure_id = 0;
  std::int64_t run_id = 0;
  int step_index = 0;
  FailureCategory old_category = FailureCategory::kUnknown;
  FailureCategory new_category = FailureCategory::kUnknown;
  std::string old_signature, new_signature;
  std::string old_fingerprint, new_fingerprint;
  std::optional<std::int64_t> old_cluster;
  std::optional<std::int64_t> new_cluster;  // after the move; nullopt in a dry run
};

struct ReclassifyReport {
  int examined = 0;
  int unchanged = 0;  // same category, signature and fingerprint (restamped unless dry-run)
  std::vector<ReclassifyChange> changes;
  std::vector<std::string> missing_logs;  // "run R step I: <why>", left unchanged
};

// Errors: the store's (listing, or updating a failure; failures already
// updated stay updated: each is its own transaction).
[[nodiscard]] Result<ReclassifyReport> Reclassify(FailureStore& store, const TriageStoredStepFn& triage,
                                                  const ReclassifyOptions& options, EpochMs now);

// The report as printed: one line per change ("run R step I: old/sig -> new/sig"),
// its cluster move, each missing log, then the summary line.
std::vector<std::string> FormatReclassifyReport(const ReclassifyReport& report, bool dry_run);

}  // namespace sentinel::app
