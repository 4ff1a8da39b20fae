// The context guards of failure words (context_guard.h). Every line here is
// real output of the tool (Debian 12 packages, tests/data/realtools/gen/
// cases_guards.py), as the dev split's logs hold it.
#include "core/triage/context_guard.h"

#include <gtest/gtest.h>

#include <string>

#include "core/triage/triage.h"
#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

using C = FailureCategory;

// Why the log's line `n` (1-based) is not a failure of `category`.
NotAFailure WhyLine(std::string_view log, int n, C category) {
  std::size_t b = 0;
  for (int i = 1; i < n; ++i) b = log.find('\n', b) + 1;
  std::size_t e = log.find('\n', b);
  if (e == std::string_view::npos) e = log.size();
  FailureContext ctx(log);
  return ctx.Why(b, e, category);
}

TriageResult TriageLog(std::string_view log, int exit_code) {
  TriageInput in;
  in.log = log;
  in.step.exit_code = exit_code;
  return Triage(testing::RealKb(), in);
}

bool Matched(const TriageResult& r, const std::string& id) {
  for (const std::string& s : r.matched_signatures)
    if (s == id) return true;
  return false;
}

// ---- verdicts

TEST(VerdictTest, RunnersPassMarkersAndCleanSummaries) {
  for (const char* line : {"ok 1 - maps ECONNREFUSED to a retryable error",     // node --test (TAP)
                           "ok",                                                // cargo --nocapture
                           "PASSED",                                            // pytest -v -s
                           "[       OK ] Net.ConnectionRefusedIsRetried (0 ms)",  // gtest
                           "1: [       OK ] Net.ConnectionRefusedIsRetried (0 ms)",  // gtest under ctest -V
                           "1/1 Test #1: netio_test .......................   Passed    0.03 sec",
                           "test tests::segmentation_fault_regression ... ok",
                           "OK (2 tests)",  // JUnit 4
                           "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
                           "============================== 3 passed in 0.05s ===============================",
                           "# fail 0", "100% tests passed, 0 tests failed out of 1",
                           "The command \"python3 client.py\" exited with 0."})
    EXPECT_EQ(VerdictOf(line), Verdict::kPass) << line;
}

TEST(VerdictTest, RunnersFailMarkersAndSummariesWithFailures) {
  for (const char* line : {"not ok 3 - sums the batch", "[  FAILED  ] Batch.Sums (0 ms)",
                           "tests/test_netio.py::test_totals FAILED",
                           "========================= 1 failed, 3 passed in 0.08s ==========================",
                           "test result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s",
                           "# fail 1", "# cancelled 1", "2/2 Test #2: waits_for_lock ...................***Timeout   1.00 sec",
                           "1/2 Test #1: calc_add .........................***Failed    0.02 sec",
                           "##[error]Process completed with exit code 1.", "The command \"npm test\" exited with 1."})
    EXPECT_EQ(VerdictOf(line), Verdict::kFail) << line;
}

TEST(VerdictTest, AddressesAndTestNamesAreNoVerdict) {
  // a port before "failed" is not a count of failures; a test's output is no verdict
  for (const char* line : {"connect to 127.0.0.1:45317 failed: [Errno 111] Connection refused (attempt 2), retrying in 0.2s",
                           "attempt 1: Connection refused (os error 111)", "connect: Connection refused",
                           "write failed: No space left on device (os error 28)"})
    EXPECT_EQ(VerdictOf(line), Verdict::kNone) << line;
}

TEST(HandledLineTest, RetriesAndFallbacksButNotGivingUp) {
  EXPECT_TRUE(HandledLine("the server is not up yet, retrying in 0.2s"));
  EXPECT_TRUE(HandledLine("metrics endpoint unavailable ([Errno 111] Connection refused), falling back to the log exporter"));
  EXPECT_FALSE(HandledLine("giving up after 3 attempts"));
  EXPECT_FALSE(HandledLine("connect to 127.0.0.1:45317 failed: [Errno 111] Connection refused"));
}

// ---- kind 2: output of a test that then passed

// pytest -v -s (python3-pytest 7.2.1): the caught errors printed, then PASSED.
constexpr std::string_view kPytestGreen =
    "collecting ... collected 3 items\n"
    "\n"
    "tests/test_netio.py::test_connection_refused_is_retried attempt 1: [Errno 111] Connection refused\n"
    "attempt 2: [Errno 111] Connection refused\n"
    "PASSED\n"
    "tests/test_netio.py::test_segmentation_fault_in_child_is_reported child exited with SIGSEGV (Segmentation fault)\n"
    "PASSED\n"
    "tests/test_netio.py::test_no_space_left_on_device_is_reported write failed: [Errno 28] No space left on device\n"
    "PASSED\n"
    "\n"
    "============================== 3 passed in 0.05s ===============================\n";

TEST(FailureContextTest, PytestOutputOfPassingTestsIsNotAFailure) {
  EXPECT_EQ(WhyLine(kPytestGreen, 3, C::kNetworkError), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(kPytestGreen, 4, C::kNetworkError), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(kPytestGreen, 6, C::kCrash), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(kPytestGreen, 8, C::kDiskFull), NotAFailure::kFollowedByPass);
  TriageResult r = TriageLog(kPytestGreen, 0);
  EXPECT_TRUE(r.matched_signatures.empty()) << r.matched_signatures.front();
}

// The same tests next to a failing one (pytest -v -s): the failure wins.
TEST(FailureContextTest, PytestFailingTestNextToPassingOnesWins) {
  const std::string log =
      "tests/test_netio.py::test_connection_refused_is_retried attempt 1: [Errno 111] Connection refused\n"
      "attempt 2: [Errno 111] Connection refused\n"
      "PASSED\n"
      "tests/test_netio.py::test_no_space_left_on_device_is_reported write failed: [Errno 28] No space left on device\n"
      "PASSED\n"
      "tests/test_netio.py::test_totals FAILED\n"
      "\n"
      "=================================== FAILURES ===================================\n"
      "_________________________________ test_totals __________________________________\n"
      "\n"
      "    def test_totals():\n"
      "        rows = [3, 4]\n"
      ">       assert sum(rows) == 8\n"
      "E       assert 7 == 8\n"
      "E        +  where 7 = sum([3, 4])\n"
      "\n"
      "tests/test_netio.py:35: AssertionError\n"
      "=========================== short test summary info ============================\n"
      "FAILED tests/test_netio.py::test_totals - assert 7 == 8\n"
      "========================= 1 failed, 2 passed in 0.08s ==========================\n"
      "##[error]Process completed with exit code 1.\n";
  TriageResult r = TriageLog(log, 1);
  EXPECT_EQ(r.failure.category, C::kTestFailure) << r.failure.signature;
  EXPECT_FALSE(Matched(r, "connection-refused"));
  EXPECT_FALSE(Matched(r, "no-space-left"));
}

// cargo test -- --nocapture --test-threads=1 (rustc 1.9x): "... ok" after the output.
TEST(FailureContextTest, CargoNocaptureOutputOfPassingTestIsNotAFailure) {
  const std::string_view log =
      "running 3 tests\n"
      "test tests::connection_refused_is_retried ... attempt 1: Connection refused (os error 111)\n"
      "attempt 2: Connection refused (os error 111)\n"
      "ok\n"
      "test tests::no_space_left_on_device_maps_to_enospc ... write failed: No space left on device (os error 28)\n"
      "ok\n"
      "test tests::sums_the_batch ... \n"
      "thread 'tests::sums_the_batch' (15394) panicked at src/lib.rs:34:39:\n"
      "assertion `left == right` failed\n"
      "  left: 7\n"
      " right: 8\n"
      "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
      "FAILED\n"
      "\n"
      "test result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
  EXPECT_EQ(WhyLine(log, 2, C::kNetworkError), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(log, 3, C::kNetworkError), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(log, 5, C::kDiskFull), NotAFailure::kFollowedByPass);
  TriageResult r = TriageLog(log, 101);
  EXPECT_EQ(r.failure.category, C::kTestFailure) << r.failure.signature;
}

// gtest under ctest -V: every line of the test's output is prefixed "1: ".
TEST(FailureContextTest, GtestUnderCtestVerboseOutputOfPassingTestIsNotAFailure) {
  const std::string_view log =
      "1: [ RUN      ] Net.ConnectionRefusedIsRetried\n"
      "1: connect: Connection refused\n"
      "1: [       OK ] Net.ConnectionRefusedIsRetried (0 ms)\n"
      "1: [ RUN      ] Disk.NoSpaceLeftOnDeviceIsReported\n"
      "1: write: No space left on device\n"
      "1: [       OK ] Disk.NoSpaceLeftOnDeviceIsReported (0 ms)\n";
  EXPECT_EQ(WhyLine(log, 2, C::kNetworkError), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(log, 5, C::kDiskFull), NotAFailure::kFollowedByPass);
}

// node --test --test-reporter=spec (node 20): a suite's header names it; the passing test under it is its verdict.
TEST(FailureContextTest, SpecReporterSuiteNamedAfterAFailureIsNotAFailure) {
  const std::string_view log =
      "▶ when the disk is full (ENOSPC: no space left on device)\n"
      "  ✔ keeps the last good snapshot (1.838129ms)\n"
      "✔ when the disk is full (ENOSPC: no space left on device) (3.61452ms)\n"
      "▶ Segmentation fault reports\n"
      "  ✔ parses the faulting address (0.665651ms)\n"
      "✔ Segmentation fault reports (1.060595ms)\n"
      "▶ batch totals\n"
      "  ✖ sums the batch (2.966553ms)\n"
      "    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"
      "    \n"
      "    7 !== 8\n";
  EXPECT_EQ(WhyLine(log, 1, C::kDiskFull), NotAFailure::kFollowedByPass);
  EXPECT_EQ(WhyLine(log, 3, C::kDiskFull), NotAFailure::kInformational);
  EXPECT_EQ(WhyLine(log, 4, C::kCrash), NotAFailure::kFollowedByPass);
  TriageResult r = TriageLog(log, 1);
  EXPECT_EQ(r.failure.category, C::kTestFailure) << r.failure.signature;
  EXPECT_FALSE(Matched(r, "no-space-left"));
  EXPECT_FALSE(Matched(r, "segmentation-fault"));
}

// JUnit 4 (JUnitCore): a caught ConnectException's stack trace, then "OK (2 tests)".
TEST(FailureContextTest, JUnitCaughtStackTraceBeforeOkIsNotAFailure) {
  const std::string_view log =
      "JUnit version 4.13.2\n"
      ".java.net.ConnectException: Connection refused\n"
      "\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n"
      "\tat java.base/java.net.Socket.<init>(Socket.java:287)\n"
      "\tat ClientTest.refusedConnectionIsReported(ClientTest.java:11)\n"
      ".\n"
      "Time: 0.032\n"
      "\n"
      "OK (2 tests)\n";
  EXPECT_EQ(WhyLine(log, 2, C::kNetworkError), NotAFailure::kFollowedByPass);
  // The same trace before "There was 1 failure:" is not guarded: the runner says a test failed.
  const std::string failing = std::string(log.substr(0, log.find("Time:"))) +
                              "There was 1 failure:\n1) totals(ClientTest)\njava.lang.AssertionError: expected:<8> but was:<7>\n";
  EXPECT_EQ(WhyLine(failing, 2, C::kNetworkError), NotAFailure::kNo);
}

// node --test (TAP): a diagnostic inside the YAML block under "not ok" belongs to the failed test.
TEST(FailureContextTest, TapYamlUnderNotOkIsTheFailedTests) {
  const std::string_view log =
      "# Subtest: /home/ci/work/node-test-timeout/test/wait.test.js\n"
      "not ok 1 - /home/ci/work/node-test-timeout/test/wait.test.js\n"
      "  ---\n"
      "  duration_ms: 516.103464\n"
      "  failureType: 'testTimeoutFailure'\n"
      "  error: 'test timed out after 500ms'\n"
      "  code: 'ERR_TEST_FAILURE'\n"
      "  ...\n"
      "1..2\n"
      "# tests 2\n"
      "# pass 1\n"
      "# fail 0\n"
      "# cancelled 1\n";
  EXPECT_EQ(WhyLine(log, 6, C::kTimeout), NotAFailure::kNo);
}

// A sanitizer's report fails the process at exit whatever the runner said of the test.
TEST(FailureContextTest, SanitizerReportInsidePassingTestIsAFailure) {
  const std::string_view log =
      "[ RUN      ] Queue.ConcurrentPush\n"
      "==================\n"
      "WARNING: ThreadSanitizer: data race (pid=31337)\n"
      "SUMMARY: ThreadSanitizer: data race /work/src/queue.cc:21 in Queue::Push(int)\n"
      "==================\n"
      "[       OK ] Queue.ConcurrentPush (12 ms)\n"
      "ThreadSanitizer: reported 1 warnings\n";
  EXPECT_EQ(WhyLine(log, 3, C::kCrash), NotAFailure::kNo);
  EXPECT_EQ(WhyLine(log, 4, C::kCrash), NotAFailure::kNo);
}

// A test failure, a compiler's or a linter's diagnostic is a verdict in itself.
TEST(FailureContextTest, OnlyCausesTakeTheirContext) {
  EXPECT_EQ(WhyLine(kPytestGreen, 3, C::kTestFailure), NotAFailure::kNo);
  EXPECT_EQ(WhyLine(kPytestGreen, 3, C::kCompilationError), NotAFailure::kNo);
  // kind 1 applies to every category: a passing test's line
  EXPECT_EQ(WhyLine("ok 1 reports a segmentation fault of a child\n", 1, C::kTestFailure), NotAFailure::kInformational);
}

// Kind 1 for every category: a runner's pass verdict line names a test, it reports no failure.
TEST(FailureContextTest, APassVerdictLineIsInformational) {
  // cargo test (an ignored test run with --include-ignored), ctest, bats (TAP)
  EXPECT_EQ(WhyLine("test tests::segmentation_fault_regression ... ok\n", 1, C::kCrash), NotAFailure::kInformational);
  EXPECT_EQ(WhyLine("test tests::fails_on_assertion_error ... ok\n", 1, C::kTestFailure), NotAFailure::kInformational);
  EXPECT_EQ(WhyLine("1/1 Test #1: netio_test .......................   Passed    0.03 sec\n", 1, C::kTestFailure),
            NotAFailure::kInformational);
  EXPECT_EQ(WhyLine("ok 2 retries after connection refused\n", 1, C::kNetworkError), NotAFailure::kInformational);
  EXPECT_EQ(WhyLine("not ok 2 retries after connection refused\n", 1, C::kNetworkError), NotAFailure::kNo);
}

// ---- kind 3: handled errors

// python3 3.11 retrying a refused connection until the server is up (Travis CI).
constexpr std::string_view kRetryGreen =
    "connecting to the fixture server on 127.0.0.1:45317\n"
    "connect to 127.0.0.1:45317 failed: [Errno 111] Connection refused\n"
    "the server is not up yet, retrying in 0.2s\n"
    "connect to 127.0.0.1:45317 failed: [Errno 111] Connection refused (attempt 2), retrying in 0.2s\n"
    "connected: server says ready\n"
    "metrics endpoint unavailable ([Errno 111] Connection refused), falling back to the log exporter\n"
    "seeded 12 rows\n";

TEST(FailureContextTest, RetriedAndFallenBackErrorsAreHandled) {
  EXPECT_EQ(WhyLine(kRetryGreen, 2, C::kNetworkError), NotAFailure::kHandled);  // "retrying" on the next line
  EXPECT_EQ(WhyLine(kRetryGreen, 4, C::kNetworkError), NotAFailure::kHandled);
  EXPECT_EQ(WhyLine(kRetryGreen, 6, C::kNetworkError), NotAFailure::kHandled);
  EXPECT_TRUE(TriageLog(kRetryGreen, 0).matched_signatures.empty());
}

// curl 7.88 -sS --retry 2 --retry-connrefused prints each attempt's error; the script then falls back.
TEST(FailureContextTest, RepeatedAttemptsBeforeAFallbackAreHandled) {
  const std::string_view log =
      "+ curl -sS --retry 2 --retry-connrefused --retry-delay 0 http://127.0.0.1:1/metrics || echo \"metrics server is down, falling back to the log exporter\"\n"
      "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n"
      "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n"
      "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n"
      "metrics server is down, falling back to the log exporter\n"
      "[Pipeline] }\n";
  EXPECT_EQ(WhyLine(log, 2, C::kNetworkError), NotAFailure::kHandled);
  EXPECT_EQ(WhyLine(log, 4, C::kNetworkError), NotAFailure::kHandled);
  EXPECT_TRUE(TriageLog(log, 0).matched_signatures.empty());
}

// A CI script stops at its first failing command: a retried error in a command
// the next one follows was survived; the next command's failure is the block (GitLab CI).
TEST(FailureContextTest, RetriedErrorInACommandThatSucceededIsNotTheFailure) {
  const std::string_view log =
      "$ bash scripts/wait-db.sh\n"
      "db 127.0.0.1:1: Connection refused, retrying in 0s (attempt 1)\n"
      "db 127.0.0.1:1: Connection refused, retrying in 0s (attempt 2)\n"
      "db not reachable; continuing with the in-memory store\n"
      "$ python3 -c \"import json; print(json.load(open('config.json'))['db'])\"\n"
      "Traceback (most recent call last):\n"
      "  File \"<string>\", line 1, in <module>\n"
      "  File \"/usr/lib/python3.11/json/decoder.py\", line 353, in raw_decode\n"
      "    obj, end = self.scan_once(s, idx)\n"
      "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 21 (char 20)\n"
      "ERROR: Job failed: exit code 1\n";
  EXPECT_EQ(WhyLine(log, 2, C::kNetworkError), NotAFailure::kFollowedByPass);
  TriageResult r = TriageLog(log, 1);
  EXPECT_FALSE(Matched(r, "connection-refused"));
  EXPECT_NE(r.failure.category, C::kNetworkError);
}

// The retries give up: the refused connection is the failure (python3 3.11 under Jenkins).
TEST(FailureContextTest, RetriesThatRunOutAreTheFailure) {
  const std::string_view log =
      "+ python3 client.py\n"
      "connecting to the fixture server on 127.0.0.1:57485\n"
      "connect failed: [Errno 111] Connection refused (attempt 1/3), retrying in 0.1s\n"
      "connect failed: [Errno 111] Connection refused (attempt 2/3), retrying in 0.1s\n"
      "connect failed: [Errno 111] Connection refused (attempt 3/3), retrying in 0.1s\n"
      "giving up after 3 attempts\n"
      "Traceback (most recent call last):\n"
      "  File \"/home/ci/work/guard-py-retry-gives-up/client.py\", line 23, in <module>\n"
      "    socket.create_connection((\"127.0.0.1\", port), timeout=2)\n"
      "  File \"/usr/lib/python3.11/socket.py\", line 836, in create_connection\n"
      "    sock.connect(sa)\n"
      "ConnectionRefusedError: [Errno 111] Connection refused\n"
      "Build step 'Execute shell' marked build as failure\n"
      "Finished: FAILURE\n";
  EXPECT_EQ(WhyLine(log, 12, C::kNetworkError), NotAFailure::kNo);
  TriageResult r = TriageLog(log, 1);
  EXPECT_EQ(r.failure.category, C::kNetworkError) << r.failure.signature;
  EXPECT_EQ(r.failure.signature, "connection-refused");
}

}  // namespace
}  // namespace sentinel::triage
