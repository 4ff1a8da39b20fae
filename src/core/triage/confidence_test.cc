#include "core/triage/confidence.h"

#include <gtest/gtest.h>

namespace sentinel::triage {
namespace {

ConfidenceInputs Base(FailureCategory c) {
  ConfidenceInputs in;
  in.category = c;
  in.base = 0.8;
  return in;
}

TEST(ConfidenceTest, AgreeingSignalsRaiseItDisagreeingOnesLowerIt) {
  ConfidenceInputs plain = Base(FailureCategory::kOutOfMemory);
  ConfidenceInputs agree = plain;
  agree.exit_code = 137;
  EXPECT_GT(Confidence(agree), Confidence(plain));
  ConfidenceInputs green = plain;
  green.exit_code = 0;
  EXPECT_LT(Confidence(green), Confidence(plain) / 2);

  ConfidenceInputs tests = Base(FailureCategory::kTestFailure);
  ConfidenceInputs report_agrees = tests;
  report_agrees.junit_failed = 2;
  ConfidenceInputs report_disagrees = tests;
  report_disagrees.junit_failed = 0;
  EXPECT_GT(Confidence(report_agrees), Confidence(tests));
  EXPECT_LT(Confidence(report_disagrees), Confidence(tests));
}

TEST(ConfidenceTest, SpecificityCascadeAndHistory) {
  ConfidenceInputs in = Base(FailureCategory::kCompilationError);
  ConfidenceInputs specific = in;
  specific.distinct_patterns = 3;
  specific.has_captures = true;
  EXPECT_GT(Confidence(specific), Confidence(in));
  ConfidenceInputs cascade = in;
  cascade.cascade_only = true;
  EXPECT_LT(Confidence(cascade), Confidence(in));
  ConfidenceInputs seen = in;
  seen.cluster_occurrences = 10;
  EXPECT_GT(Confidence(seen), Confidence(in));
  ConfidenceInputs flaky = Base(FailureCategory::kTestFailure);
  flaky.known_flaky = true;
  EXPECT_LT(Confidence(flaky), Confidence(Base(FailureCategory::kTestFailure)));
}

TEST(ConfidenceTest, AlwaysStrictlyBetweenZeroAndOne) {
  ConfidenceInputs hi = Base(FailureCategory::kOutOfMemory);
  hi.base = 1.0;
  hi.distinct_patterns = 4;
  hi.hits = 10;
  hi.has_captures = true;
  hi.exit_code = 137;
  hi.cluster_occurrences = 1000;
  EXPECT_LE(Confidence(hi), 0.99);
  ConfidenceInputs lo = Base(FailureCategory::kTestFailure);
  lo.base = 0.01;
  lo.exit_code = 0;
  lo.cascade_only = true;
  EXPECT_GE(Confidence(lo), 0.05);
  EXPECT_LT(UnknownConfidence(1), 0.3);
  EXPECT_LE(UnknownConfidence(std::nullopt), UnknownConfidence(1));
}

TEST(ConfidenceTest, ExitCodesThatMatchTheirCategory) {
  EXPECT_TRUE(ExitCodeAgrees(FailureCategory::kOutOfMemory, 137));
  EXPECT_TRUE(ExitCodeAgrees(FailureCategory::kCrash, 139));
  EXPECT_TRUE(ExitCodeAgrees(FailureCategory::kTimeout, 124));
  EXPECT_TRUE(ExitCodeAgrees(FailureCategory::kConfigError, 127));
  EXPECT_FALSE(ExitCodeAgrees(FailureCategory::kTestFailure, 1));
  EXPECT_FALSE(ExitCodeAgrees(FailureCategory::kCrash, -9));
}

}  // namespace
}  // namespace sentinel::triage
