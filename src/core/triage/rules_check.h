#pragma once
// Rules are measured, not guessed: every signature is run over a labeled
// corpus (logs with their expected category and signature) and over logs of
// successful steps. A rule's precision is the share of labeled logs it fires on
// whose expected category is its own; any match on a green log is a defect.
// The figures are what Kb::BaseConfidence uses (signatures.measured.yml).
// Pure: the caller reads the files. Thread-safe given a shared const Kb.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/triage/signature_kb.h"

namespace sentinel::triage {

struct LabeledLog {
  std::string name;
  std::string text;
  FailureCategory category = FailureCategory::kUnknown;
  std::string signature;           // expected winning signature ("" for unknown)
  std::vector<int> evidence_lines;  // the root error is one of these (empty: not checked)
  std::vector<TestCaseResult> tests;
  std::optional<int> exit_code;
};

struct NamedLog {
  std::string name;
  std::string text;
};

struct RuleFigures {
  std::string id;
  FailureCategory category = FailureCategory::kUnknown;
  int fired = 0, tp = 0, fp = 0;
  std::vector<std::string> false_positive_logs;
  std::vector<std::string> green_hits;  // "file:line: text"
  double precision() const { return fired == 0 ? 0 : static_cast<double>(tp) / fired; }
};

struct CorpusOutcome {
  std::string name;
  FailureCategory expected = FailureCategory::kUnknown, got = FailureCategory::kUnknown;
  std::string expected_signature, got_signature;
  int root_line = 0;
  bool category_ok = false, signature_ok = false, evidence_ok = false;
};

struct RulesReport {
  std::vector<RuleFigures> rules;  // in KB order
  std::vector<CorpusOutcome> corpus;    // the labeled logs passed in
  std::vector<CorpusOutcome> examples;  // the KB's own examples
  int green_logs = 0;
  // category name -> {correct, total} over the labeled corpus (not the KB examples)
  std::map<std::string, std::pair<int, int>> accuracy;
  int correct = 0, total = 0;
  bool green_clean() const;
};

// The KB's own examples as labeled logs (each must classify as its signature),
// each an excerpt of a failed step's log (exit code 1).
std::vector<LabeledLog> ExampleLogs(const Kb& kb);

// Measures every rule over `labeled` (+ the KB examples) and `green`, and
// classifies every labeled log with Triage to report accuracy.
RulesReport CheckRules(const Kb& kb, const std::vector<LabeledLog>& labeled, const std::vector<NamedLog>& green);

// signatures.measured.yml content for the report (deterministic text).
std::string MeasuredYaml(const Kb& kb, const RulesReport& report);

// Human-readable table: per rule fired/tp/fp/precision and green hits, then
// accuracy per category and overall.
std::string FormatReport(const RulesReport& report);

}  // namespace sentinel::triage
