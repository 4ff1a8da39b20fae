#include "core/triage/triage.h"

#include <gtest/gtest.h>

#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

TriageResult TriageLog(std::string_view log, std::optional<int> exit_code = 1, std::vector<TestCaseResult> tests = {},
                 TriageHistory history = {}) {
  TriageInput in;
  in.log = log;
  in.step.exit_code = exit_code;
  in.tests = std::move(tests);
  in.history = std::move(history);
  return Triage(testing::RealKb(), in);
}

TEST(TriageTest, HintQuotesTheCapture) {
  TriageResult r = TriageLog("node:internal/modules/cjs/loader:1080\n  throw err;\n  ^\n\nError: Cannot find module 'left-pad'\nRequire stack:\n- /w/index.js\n");
  const Failure& f = r.failure;
  EXPECT_EQ(f.category, FailureCategory::kDependencyError);
  EXPECT_EQ(f.signature, "node-cannot-find-module");
  EXPECT_EQ(f.title, "Cannot find module 'left-pad'");
  ASSERT_FALSE(f.hints.empty());
  EXPECT_NE(f.hints[0].find("'left-pad'"), std::string::npos) << f.hints[0];
  ASSERT_FALSE(f.remediation.empty());
  EXPECT_NE(f.remediation[0].find("'left-pad'"), std::string::npos);
  ASSERT_FALSE(f.evidence.empty());
  EXPECT_EQ(f.evidence[0].line, 5);
  EXPECT_EQ(f.kb_version, testing::RealKb().version());
  EXPECT_GT(f.confidence, 0.5);
  EXPECT_LT(f.confidence, 1.0);
}

// Root cause over symptom holds only for a cause that explains the block: a
// connection reset logged (and survived) by a test that passed, with other
// tests failing after it, does not make the later assertion failures a
// network error (pytest -v output).
TEST(TriageTest, ACauseLoggedBeforeOtherFailuresDoesNotExplainTheBlock) {
  TriageResult r = TriageLog(
      "$ python3 -m pytest -v\n"
      "============================= test session starts ==============================\n"
      "platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0+repack -- /usr/bin/python3\n"
      "collected 3 items\n"
      "\n"
      "tests/test_fetch.py::test_retry_after_reset PASSED                       [ 33%]\n"
      "WARNING  fetch:fetch.py:12 retrying after ConnectionResetError: [Errno 104] Connection reset by peer\n"
      "tests/test_cart.py::test_total FAILED                                    [ 66%]\n"
      "tests/test_cart.py::test_discount FAILED                                 [100%]\n"
      "\n"
      "=================================== FAILURES ===================================\n"
      "__________________________________ test_total __________________________________\n"
      "\n"
      "    def test_total():\n"
      ">       assert total([1, 2]) == 4\n"
      "E       assert 3 == 4\n"
      "E        +  where 3 = total([1, 2])\n"
      "\n"
      "tests/test_cart.py:5: AssertionError\n"
      "________________________________ test_discount _________________________________\n"
      "\n"
      "    def test_discount():\n"
      ">       assert discount(10, 0.5) == 4\n"
      "E       assert 5.0 == 4\n"
      "E        +  where 5.0 = discount(10, 0.5)\n"
      "\n"
      "tests/test_cart.py:9: AssertionError\n"
      "=========================== short test summary info ============================\n"
      "FAILED tests/test_cart.py::test_total - assert 3 == 4\n"
      "FAILED tests/test_cart.py::test_discount - assert 5.0 == 4\n"
      "========================= 2 failed, 1 passed in 0.05s ==========================\n"
      "The command \"python3 -m pytest -v\" exited with 1.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kTestFailure) << r.failure.signature;
  // A crash right before the failing test's marker is its cause.
  TriageResult cause = TriageLog(
      "$ ./run_tests.sh\n"
      "Running calc_test\n"
      "./run_tests.sh: line 3:  4242 Segmentation fault      (core dumped) ./calc_test\n"
      "\n"
      "FAIL: calc_test\n"
      "========================================\n"
      "1 of 1 test failed\n"
      "The command \"./run_tests.sh\" exited with 1.\n");
  EXPECT_EQ(cause.failure.category, FailureCategory::kCrash) << cause.failure.signature;
}

TEST(TriageTest, ACauseFarBeforeTheBlockIsNotItsCause) {
  // A crash logged by one test run, then 40 passing tests (mocha 10's spec
  // reporter), then another test's timeout: the crash is not what failed.
  std::string log =
      "$ ./run_tests.sh\n"
      "./run_tests.sh: line 3:  4242 Segmentation fault      (core dumped) ./calc_test\n";
  for (int i = 0; i < 40; ++i) log += "    ✔ parses a file\n";
  log +=
      "\n"
      "  40 passing (99ms)\n"
      "  1 failing\n"
      "\n"
      "  1) socket\n"
      "       opens the socket:\n"
      "     AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"
      "      at listOnTimeout (node:internal/timers:581:17)\n"
      "The command \"./run_tests.sh\" exited with 1.\n";
  TriageResult r = TriageLog(log);
  EXPECT_EQ(r.failure.category, FailureCategory::kTestFailure) << r.failure.signature;
}

TEST(TriageTest, NothingMatchesMeansUnknownWithTheLastErrorLines) {
  TriageResult r = TriageLog("checking 14 manifests\nmanifest api.yaml: replicas below minimum\npolicy check: 1 violation\nFAILED gate\n", 3);
  const Failure& f = r.failure;
  EXPECT_EQ(f.category, FailureCategory::kUnknown);
  EXPECT_EQ(f.signature, "");
  EXPECT_LT(f.confidence, 0.3);
  ASSERT_FALSE(f.evidence.empty());
  EXPECT_EQ(f.evidence.back().line, 4);
  EXPECT_EQ(f.evidence.back().text, "FAILED gate");
  EXPECT_LE(f.evidence.size(), 5u);
  EXPECT_EQ(f.fingerprint.size(), 16u);
}

TEST(TriageTest, ExitCodeExplainsASilentLog) {
  TriageResult r = TriageLog("$ ./load-fixtures\nloading shard 1\n", 137);
  EXPECT_EQ(r.failure.category, FailureCategory::kOutOfMemory);
  EXPECT_EQ(r.failure.signature, "exit-137-killed");
  TriageResult unmapped = TriageLog("$ ./thing\n", 42);
  EXPECT_EQ(unmapped.failure.category, FailureCategory::kUnknown);
}

TEST(TriageTest, JUnitFailuresExplainALogWithoutSignatures) {
  TestCaseResult t;
  t.class_name = "tests.test_cart";
  t.name = "test_discount";
  t.outcome = TestOutcome::kFailed;
  t.message = "assert 100 == 90";
  TestCaseResult ok = t;
  ok.name = "test_total";
  ok.outcome = TestOutcome::kPassed;
  TriageResult r = TriageLog("running custom harness\n1 problem\n", 1, {ok, t});
  EXPECT_EQ(r.failure.category, FailureCategory::kTestFailure);
  EXPECT_EQ(r.failure.signature, "junit-reported-failure");
  EXPECT_NE(r.failure.title.find("tests.test_cart::test_discount"), std::string::npos) << r.failure.title;
  bool listed = false;
  for (const std::string& h : r.failure.hints) listed = listed || h.find("test_discount") != std::string::npos;
  EXPECT_TRUE(listed);
}

TEST(TriageTest, JUnitAgreementAndHistoryRaiseConfidenceFlakinessLowersIt) {
  std::string log = "E       assert 3 == 4\nFAILED tests/test_m.py::test_add - assert 3 == 4\n==== 1 failed in 0.1s ====\n";
  TestCaseResult t;
  t.class_name = "tests.test_m";
  t.name = "test_add";
  t.outcome = TestOutcome::kFailed;
  t.message = "assert 3 == 4";
  double alone = TriageLog(log).failure.confidence;
  double with_report = TriageLog(log, 1, {t}).failure.confidence;
  TriageHistory seen;
  seen.cluster_occurrences = 5;
  double with_history = TriageLog(log, 1, {t}, seen).failure.confidence;
  TriageHistory flaky;
  flaky.flaky_tests = {t.TestId()};
  double when_flaky = TriageLog(log, 1, {t}, flaky).failure.confidence;
  EXPECT_GT(with_report, alone);
  EXPECT_GT(with_history, with_report);
  EXPECT_LT(when_flaky, with_report);
  EXPECT_EQ(TriageLog(log, 1, {t}, flaky).failure.category, FailureCategory::kTestFailure);
}

TEST(TriageTest, WorkerTimeoutLineWins) {
  TriageResult r = TriageLog("[ RUN      ] Slow.Test\nwaiting for lock\nsentinel: step 'test' timed out after 300s\n", 137);
  EXPECT_EQ(r.failure.category, FailureCategory::kTimeout);
  EXPECT_EQ(r.failure.signature, "sentinel-step-timeout");
  EXPECT_EQ(r.failure.title, "Step 'test' timed out after 300s");
  EXPECT_EQ(r.failure.evidence[0].line, 3);
  // The runner's own line, exactly as adapters/process writes it: the SIGKILL it names is the
  // worker's doing, not an OOM kill.
  TriageResult runner = TriageLog(
      "[ RUN      ] Slow.Test\nsentinel: step 'test' timed out after 1500ms (SIGTERM, then SIGKILL)\n", 137);
  EXPECT_EQ(runner.failure.category, FailureCategory::kTimeout);
  EXPECT_EQ(runner.failure.signature, "sentinel-step-timeout");
  EXPECT_EQ(runner.failure.title, "Step 'test' timed out after 1500ms");
  TriageResult lost = TriageLog("collected 12 items\nsentinel: worker lost (lease expired)\n", std::nullopt);
  EXPECT_EQ(lost.failure.category, FailureCategory::kInfrastructure);
}

TEST(TriageTest, ColouredLogsMatchAndShowWithoutEscapes) {
  std::string log = "\x1b[1msrc/main.cc:4:21: \x1b[0m\x1b[0;1;31merror: \x1b[0m\x1b[1muse of undeclared identifier 'v'\x1b[0m\n";
  TriageResult r = TriageLog(log);
  EXPECT_EQ(r.failure.signature, "cxx-compile-error");
  ASSERT_FALSE(r.failure.evidence.empty());
  EXPECT_EQ(r.failure.evidence[0].text, "src/main.cc:4:21: error: use of undeclared identifier 'v'");
}

TEST(TriageTest, DeterministicAndPure) {
  std::string log = "curl: (6) Could not resolve host: a.invalid\n";
  Failure a = TriageLog(log).failure;
  Failure b = TriageLog(log).failure;
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.confidence, b.confidence);
  EXPECT_EQ(a.title, b.title);
}

TEST(TriageTest, GuardsKeepKeywordsInPassingTestsAndDebugLinesFromDeciding) {
  // Real shapes: a passing pytest line whose test name says "Permission denied",
  // a skipped php test about a segfault, a DEBUG line about a refused
  // connection; the failure is the compiler error before the failing command.
  const std::string log =
      "tests/test_io.py::test_reports_permission_denied PASSED                  [ 40%]\n"
      "SKIP Bug #67468 (Segfault in highlight_file()) [ext/standard/tests/bug67468.phpt]\n"
      "2019-04-12 14:50:02 DEBUG proxy: dial tcp 10.0.0.1:443: connect: connection refused\n"
      "$ make\n"
      "src/main.c:12:5: error: 'foo' undeclared (first use in this function)\n"
      "make: *** [Makefile:4: main.o] Error 1\n"
      "The command \"make\" exited with 2.\n"
      "store build cache\n";
  const Failure& f = TriageLog(log).failure;
  EXPECT_EQ(f.category, FailureCategory::kCompilationError);
  ASSERT_FALSE(f.evidence.empty());
  EXPECT_EQ(f.evidence[0].line, 5);
  for (const EvidenceLine& e : f.evidence) EXPECT_GE(e.line, 5) << e.text;
}

TEST(TriageTest, AToolNoSignatureKnowsIsClassifiedByItsBlockBelowPointNine) {
  // tldr-lint's output shape: file:line: CODE message; no signature names the tool.
  const std::string log =
      "$ npm test\n"
      "> tldr-lint ./pages\n"
      "pages/common/mat2.md:3: TLDR004 Command descriptions should end in a period\n"
      "npm ERR! Test failed.  See above for more details.\n"
      "The command \"npm test\" exited with 1.\n";
  TriageResult r = TriageLog(log);
  EXPECT_EQ(r.failure.category, FailureCategory::kLintError);
  EXPECT_LT(r.failure.confidence, 0.9);
  EXPECT_EQ(r.failure.evidence[0].line, 3);
  EXPECT_EQ(r.location.anchor_line, 5);
}

TEST(TriageTest, ShapeDecidedFailuresOfOneKindShareAFingerprint) {
  auto log = [](const std::string& test) {
    return "  Starting:    App.Tests\n    App.Tests.BrowserFixture." + test + " [FAIL]\n      Assert.Equal() Failure\n"
           "      Expected: 1\n      Actual:   0\nThe command \"./build.sh\" exited with 1.\n";
  };
  TriageResult a = TriageLog(log("Should_return_form"));
  TriageResult b = TriageLog(log("Should_return_querystring"));
  EXPECT_EQ(a.failure.category, FailureCategory::kTestFailure);
  EXPECT_EQ(a.failure.fingerprint, b.failure.fingerprint);
  TriageResult c = TriageLog("src/a.c:1:1: error: unknown type name 'fd_set'\nThe command \"make\" exited with 2.\n");
  EXPECT_NE(a.failure.fingerprint, c.failure.fingerprint);
}

// Root cause over symptom, in time: the first failure of the block explains
// what follows it. Real output: cargo 1.9x running a -sys crate's build script
// whose autoconf configure fails (the script then panics), and an ASan-built
// program crashing under a CMake script driver (ASAN_OPTIONS=log_path, so only
// the DEADLYSIGNAL line reaches the log) that then reports "CMake Error".
TEST(TriageTest, TheFirstFailureOfTheBlockExplainsTheSignatureAfterIt) {
  TriageResult configure = TriageLog(
      "$ cargo build\n"
      "   Compiling foo-sys v0.1.0 (/w/foo-sys)\n"
      "error: failed to run custom build command for `foo-sys v0.1.0 (/w/foo-sys)`\n"
      "note: To improve backtraces for build dependencies, set the CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG=true environment variable to enable debug information generation.\n"
      "\n"
      "Caused by:\n"
      "  process didn't exit successfully: `/w/foo-sys/target/debug/build/foo-sys-2016fa41f2b3f7d5/build-script-build` (exit status: 101)\n"
      "  --- stdout\n"
      "  checking for gcc... /usr/bin/false\n"
      "  checking whether the C compiler works... no\n"
      "\n"
      "  --- stderr\n"
      "  configure: error: in `/w/foo-sys/target/debug/build/foo-sys-c9a1f660444e342c/out':\n"
      "  configure: error: C compiler cannot create executables\n"
      "  See `config.log' for more details\n"
      "\n"
      "  thread 'main' (8483) panicked at build.rs:7:9:\n"
      "  command did not execute successfully: \"/w/foo-sys/vendor/configure\"\n"
      "  expected success, got: exit status: 77\n"
      "  stack backtrace:\n"
      "     0: __rustc::rust_begin_unwind\n"
      "               at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/panicking.rs:689:5\n"
      "     1: core::panicking::panic_fmt\n"
      "               at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:80:14\n"
      "     2: build_script_build::main\n"
      "     3: core::ops::function::FnOnce::call_once\n"
      "  note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n"
      "##[error]Process completed with exit code 101.\n");
  EXPECT_EQ(configure.failure.category, FailureCategory::kConfigError) << configure.failure.signature;
  EXPECT_LT(configure.failure.confidence, 0.9);
  TriageResult crash = TriageLog(
      "$ cmake -DTEST_PRG=./crash -P RunTests.cmake\n"
      "running functional tests\n"
      "AddressSanitizer:DEADLYSIGNAL\n"
      "CMake Error at RunTests.cmake:3 (message):\n"
      "  functional tests failed with error: 1\n"
      "\n"
      "\n"
      "The command \"cmake -DTEST_PRG=./crash -P RunTests.cmake\" exited with 1.\n");
  EXPECT_EQ(crash.failure.category, FailureCategory::kCrash) << crash.failure.signature;
  EXPECT_EQ(crash.failure.evidence.at(0).line, 3);
}

// A network word inside a test's failure is the test's (Erlang/OTP 25
// common_test: a helper named rpc fails a match); git's own "RPC failed; HTTP %d curl %d"
// (remote-curl.c) is what the network signature means.
TEST(TriageTest, ATestHelperNamedRpcFailingIsATestFailure) {
  TriageResult r = TriageLog(
      "$ ct_run -noshell -pa . -suite channel_SUITE -logdir logs\n"
      "Testing app.channel_SUITE: Starting test, 2 test cases\n"
      "\n"
      "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n"
      "broker_helpers:rpc failed on line 4\n"
      "Reason: {badmatch,[guest,amqp_params]}\n"
      "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n"
      "\n"
      "Testing app.channel_SUITE: *** FAILED test case 2 of 2 ***\n"
      "Testing app.channel_SUITE: TEST COMPLETE, 1 ok, 1 failed of 2 test cases\n"
      "The command \"ct_run -noshell -pa . -suite channel_SUITE -logdir logs\" exited with 1.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kTestFailure) << r.failure.signature;
  TriageResult git = TriageLog(
      "$ git push origin main\n"
      "error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500\n"
      "send-pack: unexpected disconnect while reading sideband packet\n"
      "fatal: the remote end hung up unexpectedly\n"
      "The command \"git push origin main\" exited with 1.\n");
  EXPECT_EQ(git.failure.category, FailureCategory::kNetworkError) << git.failure.signature;
}

// A signature measured as imprecise does not overrule the block's shapes of
// another kind: GNU make 4.3's "*** [Makefile:2: test] Error 1" (a recipe
// failed: make-recipe-failed, compilation_error) after a shell test runner's
// FAIL line is a test failure.
TEST(TriageTest, AnImpreciseSignatureDoesNotOverruleTheBlocksShapes) {
  TriageResult r = TriageLog(
      "$ make test\n"
      "./run-tests.sh\n"
      "insert-mode/autoindent                   PASS\n"
      "visual-mode/orientation                  FAIL\n"
      "Tests ok 1/2\n"
      "make: *** [Makefile:2: test] Error 1\n"
      "The command \"make test\" exited with 2.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kTestFailure) << r.failure.signature;
  EXPECT_LT(r.failure.confidence, 0.9);
}

// A network word inside a failed test's report is the test's: node 20's test
// runner (TAP) failing a deepStrictEqual whose actual value holds an
// ECONNREFUSED message is a test failure, not a network error.
TEST(TriageTest, ANetworkWordInAFailedTestsReportIsATestFailure) {
  TriageResult r = TriageLog(
      "$ node --test client.test.js\n"
      "TAP version 13\n"
      "# Subtest: reports the fetch status\n"
      "not ok 1 - reports the fetch status\n"
      "  ---\n"
      "  duration_ms: 8.751456\n"
      "  location: '/w/app/client.test.js:4:1'\n"
      "  failureType: 'testCodeFailure'\n"
      "  error: |-\n"
      "    Expected values to be strictly deep-equal:\n"
      "    + actual - expected\n"
      "    \n"
      "      {\n"
      "    +   error: 'connect ECONNREFUSED 127.0.0.1:5432',\n"
      "    +   ok: false\n"
      "    -   error: null,\n"
      "    -   ok: true\n"
      "      }\n"
      "  code: 'ERR_ASSERTION'\n"
      "  name: 'AssertionError'\n"
      "  expected:\n"
      "    ok: true\n"
      "    error: ~\n"
      "  actual:\n"
      "    ok: false\n"
      "    error: 'connect ECONNREFUSED 127.0.0.1:5432'\n"
      "  operator: 'deepStrictEqual'\n"
      "  stack: |-\n"
      "    TestContext.<anonymous> (/w/app/client.test.js:5:10)\n"
      "    Test.runInAsyncScope (node:async_hooks:206:9)\n"
      "    Test.run (node:internal/test_runner/test:796:25)\n"
      "    Test.processPendingSubtests (node:internal/test_runner/test:526:18)\n"
      "    node:internal/test_runner/harness:255:12\n"
      "    node:internal/process/task_queues:140:7\n"
      "    AsyncResource.runInAsyncScope (node:async_hooks:206:9)\n"
      "    AsyncResource.runMicrotask (node:internal/process/task_queues:137:8)\n"
      "  ...\n"
      "1..1\n"
      "# tests 1\n"
      "# suites 0\n"
      "# pass 0\n"
      "# fail 1\n"
      "# cancelled 0\n"
      "# skipped 0\n"
      "# todo 0\n"
      "# duration_ms 435.770047\n"
      "The command \"node --test client.test.js\" exited with 1.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kTestFailure) << r.failure.signature;
  EXPECT_LT(r.failure.confidence, 0.9);
}

}  // namespace
}  // namespace sentinel::triage
