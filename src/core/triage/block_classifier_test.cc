// The block lexicon (block_classifier.h): well-known messages of interpreters,
// runtimes and package managers name the category of a block that no line
// shape and no signature names. Every log here is real output of the tool
// (Debian 12 packages), wrapped the way a CI service prints a failed command.
#include "core/triage/block_classifier.h"

#include <gtest/gtest.h>

#include "core/triage/triage.h"
#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

TriageResult TriageLog(std::string_view log) {
  TriageInput in;
  in.log = log;
  in.step.exit_code = 1;
  return Triage(testing::RealKb(), in);
}

// perl 5.36 (Debian 12), as a CI job prints it.
TEST(BlockLexiconTest, PerlModuleNotInIncIsADependencyError) {
  TriageResult r = TriageLog(
      "$ perl -e 'use JSON::Tiny::Missing; print 1'\n"
      "Can't locate JSON/Tiny/Missing.pm in @INC (you may need to install the JSON::Tiny::Missing module) (@INC contains: /etc/perl /usr/local/lib/x86_64-linux-gnu/perl/5.36.0 /usr/local/share/perl/5.36.0 /usr/lib/x86_64-linux-gnu/perl5/5.36 /usr/share/perl5 /usr/lib/x86_64-linux-gnu/perl-base /usr/lib/x86_64-linux-gnu/perl/5.36 /usr/share/perl/5.36 /usr/local/lib/site_perl) at -e line 1.\n"
      "BEGIN failed--compilation aborted at -e line 1.\n"
      "The command \"perl -e 'use JSON::Tiny::Missing; print 1'\" exited with 2.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kDependencyError) << r.failure.signature << " " << r.failure.title;
  EXPECT_LT(r.failure.confidence, 0.9);
}

// Lua 5.1 (Debian 12): the line names the cause. (The locator's block of this
// log is the "stack traceback:" after the "no file" list, without it.)
TEST(BlockLexiconTest, LuaModuleNotFoundIsADependencyError) {
  EXPECT_EQ(LexiconCategory("lua: (command line):1: module 'lpeg_missing' not found:"),
            FailureCategory::kDependencyError);
}

// ruby 3.1 (Debian 12), as a CI job prints it.
TEST(BlockLexiconTest, RubySyntaxErrorIsACompilationError) {
  TriageResult r = TriageLog(
      "$ ruby -c broken.rb\n"
      "broken.rb:2: syntax error, unexpected end-of-input, expecting `end'\n"
      "  a + b\n"
      "       ^\n"
      "The command \"ruby -c broken.rb\" exited with 1.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kCompilationError) << r.failure.signature << " " << r.failure.title;
  EXPECT_LT(r.failure.confidence, 0.9);
}

// PHP 8.2 (Debian 12), as a CI job prints it.
TEST(BlockLexiconTest, PhpMemoryLimitIsOutOfMemory) {
  TriageResult r = TriageLog(
      "$ php -d memory_limit=4M -r ...\n"
      "PHP Fatal error:  Allowed memory size of 4194304 bytes exhausted (tried to allocate 8392704 bytes) in Command line code on line 1\n"
      "The command \"php -d memory_limit=4M -r ...\" exited with 255.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kOutOfMemory) << r.failure.signature << " " << r.failure.title;
  EXPECT_LT(r.failure.confidence, 0.9);
}

// Root cause over symptom: tests that fail because a class compiled against
// one version of a library meets another at run time fail for a dependency.
// Real output: OpenJDK 17, a caller compiled against Lib.twice(int), run
// against a Lib rebuilt with twice(long), framed as Surefire 2.x reports a
// test in error (the framing is Surefire's format, not a run here).
TEST(BlockLexiconTest, ALinkageErrorUnderFailingTestsIsADependencyError) {
  TriageResult r = TriageLog(
      "$ mvn test\n"
      "Running AppTest\n"
      "Tests run: 1, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 0.02 sec <<< FAILURE!\n"
      "callsTwice(AppTest)  Time elapsed: 0.01 sec  <<< ERROR!\n"
      "java.lang.NoSuchMethodError: 'int Lib.twice(int)'\n"
      "\tat App.main(App.java:1)\n"
      "\n"
      "\n"
      "Results :\n"
      "\n"
      "Tests in error: \n"
      "  AppTest.callsTwice:1 NoSuchMethodError\n"
      "\n"
      "Tests run: 1, Failures: 0, Errors: 1, Skipped: 0\n"
      "The command \"mvn test\" exited with 1.\n");
  EXPECT_EQ(r.failure.category, FailureCategory::kDependencyError) << r.failure.signature;
}

TEST(BlockLexiconTest, LinesOfOtherKindsHaveNoLexiconCategory) {
  EXPECT_EQ(LexiconCategory("Tests run: 3, Failures: 1"), FailureCategory::kUnknown);
  EXPECT_EQ(LexiconCategory("  a + b"), FailureCategory::kUnknown);
  EXPECT_EQ(LexiconCategory("checking for a syntax highlighter... found"), FailureCategory::kUnknown);
}

}  // namespace
}  // namespace sentinel::triage

namespace sentinel::triage {
namespace {

// Passing logs of real tools (tests/data/realtools/green, dev split): a test
// named after a failure ("reports ECONNREFUSED as retryable", node 20's TAP
// "# Subtest:") or skipped for one (pytest's "test_libfoo_segfault SKIPPED
// (Segfault in libfoo ...)") matches no signature.
TEST(SignatureGuardTest, TestNamesAndSkipReasonsOfPassingLogsMatchNoSignature) {
  for (const char* file : {"tests/data/realtools/green/green-node-test.log", "tests/data/realtools/green/green-py-pytest.log"}) {
    const std::string log = testing::ReadSourceFile(file);
    ASSERT_FALSE(log.empty()) << file;
    TriageInput in;
    in.log = log;
    TriageResult r = Triage(testing::RealKb(), in);
    EXPECT_TRUE(r.matched_signatures.empty()) << file << ": " << r.matched_signatures.front();
  }
  EXPECT_TRUE(ATestNameLine("# Subtest: reports ECONNREFUSED as retryable"));
  EXPECT_FALSE(ATestNameLine("not ok 1 - reports ECONNREFUSED as retryable"));
  EXPECT_FALSE(ATestNameLine("FAILED tests/test_net.py::test_connect - ConnectionRefusedError: [Errno 111]"));
}

}  // namespace
}  // namespace sentinel::triage

namespace sentinel::triage {
namespace {

// The block's shapes do not take a test's name for its failure either: the
// passing node 20 TAP log's "# Subtest: reports ECONNREFUSED as retryable"
// gives no network_error.
TEST(SignatureGuardTest, ATestsNameInTheBlockIsNotItsFailure) {
  const std::string log = testing::ReadSourceFile("tests/data/realtools/green/green-node-test.log");
  ASSERT_FALSE(log.empty());
  TriageInput in;
  in.log = log;
  TriageResult r = Triage(testing::RealKb(), in);
  EXPECT_NE(r.failure.category, FailureCategory::kNetworkError) << r.failure.title;
}

}  // namespace
}  // namespace sentinel::triage
