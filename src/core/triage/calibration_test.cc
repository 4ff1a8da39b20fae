#include "core/triage/calibration.h"

#include <gtest/gtest.h>

namespace sentinel::triage {
namespace {

constexpr char kHeader[] = "file\tsplit\tecosystem\ttool\tci\tcategory\tblock_start\tblock_end\texit_code\tnote\n";

TEST(CalibrationTest, ParsesManifestRows) {
  auto rows = ParseManifest(std::string(kHeader) +
                            "logs/go-test-fail.log\teval\tgo\tgo test\ttravis\ttest_failure\t25\t28\t1\t\n"
                            "green/green-go-test.log\teval\tgo\tgo test\tgha\tsuccess\t0\t0\t0\t\n");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].file, "logs/go-test-fail.log");
  EXPECT_EQ((*rows)[0].split, "eval");
  EXPECT_EQ((*rows)[0].category, "test_failure");
  EXPECT_EQ((*rows)[0].block_first, 25);
  EXPECT_EQ((*rows)[0].block_last, 28);
  EXPECT_EQ((*rows)[0].exit_code, 1);
  EXPECT_FALSE((*rows)[0].green());
  EXPECT_TRUE((*rows)[1].green());
}

TEST(CalibrationTest, RejectsMalformedRowsNamingLineAndColumn) {
  struct Case {
    const char* row;
    const char* column;
  } cases[] = {
      {"logs/a.log\ttest\tgo\tt\tgha\tcrash\t1\t2\t1\t\n", "split"},
      {"logs/a.log\tdev\tgo\tt\tgha\tcrash\tx\t2\t1\t\n", "block_start"},
      {"logs/a.log\tdev\tgo\tt\tgha\tcrash\t5\t2\t1\t\n", "block_start"},
      {"logs/a.log\tdev\tgo\tt\tgha\tcrash\t0\t0\t1\t\n", "block_start"},
      {"logs/a.log\tdev\tgo\tt\tgha\tcrash\t1\t2\tbad\t\n", "exit_code"},
      {"\tdev\tgo\tt\tgha\tcrash\t1\t2\t1\t\n", "file"},
  };
  for (const Case& c : cases) {
    auto rows = ParseManifest(std::string(kHeader) + c.row);
    ASSERT_FALSE(rows) << c.row;
    EXPECT_EQ(rows.error().field, c.column) << c.row;
    EXPECT_NE(rows.error().message.find("line 2"), std::string::npos) << rows.error().message;
  }
  auto no_header = ParseManifest("file\tsplit\n");
  ASSERT_FALSE(no_header);
  EXPECT_EQ(no_header.error().field, "category");
}

TEST(CalibrationTest, ReliabilityTableAndEce) {
  // Given 10 answers at 0.95 of which 6 are right and 10 at 0.35 of which 4
  // are right, we should get two bins and ECE = 0.5 * 0.35 + 0.5 * 0.05.
  std::vector<std::pair<double, bool>> pts;
  for (int i = 0; i < 10; ++i) pts.emplace_back(0.95, i < 6);
  for (int i = 0; i < 10; ++i) pts.emplace_back(0.35, i < 4);
  Reliability r = MeasureReliability(pts);
  ASSERT_EQ(r.bins.size(), 2u);
  EXPECT_EQ(r.n, 20);
  EXPECT_DOUBLE_EQ(r.bins[0].lo, 0.3);
  EXPECT_EQ(r.bins[0].count, 10);
  EXPECT_NEAR(r.bins[0].accuracy, 0.4, 1e-12);
  EXPECT_NEAR(r.bins[1].confidence, 0.95, 1e-12);
  EXPECT_NEAR(r.bins[1].accuracy, 0.6, 1e-12);
  EXPECT_NEAR(r.ece, 0.5 * 0.35 + 0.5 * 0.05, 1e-12);
}

TEST(CalibrationTest, PerfectlyCalibratedAndEdgeConfidences) {
  std::vector<std::pair<double, bool>> pts = {{1.0, true}, {0.0, false}, {1.0, true}, {0.0, false}};
  Reliability r = MeasureReliability(pts);
  EXPECT_NEAR(r.ece, 0.0, 1e-12);
  ASSERT_EQ(r.bins.size(), 2u);
  EXPECT_DOUBLE_EQ(r.bins.back().hi, 1.0);  // 1.0 lands in the last bin
  EXPECT_EQ(MeasureReliability({}).n, 0);
  EXPECT_TRUE(MeasureReliability({}).bins.empty());
}

Kb SmallKb() {
  Result<Kb> kb = Kb::Compile(
      "version: t\n"
      "signatures:\n"
      "  - {id: refused, category: network_error, title: t, hint: h, remediation: [r],\n"
      "     patterns: ['Connection refused'], example: 'connect: Connection refused'}\n"
      "  - {id: nospace, category: disk_full, title: t, hint: h, remediation: [r],\n"
      "     patterns: ['No space left on device'], example: 'write: No space left on device'}\n");
  EXPECT_TRUE(kb) << kb.error().message;
  return std::move(*kb);
}

BlockLabeledLog Log(std::string file, std::string split, std::string category, std::string text, int first = 1,
                    int last = 1) {
  BlockLabeledLog l;
  l.file = std::move(file);
  l.split = std::move(split);
  l.category = std::move(category);
  l.text = std::move(text);
  l.block_first = l.category == "success" ? 0 : first;
  l.block_last = l.category == "success" ? 0 : last;
  l.exit_code = l.category == "success" ? 0 : 1;
  return l;
}

TEST(CalibrationTest, EvaluatesSplitsAndOnlyDevFeedsMeasuredFigures) {
  Kb kb = SmallKb();
  std::vector<BlockLabeledLog> logs = {
      Log("logs/a.log", "dev", "network_error", "dial tcp 127.0.0.1:1: connect: Connection refused\n"),
      Log("logs/b.log", "dev", "disk_full", "running\nconnect: Connection refused\n", 1, 1),  // wrong rule
      Log("logs/c.log", "eval", "disk_full", "write /dev/full: No space left on device\n"),
      Log("logs/d.log", "eval", "network_error", "ruby: Connection refused - connect(2)\n"),
      Log("green/e.log", "eval", "success", "ok 1 - handles ENOSPC\nall passed\n"),
  };
  RealToolsReport rep = EvaluateRealTools(kb, logs);
  EXPECT_EQ(rep.dev.logs, 2);
  EXPECT_EQ(rep.eval.logs, 2);
  EXPECT_EQ(rep.eval.greens, 1);
  EXPECT_EQ(rep.dev_failing, 2);
  EXPECT_EQ(rep.dev.right, 1);
  EXPECT_EQ(rep.eval.right, 2);
  EXPECT_EQ(rep.dev.evidence_hits, 1);  // b.log's block is line 1, the match is line 2
  const int refused = kb.Find("refused");
  EXPECT_EQ(rep.rules[static_cast<std::size_t>(refused)].fired, 3);
  EXPECT_EQ(rep.rules[static_cast<std::size_t>(refused)].fp, 1);
  EXPECT_EQ(rep.rules_dev[static_cast<std::size_t>(refused)].fired, 2);
  EXPECT_EQ(rep.rules_dev[static_cast<std::size_t>(kb.Find("nospace"))].fired, 0);
  EXPECT_TRUE(rep.green_clean());
  EXPECT_EQ(rep.eval_claims.n, 2);

  RulesReport measured;
  measured.rules = {RuleFigures{"refused", FailureCategory::kNetworkError, 5, 5, 0},
                    RuleFigures{"nospace", FailureCategory::kDiskFull, 1, 1, 0}};
  AddDevFigures(rep, &measured);
  EXPECT_EQ(measured.rules[0].fired, 7);
  EXPECT_EQ(measured.rules[0].fp, 1);
  EXPECT_EQ(measured.rules[1].fired, 1);  // only the eval split saw it fire: not counted
  EXPECT_EQ(measured.total, 2);
}

TEST(CalibrationTest, ARuleFiringOnAGreenLogIsReported) {
  Kb kb = SmallKb();
  RealToolsReport rep =
      EvaluateRealTools(kb, {Log("green/g.log", "dev", "success", "tar: write error: No space left on device\nDone\n")});
  EXPECT_FALSE(rep.green_clean());
  ASSERT_EQ(rep.rules[static_cast<std::size_t>(kb.Find("nospace"))].green_hits.size(), 1u);
  EXPECT_EQ(rep.rules[static_cast<std::size_t>(kb.Find("nospace"))].green_hits[0], "green/g.log");
  EXPECT_NE(FormatRealToolsReport(rep).find("FIRES ON 1 green"), std::string::npos);
}

}  // namespace
}  // namespace sentinel::triage
