#include "core/model/vocab.h"

#include <gtest/gtest.h>

namespace sentinel {
namespace {

TEST(VocabTest, EveryCategoryRoundTripsThroughItsWireName) {
  const char* names[] = {"test_failure", "compilation_error", "dependency_error", "network_dns",
                         "network_error", "disk_full", "out_of_memory", "timeout", "crash",
                         "permission_denied", "config_error", "lint_error", "infrastructure", "unknown"};
  for (const char* n : names) {
    auto c = ParseFailureCategory(n);
    ASSERT_TRUE(c.has_value()) << n;
    EXPECT_EQ(Name(*c), n);
  }
  EXPECT_FALSE(ParseFailureCategory("segfault").has_value());
}

TEST(VocabTest, RunStatusesAndTerminality) {
  for (const char* n : {"queued", "running", "succeeded", "failed", "timed_out", "errored", "cancelled"}) {
    auto s = ParseRunStatus(n);
    ASSERT_TRUE(s.has_value()) << n;
    EXPECT_EQ(Name(*s), n);
  }
  EXPECT_FALSE(IsTerminal(RunStatus::kQueued));
  EXPECT_FALSE(IsTerminal(RunStatus::kRunning));
  EXPECT_TRUE(IsTerminal(RunStatus::kTimedOut));
  EXPECT_FALSE(ParseRunStatus("done").has_value());
}

}  // namespace
}  // namespace sentinel
