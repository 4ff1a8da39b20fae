#pragma once
// Triage of one failed step: the single entry point. Takes the step's log
// text, its test results, how it ended and what history knows, and returns the
// classified Failure (category, signature, fingerprint, confidence, title,
// evidence, hints, remediation, kb_version). Pure and deterministic, so
// `sentinel reclassify` can re-run it over stored logs after a KB change.
// Thread-safe given a shared const Kb.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.h"
#include "core/triage/block_classifier.h"
#include "core/triage/locator.h"
#include "core/triage/signature_kb.h"

namespace sentinel::triage {

struct StepOutcome {
  std::string step_name;
  std::optional<int> exit_code;  // of the step's process (negative: killed by that signal)
  std::optional<StepStatus> status;
};

struct TriageHistory {
  int cluster_occurrences = 0;             // failures already in the cluster of this fingerprint
  std::vector<std::string> flaky_tests;    // test ids known to be flaky
};

struct TriageInput {
  std::string_view log;
  // The last green log of the same repository and step, when known: lines whose
  // template also occurs there are demoted, new ones promoted (locator.h).
  std::string_view baseline;
  std::vector<TestCaseResult> tests;  // from the step's JUnit reports (all outcomes)
  StepOutcome step;
  TriageHistory history;
};

struct TriageResult {
  Failure failure;              // run_id/step_index/created_at are the caller's to set
  std::string cluster_template;  // normalized root line: the cluster's template text
  std::vector<std::string> matched_signatures;  // every signature that matched, by first hit
  bool line_fallback = false;
  Location location;          // the failure block the locator found (lines into the log)
  BlockVerdict shape;         // what the block's shapes say on their own
  bool signature_in_block = false;  // the deciding signature matched inside the block
};

TriageResult Triage(const Kb& kb, const TriageInput& input);

}  // namespace sentinel::triage
