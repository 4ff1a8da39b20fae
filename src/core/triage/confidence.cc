#include "core/triage/confidence.h"

#include <algorithm>
#include <cmath>

namespace sentinel::triage {

bool ExitCodeAgrees(FailureCategory category, int exit_code) {
  switch (category) {
    case FailureCategory::kOutOfMemory: return exit_code == 137 || exit_code == -9;
    case FailureCategory::kTimeout: return exit_code == 124 || exit_code == 143 || exit_code == -15;
    case FailureCategory::kCrash:
      return exit_code == 139 || exit_code == 134 || exit_code == 136 || exit_code == 132 || exit_code == 135 ||
             (exit_code < 0 && exit_code != -9 && exit_code != -15);
    case FailureCategory::kConfigError: return exit_code == 127 || exit_code == 2 || exit_code == 78;
    case FailureCategory::kPermissionDenied: return exit_code == 126 || exit_code == 77;
    case FailureCategory::kDiskFull: return exit_code == 153 || exit_code == -25;  // SIGXFSZ
    default: return false;
  }
}

double Confidence(const ConfidenceInputs& in) {
  double c = in.base;
  if (in.from_log) {
    // Specificity: several distinct patterns of one signature, repeated hits,
    // and captured specifics make an accidental match less likely.
    c += 0.03 * std::min(in.distinct_patterns - 1, 2);
    if (in.hits >= 3) c += 0.02;
    if (in.has_captures) c += 0.02;
    if (in.cascade_only) c *= 0.6;
  }
  if (in.exit_code) {
    if (*in.exit_code == 0) {
      c *= 0.4;  // the step succeeded: error text in it is likely noise
    } else if (ExitCodeAgrees(in.category, *in.exit_code)) {
      c += 0.05;
    }
  }
  if (in.junit_failed >= 0) {
    const bool tests = in.category == FailureCategory::kTestFailure;
    if (tests && in.junit_failed > 0) c += 0.08;
    if (tests && in.junit_failed == 0) c *= 0.7;  // the report says every test passed
    if (!tests && in.junit_failed > 0 && in.category == FailureCategory::kCompilationError) c *= 0.85;
  }
  if (in.cluster_occurrences > 0) c += 0.02 * std::min(std::log2(1.0 + in.cluster_occurrences), 3.0);
  if (in.known_flaky && in.category == FailureCategory::kTestFailure) c *= 0.8;
  return std::clamp(c, 0.05, 0.99);
}

double UnknownConfidence(std::optional<int> exit_code) {
  return exit_code && *exit_code != 0 ? 0.15 : 0.1;
}

}  // namespace sentinel::triage
