#include "core/flaky/flaky.h"

#include <sstream>

#include <gtest/gtest.h>

namespace sentinel::flaky {
namespace {

// A history from a compact spec: space-separated tokens "<commit><outcome>[/<signature>]",
// outcome P pass, F fail, R fail then pass on retry, I infrastructure failure (network_dns),
// T whole-run timeout, M failure in a mass-failure run. Runs are numbered from 1.
std::vector<RunResult> H(const std::string& spec) {
  std::vector<RunResult> out;
  std::istringstream in(spec);
  std::string tok;
  int n = 0;
  while (in >> tok) {
    RunResult r;
    r.run = std::to_string(++n);
    const auto slash = tok.find('/');
    const std::string head = tok.substr(0, slash);
    r.commit = head.substr(0, head.size() - 1);
    const char o = head.back();
    r.signature = slash == std::string::npos ? (o == 'P' ? "" : "sig") : tok.substr(slash + 1);
    switch (o) {
      case 'P':
        break;
      case 'F':
        r.failed = true;
        break;
      case 'R':
        r.passed_on_retry = true;
        r.attempts = 2;
        break;
      case 'I':
        r.failed = true;
        r.category = FailureCategory::kNetworkDns;
        break;
      case 'T':
        r.failed = true;
        r.category = FailureCategory::kTimeout;
        break;
      case 'M':
        r.failed = true;
        r.mass_failure = true;
        break;
      default:
        ADD_FAILURE() << "bad token " << tok;
    }
    out.push_back(r);
  }
  return out;
}

// n tokens "<commit><o>" on distinct commits c<start>, c<start+1>, ...
std::string Distinct(const std::string& outcomes, int start = 0) {
  std::string s;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (!s.empty()) s += ' ';
    s += "c" + std::to_string(start + static_cast<int>(i)) + outcomes[i];
  }
  return s;
}

std::string Repeat(const std::string& token, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (s.empty() ? "" : " ") + token;
  return s;
}

struct Case {
  const char* name;
  std::string history;
  Classification want;
  FlakyConfig config = {};
};

void Check(const Case& c) {
  SCOPED_TRACE(std::string(c.name) + ": " + c.history);
  const TestVerdict v = ClassifyTest(H(c.history), c.config);
  EXPECT_EQ(Name(v.test.classification), Name(c.want)) << v.test.reason;
  EXPECT_FALSE(v.test.reason.empty());
}

TEST(FlakyDetectorTest, MinRunsBoundary) {
  // Both outcomes on one commit twice over: flaky, once the sample reaches flaky.min_runs (5).
  for (const Case& c : {
           Case{"one below min_runs", "aP aF aP aF", Classification::kInsufficient},
           Case{"at min_runs", "aP aF aP aF aP", Classification::kFlaky},
           Case{"above min_runs", "aP aF aP aF aP aP", Classification::kFlaky},
           Case{"stable below min_runs", "aP aP aP aP", Classification::kInsufficient},
           Case{"stable at min_runs", "aP aP aP aP aP", Classification::kStable},
       })
    Check(c);
}

TEST(FlakyDetectorTest, MinFailuresBoundary) {
  // One failure among passes on the same commit is one flip, not flakiness (flaky.min_failures = 2).
  for (const Case& c : {
           Case{"one below", "aP aP aF aP aP aP", Classification::kStable},
           Case{"at", "aP aF aP aF aP aP", Classification::kFlaky},
           Case{"above", "aF aP aF aP aF aP", Classification::kFlaky},
       })
    Check(c);
}

TEST(FlakyDetectorTest, FailingStreakBoundary) {
  // Failures in a row at the end on the commit that also passed: flaky below the streak, failing from it.
  for (const Case& c : {
           Case{"one below", "aP aP aP aP aP aF aF", Classification::kFlaky},
           Case{"at", "aP aP aP aP aP aF aF aF", Classification::kFailing},
           Case{"above", "aP aP aP aP aP aF aF aF aF", Classification::kFailing},
           // The streak is the sample: three failures in a row are failing even below min_runs.
           Case{"streak below min_runs", "aF aF aF", Classification::kFailing},
           Case{"short streak below min_runs", "aF aF", Classification::kInsufficient},
       })
    Check(c);
}

TEST(FlakyDetectorTest, FlipsBoundaryOnDistinctCommits) {
  // Each run on its own commit: no same-commit evidence, so only flips (flaky.min_flips = 4) can show flakiness.
  for (const Case& c : {
           Case{"3 flips", Distinct("FPFPPPPPPP"), Classification::kStable},
           Case{"4 flips", Distinct("PFPFPPPPPP"), Classification::kFlaky},
           Case{"5 flips", Distinct("FPFPFPPPPP"), Classification::kFlaky},
       })
    Check(c);
  const WindowStats st = ComputeStats(H(Distinct("PFPFPPPPPP")), FlakyConfig{});
  EXPECT_EQ(st.flips, 4);
  EXPECT_EQ(st.failures, 2);
  EXPECT_TRUE(st.both_outcome_commits.empty());
}

TEST(FlakyDetectorTest, MinRatioBoundary) {
  // Flip evidence needs a failure ratio strictly above flaky.min_ratio (0.05): 2 failures in 39, 40, 41 runs.
  FlakyConfig config;
  config.window = 100;
  auto history = [](int runs) { return Distinct("PFPFP" + std::string(runs - 5, 'P')); };
  Check({"ratio above min", history(39), Classification::kFlaky, config});
  Check({"ratio at min", history(40), Classification::kStable, config});
  Check({"ratio below min", history(41), Classification::kStable, config});
  EXPECT_DOUBLE_EQ(ComputeStats(H(history(40)), config).failure_ratio, 0.05);
}

TEST(FlakyDetectorTest, FailingRatioBoundary) {
  // A failure ratio at or above flaky.failing_ratio (0.95) is failing even with a pass at the end:
  // 56, 57, 58 failures followed by P F P F P (distinct commits: flips are the only evidence).
  FlakyConfig config;
  config.window = 100;
  auto history = [](int failures) { return Distinct(std::string(failures - 2, 'F') + "PFPFP"); };
  Check({"ratio below failing", history(56), Classification::kFlaky, config});
  Check({"ratio at failing", history(57), Classification::kFailing, config});
  Check({"ratio above failing", history(58), Classification::kFailing, config});
  EXPECT_DOUBLE_EQ(ComputeStats(H(history(57)), config).failure_ratio, 0.95);
}

TEST(FlakyDetectorTest, RegressionIsFailingNeverFlaky) {
  for (const Case& c : {
           // Passes on old commits, fails on every run of the new one: failing after a single run.
           Case{"one run on the new commit", "aP aP aP aP aP bF", Classification::kFailing},
           Case{"two runs on the new commit", "aP aP aP aP aP bF bF", Classification::kFailing},
           // However many runs: 25 passes and many flips before do not make it flaky.
           Case{"long flaky past, then a regression",
                Repeat("aP aF", 12) + " bP bP cF cF", Classification::kFailing},
           Case{"over two new commits", "aP aP aP aP aP bF cF", Classification::kFailing},
           // The new commit also passed: not a regression but flakiness.
           Case{"new commit passed too", "aP aP aP aP aP bP bF bP bF", Classification::kFlaky},
           // Fixed: the last run passed again on the new commit.
           Case{"fixed", "aP aP aP aP aP bF cP", Classification::kStable},
       })
    Check(c);
  const TestVerdict v = ClassifyTest(H("aP aP aP aP aP bF bF"), FlakyConfig{});
  EXPECT_EQ(v.test.stats.streak.length, 2);
  EXPECT_EQ(v.test.stats.streak.first_failing_commit, "b");
  EXPECT_EQ(v.test.stats.streak.first_failing_run, "6");
  EXPECT_EQ(v.test.stats.streak.last_passing_commit, "a");
  EXPECT_EQ(v.test.stats.streak.last_passing_run, "5");
  EXPECT_TRUE(v.test.stats.streak.regression);
}

TEST(FlakyDetectorTest, InfrastructureFailuresDoNotCount) {
  // The same schedule, with the failures real (flaky) and infrastructure-class (not counted).
  for (const Case& c : {
           Case{"real failures", "aP aF aP aF aP aF aP", Classification::kFlaky},
           Case{"dns failures", "aP aI aP aI aP aI aP aP", Classification::kStable},
           Case{"whole-run timeouts", "aP aT aP aT aP aT aP aP", Classification::kStable},
           Case{"mass failures", "aP aM aP aM aP aM aP aP", Classification::kStable},
           // Infrastructure failures in a row are no failing streak either.
           Case{"dns streak", "aP aP aP aP aP aI aI aI", Classification::kStable},
           // Excluded runs do not count toward the sample.
           Case{"dns below min runs", "aP aI aP aI aP aI aP", Classification::kInsufficient},
       })
    Check(c);
  const WindowStats st = ComputeStats(H("aP aI aP aT aP aM aP aP"), FlakyConfig{});
  EXPECT_EQ(st.runs, 5);
  EXPECT_EQ(st.failures, 0);
  EXPECT_EQ(st.flips, 0);
  EXPECT_EQ(st.infrastructure_failures, 3);
  EXPECT_EQ(st.infrastructure_runs, (std::vector<std::string>{"2", "4", "6"}));
}

TEST(FlakyDetectorTest, PassOnRetryIsEvidence) {
  for (const Case& c : {
           Case{"one retry pass", "aP aP aR aP aP aP", Classification::kStable},
           Case{"two retry passes", "aP aR aP aP aR aP", Classification::kFlaky},
           // Distinct commits: no other evidence than the retries.
           Case{"retries on distinct commits", Distinct("PRPPRP"), Classification::kFlaky},
       })
    Check(c);
  const WindowStats st = ComputeStats(H("aP aR aP aP aR aP"), FlakyConfig{});
  EXPECT_EQ(st.retry_passes, 2);
  EXPECT_EQ(st.failures, 0);
  EXPECT_EQ(st.passes, 6);
  EXPECT_EQ(st.retry_pass_runs, (std::vector<std::string>{"2", "5"}));
  EXPECT_EQ(st.last_failing_run, "5");
}

TEST(FlakyDetectorTest, StatsOfAWindow) {
  FlakyConfig config;
  config.window = 6;
  // The first two runs fall out of the window of 6.
  const WindowStats st = ComputeStats(H("xF xF aP aF bP bF bP cP"), config);
  EXPECT_EQ(st.window, 6);
  EXPECT_EQ(st.runs, 6);
  EXPECT_EQ(st.passes, 4);
  EXPECT_EQ(st.failures, 2);
  EXPECT_DOUBLE_EQ(st.failure_ratio, 2.0 / 6);
  EXPECT_EQ(st.flips, 4);
  EXPECT_EQ(st.both_outcome_commits, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(st.commits, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(st.failing_runs, (std::vector<std::string>{"4", "6"}));
  EXPECT_EQ(st.last_failing_run, "6");
  EXPECT_EQ(st.streak.length, 0);
}

TEST(FlakyDetectorTest, VerdictPerSignature) {
  // Flaky with signature x; then a new signature y on the newest run: a new, deterministic failure.
  const TestVerdict v = ClassifyTest(H("aP aF/x aP aF/x aP aP aF/y"), FlakyConfig{});
  EXPECT_EQ(v.test.classification, Classification::kFlaky);
  ASSERT_EQ(v.signatures.size(), 2u);
  EXPECT_EQ(v.signatures[0].signature, "x");
  EXPECT_EQ(v.signatures[0].verdict.classification, Classification::kFlaky);
  EXPECT_EQ(v.signatures[1].signature, "y");
  EXPECT_EQ(v.signatures[1].verdict.classification, Classification::kFailing);
  EXPECT_TRUE(v.IsFlakyFor("x"));
  EXPECT_FALSE(v.IsFlakyFor("y"));
  EXPECT_FALSE(v.IsFlakyFor("never-seen"));
  // Signature x's window leaves out y's run: 6 runs, 2 failures.
  EXPECT_EQ(v.signatures[0].verdict.stats.runs, 6);
  EXPECT_EQ(v.signatures[0].verdict.stats.failures, 2);

  // y keeps failing: the test is failing, and x is still the flaky one.
  const TestVerdict w = ClassifyTest(H("aP aF/x aP aF/x aP aP aF/y aF/y aF/y"), FlakyConfig{});
  EXPECT_EQ(w.test.classification, Classification::kFailing);
  EXPECT_TRUE(w.IsFlakyFor("x"));
  EXPECT_EQ(w.ForSignature("y")->classification, Classification::kFailing);

  // Two signatures alternating, each once: neither is a known flake yet.
  const TestVerdict u = ClassifyTest(H("aP aF/x aP aF/y aP aP"), FlakyConfig{});
  EXPECT_EQ(u.test.classification, Classification::kFlaky);
  EXPECT_FALSE(u.IsFlakyFor("x"));
  EXPECT_FALSE(u.IsFlakyFor("y"));
}

TEST(FlakyDetectorTest, ScoreIsAJeffreysPosteriorWithItsInterval) {
  // Three runs and three hundred: the same mean, very different certainty.
  const Posterior few = JeffreysPosterior(1, 3);
  const Posterior many = JeffreysPosterior(100, 300);
  EXPECT_NEAR(few.mean, 1.5 / 4, 1e-12);
  EXPECT_NEAR(many.mean, 100.5 / 301, 1e-12);
  EXPECT_GT(few.high - few.low, 0.6);
  EXPECT_LT(many.high - many.low, 0.11);
  EXPECT_LT(many.low, many.mean);
  EXPECT_GT(many.high, many.mean);
  // Known quantiles: the Jeffreys interval for 0 of 10 is [~0.00005, ~0.217] (Brown, Cai, DasGupta 2001).
  const Posterior zero = JeffreysPosterior(0, 10);
  EXPECT_NEAR(zero.high, 0.217, 0.002);
  EXPECT_LT(zero.low, 0.001);
  // The incomplete beta: I_x(1,1) = x, symmetric case 0.5, and the inverse round-trips.
  EXPECT_NEAR(IncompleteBeta(1, 1, 0.3), 0.3, 1e-12);
  EXPECT_NEAR(IncompleteBeta(2.5, 2.5, 0.5), 0.5, 1e-12);
  EXPECT_NEAR(IncompleteBeta(3.5, 7.5, InverseIncompleteBeta(3.5, 7.5, 0.9)), 0.9, 1e-9);
  // The verdict carries them; the score counts passes on retry as failures of a run.
  const Verdict v = ClassifyTest(H("aP aR aP aF aP aP"), FlakyConfig{}).test;
  EXPECT_NEAR(v.score, 2.5 / 7, 1e-12);
  EXPECT_LT(v.interval_low, v.score);
  EXPECT_GT(v.interval_high, v.score);
}

TEST(FlakyDetectorTest, MassFailureBoundary) {
  FlakyConfig c;  // more than half of at least 5 tests
  EXPECT_FALSE(IsMassFailure(3, 4, c));  // too few tests to tell
  EXPECT_TRUE(IsMassFailure(3, 5, c));
  EXPECT_FALSE(IsMassFailure(5, 10, c));  // half is not most
  EXPECT_TRUE(IsMassFailure(6, 10, c));
  EXPECT_FALSE(IsMassFailure(0, 10, c));
}

RunResult R(const std::string& run, bool failed, const std::string& signature = "") {
  RunResult r;
  r.run = run;
  r.commit = "a";
  r.failed = failed;
  r.signature = signature;
  return r;
}

TEST(FlakyDetectorTest, FoldsAttemptsOfOneRun) {
  TestWindow w(3);
  w.Add(R("1", true, "s"));
  w.Add(R("1", false));
  ASSERT_EQ(w.size(), 1u);
  RunResult r = w.Results()[0];
  EXPECT_FALSE(r.failed);
  EXPECT_TRUE(r.passed_on_retry);
  EXPECT_EQ(r.signature, "s");
  EXPECT_EQ(r.attempts, 2);
  for (int i = 2; i <= 5; ++i) w.Add(R(std::to_string(i), false));
  ASSERT_EQ(w.size(), 3u);  // bounded by the window
  EXPECT_EQ(w.Results().front().run, "3");
}

TEST(TestIdTest, NormalisesRetriesAndVolatilePartsButKeepsParameters) {
  struct IdCase {
    const char* suite;
    const char* class_name;
    const char* name;
    const char* want;
  } cases[] = {
      {"pytest", "tests.test_cart", "test_total", "pytest::tests.test_cart::test_total"},
      {"", "tests.test_cart", "test_total", "tests.test_cart::test_total"},
      {"", "", "test_total", "test_total"},
      // Parameterised variants are distinct tests.
      {"", "t", "test_x[1-2]", "t::test_x[1-2]"},
      {"", "t", "test_x[3-4]", "t::test_x[3-4]"},
      // Retry and rerun suffixes stay one test.
      {"", "t", "test_x (retry 1)", "t::test_x"},
      {"", "t", "test_x [attempt 2]", "t::test_x"},
      {"", "t", "test_x rerun #3", "t::test_x"},
      {"", "t", "test_x (retry 1) [attempt 2]", "t::test_x"},
      {"", "t", "test_x[1-2] (Retry 2 of 3)", "t::test_x[1-2]"},
      {"", "t", "flaky test - retry 2", "t::flaky test"},
      // JUnit 5 @RepeatedTest runs.
      {"", "t", "fetch() repetition 2 of 5", "t::fetch()"},
      {"", "t", "repetition 3 of 5", "t::repetition"},
      // Volatile parameter parts.
      {"", "t", "test_obj[<Foo at 0x7f3a2b1c9d40>]", "t::test_obj[<Foo at 0x?>]"},
      {"", "t", "test_id[123e4567-e89b-12d3-a456-426614174000]", "t::test_id[<uuid>]"},
      {"", "  t ", "test  spaced\tname ", "t::test spaced name"},
  };
  for (const IdCase& c : cases) EXPECT_EQ(NormalizeTestId(c.suite, c.class_name, c.name), c.want) << c.name;
  EXPECT_NE(NormalizeTestId("", "t", "test_x[1-2]"), NormalizeTestId("", "t", "test_x[3-4]"));
}

TEST(TestIdTest, FailureSignatureFollowsTheAssertionNotTheRun) {
  auto sig = [](const std::string& message, TestOutcome o = TestOutcome::kFailed) {
    TestCaseResult t;
    t.outcome = o;
    t.message = message;
    return TestFailureSignature(t);
  };
  EXPECT_EQ(sig("AssertionError: assert ['plum', 'pear'] == ['pear', 'plum']\n  at line 3"),
            sig("\nAssertionError: assert ['plum', 'pear'] == ['pear', 'plum']\n  at line 9"));
  EXPECT_EQ(sig("timed out after 1500 ms"), sig("timed out after 1700 ms"));
  EXPECT_NE(sig("AssertionError: assert 589 == 590"), sig("KeyError: 'apple'"));
  EXPECT_EQ(sig("AssertionError: x").size(), 16u);
  EXPECT_EQ(sig(""), "no-message");
  EXPECT_EQ(sig("", TestOutcome::kPassed), "");
}

TEST(ClassificationTest, NamesRoundTrip) {
  for (Classification c :
       {Classification::kFlaky, Classification::kFailing, Classification::kStable, Classification::kInsufficient})
    EXPECT_EQ(ParseClassification(Name(c)), c);
  EXPECT_FALSE(ParseClassification("weird").has_value());
  EXPECT_TRUE(IsInfrastructureCategory(FailureCategory::kNetworkDns));
  EXPECT_TRUE(IsInfrastructureCategory(FailureCategory::kOutOfMemory));
  EXPECT_TRUE(IsInfrastructureCategory(FailureCategory::kTimeout));
  EXPECT_FALSE(IsInfrastructureCategory(FailureCategory::kTestFailure));
  EXPECT_FALSE(IsInfrastructureCategory(FailureCategory::kCrash));
}

}  // namespace
}  // namespace sentinel::flaky
