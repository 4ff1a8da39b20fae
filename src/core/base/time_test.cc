#include "core/base/time.h"

#include <gtest/gtest.h>

namespace sentinel {
namespace {

TEST(TimeTest, FormatsEpochAsRfc3339Utc) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1795817628123), "2026-11-27T22:13:48.123Z");
}

TEST(TimeTest, ParsesWhatItFormatsAndOffsets) {
  struct Case {
    const char* text;
    std::optional<EpochMs> want;
  } cases[] = {
      {"2026-11-27T22:13:48.123Z", 1795817628123},
      {"2026-11-27T23:13:48.123+01:00", 1795817628123},
      {"2026-11-27", 1795737600000},
      {"1970-01-01T00:00:00Z", 0},
      {"2026-13-01", std::nullopt},
      {"2026-11-27T22:13:48", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseRfc3339(c.text), c.want) << c.text;
}

TEST(TimeTest, ParsesDurations) {
  EXPECT_EQ(ParseDurationMs("120s"), 120000);
  EXPECT_EQ(ParseDurationMs("5m"), 300000);
  EXPECT_EQ(ParseDurationMs("2h"), 7200000);
  EXPECT_EQ(ParseDurationMs("250ms"), 250);
  EXPECT_EQ(ParseDurationMs("30"), 30000);
  EXPECT_EQ(ParseDurationMs("-5s"), std::nullopt);
  EXPECT_EQ(ParseDurationMs("5 minutes"), std::nullopt);
  EXPECT_EQ(ParseDurationMs("99999999999999h"), std::nullopt);
}

}  // namespace
}  // namespace sentinel
