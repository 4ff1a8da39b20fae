#pragma once
// The context guards of failure words: a line that says "Connection refused",
// "Segmentation fault" or "No space left on device" is not a failure when its
// context says so. One mechanism for signature hits (classifier.h's Scan) and
// for the locator's failure shapes (locator.h), three kinds of context:
//
// 1. Informational line (the line alone): a passing or skipped test's line or
//    a test's name in a runner's listing (TAP "ok 3 - ...", "# Subtest: ...",
//    pytest "PASSED"/"SKIPPED", go "--- PASS", gtest "[       OK ]", cargo and
//    unittest "... ok", ctest "Passed", mocha/jest "✓"), a log level below
//    warning, a feature list, an echoed command (NotAFailureLine, ATestNameLine),
//    or a line that is itself a pass verdict (below).
// 2. Output of a test that then passes: unless the line is part of the
//    indented report under a failing verdict (TAP's YAML block under "not
//    ok"), the first test verdict at or after the line is a pass (a per-test pass marker, or a run summary without failures:
//    "OK (2 tests)", "3 passed in 0.05s", "test result: ok.", "0 failures"; a
//    command's exit 0; the CI's echo of the script's next command, which runs
//    only when the one before succeeded),
//    with no failure verdict (a failing test's marker, a summary with failures,
//    a failed command's exit) before it. Looked for within kVerdictBytes.
//    A sanitizer's report is never guarded: it fails the process at its exit
//    whatever the runner said of the test.
// 3. A handled error: the line, or the next non-blank line past repeats of
//    it, says the program retries, falls back, reconnects or ignores it ("retrying in 0.2s",
//    "falling back to ...", "will retry"), and no failure verdict follows
//    within kVerdictBytes (retries that ran out end in a failed command: the
//    retried error is its cause). The last attempt, after which nothing
//    retries, stays a failure.
//
// Pure; one FailureContext per log and thread (it memoises verdicts).

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <string_view>
#include <utility>

#include "core/model/vocab.h"

namespace sentinel::triage {

// How far after a line (in bytes) its test's verdict is looked for.
inline constexpr std::size_t kVerdictBytes = 32 << 10;

enum class NotAFailure : std::uint8_t {
  kNo,               // a failure as far as the context tells
  kInformational,    // the line alone says so (kind 1)
  kFollowedByPass,   // a pass verdict follows: a test that then passed, a command that succeeded (kind 2)
  kHandled,          // the program retried, fell back or ignored it (kind 3)
};

// Whether kinds 2 and 3 apply to a failure word of this category: a cause
// (crash, network, DNS, disk, memory, timeout, dependency) or a permission
// error can be printed and survived; a test failure, a compiler's or a
// linter's diagnostic is a verdict in itself (only kind 1 applies).
bool ContextApplies(FailureCategory category);

// The verdict a test runner gives on one line (exposed for tests).
enum class Verdict : std::uint8_t { kNone, kPass, kFail };
Verdict VerdictOf(std::string_view line);

// A line that says its program handles the error it reports or the one just
// before ("retrying", "falling back", "will retry", "ignoring") (exposed for tests).
bool HandledLine(std::string_view line);

class FailureContext {
 public:
  // `failed_step`: the log's step is known to have failed (a non-zero exit
  // code): its end, reached with no verdict, is the failure's verdict.
  explicit FailureContext(std::string_view log, bool failed_step = false) : log_(log), failed_step_(failed_step) {}
  // Why a failure word of `category` on the line [begin, end) of the log (no
  // '\n') is not a failure, kNo if it is one.
  NotAFailure Why(std::size_t begin, std::size_t end, FailureCategory category);
  bool Guarded(std::size_t begin, std::size_t end, FailureCategory category) {
    return Why(begin, end, category) != NotAFailure::kNo;
  }

 private:
  Verdict NextVerdict(std::size_t begin);
  Verdict CachedVerdict(std::size_t begin, std::size_t end);
  bool UnderFailedTest(std::size_t begin);
  std::string_view log_;
  bool failed_step_ = false;
  // Memo of verdict walks: from -> (verdict line's begin, verdict). Every line
  // in [from, verdict line] reaches the same verdict first.
  std::map<std::size_t, std::pair<std::size_t, Verdict>> walks_;
  std::unordered_map<std::size_t, Verdict> verdicts_;  // line begin -> VerdictOf(line)
  // Stretches walked without a verdict: from -> end (the line where the walk stopped). Each line's
  // verdict is thus computed once per log, however many hits walk over it.
  std::map<std::size_t, std::size_t> free_;
};

}  // namespace sentinel::triage
