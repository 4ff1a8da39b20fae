#pragma once
// Confidence of a classification, 0..1: the signature's measured base
// confidence (Kb::BaseConfidence), adjusted by how specific the match is, by
// whether the other signals agree (exit code, test report), and by history
// (seen before in this cluster, a test known to be flaky). Pure; thread-safe.

#include <optional>

#include "core/model/vocab.h"

namespace sentinel::triage {

struct ConfidenceInputs {
  FailureCategory category = FailureCategory::kUnknown;
  double base = 0;              // Kb::BaseConfidence of the winning signature
  bool from_log = true;         // false: explained by exit code or test report only
  bool cascade_only = false;    // only a follow-on line matched
  int distinct_patterns = 1;    // patterns of the winner that matched
  int hits = 1;                 // lines of the winner that matched
  bool has_captures = false;    // the root hit captured specifics (a file, a module)
  std::optional<int> exit_code;  // of the step, when known
  int junit_failed = -1;        // failed+error cases in the test reports; -1 = no report
  int cluster_occurrences = 0;  // earlier failures with the same fingerprint
  bool known_flaky = false;     // a failed test is known to be flaky
};

// Never 0 or 1: in [0.05, 0.99].
double Confidence(const ConfidenceInputs& in);

// The confidence of `unknown`: low, a little higher when the step did fail.
double UnknownConfidence(std::optional<int> exit_code);

// Whether an exit code is the one this category produces (137 for the OOM
// killer, 124 for timeout(1), 139/134 for crashes, ...).
bool ExitCodeAgrees(FailureCategory category, int exit_code);

}  // namespace sentinel::triage
