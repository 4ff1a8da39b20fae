#pragma once
// JSON of flaky-test verdicts, shared by `sentinel flaky` and the API so the
// offline and online shapes are the same (CONTRACT.md section 2 and 3):
// classification, score, interval [low, high], runs, failures, failure_ratio,
// flips, window and the evidence object. Pure; thread-safe.

#include <nlohmann/json.hpp>

#include "core/flaky/flaky.h"
#include "ports/test_history_store.h"

namespace sentinel::http {

// {"classification", "score", "interval", "window", "runs", "failures", "failure_ratio", "flips"}.
nlohmann::json VerdictFields(const flaky::Verdict& v);

// The evidence of a verdict: reason, passes, retry passes, commits with both
// outcomes, runs that passed on retry, failing runs, the current streak,
// infrastructure failures (reported apart) and the last failing run.
nlohmann::json EvidenceJson(const flaky::Verdict& v);

// VerdictFields + "evidence" (with "signatures": one verdict per failure signature).
nlohmann::json TestVerdictJson(const flaky::TestVerdict& v);

// A stored verdict as an item of GET /tests/flaky: id (numeric, for URLs),
// repo_id, repo, test_id, VerdictFields, reason, last_failing_run, updated_at.
nlohmann::json ToJson(const StoredVerdict& v);

// GET /tests/{id}: the item, "evidence" (with per-signature verdicts),
// "commits" (the window's outcomes grouped by commit, oldest first) and
// "quarantine" ({"active", "quarantines", "history"}).
nlohmann::json ToJson(const TestDetail& d);

}  // namespace sentinel::http
