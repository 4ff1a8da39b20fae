#pragma once
// Test history and flaky-test verdicts (issue 7). The verdicts are written by
// the execution store when a run finishes (incrementally: only that run's
// tests, in its Finish transaction); this port reads them, reads a test's
// window, and manages quarantines. A test is addressed by a numeric surrogate
// id per (repository, normalised test id) — the {id} of /tests/{id} — or by
// (repo_id, test_id). Every quarantine change is recorded with who and why.
// Thread-safe (each call is its own transaction).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/flaky/flaky.h"
#include "core/model/model.h"
#include "ports/repo_store.h"

namespace sentinel {

// Quarantines with this signature cover every signature of the test.
inline constexpr const char* kAllSignatures = "*";

// One stored result of the test in its window, oldest run first.
struct TestRunOutcome {
  std::int64_t run_id = 0;
  std::string commit;
  TestOutcome outcome = TestOutcome::kPassed;
  int attempts = 1;
  std::string signature;
  std::string category;  // "" when not failed
  bool mass_failure = false;
  bool flaky = false;        // marked as a flaky failure on its run
  bool quarantined = false;  // failed while quarantined: did not fail its run
  std::string message;
  std::optional<EpochMs> finished_at;
};

// The latest verdict of one test (test_flakiness), with its per-signature verdicts.
struct StoredVerdict {
  std::int64_t id = 0;  // the test's surrogate id
  std::int64_t repo_id = 0;
  std::string repo_name;
  std::string test_id;  // normalised (flaky::NormalizeTestId)
  flaky::Verdict verdict;  // stats and evidence as of the last run that ran it
  std::vector<flaky::SignatureVerdict> signatures;  // stats hold runs/failures only
  std::optional<std::int64_t> last_failing_run_id;
  std::optional<std::int64_t> last_run_id;
  EpochMs updated_at = 0;
  std::vector<TestRunOutcome> recent;  // List: its latest kRecentOutcomes results, oldest first (run, commit, outcome)
};

// How many of a test's latest results a list of verdicts carries (the dashboard's outcome squares).
inline constexpr int kRecentOutcomes = 20;


struct Quarantine {
  std::string signature;  // or kAllSignatures
  std::string who;
  std::string reason;
  bool automatic = false;
  EpochMs since = 0;
  int clean_runs = 0;  // clean runs in a row since (flaky.release_after lifts it)
};

struct QuarantineEvent {
  std::string signature;
  std::string action;  // "quarantined" | "released"
  std::string who;
  std::string reason;
  EpochMs at = 0;
  std::optional<std::int64_t> run_id;  // the run that triggered an automatic change
};

struct TestDetail {
  StoredVerdict verdict;
  std::vector<TestRunOutcome> window;  // the runs of the verdict's window, oldest first
  std::vector<Quarantine> quarantines;  // active
  std::vector<QuarantineEvent> history;  // newest first
};

struct TestFilter {
  std::optional<std::int64_t> repo_id;
  std::optional<flaky::Classification> classification;
  ListQuery page;
};

// A failed test of a step, as the worker asks about it.
struct FailedTestRef {
  std::string test_id;  // normalised
  std::string signature;
};

class TestHistoryStore {
 public:
  virtual ~TestHistoryStore() = default;

  // Highest score first (ties: higher id first). kInvalidArgument for a
  // malformed cursor (field "cursor") or a limit outside 1..500 ("limit").
  [[nodiscard]] virtual Result<Page<StoredVerdict>> List(const TestFilter& filter) = 0;
  // kNotFound (field "id") when no test has this id.
  [[nodiscard]] virtual Result<TestDetail> Get(std::int64_t id) = 0;
  // The verdict of (repo, test id); kNotFound (field "test") when never seen.
  [[nodiscard]] virtual Result<StoredVerdict> Find(std::int64_t repo_id, const std::string& test_id) = 0;

  // Quarantines (test `id`, signature or kAllSignatures). kNotFound (field "id")
  // for an unknown test; kAlreadyExists when that quarantine is active. Records an event.
  [[nodiscard]] virtual Result<Quarantine> AddQuarantine(std::int64_t id, const std::string& signature,
                                                        const std::string& who, const std::string& reason,
                                                        EpochMs now) = 0;
  // Lifts it; kNotFound (field "signature") when not quarantined. Records an event.
  [[nodiscard]] virtual Status LiftQuarantine(std::int64_t id, const std::string& signature, const std::string& who,
                                              const std::string& reason, EpochMs now) = 0;

  // For each failed test, whether an active quarantine of `repo_id` covers its
  // (test, signature) or (test, *). Same order as `failed`.
  [[nodiscard]] virtual Result<std::vector<bool>> Quarantined(std::int64_t repo_id,
                                                              const std::vector<FailedTestRef>& failed) = 0;
};

}  // namespace sentinel
