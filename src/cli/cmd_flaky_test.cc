// `sentinel flaky HISTORY`: the FlakyHistory stream on memory, and the real
// binary (SENTINEL_BIN) on a file and on stdin, with bad lines.
#include "cli/cmd_flaky.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sentinel::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Line(const std::string& test, int run, const std::string& commit, const std::string& outcome,
                 const std::string& extra = "") {
  return R"({"repo": "r", "test": ")" + test + R"(", "run": )" + std::to_string(run) + R"(, "commit": ")" + commit +
         R"(", "outcome": ")" + outcome + "\"" + extra + "}";
}

// Runs the flaky demo schedule (fails when run % 3 == 1) for `flaky`, a regression for `broken`
// from run 7 on a new commit, and a stable test, over `runs` runs.
std::vector<std::string> DemoHistory(int runs) {
  std::vector<std::string> lines;
  for (int run = 1; run <= runs; ++run) {
    const std::string commit = run < 7 ? "c1" : "c2";
    lines.push_back(Line("t::flaky", run, "c1", run % 3 == 1 ? "failed" : "passed",
                         run % 3 == 1 ? R"(, "signature": "order")" : ""));
    lines.push_back(Line("t::broken", run, commit, run >= 7 ? "failed" : "passed"));
    lines.push_back(Line("t::steady", run, commit, "passed"));
  }
  return lines;
}

std::vector<json> Detect(const std::vector<std::string>& lines, flaky::FlakyConfig config = {}) {
  FlakyHistory h(config);
  std::int64_t n = 0;
  for (const std::string& l : lines) {
    Status st = h.Feed(l, ++n);
    EXPECT_TRUE(st.has_value()) << l << ": " << st.error().message;
  }
  return h.Finish();
}

const json* Find(const std::vector<json>& out, const std::string& test) {
  for (const json& j : out)
    if (j["test"] == test) return &j;
  return nullptr;
}

TEST(FlakyHistoryTest, OneVerdictPerTestWithTheContractFields) {
  const std::vector<json> out = Detect(DemoHistory(9));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["test"], "t::flaky");  // order of first appearance
  for (const json& j : out) {
    for (const char* field : {"repo", "test", "classification", "score", "interval", "runs", "failures",
                              "failure_ratio", "flips", "evidence"})
      EXPECT_TRUE(j.contains(field)) << field << " in " << j.dump();
    EXPECT_EQ(j["interval"].size(), 2u);
    EXPECT_LE(j["interval"][0].get<double>(), j["score"].get<double>());
    EXPECT_GE(j["interval"][1].get<double>(), j["score"].get<double>());
  }
  const json& f = *Find(out, "t::flaky");
  EXPECT_EQ(f["classification"], "flaky");
  EXPECT_EQ(f["runs"], 9);
  EXPECT_EQ(f["failures"], 3);
  EXPECT_EQ(f["flips"], 5);
  EXPECT_EQ(f["evidence"]["both_outcomes_commits"], json::array({"c1"}));
  EXPECT_EQ(f["evidence"]["signatures"][0]["signature"], "order");
  EXPECT_EQ(f["evidence"]["signatures"][0]["classification"], "flaky");
  const json& b = *Find(out, "t::broken");
  EXPECT_EQ(b["classification"], "failing");
  EXPECT_EQ(b["evidence"]["streak"]["length"], 3);
  EXPECT_EQ(b["evidence"]["streak"]["first_failing_commit"], "c2");
  EXPECT_EQ(b["evidence"]["streak"]["last_passing_commit"], "c1");
  EXPECT_EQ(Find(out, "t::steady")->at("classification"), "stable");
}

TEST(FlakyHistoryTest, AttemptsOfOneRunFoldIntoAPassOnRetry) {
  std::vector<std::string> lines;
  for (int run = 1; run <= 6; ++run) {
    if (run == 2 || run == 5) {
      lines.push_back(Line("t::x (retry 1)", run, "c", "failed", R"(, "attempt": 1, "signature": "s")"));
      lines.push_back(Line("t::x (retry 2)", run, "c", "passed", R"(, "attempt": 2)"));
    } else {
      lines.push_back(Line("t::x", run, "c", "passed"));
    }
  }
  const std::vector<json> out = Detect(lines);
  ASSERT_EQ(out.size(), 1u);  // retry suffixes are one test
  EXPECT_EQ(out[0]["test"], "t::x");
  EXPECT_EQ(out[0]["runs"], 6);
  EXPECT_EQ(out[0]["failures"], 0);
  EXPECT_EQ(out[0]["evidence"]["retry_passes"], 2);
  EXPECT_EQ(out[0]["evidence"]["pass_on_retry_runs"], json::array({"2", "5"}));
  EXPECT_EQ(out[0]["classification"], "flaky");
}

TEST(FlakyHistoryTest, InfrastructureAndMassFailuresAreReportedApart) {
  std::vector<std::string> lines;
  for (int run = 1; run <= 8; ++run) {
    const bool dns = run % 3 == 1;
    lines.push_back(Line("t::net", run, "c", dns ? "failed" : "passed", dns ? R"(, "category": "network_dns")" : ""));
    // Run 5: every test of the run fails at once.
    for (int i = 0; i < 5; ++i)
      lines.push_back(Line("t::other" + std::to_string(i), run, "c", run == 5 || (run == 2 && i == 0) ? "failed" : "passed"));
  }
  const std::vector<json> out = Detect(lines);
  const json& net = *Find(out, "t::net");
  EXPECT_EQ(net["classification"], "stable");
  EXPECT_EQ(net["evidence"]["infrastructure_failures"], 3);  // it passed in the mass failure of run 5
  EXPECT_EQ(net["failures"], 0);
  const json& o0 = *Find(out, "t::other0");
  EXPECT_EQ(o0["failures"], 1);  // run 2 counts, run 5 does not
  EXPECT_EQ(o0["evidence"]["infrastructure_runs"], json::array({"5"}));
  EXPECT_EQ(o0["classification"], "stable");
}

TEST(FlakyHistoryTest, BadLinesNameTheirNumberAndField) {
  struct BadCase {
    std::string line;
    std::string field;
  } cases[] = {
      {"not json", "line"},
      {"[1, 2]", "line"},
      {R"({"test": "t", "run": 1, "commit": "c", "outcome": "passed"})", "repo"},
      {R"({"repo": "r", "test": 5, "run": 1, "commit": "c", "outcome": "passed"})", "test"},
      {R"({"repo": "r", "test": "t", "commit": "c", "outcome": "passed"})", "run"},
      {R"({"repo": "r", "test": "t", "run": 1.5, "commit": "c", "outcome": "passed"})", "run"},
      {R"({"repo": "r", "test": "t", "run": 1, "outcome": "passed"})", "commit"},
      {R"({"repo": "r", "test": "t", "run": 1, "commit": "c", "outcome": "green"})", "outcome"},
      {R"({"repo": "r", "test": "t", "run": 1, "commit": "c", "outcome": "passed", "attempt": 0})", "attempt"},
      {R"({"repo": "r", "test": "t", "run": 1, "commit": "c", "outcome": "failed", "category": "gremlins"})",
       "category"},
      {R"({"repo": "r", "test": "t", "run": 1, "commit": "c", "outcome": "failed", "at": "yesterday"})", "at"},
  };
  for (const BadCase& c : cases) {
    FlakyHistory h({});
    Status st = h.Feed(c.line, 42);
    ASSERT_FALSE(st.has_value()) << c.line;
    EXPECT_EQ(st.error().field, c.field) << c.line;
    EXPECT_NE(st.error().message.find("line 42"), std::string::npos) << st.error().message;
  }
  FlakyHistory h({});
  EXPECT_TRUE(h.Feed("   ", 1).has_value());  // blank lines are skipped
  EXPECT_TRUE(h.Feed(R"({"repo": "r", "test": "t", "run": "a", "commit": "c", "outcome": "skipped"})", 2).has_value());
  EXPECT_EQ(h.tests(), 0u);  // a skipped test did not run
}

TEST(FlakyHistoryTest, MemoryIsBoundedByTestsTimesWindow) {
  flaky::FlakyConfig config;
  config.window = 30;
  FlakyHistory h(config);
  std::int64_t n = 0;
  for (int run = 1; run <= 1000; ++run)
    for (int t = 0; t < 4; ++t)
      ASSERT_TRUE(h.Feed(Line("t" + std::to_string(t), run, "c" + std::to_string(run / 10), "passed"), ++n));
  EXPECT_LE(h.buffered(), 4u * 30 + 4);
  const std::vector<json> out = h.Finish();
  EXPECT_EQ(out[0]["runs"], 30);
  EXPECT_EQ(out[0]["window"], 30);
}

// ---- the binary

struct Ran {
  int rc = -1;
  std::string out, err;
};

Ran RunBinary(const std::string& args, const std::string& stdin_text) {
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr) {
    ADD_FAILURE() << "SENTINEL_BIN is not set (run through ctest)";
    return {};
  }
  const fs::path dir = fs::temp_directory_path() /
                       ("sentinel-flaky-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  fs::create_directories(dir);
  std::ofstream(dir / "in.jsonl") << stdin_text;
  const std::string cmd = "cd " + dir.string() + " && " + bin + " flaky " + args + " < in.jsonl > out.txt 2> err.txt";
  Ran r;
  const int status = std::system(cmd.c_str());
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream o, e;
  o << std::ifstream(dir / "out.txt").rdbuf();
  e << std::ifstream(dir / "err.txt").rdbuf();
  r.out = o.str();
  r.err = e.str();
  fs::remove_all(dir);
  return r;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

TEST(FlakyCommandTest, ReadsStdinAndAFile) {
  const std::string history = Join(DemoHistory(9));
  const Ran from_stdin = RunBinary("-", history);
  ASSERT_EQ(from_stdin.rc, 0) << from_stdin.err;
  // The harness writes the text to in.jsonl in the working directory, so the file is read by name too.
  const Ran from_file = RunBinary("in.jsonl", history);
  ASSERT_EQ(from_file.rc, 0) << from_file.err;
  EXPECT_EQ(from_file.out, from_stdin.out);
  std::istringstream lines(from_stdin.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    json j = json::parse(line);
    EXPECT_TRUE(j.contains("classification"));
    ++n;
  }
  EXPECT_EQ(n, 3);
}

TEST(FlakyCommandTest, BadLinesPrintNothingAndFail) {
  std::vector<std::string> lines = DemoHistory(3);
  lines.insert(lines.begin() + 2, R"({"repo": "r", "test": "t", "run": 1, "commit": "c", "outcome": "maybe"})");
  lines.push_back("{broken");
  const Ran r = RunBinary("-", Join(lines));
  EXPECT_NE(r.rc, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("outcome"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 11"), std::string::npos) << r.err;
}

TEST(FlakyCommandTest, ThresholdsFromSetAndBadThresholdsNamed) {
  const std::string history = Join(DemoHistory(9));
  const Ran r = RunBinary("- --set flaky.min_runs=10 --set flaky.failing_streak=4", history);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"insufficient\""), std::string::npos) << r.out;
  const Ran bad = RunBinary("- --set flaky.window=0", history);
  EXPECT_NE(bad.rc, 0);
  EXPECT_TRUE(bad.out.empty());
  EXPECT_NE(bad.err.find("flaky.window"), std::string::npos) << bad.err;
  const Ran missing = RunBinary("/nonexistent/history.jsonl", "");
  EXPECT_NE(missing.rc, 0);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace sentinel::cli
