#include "core/triage/triage.h"

#include <algorithm>
#include <set>

#include "core/triage/classifier.h"
#include "core/triage/confidence.h"
#include "core/triage/context_guard.h"
#include "core/triage/evidence.h"
#include "core/triage/failure_fingerprint.h"
#include "core/triage/normalize.h"
#include "core/triage/reader.h"

namespace sentinel::triage {
namespace {

constexpr std::size_t kMaxListedTests = 5;
constexpr int kSignatureRegionLines = 5000;  // the failing command's last lines in which a signature decides
constexpr int kNearBlockLines = 30;  // a cause logged at most this far before the failure block explains it

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

// A category in the words of a title.
std::string_view CategoryWords(FailureCategory c) {
  switch (c) {
    case FailureCategory::kTestFailure: return "Test failed";
    case FailureCategory::kCompilationError: return "Compilation failed";
    case FailureCategory::kDependencyError: return "Dependency could not be installed or loaded";
    case FailureCategory::kNetworkDns: return "Host name did not resolve";
    case FailureCategory::kNetworkError: return "Network error";
    case FailureCategory::kDiskFull: return "Disk full";
    case FailureCategory::kOutOfMemory: return "Out of memory";
    case FailureCategory::kTimeout: return "Timed out";
    case FailureCategory::kCrash: return "Crashed";
    case FailureCategory::kPermissionDenied: return "Permission denied";
    case FailureCategory::kConfigError: return "Build configuration error";
    case FailureCategory::kLintError: return "Lint or format check failed";
    case FailureCategory::kInfrastructure: return "CI infrastructure failure";
    default: return "Unrecognized failure";
  }
}

// Whether the line at byte `begin` is part of the indented report under a
// test-failure marker: walking back over blank and indented lines (at most
// kMaxReportLines), the first line at the left margin has a test-failure shape.
constexpr int kMaxReportLines = 200;
bool InsideFailedTestReport(std::string_view log, std::size_t begin) {
  const auto head = MarginLineBefore(log, begin, kMaxReportLines);
  if (!head) return false;
  const LineShape shape = ShapeOf(LineText(log, head->first, head->second));
  return shape.role == LineRole::kStrong && shape.category == FailureCategory::kTestFailure;
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

  // The reader cleans every line (colours, redraws, timestamps, fold markers)
  // and keeps line numbers: matching and evidence see clean text.
  std::string cleaned;
  std::string_view log = in.log;
  if (ReadLog(log, &cleaned)) log = cleaned;
  // The context guards (context_guard.h) of signature hits and of the
  // locator's failure shapes: one memo of test verdicts for both.
  FailureContext context(log, in.step.exit_code && *in.step.exit_code != 0);
  ScanResult scan = Scan(kb, log, [&context](std::size_t b, std::size_t e, FailureCategory c) { return context.Guarded(b, e, c); });
  out.line_fallback = scan.used_line_fallback;
  for (const SignatureMatch& m : scan.matches) out.matched_signatures.push_back(kb.signature(m.signature).id);

  // The locator finds the block that explains the failure; a baseline (the
  // last green log of the job) demotes what was already there.
  BaselineIndex baseline;
  if (!in.baseline.empty()) {
    std::string clean_baseline;
    baseline = IndexBaseline(ReadLog(in.baseline, &clean_baseline) ? std::string_view(clean_baseline) : in.baseline);
  }
  out.location = Locate(log, baseline.empty() ? nullptr : &baseline, &context);
  const Location& loc = out.location;
  out.shape = ClassifyBlock(loc, log, &context);
  const BlockVerdict& shape = out.shape;

  FingerprintParts fp;
  ConfidenceInputs ci;
  ci.exit_code = in.step.exit_code;
  ci.junit_failed = junit_failed;
  ci.cluster_occurrences = in.history.cluster_occurrences;
  ci.known_flaky = known_flaky;
  for (const TestCaseResult* t : failed_tests) fp.failed_tests.push_back({t->TestId(), t->message});

  // The signature that decides: the winner when it matched inside the block
  // (or when there is no block); else the best non-cascade signature with a
  // hit inside the block; a signature whose only hits lie outside the block
  // names the failure only when the block's shapes say nothing.
  auto in_block = [&](const SignatureMatch& m) {
    for (const Hit& h : m.hits)
      if (loc.InBlock(h.line, 1)) return true;
    return false;
  };
  // The locator searches a long command's output far back for its first
  // failure; a signature decides from the command's recent output only.
  const int signature_first = std::max(loc.region_first, loc.region_last - kSignatureRegionLines + 1);
  auto in_region = [&](const SignatureMatch& m) {
    for (const Hit& h : m.hits)
      if ((h.line >= signature_first || loc.InBlock(h.line, 1)) && (loc.region_last == 0 || h.line <= loc.region_last))
        return true;
    return false;
  };
  // A cause (a crash, a network error, ...) explains failing tests only when
  // it shows in the block, or when it is the last error-bearing line before
  // it (no other failure shape in between; stack frames may say "panic"): an
  // error logged and survived earlier
  // in the same command, or a test's name, is not what made this block fail.
  auto near_block = [&](const SignatureMatch& m) {
    for (const Hit& h : m.hits) {
      if (loc.InBlock(h.line, 2)) return true;
      if (h.line > loc.block.first_line || h.line < loc.region_first) continue;
      if (AWarning(LineText(log, h.line_begin, h.line_end))) continue;  // the tool went on after it
      // "Just before" is the block's immediate context (the cause's own stack
      // dump may be long), not any quiet stretch of the command's output
      // (another test's error hundreds of lines up): at most kNearBlockLines
      // lines other than frames, carets and blanks in between.
      bool quiet = true;
      int other = 0;
      std::size_t pos = h.line_end + 1;
      for (int n = h.line + 1; quiet && n < loc.block.first_line && pos < log.size(); ++n) {
        std::size_t e = log.find('\n', pos);
        if (e == std::string_view::npos) e = log.size();
        const LineRole role = ShapeOf(log.substr(pos, e - pos)).role;
        quiet = role != LineRole::kStrong && role != LineRole::kSummary;
        if (role != LineRole::kFollow && role != LineRole::kBlank && ++other > kNearBlockLines) quiet = false;
        pos = e + 1;
      }
      if (quiet) return true;
    }
    return false;
  };
  const auto is_cause = [](FailureCategory c) {
    return c == FailureCategory::kDependencyError || c == FailureCategory::kTimeout || c == FailureCategory::kCrash ||
           c == FailureCategory::kOutOfMemory || c == FailureCategory::kDiskFull || c == FailureCategory::kNetworkDns ||
           c == FailureCategory::kNetworkError;
  };
  int decide = -1;  // index into scan.matches
  if (scan.winner >= 0) {
    const SignatureMatch& w = scan.matches[static_cast<std::size_t>(scan.winner)];
    // The winner decides when it matched inside the block, or inside the
    // failing command's region with the block's shapes agreeing on its category.
    const FailureCategory wc = kb.signature(w.signature).category;
    if (!loc.Found() || in_block(w) ||
        (in_region(w) &&
         (wc == shape.category || (is_cause(wc) && shape.category == FailureCategory::kTestFailure && near_block(w)))))
      decide = scan.winner;
  }
  if (decide < 0 && loc.Found()) {
    for (std::size_t i = 0; i < scan.matches.size(); ++i) {
      const Signature& s = kb.signature(scan.matches[i].signature);
      if (s.cascade || !in_block(scan.matches[i])) continue;
      if (decide < 0 || s.priority > kb.signature(scan.matches[static_cast<std::size_t>(decide)].signature).priority)
        decide = static_cast<int>(i);
    }
  }
  // Root cause over symptom: failing tests whose block shows a cause take the
  // signature that names the cause, when one matched in the region.
  if (decide >= 0 && loc.Found() && is_cause(shape.category) &&
      kb.signature(scan.matches[static_cast<std::size_t>(decide)].signature).category == FailureCategory::kTestFailure) {
    for (std::size_t i = 0; i < scan.matches.size(); ++i) {
      const Signature& s = kb.signature(scan.matches[i].signature);
      if (!s.cascade && s.category == shape.category && in_region(scan.matches[i])) {
        decide = static_cast<int>(i);
        break;
      }
    }
  }
  // Root cause over symptom, in time: when the block's shapes name another
  // failure on a line before every hit of the signature in the block, that
  // earlier failure explains the rest (a crash, then the build driver's "CMake
  // Error ... tests failed"; a configure error, then the build script's panic).
  // Failing tests keep a cause the signature names after them (runners print a
  // test's header before its reason).
  if (decide >= 0 && loc.Found() && shape.category != FailureCategory::kUnknown &&
      shape.category != FailureCategory::kTestFailure && (shape.reason == "head" || shape.reason == "root-cause")) {
    const SignatureMatch& m = scan.matches[static_cast<std::size_t>(decide)];
    const FailureCategory sc = kb.signature(m.signature).category;
    const Hit* first = nullptr;
    for (const Hit& h : m.hits)
      if (loc.InBlock(h.line) && (first == nullptr || h.line < first->line)) first = &h;
    // The head's own detail (the indented line right after it: C++'s "what():"
    // under "terminate called after throwing") names its cause, not a later failure.
    auto indent = [](std::string_view t) { return t.find_first_not_of(" \t"); };
    const bool detail_of_head =
        first != nullptr && first->line == shape.head_line + 1 &&
        indent(LineText(log, first->line_begin, first->line_end)) > indent(shape.head_text);
    if (sc != shape.category && first != nullptr && first->line > shape.head_line && shape.head_line > 0 &&
        !detail_of_head)
      decide = -1;
  }
  // A signature whose measured precision is below what the block's shapes
  // are worth does not overrule them (a Python-exception rule on a JavaScript
  // tool's "CssSyntaxError:" line under a linter's command).
  if (decide >= 0 && loc.Found() && shape.category != FailureCategory::kUnknown) {
    const int s = scan.matches[static_cast<std::size_t>(decide)].signature;
    const FailureCategory sc = kb.signature(s).category;
    const bool cause_of_tests = shape.category == FailureCategory::kTestFailure && is_cause(sc);
    if (sc != shape.category && !cause_of_tests && kb.BaseConfidence(s) < shape.confidence) decide = -1;
  }
  bool outside_only = false;
  if (decide < 0 && scan.winner >= 0 && shape.category == FailureCategory::kUnknown) {
    decide = scan.winner;
    outside_only = loc.Found();
  }
  out.signature_in_block = decide >= 0 && !outside_only && loc.Found();

  int sig = -1;
  std::map<std::string, std::string> captures;
  if (decide >= 0) {
    const SignatureMatch& w = scan.matches[static_cast<std::size_t>(decide)];
    sig = w.signature;
    // The root hit: the first one inside the block, else the first.
    const Hit* root = nullptr;
    if (!loc.Found() || (w.first().line >= signature_first && w.first().line <= loc.region_last)) root = &w.first();
    for (const Hit& h : w.hits)
      if (!root && loc.InBlock(h.line, 1)) root = &h;
    for (const Hit& h : w.hits)
      if (!root && loc.Found() && h.line >= signature_first && h.line <= loc.region_last) root = &h;
    if (!root) root = &w.first();
    captures = Captures(kb, log, *root);
    for (const Hit& h : w.hits)
      if (&h != root)
        for (auto& [k, v] : Captures(kb, log, h)) captures.emplace(k, v);
    ScanResult focused = scan;
    focused.winner = decide;
    if (root != &w.first()) {
      // Evidence starts from the in-block hit.
      SignatureMatch& fw = focused.matches[static_cast<std::size_t>(decide)];
      const int root_line = root->line;
      std::stable_partition(fw.hits.begin(), fw.hits.end(), [&](const Hit& h) { return h.line == root_line; });
    }
    f.evidence = ExtractEvidence(kb, log, focused);
    std::set<std::string> ids;
    for (const Hit& h : w.hits) {
      auto c = Captures(kb, log, h);
      if (auto it = c.find("test"); it != c.end()) ids.insert(it->second);
    }
    fp.test_ids.assign(ids.begin(), ids.end());
    // A test's assertion message carries the run's values (what the code
    // returned this time); its shape (what was compared, the runner's words)
    // identifies the failure. A diagnostic's names (the symbol, module, host)
    // are its subject and stay.
    const std::string root_text(log.substr(root->match_begin, root->match_end - root->match_begin));
    fp.root_texts.push_back(kb.signature(sig).category == FailureCategory::kTestFailure ? ShapeKey(root_text) : root_text);
    out.cluster_template = NormalizeLine(DisplayText(LineText(log, root->line_begin, root->line_end)));
    ci.from_log = true;
    ci.cascade_only = kb.signature(sig).cascade;
    ci.distinct_patterns = w.distinct_patterns;
    ci.hits = static_cast<int>(w.hits.size());
    ci.has_captures = !captures.empty();
  } else if ((shape.category == FailureCategory::kUnknown || shape.category == FailureCategory::kTestFailure) &&
             !failed_tests.empty() && kb.junit_failure_signature() >= 0) {
    sig = kb.junit_failure_signature();
    const TestCaseResult& first = *failed_tests.front();
    captures["test"] = first.TestId();
    captures["msg"] = FirstLine(first.message);
    captures["count"] = std::to_string(failed_tests.size());
    ci.from_log = false;
    f.evidence = TailEvidence(log, scan.total_lines);
    out.cluster_template = NormalizeLine(first.TestId() + " " + FirstLine(first.message));
  } else if (in.step.exit_code && kb.ForExitCode(*in.step.exit_code) >= 0 &&
             (shape.category == FailureCategory::kUnknown ||
              shape.category == kb.signature(kb.ForExitCode(*in.step.exit_code)).category)) {
    sig = kb.ForExitCode(*in.step.exit_code);
    captures["code"] = std::to_string(*in.step.exit_code);
    ci.from_log = false;
    fp.exit_reason = "exit " + std::to_string(*in.step.exit_code);
    f.evidence = TailEvidence(log, scan.total_lines);
    out.cluster_template = "exit " + std::to_string(*in.step.exit_code);
  }

  // The block is the evidence a reader needs: its lines, then the
  // signature's lines that are not in it.
  if (loc.Found()) {
    std::vector<EvidenceLine> ev;
    std::set<int> seen;
    for (const LocatedLine& l : loc.block.lines) {
      if (ev.size() >= kMaxBlockEvidence) break;
      if (loc.used_baseline && l.in_baseline && l.shape.role != LineRole::kFollow) continue;
      ev.push_back({l.line, DisplayText(LineText(log, l.begin, l.end))});
      seen.insert(l.line);
    }
    if (sig >= 0 && !outside_only)
      for (const EvidenceLine& e : f.evidence)
        if (loc.InBlock(e.line, 2) && seen.insert(e.line).second) ev.push_back(e);
    if (loc.exit_code && (*loc.exit_code == 124 || *loc.exit_code == 137 || *loc.exit_code == 127) && loc.anchor_line > 0 &&
        seen.insert(loc.anchor_line).second) {
      std::size_t b = 0;
      for (int n = 1; n < loc.anchor_line && b < log.size(); ++n) b = log.find('\n', b) + 1;
      std::size_t e = log.find('\n', b);
      ev.push_back({loc.anchor_line, DisplayText(LineText(log, b, e == std::string_view::npos ? log.size() : e))});
    }
    std::sort(ev.begin(), ev.end(), [](const EvidenceLine& a, const EvidenceLine& b) { return a.line < b.line; });
    // The line that decided comes first (the signature's root hit, else the
    // block's head); the rest follow in log order.
    int first = shape.head_line;
    if (sig >= 0 && !outside_only && !f.evidence.empty()) first = f.evidence.front().line;
    if (sig >= 0 && !outside_only && !f.evidence.empty() && seen.insert(first).second) ev.insert(ev.begin(), f.evidence.front());
    auto it = std::find_if(ev.begin(), ev.end(), [&](const EvidenceLine& e) { return e.line == first; });
    if (it != ev.end()) std::rotate(ev.begin(), it, it + 1);
    // One cap for every failure's evidence (evidence.h): the deciding line and the block's head.
    if (ev.size() > kMaxEvidenceLines) ev.resize(kMaxEvidenceLines);
    if (!ev.empty()) f.evidence = std::move(ev);
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
    if (outside_only) {
      // Matched only outside the failure block: the name may be right, the evidence is weak.
      f.confidence = std::min(f.confidence, 0.6);
      f.hints.push_back("The signature matched outside the block that ends the failing command; treat it as a lead.");
    } else if (out.signature_in_block && is_cause(shape.category) && shape.category != s.category &&
               s.category == FailureCategory::kTestFailure) {
      // Root cause over symptom: the tests failed because of what the block shows.
      f.category = shape.category;
      f.confidence = std::min(f.confidence, shape.confidence);
      f.hints.push_back("The failing tests are a symptom: the block shows " + std::string(Name(shape.category)) + ".");
    } else if (out.signature_in_block && shape.category != FailureCategory::kUnknown && shape.category != s.category) {
      f.confidence = std::min(f.confidence, 0.8);  // the block's shapes disagree
    }
  } else if (shape.category != FailureCategory::kUnknown) {
    // No signature knows this tool: the block's shapes decide.
    f.category = shape.category;
    f.signature = "shape:" + std::string(Name(shape.category));
    f.confidence = shape.confidence;
    if (in.step.exit_code && *in.step.exit_code == 0) f.confidence = std::min(f.confidence, 0.3);
    std::string head = DisplayText(shape.head_text);
    while (!head.empty() && head.front() == ' ') head.erase(head.begin());
    if (head.size() > 160) head = head.substr(0, 157) + "...";
    f.title = std::string(CategoryWords(shape.category)) + (head.empty() ? "" : ": " + head);
    f.hints.push_back("No signature knows this tool; the " + std::string(Name(shape.category)) +
                      " shape of the failing block decides (line " + std::to_string(shape.head_line) + ").");
    f.remediation.push_back("Read the evidence: it is the block of output before the failing command's exit.");
  } else {
    // Nothing explains it: say so, show the block (or the last error-looking lines).
    f.category = FailureCategory::kUnknown;
    f.confidence = UnknownConfidence(in.step.exit_code);
    if (!loc.Found()) f.evidence = TailEvidence(log, scan.total_lines);
    f.title = in.step.exit_code && *in.step.exit_code != 0
                  ? "Unrecognized failure (exit " + std::to_string(*in.step.exit_code) + ")"
                  : "Unrecognized failure";
    f.hints.push_back("No known signature matches this log; the evidence shows the block before the failing command's exit.");
    f.remediation.push_back("Read the evidence lines; if this failure recurs, add a signature for it to the knowledge base.");
    if (in.step.exit_code) fp.exit_reason = "exit " + std::to_string(*in.step.exit_code);
  }
  // A network word inside a failed test's report is the test's (its actual
  // value, its message): the block is the indented detail under a test-failure
  // marker (TAP's YAML diagnostic under "not ok", an xUnit failure's message).
  // The runner itself failing to connect prints no such marker above it.
  if ((f.category == FailureCategory::kNetworkError || f.category == FailureCategory::kNetworkDns) && loc.Found() &&
      InsideFailedTestReport(log, loc.block.lines.front().begin)) {
    f.hints.push_back("The " + std::string(Name(f.category)) +
                      " words are part of a failed test's report (its message or values), not the runner's.");
    f.category = FailureCategory::kTestFailure;
    f.confidence = std::min(f.confidence, 0.7);
  }
  if (loc.used_baseline) {
    f.hints.push_back(std::to_string(loc.demoted) + " error-looking line(s) of this step also occur in the last green log and were set aside.");
  }

  // The fingerprint is of the failure, not of the log. Incidental lines
  // (timings, paths, which of a runner's tests printed first) never split a
  // cluster: the same failure on another run, commit or machine lands in the
  // same one.
  // A known signature's captures identify the failure precisely (the test,
  // the message, the host) and keep the fingerprint it always had; for a tool
  // no signature knows, incidental text cannot be told from identity, so the
  // kind of failure the shapes decided is the identity.
  if (loc.Found() && f.category != FailureCategory::kUnknown && (!out.signature_in_block || sig < 0)) {
    const std::string head = shape.head_text.empty()
                                 ? std::string(LineText(log, loc.block.lines.front().begin, loc.block.lines.front().end))
                                 : shape.head_text;
    fp = FingerprintParts{};
    fp.signature = f.signature;
    fp.root_texts.push_back(std::string(Name(f.category)));
    for (const TestCaseResult* t : failed_tests) fp.failed_tests.push_back({t->TestId(), ""});
    if (out.cluster_template.empty() || !out.signature_in_block) out.cluster_template = NormalizeLine(DisplayText(head));
  } else if (f.category == FailureCategory::kUnknown) {
    for (const EvidenceLine& e : f.evidence) fp.root_texts.push_back(e.text);
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
