#pragma once
// Calibration: is a failure reported at confidence 0.9 right about 9 times in
// 10? Measured over a block-labeled corpus of real tools' logs
// (tests/data/realtools: failing logs with their category and failure block,
// passing logs, each in a `dev` or a held-out `eval` split): a reliability
// table and the expected calibration error over the eval split, every rule's
// precision over failing and passing logs, and the rules' figures on the dev
// split only, the only part allowed to feed signatures.measured.yml.
// Pure: the caller reads the files. Thread-safe given a shared const Kb.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/triage/rules_check.h"
#include "core/triage/signature_kb.h"

namespace sentinel::triage {

// One row of manifest.tsv, with the log's text once the caller has read it.
struct BlockLabeledLog {
  std::string file;       // relative to the corpus folder: logs/NAME.log or green/NAME.log
  std::string split;      // "dev" or "eval"
  std::string ecosystem;  // go, ruby, python, ...
  std::string tool;
  std::string category;   // wire name; "success" for a passing log
  int block_first = 0, block_last = 0;  // 1-based, inclusive; 0 for a passing log
  std::optional<int> exit_code;
  std::string text;
  bool green() const { return category == "success"; }
};

// Parses manifest.tsv (a header row naming at least file, split, category,
// block_start, block_end, exit_code; tab-separated). kInvalidArgument names the
// line and the column of a malformed row (unknown split, a block that is not
// 1 <= start <= end on a failing log).
Result<std::vector<BlockLabeledLog>> ParseManifest(std::string_view tsv);

struct ReliabilityBin {
  double lo = 0, hi = 0;  // confidence in [lo, hi); the last bin includes 1
  int count = 0;
  double confidence = 0;  // mean confidence of the bin
  double accuracy = 0;    // share right
};

struct Reliability {
  std::vector<ReliabilityBin> bins;  // non-empty bins only, in order
  int n = 0;
  double ece = 0;  // sum over bins of count/n * |accuracy - confidence|
};

// (confidence, right) pairs into `bins` equal-width bins over [0, 1].
Reliability MeasureReliability(const std::vector<std::pair<double, bool>>& points, int bins = 10);

struct SplitFigures {
  int logs = 0, right = 0, unknown = 0, confidently_wrong = 0, evidence_hits = 0, greens = 0, green_alarms = 0;
};

struct RealToolsOutcome {
  std::string file, split, expected, got;
  double confidence = 0;
  bool evidence_hit = false;  // an evidence line inside the labeled block
};

struct RealToolsReport {
  std::vector<RuleFigures> rules;      // every log, both splits: fired/tp/fp, green hits
  std::vector<RuleFigures> rules_dev;  // the dev split only: what may feed signatures.measured.yml
  std::vector<RealToolsOutcome> outcomes;  // failing logs
  SplitFigures dev, eval;
  Reliability eval_claims;  // eval logs answered with a category other than unknown
  Reliability eval_all;     // every eval log; unknown counts as a wrong answer at its confidence
  int dev_failing = 0, dev_green = 0;
  bool green_clean() const;      // no rule fires on a passing log of either split
  bool dev_green_clean() const;  // no rule fires on a passing log of the dev split
};

// Triages every log (failing logs with their exit code, as the worker would;
// passing logs as if they had failed, so a rule firing on one is caught) and
// measures it against its label.
RealToolsReport EvaluateRealTools(const Kb& kb, const std::vector<BlockLabeledLog>& logs);

// Adds the rules' dev-split figures to `report` (the labeled corpus' figures),
// so that MeasuredYaml measures over the labeled corpus plus the dev split and
// never over the eval split.
void AddDevFigures(const RealToolsReport& realtools, RulesReport* report);

// The rule precision table (rules that fired), accuracy per split, the
// reliability table and ECE over the eval split, and green-log hits.
std::string FormatRealToolsReport(const RealToolsReport& report);

}  // namespace sentinel::triage
