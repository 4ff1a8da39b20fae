#include "core/triage/locator.h"

#include <gtest/gtest.h>

#include "core/triage/block_classifier.h"
#include "core/triage/context_guard.h"

namespace sentinel::triage {
namespace {

using C = FailureCategory;
using R = LineRole;

// ---- shapes of real tools' lines

TEST(ShapeTest, PassingSkippedAndInformationalLinesAreNeverEvidence) {
  for (const char* line : {
           "tests/test_io.py::test_open_reports_permission_denied PASSED            [ 42%]",  // pytest
           "[ RUN      ] Parser.FailsAndUsesFilenameIfThereIsNotEnoughSpaceLeft",         // gtest: a test name
           "[       OK ] Parser.HandlesSegfaultInHighlight (0 ms)",                          // gtest
           "ok 12 - connection refused is retried",                                          // TAP
           "--- PASS: TestDialTimeout (0.01s)",                                              // go test
           "SKIP Bug #67468 (Segfault in highlight_file()) [ext/standard/tests/bug67468.phpt]",  // php run-tests
           "  ✓ rejects a timed out request (12ms)",                                         // mocha
           "2019-04-12 14:50:02 DEBUG proxy: dial tcp 10.0.0.1:443: connect: connection refused",
           "I, [2019-08-01T10:00:00.123 #123]  INFO -- : error budget recalculated",
           "\tSIGSEGV:       altstack",  // mono --version's feature list
           "  POSIX ACL support:              \tyes",
           "$ make test",  // an echoed command
       }) {
    EXPECT_EQ(ShapeOf(line).role, R::kInfo) << line;
  }
}

TEST(ShapeTest, CompilerDiagnostics) {
  for (const char* line : {
           "src/main.c:12:5: error: 'foo' undeclared (first use in this function)",  // gcc
           "Extensions/CollectionExtensions.cs(20,40): error CS0103: The name 'key' does not exist",  // csc
           "error[E0425]: cannot find value `x` in this scope",                                   // rustc
           "/tmp/ccX.o: In function `main': map.c:(.text+0xd): undefined reference to `array_add'",  // ld
           "src/rabbit_vhost.erl:91: field description undefined in record vhost",                 // erlc
           "[error] /src/Main.scala:6:35: object utils is not a member of package com.example",    // sbt
       }) {
    LineShape s = ShapeOf(line);
    EXPECT_EQ(s.role, R::kStrong) << line;
    EXPECT_EQ(s.category, C::kCompilationError) << line;
  }
}

TEST(ShapeTest, LintersAndFormatters) {
  for (const char* line : {
           "./pkg/rules/init.py:8:9: E128 continuation line under-indented for visual indent",  // flake8
           "db/migrate/x.rb:1:1: C: Style/FrozenStringLiteralComment: Missing magic comment",  // rubocop
           "  3:8  error  'showModal' is defined but never used  no-unused-vars",               // eslint
           "src/registry.js:636 Insert `;` (prettier/prettier)",                                 // eslint+prettier
           "README.md: 750: MD034/no-bare-urls Bare URL used",                                   // markdownlint
           "would reformat src/app.py",                                                          // black
           "The following files were not formatted:",                                            // mix format
           "✖ 2 problems (2 errors, 0 warnings)",                                                // eslint summary
           "Overfull \\hbox (19.6pt too wide) in paragraph at lines 72--78",                     // LaTeX
       }) {
    LineShape s = ShapeOf(line);
    EXPECT_EQ(s.role, R::kStrong) << line;
    EXPECT_EQ(s.category, C::kLintError) << line;
  }
}

TEST(ShapeTest, TestRunnersPackageManagersCrashesTimeouts) {
  struct Case {
    const char* line;
    C category;
  } cases[] = {
      {"--- FAIL: TestParallelPreferChained (2.62s)", C::kTestFailure},
      {"not ok 6 no errors", C::kTestFailure},
      {"E       AssertionError: Missing rule in README.md", C::kTestFailure},
      {"    ✗ should accept changes, expected to eventually be nil", C::kTestFailure},
      {"Failed asserting that 1564764243 is identical to 1234567890.", C::kTestFailure},
      {"[-] Runs all files -> Expected and actual values differ!", C::kTestFailure},
      {"ModuleNotFoundError: No module named 'yaml'", C::kDependencyError},
      {"Error: Cannot find module './db.json'", C::kDependencyError},
      {"  Error in library(\"testthat\") : there is no package called 'testthat'", C::kDependencyError},
      {"Your requirements could not be resolved to an installable set of packages.", C::kDependencyError},
      {"     Error: timeout of 60000ms exceeded. Ensure the done() callback is being called", C::kTimeout},
      {"==16563==ERROR: AddressSanitizer: SEGV on unknown address 0x000001d548d0", C::kCrash},
      {"thread 'tests::adds' panicked at src/lib.rs:8:23:", C::kTestFailure},  // a Rust test fails by panicking
      {"panic: runtime error: invalid memory address or nil pointer dereference", C::kCrash},
      {"/bin/sh: 1: swift: command not found", C::kConfigError},
      {"fatal: Remote branch feature-x not found in upstream origin", C::kInfrastructure},
  };
  for (const Case& c : cases) {
    LineShape s = ShapeOf(c.line);
    EXPECT_EQ(s.role, R::kStrong) << c.line;
    EXPECT_EQ(s.category, c.category) << c.line;
  }
}

TEST(ShapeTest, CascadeFollowAndExitLines) {
  EXPECT_EQ(ShapeOf("make: *** [Makefile:270: test_stdlib] Error 1").role, R::kCascade);
  EXPECT_EQ(ShapeOf("npm ERR! code ELIFECYCLE").role, R::kCascade);
  EXPECT_EQ(ShapeOf("error Command failed with exit code 1.").role, R::kCascade);
  EXPECT_EQ(ShapeOf("\tat org.junit.Assert.fail(Assert.java:88)").role, R::kFollow);
  EXPECT_EQ(ShapeOf("    #3 0x4fb97b in __interceptor_free asan_malloc_linux.cc:129:3").role, R::kFollow);
  EXPECT_EQ(ShapeOf("                 ^~~~").role, R::kFollow);
  EXPECT_EQ(ShapeOf("The command \"npm test\" exited with 1.").role, R::kExit);
  EXPECT_EQ(ShapeOf("##[error]Process completed with exit code 2.").role, R::kExit);
  EXPECT_EQ(ShapeOf("ERROR: Job failed: exit code 1").role, R::kExit);
  // sbt prints failures at [info]: a failure shape beats a low log level.
  EXPECT_EQ(ShapeOf("[info] - streams a body *** FAILED ***").role, R::kStrong);
}

// ---- locating the block

TEST(LocatorTest, BlockBeforeTheFailingCommandNotTheCleanupAfterIt) {
  const std::string log =
      "$ npm test\n"                                                          // 1
      "\n"                                                                     // 2
      "> normalize.css@4.1.1 test /home/travis/build/x\n"                      // 3
      "> stylelint normalize.css\n"                                            // 4
      "\n"                                                                     // 5
      "normalize.css\n"                                                        // 6
      " 429:1  ✖  Unexpected missing newline at end of file  no-missing-end-of-source-newline\n"  // 7
      "npm ERR! Test failed.  See above for more details.\n"                   // 8
      "The command \"npm test\" exited with 1.\n"                              // 9
      "$ cat /tmp/debug.log\n"                                                 // 10
      "error: connection refused while uploading cache\n"                      // 11
      "Done. Your build exited with 1.\n";                                     // 12
  Location loc = Locate(log);
  EXPECT_EQ(loc.anchor_line, 9);
  ASSERT_EQ(loc.exit_code, 1);
  EXPECT_EQ(loc.command, "npm test");
  ASSERT_TRUE(loc.Found());
  EXPECT_GE(loc.block.first_line, 4);  // the linter's invocation may open the block
  EXPECT_LE(loc.block.first_line, 7);
  EXPECT_GE(loc.block.last_line, 7);
  EXPECT_LE(loc.block.last_line, 8);
  BlockVerdict v = ClassifyBlock(loc, log);
  EXPECT_EQ(v.category, C::kLintError);
  EXPECT_LT(v.confidence, 0.9);
}

TEST(LocatorTest, TheFirstFailedCommandWinsAndRetriedMarkersEndTheRegion) {
  const std::string log =
      "$ git clone --depth=50 --branch=topic https://github.com/o/r.git o/r\n"  // 1
      "Cloning into 'o/r'...\n"                                                 // 2
      "warning: Could not find remote branch topic to clone.\n"                 // 3
      "fatal: Remote branch topic not found in upstream origin\n"               // 4
      "\n"                                                                      // 5
      "The command \"eval git clone --depth=50 --branch=topic https://github.com/o/r.git o/r \" failed. Retrying, 2 of 3.\n"
      "Cloning into 'o/r'...\n"
      "fatal: Remote branch topic not found in upstream origin\n"
      "The command \"eval git clone\" failed 3 times.\n";
  Location loc = Locate(log);
  EXPECT_EQ(loc.anchor_line, 6);
  ASSERT_TRUE(loc.Found());
  EXPECT_EQ(loc.block.first_line, 3);
  EXPECT_EQ(ClassifyBlock(loc, log).category, C::kInfrastructure);
}

TEST(LocatorTest, SummaryPointsBackToTheDetail) {
  const std::string log =
      "tests/test_a.py::test_one PASSED\n"                             // 1
      "=================================== FAILURES ===================================\n"  // 2
      "_________________________________ test_readme __________________________________\n"  // 3
      "\n"                                                              // 4
      ">       assert rule.stem in readme\n"                             // 5
      "E       AssertionError: Missing rule \"x\" in README.md\n"       // 6
      "\n"                                                              // 7
      "tests/test_readme.py:11: AssertionError\n"                       // 8
      "tests/test_conf.py::test_get PASSED\n"                            // 9
      "========== 1 failed, 340 passed in 12.3s ==========\n"           // 10
      "##[error]Process completed with exit code 1.\n";                 // 11
  Location loc = Locate(log);
  EXPECT_EQ(loc.anchor_line, 11);
  ASSERT_TRUE(loc.Found());
  EXPECT_EQ(loc.block.first_line, 2);
  EXPECT_GE(loc.block.last_line, 8);
  EXPECT_EQ(ClassifyBlock(loc, log).category, C::kTestFailure);
}

TEST(LocatorTest, RootCauseOverSymptom) {
  const std::string log =
      "Running tests\n"
      "  1) Parser loads its grammar:\n"
      "     Error: Cannot find module 'tree-sitter'\n"
      "      at Function.Module._resolveFilename (module.js:325:15)\n"
      "      at require (internal/module.js:12:17)\n"
      "\n"
      "  1 failing\n";
  Location loc = Locate(log);
  ASSERT_TRUE(loc.Found());
  BlockVerdict v = ClassifyBlock(loc, log);
  EXPECT_EQ(v.category, C::kDependencyError);
  EXPECT_EQ(v.reason, "root-cause");
}

TEST(LocatorTest, TimeoutExitCodeMakesATimeout) {
  const std::string log =
      "[3 of 4] Compiling System.Random.TF\n"
      "[4 of 4] Compiling System.Random.TF.Instances\n"
      "The command \"$TIMEOUT 35m ci/build.sh\" exited with 124.\n";
  Location loc = Locate(log);
  EXPECT_EQ(loc.exit_code, 124);
  EXPECT_EQ(ClassifyBlock(loc, log).category, C::kTimeout);
}

TEST(LocatorTest, BaselineDemotesWhatTheGreenLogAlsoSays) {
  const std::string green =
      "WARNING: deprecated option --foo; error budget 3\n"
      "npm WARN deprecated request@2.88.0\n"
      "Tests: 12 passed\n";
  const std::string failed =
      "WARNING: deprecated option --foo; error budget 5\n"  // also in the green log (numbers differ)
      "src/app.ts:3:7: error TS2322: Type 'string' is not assignable to type 'number'.\n"
      "npm WARN deprecated request@2.88.0\n";
  BaselineIndex idx = IndexBaseline(green);
  Location with = Locate(failed, &idx);
  ASSERT_TRUE(with.Found());
  EXPECT_TRUE(with.used_baseline);
  EXPECT_EQ(with.block.first_line, 2);
  EXPECT_EQ(with.demoted, 1);
  Location without = Locate(failed);
  ASSERT_TRUE(without.Found());
  EXPECT_EQ(without.block.first_line, 1);
}

// A failure shape outranks the weak error words a tool prints after it: npm's
// workspace trailer ("npm ERR! Lifecycle script ... failed with error:",
// "npm ERR! Error: command failed") follows the missing module that failed.
TEST(LocatorTest, AFailureShapeOutranksLaterWeakErrorLines) {
  const std::string log =
      "$ npm test --workspaces\n"
      "\n"
      "> pkg-a@1.0.0 test\n"
      "> node test.js\n"
      "\n"
      "node:internal/modules/cjs/loader:1080\n"
      "  throw err;\n"
      "  ^\n"
      "\n"
      "Error: Cannot find module 'left-pad'\n"
      "Require stack:\n"
      "- /w/packages/pkg-a/test.js\n"
      "    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)\n"
      "    at Module._load (node:internal/modules/cjs/loader:922:27)\n"
      "    at Module.require (node:internal/modules/cjs/loader:1143:19)\n"
      "    at require (node:internal/modules/cjs/helpers:119:18)\n"
      "    at Object.<anonymous> (/w/packages/pkg-a/test.js:1:1) {\n"
      "  code: 'MODULE_NOT_FOUND',\n"
      "  requireStack: [ '/w/packages/pkg-a/test.js' ]\n"
      "}\n"
      "\n"
      "Node.js v18.19.0\n"
      "npm ERR! Lifecycle script `test` failed with error: \n"
      "npm ERR! Error: command failed \n"
      "npm ERR!   in workspace: pkg-a@1.0.0 \n"
      "npm ERR!   at location: /w/packages/pkg-a \n"
      "The command \"npm test --workspaces\" exited with 1.\n";
  Location loc = Locate(log);
  ASSERT_TRUE(loc.Found());
  EXPECT_EQ(loc.block.first_line, 10) << loc.block.last_line;
  EXPECT_EQ(ClassifyBlock(loc, log).category, C::kDependencyError);
}

TEST(LocatorTest, EmptyAndSilentLogs) {
  EXPECT_FALSE(Locate("").Found());
  EXPECT_FALSE(Locate("building\nlinking\ndone\n").Found());
}

TEST(ShapeKeyTest, IdentifiersMaskedToolWordsKept) {
  EXPECT_EQ(ShapeKey("Nancy.Testing.Tests.BrowserFixture.Should_return_JSON_serialized_form [FAIL]"),
            ShapeKey("Nancy.Testing.Tests.BrowserFixture.Should_return_JSON_serialized_querystring [FAIL]"));
  EXPECT_EQ(ShapeKey("confirms_rejects_SUITE:mixed_dead_alive_queues_reject failed on line 195"),
            ShapeKey("rabbit_ct_broker_helpers:rpc failed on line 1348"));
  EXPECT_NE(ShapeKey("src/a.c:3:5: error: expected ';' before 'return'"),
            ShapeKey("src/a.c:3:5: error: unknown type name 'fd_set'"));
}

// ---- rules added for logs of other projects (lines generated here by the
// real tools: gcc 12, perl's prove/Test::More, node --test, python3 -m
// unittest; and the dev split of tests/data/realtools)

TEST(ShapeTest, CompilerWarningsAreNotFailuresAndNotesFollowTheError) {
  // gcc -Wall -c w.c
  EXPECT_EQ(ShapeOf("w.c:6:12: warning: passing argument 1 of ‘f’ from incompatible pointer type "
                    "[-Wincompatible-pointer-types]")
                .role,
            R::kPlain);
  EXPECT_EQ(ShapeOf("w.c:4:7: warning: unused variable ‘unused’ [-Wunused-variable]").role, R::kPlain);
  EXPECT_EQ(ShapeOf("w.c:2:12: note: expected ‘int *’ but argument is of type ‘long int *’").role, R::kFollow);
  const LineShape error = ShapeOf("w.c:6:18: error: ‘missing’ undeclared (first use in this function)");
  EXPECT_EQ(error.role, R::kStrong);
  EXPECT_EQ(error.category, C::kCompilationError);
  // A diagnostic whose message merely says "warning" is still an error.
  EXPECT_EQ(ShapeOf("w.c:6:18: error: unknown warning group '-Wfoo'").role, R::kStrong);
}

TEST(LocatorTest, CompilerWarningsBeforeAFailingTestAreNotTheBlock) {
  const std::string log =
      "w.c:4:7: warning: unused variable ‘unused’ [-Wunused-variable]\n"  // 1
      "    4 |   int unused;\n"                                             // 2
      "      |       ^~~~~~\n"                                              // 3
      "$ perl t/a.t\n"                                                       // 4
      "1..3\n"                                                               // 5
      "ok 1 - adds two numbers\n"                                           // 6
      "not ok 2 - joins two strings\n"                                      // 7
      "#   Failed test 'joins two strings'\n"                                // 8
      "#   at t/a.t line 4.\n"                                               // 9
      "#          got: 'ab'\n"                                               // 10
      "#     expected: 'ba'\n"                                               // 11
      "# Looks like you failed 1 test of 3.\n"                               // 12
      "The command \"perl t/a.t\" exited with 1.\n";                         // 13
  Location loc = Locate(log);
  ASSERT_TRUE(loc.Found());
  EXPECT_EQ(loc.block.first_line, 7);
  EXPECT_EQ(ClassifyBlock(loc, log).category, C::kTestFailure);
}

TEST(LocatorTest, RepeatedFailuresOfOneRunnerGoBackToTheFirst) {
  // perl t/a.t (Test::More): every failing test is "not ok N - name".
  const std::string tap =
      "1..3\n"                                   // 1
      "not ok 1 - adds two numbers\n"            // 2
      "#   Failed test 'adds two numbers'\n"      // 3
      "#   at t/a.t line 2.\n"                    // 4
      "#          got: '2'\n"                     // 5
      "#     expected: '3'\n"                     // 6
      "ok 2 - passes\n"                          // 7
      "not ok 3 - joins two strings\n"           // 8
      "#   Failed test 'joins two strings'\n"     // 9
      "#   at t/a.t line 4.\n"                    // 10
      "#          got: 'ab'\n"                    // 11
      "#     expected: 'ba'\n"                    // 12
      "# Looks like you failed 2 tests of 3.\n"   // 13
      "The command \"prove t/\" exited with 1.\n";  // 14
  Location loc = Locate(tap);
  ASSERT_TRUE(loc.Found());
  EXPECT_EQ(loc.block.first_line, 2);
  EXPECT_GE(loc.block.last_line, 3);
  // node --test --test-reporter=spec: each failure, then the same lines again
  // under "failing tests:"; the first report of the first failure is the block.
  const std::string spec =
      "✖ adds two numbers (11.660158ms)\n"                                        // 1
      "  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"  // 2
      "  \n"                                                                       // 3
      "  2 !== 3\n"                                                                // 4
      "  \n"                                                                       // 5
      "      at TestContext.<anonymous> (/tmp/tri/gen/t2.test.js:3:41)\n"          // 6
      "✔ keeps order (0.549098ms)\n"                                              // 7
      "✖ joins two strings (0.769429ms)\n"                                         // 8
      "  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"  // 9
      "  \n"                                                                       // 10
      "  'ab' !== 'ba'\n"                                                          // 11
      "ℹ tests 3\n"                                                                // 12
      "ℹ fail 2\n"                                                                 // 13
      "\n"                                                                         // 14
      "✖ failing tests:\n"                                                         // 15
      "\n"                                                                         // 16
      "test at t2.test.js:3:1\n"                                                   // 17
      "✖ adds two numbers (11.660158ms)\n"                                        // 18
      "  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"  // 19
      "##[error]Process completed with exit code 1.\n";                            // 20
  loc = Locate(spec);
  ASSERT_TRUE(loc.Found());
  EXPECT_EQ(loc.block.first_line, 1);
}

TEST(LocatorTest, DifferentKindsOfFailureDoNotChain) {
  // mocha 10 (spec reporter): the progress line "1) name" and the summary's
  // "1 failing" are not one kind of line; the report after it is the block.
  const std::string log =
      "  socket\n"                                 // 1
      "    ✔ parses a file\n"                      // 2
      "    1) opens the socket\n"                  // 3
      "    ✔ closes the socket\n"                  // 4
      "\n"                                         // 5
      "\n"                                         // 6
      "  2 passing (99ms)\n"                       // 7
      "  1 failing\n"                              // 8
      "\n"                                         // 9
      "  1) socket\n"                              // 10
      "       opens the socket:\n"                 // 11
      "     Error: Timeout of 50ms exceeded. For async tests and hooks, ensure \"done()\" is called; if returning "
      "a Promise, ensure it resolves. (/tmp/tri/gen/m.spec.js)\n"  // 12
      "      at listOnTimeout (node:internal/timers:581:17)\n"     // 13
      "      at process.processTimers (node:internal/timers:519:7)\n"  // 14
      "The command \"npm test\" exited with 1.\n";                  // 15
  Location loc = Locate(log);
  ASSERT_TRUE(loc.Found());
  EXPECT_GE(loc.block.first_line, 8);
  EXPECT_TRUE(loc.InBlock(12));
}

TEST(LocatorTest, SectionBannersSplitBlocks) {
  // python3 -m pytest -q (realtools dev: py-pytest-assert.log): the failure's
  // section and the summary section are two blocks; a test named with "info"
  // or a section called "short test summary info" is not a log level.
  const std::string log =
      ".F.                                                                      [100%]\n"   // 1
      "=================================== FAILURES ===================================\n"  // 2
      "_____________________________ test_total_with_tax ______________________________\n"  // 3
      "\n"                                                                                  // 4
      "    def test_total_with_tax():\n"                                                    // 5
      ">       assert total([10, 20]) == 36.01\n"                                            // 6
      "E       assert 36.0 == 36.01\n"                                                      // 7
      "E        +  where 36.0 = total([10, 20])\n"                                          // 8
      "\n"                                                                                  // 9
      "tests/test_pricing.py:7: AssertionError\n"                                           // 10
      "=========================== short test summary info ============================\n"  // 11
      "FAILED tests/test_pricing.py::test_total_with_tax - assert 36.0 == 36.01\n"          // 12
      "1 failed, 2 passed in 0.03s\n"                                                       // 13
      "##[error]Process completed with exit code 1.\n";                                     // 14
  EXPECT_NE(ShapeOf("=========================== short test summary info ============================").role,
            R::kInfo);
  Location loc = Locate(log);
  ASSERT_TRUE(loc.Found());
  EXPECT_GE(loc.block.first_line, 11);  // the last block: the summary names the failure
  // python3 -m unittest -v: the test's docstring says "parameter info".
  EXPECT_NE(ShapeOf("Reflection keeps parameter info for optional flags ... FAIL").role, R::kInfo);
  // Levels where a level stands stay informational (npm --loglevel info,
  // python3 logging with and without a format).
  for (const char* line : {"npm info using npm@11.19.1", "2026-12-06 03:17:01,189 INFO worker started",
                           "DEBUG:urllib3:Starting new HTTPS connection (1): pypi.org:443"})
    EXPECT_EQ(ShapeOf(line).role, R::kInfo) << line;
}

TEST(ShapeTest, AssertionKeysAreNotAFeatureList) {
  // Test::More and node's assert print "key: value" lines that look like a
  // configure summary; an expected/actual pair is the failure's detail.
  EXPECT_EQ(ShapeOf("    expected: false").role, R::kFollow);
  EXPECT_EQ(ShapeOf("    actual: true").role, R::kFollow);
  EXPECT_EQ(ShapeOf("  POSIX ACL support:              \tyes").role, R::kInfo);
}

TEST(FailureMarkerTest, TheRunnersMarkerWhateverTheName) {
  EXPECT_EQ(FailureMarker("not ok 1 - adds two numbers"), FailureMarker("not ok 3 - joins two strings"));
  EXPECT_EQ(FailureMarker("✖ adds two numbers (11.660158ms)"), FailureMarker("✖ joins two strings (0.769429ms)"));
  EXPECT_EQ(FailureMarker("  1) socket"), FailureMarker("  12) socket"));  // mocha
  EXPECT_NE(FailureMarker("  1) socket"), FailureMarker("  1 failing"));
  // A message that starts with a word, and a path, have no marker.
  EXPECT_EQ(FailureMarker("AssertionError: expected 2 to equal 3"), "");
  EXPECT_EQ(FailureMarker("/usr/include/stdio.h:12:3: error: x"), "");
  EXPECT_EQ(FailureMarker("./src/a.py:3:1: F401 'os' imported but unused"), "");
}

// ---- summaries that report no failure (dev split, gen/cases_guards.py and cases_dev.py)

// ctest (CMake 3.25): a pass is not a block, even though its words say "tests failed".
TEST(LocateTest, CtestSummaryWithoutFailuresIsNoBlock) {
  const Location loc = Locate(
      "    Start 1: netio_test\n"
      "1/1 Test #1: netio_test .......................   Passed    0.03 sec\n"
      "\n"
      "100% tests passed, 0 tests failed out of 1\n"
      "\n"
      "Total Test time (real) =   0.03 sec\n");
  EXPECT_FALSE(loc.Found()) << loc.block.first_line;
}

// unittest -v (python3 3.11): "Ran 1 test" followed by the run's "OK".
TEST(LocateTest, UnittestRunSummaryBeforeOkIsNoBlock) {
  const Location loc = Locate(
      "test_serves_cache_when_the_server_is_down (test_client.FetchTest.test_serves_cache_when_the_server_is_down) ... ok\n"
      "\n"
      "----------------------------------------------------------------------\n"
      "Ran 1 test in 0.003s\n"
      "\n"
      "OK\n");
  EXPECT_FALSE(loc.Found()) << loc.block.first_line;
}

// pytest -rs (7.2.1): the short summary's banner over SKIPPED entries only.
TEST(LocateTest, PytestShortSummaryOfSkipsIsNoBlock) {
  const Location loc = Locate(
      "tests/test_net.py::test_out_of_memory_guard PASSED                        [100%]\n"
      "\n"
      "=========================== short test summary info ============================\n"
      "SKIPPED [1] tests/test_net.py:9: Segfault in libfoo 1.2 (upstream bug #4411)\n"
      "========================= 3 passed, 1 skipped in 0.02s =========================\n");
  EXPECT_FALSE(loc.Found()) << loc.block.first_line;
}

// A port before "failed," is not a count of failed tests (python3 logging, unittest -v).
TEST(ShapeTest, AnAddressBeforeFailedIsNoSummary) {
  EXPECT_NE(ShapeOf("ERROR:client:fetch from 127.0.0.1:32829 failed, serving the cached copy").role, R::kSummary);
  EXPECT_EQ(ShapeOf("========================= 1 failed, 3 passed in 0.08s ==========================").role,
            R::kSummary);
}

// A cause printed by a test that then passed is not the block: the failing test after it is (gtest 1.12).
TEST(LocateTest, CauseInsidePassingTestIsNotTheBlock) {
  const Location loc = Locate(
      "[ RUN      ] Net.ConnectionRefusedIsRetried\n"
      "connect: Connection refused\n"
      "[       OK ] Net.ConnectionRefusedIsRetried (0 ms)\n"
      "[ RUN      ] Batch.Sums\n"
      "/home/ci/work/guard-cpp-gtest-next-to-failure/netio_test.cc:37: Failure\n"
      "Expected equality of these values:\n"
      "  3 + 4\n"
      "    Which is: 7\n"
      "  8\n"
      "[  FAILED  ] Batch.Sums (0 ms)\n"
      "Build step 'Execute shell' marked build as failure\n");
  ASSERT_TRUE(loc.Found());
  EXPECT_GE(loc.block.first_line, 5);
  for (const LocatedLine& l : loc.block.lines) EXPECT_NE(l.shape.category, C::kNetworkError) << l.line;
}

// The last resort's uncaught exception (a traceback under an error line) is no
// crash when the test that printed it then passed: unittest -v logging a
// caught ConnectionRefusedError (real lines of the dev split's
// green-guard-py-unittest-logged-error.log). Without the context, the same
// block is a crash at the last resort's confidence.
TEST(LocatorTest, AnUncaughtLookingTracebackOfATestThatPassedIsNoCrash) {
  const std::string log =
      "test_serves_cache_when_the_server_is_down (test_client.FetchTest.test_serves_cache_when_the_server_is_down) "
      "... ERROR:client:fetch failed, serving the cached copy\n"
      "Traceback (most recent call last):\n"
      "  File \"/home/ci/work/svc/test_client.py\", line 16, in fetch\n"
      "    socket.create_connection((\"127.0.0.1\", port), timeout=2)\n"
      "  File \"/usr/lib/python3.11/socket.py\", line 851, in create_connection\n"
      "    raise exceptions[0]\n"
      "  File \"/usr/lib/python3.11/socket.py\", line 836, in create_connection\n"
      "    sock.connect(sa)\n"
      "ConnectionRefusedError: [Errno 111] Connection refused\n"
      "ok\n"
      "\n"
      "----------------------------------------------------------------------\n"
      "Ran 1 test in 0.003s\n"
      "\n"
      "OK\n";
  FailureContext context(log);
  Location loc = Locate(log, nullptr, &context);
  ASSERT_TRUE(loc.Found());
  EXPECT_NE(ClassifyBlock(loc, log, &context).category, C::kCrash);
  // The guard is what keeps it out: the same block without the context.
  Location bare = Locate(log);
  ASSERT_TRUE(bare.Found());
  EXPECT_EQ(ClassifyBlock(bare, log).category, C::kCrash);
}

}  // namespace
}  // namespace sentinel::triage
