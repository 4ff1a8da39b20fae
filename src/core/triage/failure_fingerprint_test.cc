// Stability of failure fingerprints: the same failure reproduced with other
// timestamps, temp dirs, ports, durations, addresses and pids gets one
// fingerprint; two different failures in the same step get two.
#include "core/triage/failure_fingerprint.h"

#include <gtest/gtest.h>

#include "core/triage/triage.h"
#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

std::string Fp(const std::string& log, std::optional<int> exit_code = 1, std::vector<TestCaseResult> tests = {}) {
  TriageInput in;
  in.log = log;
  in.step.exit_code = exit_code;
  in.tests = std::move(tests);
  return Triage(testing::RealKb(), in).failure.fingerprint;
}

std::string Pytest(const std::string& ts, const std::string& tmp, const std::string& dur, const std::string& left,
                   const std::string& right, const std::string& test = "test_add") {
  return ts + " Sentinel worker w-3 picked run 812\n" + ts + " $ pytest\n" +
         "============================= test session starts ==============================\n"
         "rootdir: " + tmp + "\ncollected 3 items\n\ntests/test_math.py .F.    [100%]\n\n"
         "=================================== FAILURES ===================================\n"
         "__________________________________ " + test + " ___________________________________\n\n"
         "    def " + test + "():\n>       assert add(" + left + ") == " + right + "\n"
         "E       assert " + left + " == " + right + "\n\n"
         "tests/test_math.py:8: AssertionError\n"
         "FAILED tests/test_math.py::" + test + " - assert " + left + " == " + right + "\n"
         "========================= 1 failed, 2 passed in " + dur + " =========================\n";
}

TEST(FailureFingerprintTest, SameTestFailureAcrossRunsIsStable) {
  std::string a = Fp(Pytest("2026-11-27T10:00:01.123Z", "/tmp/ci-ws-abc123", "0.12s", "201", "202"));
  std::string b = Fp(Pytest("2026-12-01T23:59:59.999Z", "/tmp/ci-ws-zz9911", "3.50s", "201", "202"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 16u);
}

TEST(FailureFingerprintTest, DifferentFailureInTheSameTestDiffers) {
  std::string a = Fp(Pytest("t", "/tmp/a", "0.1s", "x", "y"));
  std::string b = Fp(Pytest("t", "/tmp/a", "0.1s", "x", "None"));
  EXPECT_NE(a, b);
  std::string other_test = Fp(Pytest("t", "/tmp/a", "0.1s", "x", "y", "test_sub"));
  EXPECT_NE(a, other_test);
}

TEST(FailureFingerprintTest, ConnectionRefusedOnAnotherPortAndPidIsTheSame) {
  auto log = [](const std::string& pid, const std::string& port, const std::string& addr) {
    return "[" + pid + "] connecting to 127.0.0.1:" + port + "\n" +
           "Traceback (most recent call last):\n  File \"/tmp/ws-" + pid + "/client.py\", line 4, in <module>\n"
           "ConnectionRefusedError: [Errno 111] Connection refused (object at " + addr + ")\n";
  };
  EXPECT_EQ(Fp(log("4242", "5432", "0x7f3c2a1b2c10")), Fp(log("99", "61234", "0x55d0aa00ff00")));
}

TEST(FailureFingerprintTest, CrashWithOtherPidsAndAddressesIsTheSame) {
  auto log = [](const std::string& pid, const std::string& addr) {
    return "=================================================================\n==" + pid +
           "==ERROR: AddressSanitizer: heap-buffer-overflow on address " + addr + " at pc 0x55d0 bp 0x7ffc sp 0x7ffc\n"
           "READ of size 4 at " + addr + " thread T0\n";
  };
  EXPECT_EQ(Fp(log("4242", "0x602000000014")), Fp(log("17", "0x6020000000f4")));
  // A different sanitizer finding is a different failure.
  std::string uaf = "==17==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020000000f4 at pc 0x1\n";
  EXPECT_NE(Fp(log("17", "0x6020000000f4")), Fp(uaf));
}

TEST(FailureFingerprintTest, CompileErrorInAnotherWorkspaceIsTheSameOtherErrorDiffers) {
  auto log = [](const std::string& ws, const std::string& msg) {
    return "[ 33%] Building CXX object CMakeFiles/app.dir/src/main.cc.o\n" + ws +
           "/src/main.cc:5:3: error: " + msg + "\nmake[2]: *** [CMakeFiles/app.dir/build.make:76: main.cc.o] Error 1\n";
  };
  std::string a = Fp(log("/tmp/ci-ws-1a2b3c", "'undeclared_fn' was not declared in this scope"));
  std::string b = Fp(log("/home/runner/work/app/app", "'undeclared_fn' was not declared in this scope"));
  std::string c = Fp(log("/tmp/ci-ws-1a2b3c", "'other_fn' was not declared in this scope"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(FailureFingerprintTest, DnsToAnotherHostDiffersSameHostAtOtherTimesIsTheSame) {
  auto log = [](const std::string& when, const std::string& host) {
    return when + " + curl -fsSL https://" + host + "/tool.tgz\n" + when + " curl: (6) Could not resolve host: " + host + "\n";
  };
  EXPECT_EQ(Fp(log("2026-11-27T10:00:00Z", "downloads.example.invalid")),
            Fp(log("2026-11-28T11:11:11Z", "downloads.example.invalid")));
  EXPECT_NE(Fp(log("t", "downloads.example.invalid")), Fp(log("t", "mirror.other.invalid")));
}

TEST(FailureFingerprintTest, JUnitFailuresIdentifyTheFailure) {
  auto tc = [](std::string name, std::string msg) {
    TestCaseResult t;
    t.suite = "pytest";
    t.class_name = "tests.test_math";
    t.name = std::move(name);
    t.outcome = TestOutcome::kFailed;
    t.message = std::move(msg);
    return t;
  };
  std::string log = "some output\nexit\n";
  std::string a = Fp(log, 1, {tc("test_add", "assert 3 == 4")});
  std::string b = Fp(log, 1, {tc("test_add", "assert 3 == 4")});
  std::string c = Fp(log, 1, {tc("test_add", "KeyError: 'db'")});
  std::string d = Fp(log, 1, {tc("test_sub", "assert 3 == 4")});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
}

TEST(FailureFingerprintTest, FingerprintTextIsCanonical) {
  FingerprintParts p;
  p.signature = "pytest-failure";
  p.test_ids = {"b::t", "a::t", "a::t"};
  FingerprintParts q = p;
  q.test_ids = {"a::t", "b::t"};
  EXPECT_EQ(FingerprintText(p), FingerprintText(q));
  EXPECT_EQ(FailureFingerprint(p), FailureFingerprint(q));
  // The exit reason only identifies a failure that nothing else identifies.
  FingerprintParts r = p;
  r.exit_reason = "exit 3";
  EXPECT_EQ(FingerprintText(p), FingerprintText(r));
  FingerprintParts bare;
  bare.exit_reason = "exit 3";
  FingerprintParts bare2;
  bare2.exit_reason = "exit 4";
  EXPECT_NE(FailureFingerprint(bare), FailureFingerprint(bare2));
}

// A test's assertion message carries the values of the run (which rule was
// missing this time); its shape identifies the failure. Real output: pytest
// 7.2.1 (Debian 12), the same test failing on two commits with another value.
TEST(FailureFingerprintTest, TheSameAssertionWithOtherValuesIsTheSameFailure) {
  const std::string real =
      "$ python3 -m pytest -q tests\n"
      "F                                                                        [100%]\n"
      "=================================== FAILURES ===================================\n"
      "_________________________ test_readme_lists_every_rule _________________________\n"
      "\n"
      "    def test_readme_lists_every_rule():\n"
      "        for rule in RULES:\n"
      ">           assert rule in README, 'Missing rule \"{}\" in README.md'.format(rule)\n"
      "E           AssertionError: Missing rule \"git_push_force\" in README.md\n"
      "E           assert 'git_push_force' in '# Rules\\n- git_push\\n'\n"
      "\n"
      "tests/test_readme.py:6: AssertionError\n"
      "=========================== short test summary info ============================\n"
      "FAILED tests/test_readme.py::test_readme_lists_every_rule - AssertionError: M...\n"
      "1 failed in 0.08s\n"
      "The command \"python3 -m pytest -q tests\" exited with 1.\n";
  auto with = [&](const std::string& rule) {
    std::string l = real;
    const std::string needle = "git_push_force";
    for (std::size_t at = l.find(needle); at != std::string::npos; at = l.find(needle, at + rule.size()))
      l.replace(at, needle.size(), rule);
    return l;
  };
  const std::string a = Fp(with("git_push_force")), b = Fp(with("docker_login"));
  EXPECT_EQ(a, b);
  // Another assertion of the same test is another failure.
  std::string other = with("git_push_force");
  other.replace(other.find("AssertionError: Missing rule"), 28, "AssertionError: Unknown rule");
  EXPECT_NE(a, Fp(other));
}

}  // namespace
}  // namespace sentinel::triage
