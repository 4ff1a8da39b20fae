#include "core/metrics/exposition.h"

#include <cstdlib>
#include <limits>

#include <gtest/gtest.h>

#include "testing/exposition_parser.h"

namespace sentinel::metrics {
namespace {

TEST(ExpositionTest, RendersCountersAndGaugesWithHelpTypeAndEscapedLabels) {
  Family runs{"sentinel_runs", "Runs by status.", Type::kGauge, {}, {}};
  runs.samples.push_back({{{"status", "queued"}}, 3});
  runs.samples.push_back({{{"status", "fa\"il\\ed\n"}}, 0.5});
  Family total{"sentinel_x_total", "A counter\nwith a newline.", Type::kCounter, {{{}, 7}}, {}};
  const std::string text = Render({runs, total});
  EXPECT_EQ(text,
            "# HELP sentinel_runs Runs by status.\n"
            "# TYPE sentinel_runs gauge\n"
            "sentinel_runs{status=\"queued\"} 3\n"
            "sentinel_runs{status=\"fa\\\"il\\\\ed\\n\"} 0.5\n"
            "# HELP sentinel_x_total A counter\\nwith a newline.\n"
            "# TYPE sentinel_x_total counter\n"
            "sentinel_x_total 7\n");
  std::string error;
  auto parsed = sentinel::testing::ParseExposition(text, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->Value("sentinel_runs", {{"status", "fa\"il\\ed\n"}}), 0.5);
  EXPECT_EQ(parsed->type["sentinel_x_total"], "counter");
}

TEST(ExpositionTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Histogram h({0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 2.0, 50.0}) h.Observe(v);
  Family f{"sentinel_step_duration_seconds", "Step durations.", Type::kHistogram, {}, {{{{"status", "failed"}}, h}}};
  std::string error;
  auto parsed = sentinel::testing::ParseExposition(Render({f}), &error);
  ASSERT_TRUE(parsed) << error;
  const std::string b = "sentinel_step_duration_seconds_bucket";
  EXPECT_EQ(parsed->Value(b, {{"status", "failed"}, {"le", "0.1"}}), 2);  // le is inclusive
  EXPECT_EQ(parsed->Value(b, {{"status", "failed"}, {"le", "1"}}), 3);
  EXPECT_EQ(parsed->Value(b, {{"status", "failed"}, {"le", "10"}}), 4);
  EXPECT_EQ(parsed->Value(b, {{"status", "failed"}, {"le", "+Inf"}}), 5);
  EXPECT_EQ(parsed->Value("sentinel_step_duration_seconds_count", {{"status", "failed"}}), 5);
  EXPECT_DOUBLE_EQ(*parsed->Value("sentinel_step_duration_seconds_sum", {{"status", "failed"}}), 52.65);
}

TEST(ExpositionTest, AnEmptyFamilyIsStillDeclared) {
  const std::string text = Render({Family{"sentinel_open_incidents", "Open incidents.", Type::kGauge, {}, {}}});
  EXPECT_EQ(text, "# HELP sentinel_open_incidents Open incidents.\n# TYPE sentinel_open_incidents gauge\n");
}

TEST(ExpositionTest, ValuesAreFormattedForTheTextFormat) {
  struct Case {
    double in;
    const char* out;
  } cases[] = {{0, "0"}, {42, "42"}, {-3, "-3"}, {0.25, "0.25"}, {0.1, "0.1"}, {1e20, "1e+20"},
               {1.0 / 3.0, "0.333333333333333"}};
  for (const Case& c : cases) {
    const std::string s = FormatValue(c.in);
    EXPECT_DOUBLE_EQ(std::strtod(s.c_str(), nullptr), c.in) << s;
    if (c.in != 1.0 / 3.0) EXPECT_EQ(s, c.out);
  }
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
}

TEST(ExpositionTest, TheParserRejectsMalformedText) {
  std::string error;
  EXPECT_FALSE(sentinel::testing::ParseExposition("sentinel_x 1\n", &error)) << "a sample without TYPE";
  EXPECT_FALSE(sentinel::testing::ParseExposition("# TYPE sentinel_x gauge\nsentinel_x{a=\"1} 1\n", &error));
  EXPECT_FALSE(sentinel::testing::ParseExposition("# TYPE sentinel_x gauge\nsentinel_x one\n", &error));
}

}  // namespace
}  // namespace sentinel::metrics
