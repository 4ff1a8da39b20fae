#pragma once
// Test-history upkeep shared by the SQL stores (internal to adapters/sqlstore):
// the incremental recomputation a finishing run does in its own transaction,
// the window query, and the JSON text encoding of a verdict's statistics.
// Stateless; thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/flaky/flaky.h"
#include "core/model/model.h"
#include "ports/db.h"
#include "ports/test_history_store.h"

namespace sentinel::sqlstore {

// What a finished run's recomputation decided about its failed tests.
struct RunFlakiness {
  // Per step index: every failed test of that step is a flaky failure (a
  // verdict `flaky` for its signature), and there was at least one.
  std::map<int, bool> step_all_flaky;
  int tests = 0;           // tests of the run whose verdicts were recomputed
  int flaky_failures = 0;  // failed tests marked flaky
  int quarantined_failures = 0;
};

// In the finishing run's transaction: stamps the run's test results with their
// repository, the failure category of their step (`failures`; `timeout` for a
// timed-out run), mass failure and `finished`; then for each test of the run
// recomputes its verdict over its window (test_flakiness and
// test_signature_verdicts), flags the results flaky/quarantined, applies
// automatic quarantine (config.auto_quarantine_score > 0) and release
// (config.release_after clean runs in a row).
[[nodiscard]] Result<RunFlakiness> RecomputeRunTests(SqlSession& s, std::int64_t run_id, RunStatus status,
                                                     const std::vector<Failure>& failures,
                                                     const flaky::FlakyConfig& config, EpochMs now);

// The finished results of (repo, test), the newest `window` runs, oldest first.
[[nodiscard]] Result<std::vector<TestRunOutcome>> LoadWindow(SqlSession& s, std::int64_t repo_id,
                                                             const std::string& test_id, int window);

// Folds stored results (several per run: attempts, several reports) into RunResults.
std::vector<flaky::RunResult> ToRunResults(const std::vector<TestRunOutcome>& window);

std::string EncodeStats(const flaky::Verdict& v);
[[nodiscard]] Result<flaky::Verdict> DecodeStats(const std::string& json);

}  // namespace sentinel::sqlstore
