#include "core/triage/context_guard.h"

#include <algorithm>
#include <iterator>

#include <re2/re2.h>

#include "core/triage/block_classifier.h"
#include "core/triage/classifier.h"
#include "core/triage/locator.h"

namespace sentinel::triage {
namespace {

struct Patterns {
  RE2 fail, pass, handled, gave_up, sanitizer, next_command;
  static RE2::Options Opts() {
    RE2::Options o;
    o.set_never_nl(true);
    o.set_log_errors(false);
    return o;
  }
  Patterns()
      : fail(
            // a count of failures that is not zero, in any runner's summary: first on the line or
            // after another count ("1 failed, 2 passed", "3 examples, 1 failure", "2 passed; 1
            // failed;", "Tests: 1 failed"), or ending a clause; not a number that ends an address
            // ("127.0.0.1:45317 failed") or a word of a test's name ("handles 2 errors gracefully")
            R"((?i)(?:^[\s=#*>-]*|[,;]\s*|:\s+)[1-9]\d* (?:failed|failures?|failing|errors?|broken)\b|(?:^|\s)[1-9]\d* (?:failed|failures?|errors?)(?:[,;)]|\s*$| in )|\b(?:fail(?:ed|ures?|s)?|errors?):\s*[1-9]|\b(?:failures|errors)=[1-9]|^#\s*fail\s+[1-9])"
            R"(|(?-i:\bFail(?:ed|ures)\s+[1-9])|^#\s*cancelled\s+[1-9]|\*\*\*(?:Failed|Exception|Timeout|Not Run)\b)"
            // a failing test's marker whatever its name says ("not ok 2 retries after connection
            // refused"), TAP, go, gtest, cargo and unittest, mocha/jest
            R"(|(?-i:^(?:\d+: )?\s*(?:not ok\b|--- FAIL:|FAIL\b|[✗✖×✘]\s)|\[\s*FAILED\s*\]|\.\.\. (?:FAILED|FAIL|ERROR)$))"
            // a runner's failed-run words ("FAILED (failures=1)", PHPUnit's "FAILURES!", gtest's "1 FAILED TEST")
            R"(|(?-i:^FAILED\b|^FAILURES!|\bFAILED TESTS?\b)|(?:^|\s)[1-9]\d* tests? failed\b|^\s*(?:some )?tests? failed\b)",
            Opts()),
        pass(
            // a per-test pass marker at the line's start (TAP and go "ok", go's "--- PASS:", jest's
            // "PASS file", mocha's "✓", gtest's "[       OK ]", dotnet's "Passed Name"); ctest -V
            // prefixes each line of a test's output with "N: "
            R"(^(?:\d+: )?\s*(?:ok(?:\s|$)|PASS(?:\s|:|$)|PASSED(?:\s|$)|[✓✔√]|\[\s*(?:OK|PASSED)\s*\]|--- PASS:|Passed\s))"
            // a pass verdict ending the line (cargo and unittest "... ok", pytest and Gradle "PASSED",
            // ctest "Passed  0.01 sec")
            R"(|\s\.\.\.\s*ok$|\bPASSED(?:\s*\[[^\]]*\])?\s*$|\s+Passed\s+[\d.]+ sec)"
            // a run summary without failures (checked after `fail`: "1 failed, 2 passed" fails)
            R"(|\btest result: ok\b|^OK(?: \(\d+ tests?\))?\s*$|\b100% tests passed\b|(?i:\ball \d* ?tests? passed\b))"
            R"(|(?i:\b0 (?:failed|failures?|failing)\b|\bfail(?:ed|ures?|s)?:?\s+0\b)|\b\d+ (?:passed|passing)\b)",
            Opts()),
        handled(
            R"((?i)\bretry(?:ing)?\b|\bretries\b|\bretried\b|\bwill try again\b|\btrying again\b|\bfall(?:ing)? ?back\b|\bfallback\b|\breconnect(?:ing)?\b|\bbacking off\b|\bignor(?:ed|ing)\b|\bas expected\b)",
            Opts()),
        gave_up(
            R"((?i)\bg(?:ave|ive|iving) up\b|\bexhausted\b|\bno (?:more )?retries\b|\btoo many\b|\bmax(?:imum)? (?:retries|attempts)\b|\bafter \d+ (?:retries|attempts|tries)\b|\b(?:0|no) retries left\b)",
            Opts()),
        sanitizer(R"(Sanitizer\b|^==\d+==ERROR: |: runtime error: )", Opts()),
        // the CI's echo of the script's next command (GitLab, Travis and Buildkite "$ cmd",
        // Jenkins' `sh -xe` "+ cmd", GitHub Actions' "shell: /usr/bin/bash -e {0}" under "Run cmd")
        next_command(R"(^(?:\$|\+) \S|^shell: /\S)", Opts()) {}
};

const Patterns& P() {
  static const Patterns* p = new Patterns;
  return *p;
}

}  // namespace

Verdict VerdictOf(std::string_view line) {
  const Patterns& p = P();
  if (RE2::PartialMatch(line, p.fail)) return Verdict::kFail;
  // A failing test's marker or report (not ok, --- FAIL, [  FAILED  ], E   assert, ...) and a
  // command's exit: zero means the command succeeded, so what it printed was handled.
  const LineShape shape = ShapeOf(line);
  if (shape.role == LineRole::kStrong && shape.category == FailureCategory::kTestFailure) return Verdict::kFail;
  if (shape.role == LineRole::kExit) return ExitCodeOf(line).value_or(1) == 0 ? Verdict::kPass : Verdict::kFail;
  if (RE2::PartialMatch(line, p.pass)) return Verdict::kPass;
  // A CI script stops at its first failing command: the next command's start says the one
  // before it succeeded, so what it printed was survived.
  if (RE2::PartialMatch(line, p.next_command)) return Verdict::kPass;
  return Verdict::kNone;
}

bool HandledLine(std::string_view line) {
  const Patterns& p = P();
  return RE2::PartialMatch(line, p.handled) && !RE2::PartialMatch(line, p.gave_up);
}

bool ContextApplies(FailureCategory c) {
  using C = FailureCategory;
  return c == C::kCrash || c == C::kNetworkError || c == C::kNetworkDns || c == C::kDiskFull || c == C::kOutOfMemory ||
         c == C::kTimeout || c == C::kDependencyError || c == C::kPermissionDenied;
}

Verdict FailureContext::CachedVerdict(std::size_t begin, std::size_t end) {
  auto [it, fresh] = verdicts_.try_emplace(begin, Verdict::kNone);
  if (fresh) it->second = VerdictOf(LineText(log_, begin, end));
  return it->second;
}

// The line is part of the indented report a runner prints under a failing
// verdict (TAP's YAML diagnostics under "not ok", a test's indented failure
// message): walking back over indented and blank lines, the first line at the
// left margin is a failure verdict.
bool FailureContext::UnderFailedTest(std::size_t begin) {
  constexpr int kMaxReportLines = 200;
  auto indented = [](std::string_view s) { return !s.empty() && (s.front() == ' ' || s.front() == '\t'); };
  if (!indented(LineText(log_, begin, LineEnd(log_, begin)))) return false;
  const auto head = MarginLineBefore(log_, begin, kMaxReportLines);
  return head && CachedVerdict(head->first, head->second) == Verdict::kFail;
}

Verdict FailureContext::NextVerdict(std::size_t begin) {
  auto it = walks_.upper_bound(begin);
  if (it != walks_.begin()) {
    --it;
    if (begin >= it->first && begin <= it->second.first) return it->second.second;
  }
  std::size_t pos = begin;
  while (pos < log_.size() && pos - begin < kVerdictBytes) {
    // Lines an earlier walk found without a verdict are skipped in one step.
    if (auto f = free_.upper_bound(pos); f != free_.begin() && std::prev(f)->second > pos) {
      pos = std::prev(f)->second;
      continue;
    }
    const std::size_t end = LineEnd(log_, pos);
    const Verdict v = CachedVerdict(pos, end);
    if (v != Verdict::kNone) {
      walks_[begin] = {pos, v};
      return v;
    }
    pos = end + 1;
  }
  // The failed step's end, when it lies within reach (whether or not a jump got there).
  if (pos >= log_.size() && failed_step_ && log_.size() - begin <= kVerdictBytes) {
    walks_[begin] = {log_.size(), Verdict::kFail};
    return Verdict::kFail;
  }
  std::size_t& known = free_[begin];
  known = std::max(known, pos);
  return Verdict::kNone;
}

NotAFailure FailureContext::Why(std::size_t begin, std::size_t end, FailureCategory category) {
  const std::string_view line = LineText(log_, begin, end);
  if (NotAFailureLine(line) || ATestNameLine(line)) return NotAFailure::kInformational;
  // The line is itself a pass verdict: a passing test's line in a runner's listing ("test
  // tests::fails_on_assertion_error ... ok", "1/3 Test #1: segfault_handler ...   Passed").
  if (CachedVerdict(begin, end) == Verdict::kPass) return NotAFailure::kInformational;
  if (!ContextApplies(category)) return NotAFailure::kNo;
  // A sanitizer reports what the runner cannot see and fails the process at its exit.
  if (RE2::PartialMatch(line, P().sanitizer)) return NotAFailure::kNo;
  const Verdict verdict = UnderFailedTest(begin) ? Verdict::kFail : NextVerdict(begin);
  if (verdict == Verdict::kPass) return NotAFailure::kFollowedByPass;
  // Retries that ran out end in a failure: the retried error is then the cause.
  if (verdict == Verdict::kFail) return NotAFailure::kNo;
  if (HandledLine(line)) return NotAFailure::kHandled;
  // The next non-blank line says it is handled ("the server is not up yet, retrying in 0.2s"),
  // past repeats of this line (each attempt printing the same error, then one fallback).
  constexpr int kMaxRepeats = 50;
  const std::uint64_t key = BaselineKey(line);
  int repeats = 0;
  for (std::size_t pos = end + 1; pos < log_.size();) {
    const std::size_t e = LineEnd(log_, pos);
    const std::string_view next = LineText(log_, pos, e);
    pos = e + 1;
    if (next.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (BaselineKey(next) == key && ++repeats <= kMaxRepeats) continue;
    return HandledLine(next) ? NotAFailure::kHandled : NotAFailure::kNo;
  }
  return NotAFailure::kNo;
}

}  // namespace sentinel::triage
