#include "core/triage/signature_kb.h"

#include <set>

#include <gtest/gtest.h>

#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

std::string OneSig(const std::string& fields) {
  return "version: v1\nsignatures:\n  - " + fields + "\n";
}

TEST(SignatureKbTest, CompilesAMinimalKb) {
  Result<Kb> kb = Kb::Compile(OneSig(
      "{id: seg, category: crash, title: 'Crash in {prog}', hint: h, remediation: [r], patterns: ['(?P<prog>\\w+): Segmentation fault'], example: 'a: Segmentation fault'}"));
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_EQ(kb->version(), "v1");
  ASSERT_EQ(kb->signatures().size(), 1u);
  EXPECT_EQ(kb->signature(0).category, FailureCategory::kCrash);
  EXPECT_EQ(kb->pattern_count(), 1);
  EXPECT_EQ(kb->Find("seg"), 0);
  EXPECT_EQ(kb->Find("nope"), -1);
}

TEST(SignatureKbTest, RejectsBrokenEntriesNamingTheField) {
  struct Case {
    std::string yaml;
    std::string needle;
  } cases[] = {
      {OneSig("{category: crash, title: t, hint: h, remediation: [r], patterns: [x], example: x}"), "signatures[0].id"},
      {OneSig("{id: a, category: boom, title: t, hint: h, remediation: [r], patterns: [x], example: x}"), "'a'.category"},
      {OneSig("{id: a, category: unknown, title: t, hint: h, remediation: [r], patterns: [x], example: x}"), "'a'.category"},
      {OneSig("{id: a, category: crash, title: t, hint: h, remediation: [r], patterns: ['(unclosed'], example: x}"), "'a'.patterns[0]"},
      {OneSig("{id: a, category: crash, title: t, hint: h, remediation: [], patterns: [x], example: x}"), "'a'.remediation"},
      {OneSig("{id: a, category: crash, title: t, hint: h, remediation: [r], patterns: [x]}"), "'a'.example"},
      {OneSig("{id: a, category: crash, title: t, hint: h, remediation: [r], patterns: [x], example: x, prior: 1.5}"), "'a'.prior"},
      {"version: v\nsignatures:\n  - {id: a, category: crash, title: t, hint: h, remediation: [r], patterns: [x], example: x}\n"
       "  - {id: a, category: crash, title: t, hint: h, remediation: [r], patterns: [y], example: y}\n",
       "duplicate id"},
      {"signatures: []\n", "version"},
      {"version: v\nsignatures: [\n", "invalid YAML"},
      {"version: v\nexit_codes: {137: ghost}\nsignatures:\n  - {id: a, category: crash, title: t, hint: h, remediation: [r], patterns: [x], example: x}\n",
       "exit_codes.137"},
  };
  for (const Case& c : cases) {
    Result<Kb> kb = Kb::Compile(c.yaml);
    ASSERT_FALSE(kb) << c.yaml;
    EXPECT_EQ(kb.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(kb.error().message.find(c.needle), std::string::npos) << kb.error().message;
  }
}

TEST(SignatureKbTest, RealKbCoversEveryCategoryWithAtLeastSixtySignatures) {
  const Kb& kb = testing::RealKb();
  EXPECT_GE(kb.signatures().size(), 60u);
  EXPECT_FALSE(kb.version().empty());
  std::set<FailureCategory> covered;
  for (const Signature& s : kb.signatures()) {
    covered.insert(s.category);
    EXPECT_FALSE(s.hint.empty()) << s.id;
    EXPECT_FALSE(s.remediation.empty()) << s.id;
  }
  for (FailureCategory c : {FailureCategory::kTestFailure, FailureCategory::kCompilationError,
                            FailureCategory::kDependencyError, FailureCategory::kNetworkDns,
                            FailureCategory::kNetworkError, FailureCategory::kDiskFull, FailureCategory::kOutOfMemory,
                            FailureCategory::kTimeout, FailureCategory::kCrash, FailureCategory::kPermissionDenied,
                            FailureCategory::kConfigError, FailureCategory::kInfrastructure})
    EXPECT_TRUE(covered.count(c)) << Name(c);
  EXPECT_GE(kb.Find("sentinel-step-timeout"), 0);
  EXPECT_GE(kb.Find("sentinel-worker-lost"), 0);
  EXPECT_GE(kb.ForExitCode(137), 0);
  EXPECT_EQ(kb.ForExitCode(1), -1);
}

TEST(SignatureKbTest, BaseConfidenceShrinksMeasuredPrecisionTowardThePrior) {
  const std::string sig =
      "version: v\nsignatures:\n  - {id: a, category: crash, prior: 0.8, title: t, hint: h, remediation: [r], patterns: [x], example: x}\n";
  Result<Kb> unmeasured = Kb::Compile(sig);
  ASSERT_TRUE(unmeasured);
  EXPECT_DOUBLE_EQ(unmeasured->BaseConfidence(0), 0.8);
  Result<Kb> perfect = Kb::Compile(sig, "rules:\n  a: {fired: 8, tp: 8, fp: 0}\n");
  ASSERT_TRUE(perfect);
  EXPECT_DOUBLE_EQ(perfect->BaseConfidence(0), (8 + 1.6) / 10.0);
  Result<Kb> sloppy = Kb::Compile(sig, "rules:\n  a: {fired: 8, tp: 4, fp: 4}\n");
  ASSERT_TRUE(sloppy);
  EXPECT_LT(sloppy->BaseConfidence(0), perfect->BaseConfidence(0));
  EXPECT_DOUBLE_EQ(sloppy->BaseConfidence(0), (4 + 1.6) / 10.0);
}

TEST(SignatureKbTest, FillPlaceholdersQuotesCapturesAndTidiesMissingOnes) {
  EXPECT_EQ(FillPlaceholders("Cannot find module '{module}'", {{"module", "left-pad"}}), "Cannot find module 'left-pad'");
  EXPECT_EQ(FillPlaceholders("Killed by the OOM killer ({proc})", {}), "Killed by the OOM killer");
  EXPECT_EQ(FillPlaceholders("Compile error in {file}:{line}", {{"file", "a.cc"}}), "Compile error in a.cc");
  EXPECT_EQ(FillPlaceholders("json {not a placeholder}", {}), "json {not a placeholder}");
}

TEST(SignatureKbTest, NoPatternMatchesAcrossLines) {
  Result<Kb> kb = Kb::Compile(OneSig(
      "{id: a, category: crash, title: t, hint: h, remediation: [r], patterns: ['alpha\\s+beta', 'gamma[^x]+delta'], example: 'alpha beta'}"));
  ASSERT_TRUE(kb);
  std::vector<int> m;
  EXPECT_FALSE(kb->set().Match("alpha\nbeta gamma\ndelta", &m));
  EXPECT_TRUE(kb->set().Match("x\nalpha beta\n", &m));
}

}  // namespace
}  // namespace sentinel::triage
