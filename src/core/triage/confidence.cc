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
  // Evidence combines in log-odds, so agreeing signals keep adding without
  // saturating and one strong contradiction (exit 0) pulls hard.
  const double base = std::clamp(in.base, 0.02, 0.98);
  double l = std::log(base / (1 - base));
  if (in.from_log) {
    // Specificity: several distinct patterns of one signature, repeated hits
    // and captured specifics make an accidental match less likely.
    l += 0.3 * std::clamp(in.distinct_patterns - 1, 0, 2);
    if (in.hits >= 3) l += 0.2;
    if (in.has_captures) l += 0.2;
    if (in.cascade_only) l -= 1.0;
  }
  if (in.exit_code) {
    if (*in.exit_code == 0) {
      l -= 2.0;  // the step succeeded: error text in it is likely noise
    } else if (ExitCodeAgrees(in.category, *in.exit_code)) {
      l += 0.5;
    }
  }
  if (in.junit_failed >= 0) {
    const bool tests = in.category == FailureCategory::kTestFailure;
    if (tests && in.junit_failed > 0) l += 0.8;
    if (tests && in.junit_failed == 0) l -= 1.0;  // the report says every test passed
    if (in.category == FailureCategory::kCompilationError && in.junit_failed > 0) l -= 0.3;
  }
  if (in.cluster_occurrences > 0) l += 0.2 * std::min(std::log2(1.0 + in.cluster_occurrences), 3.0);
  if (in.known_flaky && in.category == FailureCategory::kTestFailure) l -= 0.7;
  return std::clamp(1 / (1 + std::exp(-l)), 0.05, 0.99);
}

double UnknownConfidence(std::optional<int> exit_code) {
  return exit_code && *exit_code != 0 ? 0.15 : 0.1;
}

}  // namespace sentinel::triage
