#include "core/triage/triage.h"

#include <algorithm>
#include <set>

#include "core/triage/classifier.h"
#include "core/triage/confidence.h"
#include "core/triage/evidence.h"
#include "core/triage/failure_fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::triage {
namespace {

constexpr std::size_t kMaxListedTests = 5;

bool Failed(const TestCaseResult& t) { return t.outcome == TestOutcome::kFailed || t.outcome == TestOutcome::kError; }

std::string FirstLine(std::string_view s, std::size_t max = 200) {
  std::size_t nl = s.find('\n');
  std::string out(s.substr(0, std::min(nl, max)));
  return out;
}

void FillText(const Signature& s, const std::map<std::string, std::string>& captures, Failure* f) {
  f->title = FillPlaceholders(s.title, captures);
  f->hints.push_back(FillPlaceholders(s.hint, captures));
  for (const std::string& r : s.remediation) f->remediation.push_back(FillPlaceholders(r, captures));
}

}  // namespace

TriageResult Triage(const Kb& kb, const TriageInput& in) {
  TriageResult out;
  Failure& f = out.failure;
  f.kb_version = kb.version();

  std::vector<const TestCaseResult*> failed_tests;
  for (const TestCaseResult& t : in.tests)
    if (Failed(t)) failed_tests.push_back(&t);
  const int junit_failed = in.tests.empty() ? -1 : static_cast<int>(failed_tests.size());
  bool known_flaky = false;
  for (const TestCaseResult* t : failed_tests)
    known_flaky = known_flaky || std::find(in.history.flaky_tests.begin(), in.history.flaky_tests.end(), t->TestId()) !=
                                     in.history.flaky_tests.end();

  // Colour codes and runner timestamps are removed before matching (and from
  // the evidence shown); line numbers are unchanged.
  std::string cleaned;
  std::string_view log = in.log;
  if (CleanForMatching(log, &cleaned)) log = cleaned;
  ScanResult scan = Scan(kb, log);
  out.line_fallback = scan.used_line_fallback;
  for (const SignatureMatch& m : scan.matches) out.matched_signatures.push_back(kb.signature(m.signature).id);

  FingerprintParts fp;
  ConfidenceInputs ci;
  ci.exit_code = in.step.exit_code;
  ci.junit_failed = junit_failed;
  ci.cluster_occurrences = in.history.cluster_occurrences;
  ci.known_flaky = known_flaky;
  for (const TestCaseResult* t : failed_tests) fp.failed_tests.push_back({t->TestId(), t->message});

  int sig = -1;
  std::map<std::string, std::string> captures;
  if (scan.winner >= 0) {
    const SignatureMatch& w = scan.matches[static_cast<std::size_t>(scan.winner)];
    sig = w.signature;
    const Hit& root = w.first();
    captures = Captures(kb, log, root);
    // Placeholders the root hit did not capture may come from later hits.
    for (std::size_t i = 1; i < w.hits.size(); ++i)
      for (auto& [k, v] : Captures(kb, log, w.hits[i])) captures.emplace(k, v);
    f.evidence = ExtractEvidence(kb, log, scan);
    fp.root_texts.push_back(std::string(log.substr(root.match_begin, root.match_end - root.match_begin)));
    std::set<std::string> ids;
    for (const Hit& h : w.hits) {
      auto c = Captures(kb, log, h);
      if (auto it = c.find("test"); it != c.end()) ids.insert(it->second);
    }
    fp.test_ids.assign(ids.begin(), ids.end());
    out.cluster_template = NormalizeLine(DisplayText(LineText(log, root.line_begin, root.line_end)));
    ci.from_log = true;
    ci.cascade_only = kb.signature(sig).cascade;
    ci.distinct_patterns = w.distinct_patterns;
    ci.hits = static_cast<int>(w.hits.size());
    ci.has_captures = !captures.empty();
  } else if (!failed_tests.empty() && kb.junit_failure_signature() >= 0) {
    sig = kb.junit_failure_signature();
    const TestCaseResult& first = *failed_tests.front();
    captures["test"] = first.TestId();
    captures["msg"] = FirstLine(first.message);
    captures["count"] = std::to_string(failed_tests.size());
    ci.from_log = false;
    f.evidence = TailEvidence(log, scan.total_lines);
    out.cluster_template = NormalizeLine(first.TestId() + " " + FirstLine(first.message));
  } else if (in.step.exit_code && kb.ForExitCode(*in.step.exit_code) >= 0) {
    sig = kb.ForExitCode(*in.step.exit_code);
    captures["code"] = std::to_string(*in.step.exit_code);
    ci.from_log = false;
    fp.exit_reason = "exit " + std::to_string(*in.step.exit_code);
    f.evidence = TailEvidence(log, scan.total_lines);
    out.cluster_template = "exit " + std::to_string(*in.step.exit_code);
  }

  if (sig >= 0) {
    const Signature& s = kb.signature(sig);
    f.category = s.category;
    f.signature = s.id;
    fp.signature = s.id;
    ci.category = s.category;
    ci.base = kb.BaseConfidence(sig);
    if (!ci.from_log) ci.base *= 0.8;  // a signal without a log line to show is weaker
    f.confidence = Confidence(ci);
    FillText(s, captures, &f);
  } else {
    // Nothing explains it: say so, show the last error-looking lines.
    f.category = FailureCategory::kUnknown;
    f.confidence = UnknownConfidence(in.step.exit_code);
    f.evidence = TailEvidence(log, scan.total_lines);
    f.title = in.step.exit_code && *in.step.exit_code != 0
                  ? "Unrecognized failure (exit " + std::to_string(*in.step.exit_code) + ")"
                  : "Unrecognized failure";
    f.hints.push_back("No known signature matches this log; the evidence shows its last error-looking lines.");
    f.remediation.push_back("Read the evidence lines; if this failure recurs, add a signature for it to the knowledge base.");
    for (const EvidenceLine& e : f.evidence) fp.root_texts.push_back(e.text);
    if (in.step.exit_code) fp.exit_reason = "exit " + std::to_string(*in.step.exit_code);
    if (!f.evidence.empty()) out.cluster_template = NormalizeLine(f.evidence.back().text);
  }

  // Failed tests from the report, when the classification is about tests.
  if (!failed_tests.empty()) {
    std::string list;
    for (std::size_t i = 0; i < failed_tests.size() && i < kMaxListedTests; ++i) {
      if (i) list += ", ";
      list += failed_tests[i]->TestId();
    }
    if (failed_tests.size() > kMaxListedTests) list += " (+" + std::to_string(failed_tests.size() - kMaxListedTests) + " more)";
    f.hints.push_back("Failed tests in the report: " + list + ".");
    if (!failed_tests.front()->message.empty())
      f.hints.push_back("First failure: " + FirstLine(failed_tests.front()->message));
  }
  if (known_flaky) f.hints.push_back("A failed test is known to be flaky: this may not be a real regression.");
  if (in.history.cluster_occurrences > 0)
    f.hints.push_back("Seen " + std::to_string(in.history.cluster_occurrences) + " time(s) before with the same fingerprint.");

  f.fingerprint = FailureFingerprint(fp);
  return out;
}

}  // namespace sentinel::triage
