#pragma once
// Flaky-test detection over a test's history: pure functions over values.
//
// A test's history is the sequence of its RunResults (one per run that ran it,
// every attempt of that run folded in), oldest first; the detector looks at
// the last `window` of them. From the window it computes WindowStats (runs,
// passes, failures, failure ratio, flips, both outcomes on one commit, passes
// on retry, the current failing streak) and classifies the test as flaky,
// failing, stable or insufficient, with a score and a credible interval. The
// same classification is made per failure signature (see ClassifyTest).
// Definitions: README.md "Flaky tests" and ARCHITECTURE.md. Thread-safe (no state).

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.h"

namespace sentinel {
struct Settings;
}

namespace sentinel::flaky {

enum class Classification { kFlaky, kFailing, kStable, kInsufficient };
std::string_view Name(Classification c);
std::optional<Classification> ParseClassification(std::string_view s);

// The thresholds (sentinel.yml `flaky.*`, see settings.h for the keys and defaults).
struct FlakyConfig {
  int window = 30;                    // flaky.window: the last N runs of a test are looked at
  int min_runs = 5;                   // flaky.min_runs: fewer counted runs classify as insufficient
  double min_ratio = 0.05;            // flaky.min_ratio: flip evidence needs ratio > this ...
  double failing_ratio = 0.95;        // flaky.failing_ratio: ... and < this; ratio >= this is failing
  int min_flips = 4;                  // flaky.min_flips: flips at or above this are flip evidence
  int min_failures = 2;               // flaky.min_failures: a flaky verdict needs this many failures
  int failing_streak = 3;             // flaky.failing_streak: this many failures in a row is failing
  double mass_failure_ratio = 0.5;    // flaky.mass_failure_ratio: a run where more tests failed is infrastructure
  int mass_failure_min_tests = 5;     // flaky.mass_failure_min_tests: ... when it ran at least this many
  double auto_quarantine_score = 0;   // flaky.auto_quarantine: 0 = off; quarantine flaky verdicts scoring >= this
  int release_after = 10;             // flaky.release_after: clean runs in a row that lift a quarantine
};

FlakyConfig ConfigFromSettings(const Settings& s);

// Failure categories that are not the test's fault: network_dns, network_error,
// disk_full, out_of_memory, infrastructure and timeout (a whole-run timeout).
bool IsInfrastructureCategory(FailureCategory c);

// The stable id of a test across runs: "suite::class::name" (empty parts
// omitted) after normalisation. Parameterised variants stay distinct tests
// (`test_x[1-2]` and `test_x[3-4]` are two tests, as pytest, JUnit 5 and
// Develocity report them), but what changes between runs of the same variant
// is removed: rerun/retry suffixes ("(retry 1)", "[attempt 2]", "rerun #3",
// JUnit 5 "repetition 2 of 5"), memory addresses (0x7f..), UUIDs, and runs
// of whitespace.
std::string NormalizeTestId(std::string_view suite, std::string_view class_name, std::string_view name);
std::string NormalizeTestId(const TestCaseResult& t);

// The signature of a test's failure: 16 hex digits of the normalised first
// line of its message (triage normalisation: numbers, paths, ids masked), so
// the same assertion failing on another run has the same signature and a
// different assertion a different one. "" for a result without a message that
// is not failed; "no-message" for a failure without one.
std::string TestFailureSignature(const TestCaseResult& t);

// One test in one run, all attempts folded.
struct RunResult {
  std::string run;     // the run's id (text); runs are ordered by their position, not by this
  std::string commit;
  bool failed = false;           // final outcome failed or error
  bool passed_on_retry = false;  // failed on an attempt, passed on a later one of the same run
  int attempts = 1;
  std::string signature;         // of the failure (failed or passed_on_retry); "" otherwise
  FailureCategory category = FailureCategory::kTestFailure;  // of the failure
  bool mass_failure = false;     // most tests of this run failed at once
  std::optional<std::int64_t> at;  // epoch ms, when known

  // Infrastructure failures and mass failures do not count as the test's.
  bool Excluded() const { return (failed || passed_on_retry) && (mass_failure || IsInfrastructureCategory(category)); }
};

// Folds one more attempt of the same run into `r` (attempt order as given):
// the final outcome is the last attempt's; a failure followed by a pass is a
// pass on retry; the first failure's signature and category are kept.
void FoldAttempt(RunResult& r, bool failed, int attempts, const std::string& signature, FailureCategory category);

// Whether a run in which `failed` of `total` tests failed is a mass failure.
bool IsMassFailure(int failed, int total, const FlakyConfig& config);

struct Streak {
  int length = 0;  // consecutive counted failures ending at the newest run
  std::string first_failing_run, first_failing_commit;  // "" when length == 0
  std::string last_passing_run, last_passing_commit;    // "" when it never passed before the streak
  // A regression: it passed on an older commit, and the streak's commits never saw it pass.
  bool regression = false;
};

struct WindowStats {
  int window = 0;        // the configured window size
  int runs = 0;          // counted runs (excluded ones are not counted)
  int passes = 0;        // final pass (including passes on retry)
  int failures = 0;      // final failure
  int retry_passes = 0;  // failed, then passed on a retry within the run
  double failure_ratio = 0;  // failures / runs (0 when runs == 0)
  int flips = 0;         // pass<->fail transitions between consecutive counted runs, in run order
  Streak streak;
  std::vector<std::string> both_outcome_commits;  // commits with a counted pass and a counted failure
  std::vector<std::string> retry_pass_runs;
  std::vector<std::string> failing_runs;          // counted failures, oldest first
  std::vector<std::string> commits;               // distinct commits of the window, oldest first
  int infrastructure_failures = 0;                // excluded failures (infrastructure or mass failure)
  std::vector<std::string> infrastructure_runs;
  std::optional<std::string> last_failing_run;    // newest counted failure (or pass on retry)
};

struct Verdict {
  Classification classification = Classification::kInsufficient;
  // Posterior mean of the probability that a run of the test fails (a final
  // failure or a pass on retry), Jeffreys prior Beta(1/2, 1/2), and its 95%
  // equal-tailed credible interval.
  double score = 0.5;
  double interval_low = 0, interval_high = 1;
  std::string reason;  // one sentence: why this classification
  WindowStats stats;
};

struct SignatureVerdict {
  std::string signature;
  Verdict verdict;  // counted over passes and failures with this signature
};

struct TestVerdict {
  Verdict test;  // all failures, whatever their signature
  std::vector<SignatureVerdict> signatures;  // one per signature seen in the window, most failures first

  // True when the verdict for `signature` is flaky: the one question the
  // worker, the store and the incident rules ask of a failure.
  bool IsFlakyFor(std::string_view signature) const;
  const Verdict* ForSignature(std::string_view signature) const;
};

// Statistics of `window` (oldest first; only the last config.window entries are looked at).
WindowStats ComputeStats(const std::vector<RunResult>& window, const FlakyConfig& config);

// Classifies stats (see README "Flaky tests"), in this order:
//  1. failing      when the streak is >= failing_streak (whatever min_runs);
//  2. insufficient when runs < min_runs;
//  3. failing      when the failure ratio is >= failing_ratio, or the streak is a regression:
//                  the test passed on an older commit and failed on every run of the streak's
//                  commits, none of which it ever passed on;
//  4. flaky        when failures + retry passes >= min_failures and there is evidence: both
//                  outcomes on one commit, a pass on retry, or flips >= min_flips with
//                  min_ratio < failure ratio < failing_ratio;
//  5. stable       otherwise.
Verdict Classify(const WindowStats& stats, const FlakyConfig& config);

// The test verdict and one verdict per signature: for signature S, the
// window keeps the runs that passed and the runs that failed with S (runs
// that failed with another signature are left out), so a flaky test failing
// with a new signature has a verdict of its own that is not flaky.
TestVerdict ClassifyTest(const std::vector<RunResult>& window, const FlakyConfig& config);

// Jeffreys posterior for `events` of `trials`: mean and 95% interval.
struct Posterior {
  double mean = 0, low = 0, high = 0;
};
Posterior JeffreysPosterior(int events, int trials);

// Regularised incomplete beta I_x(a, b) and its inverse (exposed for tests).
double IncompleteBeta(double a, double b, double x);
double InverseIncompleteBeta(double a, double b, double p);

// A test's sliding window: push RunResults in run order; holds at most `window`.
class TestWindow {
 public:
  explicit TestWindow(int window) : window_(window) {}
  // Appends r, or folds it into the newest entry when it is the same run.
  void Add(RunResult r);
  std::vector<RunResult> Results() const { return {runs_.begin(), runs_.end()}; }
  std::size_t size() const { return runs_.size(); }

 private:
  int window_;
  std::deque<RunResult> runs_;
};

}  // namespace sentinel::flaky
