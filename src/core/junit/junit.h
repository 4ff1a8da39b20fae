#pragma once
// Test reports turned into TestCaseResult values: the JUnit/xUnit XML family
// (pytest, GoogleTest, CTest, node's test runner, Maven Surefire, jest-junit
// and friends), NUnit 2 and NUnit 3 result files, xUnit.net v1/v2/v3 XML and
// MSTest/VSTest TRX. Pure: takes the file's bytes and its name, reads nothing
// else. All strings in the result are valid UTF-8. Thread-safe (no shared state).

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace sentinel {

// One parsed report. Counts are over `cases` (not the runner's own summary
// attributes, which disagree between runners) plus `unlisted`:
//   tests = passed + failed + errors + skipped = cases.size() + unlisted.
struct JUnitReport {
  std::string file;    // the name passed in, as given
  std::string format;  // "junit", "nunit2", "nunit3", "xunit" or "trx"
  // Grouping elements: JUnit <testsuite> and NUnit <test-suite> at any depth,
  // xUnit.net <collection> (v1: <class>); for TRX, the distinct test classes.
  int suites = 0;
  int tests = 0;
  int passed = 0;
  int failed = 0;
  int errors = 0;
  int skipped = 0;
  // Tests counted only from a JUnit <testsuite>'s tests=/failures=/errors=/
  // skipped= (skips=, disabled=) attributes, for a suite that lists no
  // <testcase> and no nested suite: they are in the totals above (passed =
  // tests - failures - errors - skipped, each count capped at 1,000,000 per
  // suite and 10,000,000 per report) and have no entry in `cases`.
  int unlisted = 0;
  // In document order (TRX: order of the first result of each test). Each
  // case is one test of the run, with all its executions: a rerun folded in
  // (see ParseJUnit) adds to `attempts` rather than being a second case.
  // Each case has suite, class_name, name, outcome, duration_ms, message,
  // attempts and file = the report's name.
  std::vector<TestCaseResult> cases;

  TestCounts Counts() const { return {tests, passed, failed, errors, skipped}; }
};

// The longest message kept per case, in bytes (cut on a UTF-8 boundary, with
// " [truncated]" appended).
inline constexpr std::size_t kMaxJUnitMessageBytes = 4096;

// Parses one report; the root element says which format it is.
//
// JUnit family (<testsuites>, <testsuite>): suite = the enclosing <testsuite>
// names joined by " > ", outermost first ("" directly under <testsuites>);
// class = classname (or class); name = name. Outcome of a <testcase>:
//   <failure> -> failed; else <error> -> error; else <skipped>, GoogleTest
//   result="skipped"/"suppressed", status="notrun" or CTest status="disabled"
//   -> skipped (but CTest's "notrun" for a missing executable -> error);
//   else passed.
//   Surefire reruns: <flakyFailure>/<flakyError> without <failure>/<error> mean
//   it passed on a rerun; <rerunFailure>/<rerunError> are further failed runs.
//   attempts = 1 + the number of those elements.
//   Rerun plugins that write one <testcase> per execution right after the
//   failed one (pytest-rerunfailures >= 16.6.1, box/flaky): consecutive
//   <testcase>s of one suite element with the same class and name are one
//   case: attempts = their number, duration = their sum, outcome and message
//   = the last one's. The same name further apart stays a separate case
//   (two tests that share a title, as jest allows; Gradle test-retry's later
//   rounds, unless `mergeReruns` gives the Surefire elements above).
//   message: the failure/error `message` attribute, or its text when the
//   attribute is empty; for a failure/error with neither (CTest), the tail of
//   the case's system-out/system-err. duration: `time` in seconds ("1,234.5"
//   and "0,25" accepted).
// NUnit 2 (<test-results>) and NUnit 3 (<test-run>, or a bare <test-suite>):
//   every <test-case>; suite = the file name of the enclosing Assembly suite;
//   class = classname (NUnit 2: the enclosing namespaces and fixture); name =
//   the case's name without the class prefix. NUnit 3 result="Passed" or
//   "Warning" -> passed; "Failed" -> failed, or error when label is "Error",
//   "Cancelled" or "Invalid"; "Skipped", "Inconclusive", "Explicit" -> skipped. NUnit 2
//   result "Success" -> passed; "Failure" -> failed; "Error", "Cancelled",
//   "NotRunnable" -> error; "Ignored", "Skipped", "Inconclusive" or
//   executed="False" -> skipped; without a result, success="True"/"False".
//   message: failure (or reason) <message>, else <stack-trace>. duration:
//   NUnit 3 `duration`, NUnit 2 `time`, seconds. Results with the same NUnit 3
//   `id`, or consecutive same-name cases, are attempts of one case. A suite
//   that failed while none of its cases did (a one-time teardown; a one-time
//   setup or a cancel with no case to carry it) adds one error case: class =
//   the fixture, name = "(one-time teardown)", "(one-time setup)" or "(suite)"
//   (NUnit 2 does not say which), message = the suite's failure message.
// xUnit.net (<assemblies>, <assembly>): every <test>; suite = the assembly's
//   file name; class = type; name = name without the "type." prefix.
//   result "Pass" -> passed, "Fail" -> failed, "Skip"/"NotRun" -> skipped;
//   an assembly-level <errors><error> (fixture/cleanup failure) is an error
//   case named by its type and name. message: failure <message>, else
//   <stack-trace>; skip <reason>. duration: `time`, seconds.
// TRX (<TestRun>): every <UnitTestResult> (the rows of a data-driven test,
//   in <InnerResults> or flat, rather than its summary result); suite = the
//   file name of the TestMethod's codeBase (else the UnitTest's storage); class = TestDefinitions/UnitTest/
//   TestMethod className (without ", Assembly, Version=..."); name = testName
//   without the "class." prefix. outcome "Passed", "PassedButRunAborted",
//   "Completed", "Warning" -> passed; "Failed" -> failed; "Error", "Timeout",
//   "Aborted", "NotRunnable", "Disconnected" -> error; "NotExecuted",
//   "Inconclusive", "Pending", "InProgress" -> skipped. Results with the same
//   testId and testName anywhere in the file are attempts of one case.
//   message: Output/ErrorInfo/Message, else StackTrace. duration:
//   "[d.]hh:mm:ss[.fffffff]".
// NUnit, xUnit.net and TRX: an unknown outcome word -> error with that word as
// message; a failed/error case with no message otherwise says its outcome
// word ("Failed", "Timeout"). Any format: messages are trimmed and capped at kMaxJUnitMessageBytes;
// empty for passed cases; the skip reason for skipped ones. duration_ms is
// rounded, 0 when missing or unreadable.
// Errors (kInvalidArgument, message starting with file_name):
//   "<file>: malformed XML at offset N: <why>" and
//   "<file>: not a test report (JUnit, NUnit, xUnit.net or TRX): root element
//   <html>" (or "empty file").
Result<JUnitReport> ParseJUnit(std::string_view xml, std::string_view file_name);

// Replaces every invalid UTF-8 sequence in `text` with U+FFFD.
std::string ToValidUtf8(std::string_view text);

}  // namespace sentinel
