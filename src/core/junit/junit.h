#pragma once
// JUnit/xUnit XML test reports, as written by pytest, GoogleTest, node's test
// runner, Maven Surefire, jest-junit and friends, turned into TestCaseResult
// values. Pure: takes the file's bytes and its name, reads nothing else. All
// strings in the result are valid UTF-8. Thread-safe (no shared state).

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace sentinel {

// One parsed report. Counts are over `cases` (not the runner's own summary
// attributes, which disagree between runners): tests = passed + failed +
// errors + skipped = cases.size().
struct JUnitReport {
  std::string file;  // the name passed in, as given
  int suites = 0;    // <testsuite> elements at any depth
  int tests = 0;
  int passed = 0;
  int failed = 0;
  int errors = 0;
  int skipped = 0;
  // In document order. Duplicate names are kept (each is one execution).
  // Each case has suite (enclosing <testsuite> names joined by " > ", outermost
  // first; "" for a case directly under <testsuites>), class_name, name,
  // outcome, duration_ms, message, attempts and file = the report's name.
  std::vector<TestCaseResult> cases;

  TestCounts Counts() const { return {tests, passed, failed, errors, skipped}; }
};

// The longest message kept per case, in bytes (cut on a UTF-8 boundary, with
// " [truncated]" appended).
inline constexpr std::size_t kMaxJUnitMessageBytes = 4096;

// Parses one report. Outcome of a <testcase>:
//   <failure> -> failed; else <error> -> error; else <skipped>, GoogleTest
//   result="skipped"/"suppressed", status="notrun" or CTest status="disabled"
//   -> skipped (but CTest's "notrun" for a missing executable -> error);
//   else passed.
//   Surefire reruns: <flakyFailure>/<flakyError> without <failure>/<error> mean
//   it passed on a rerun; <rerunFailure>/<rerunError> are further failed runs.
//   attempts = 1 + the number of those elements.
// message: the failure/error `message` attribute, or its text when the
// attribute is empty; for a failure/error with neither (CTest), the tail of
// the case's system-out/system-err. Trimmed and capped at
// kMaxJUnitMessageBytes. Empty for passed cases; the skip reason for skipped ones.
// duration_ms: the `time` attribute (seconds; "1,234.5" and "0,25" accepted),
// rounded; 0 when missing or unreadable.
// Errors (kInvalidArgument, message starting with file_name):
//   "<file>: malformed XML at offset N: <why>" and
//   "<file>: not a JUnit/xUnit test report: root element <html>" (or "empty file").
Result<JUnitReport> ParseJUnit(std::string_view xml, std::string_view file_name);

// Replaces every invalid UTF-8 sequence in `text` with U+FFFD.
std::string ToValidUtf8(std::string_view text);

}  // namespace sentinel
