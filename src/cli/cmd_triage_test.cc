// Runs the built `sentinel triage` and `sentinel rules check` binaries on the
// committed corpus.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace sentinel::cli {
namespace {

using ::testing::HasSubstr;

struct CmdResult {
  int exit_code = -1;
  std::string out, err;
};

std::string Source(const std::string& rel) {
  const char* root = std::getenv("SENTINEL_SOURCE_DIR");
  return std::string(root ? root : ".") + "/" + rel;
}

CmdResult Sentinel(const std::vector<std::string>& args) {
  CmdResult r;
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr) {
    ADD_FAILURE() << "SENTINEL_BIN is not set";
    return r;
  }
  std::filesystem::path err_path =
      std::filesystem::temp_directory_path() / ("sentinel_triage_stderr_" + std::to_string(::getpid()));
  std::string cmd = std::string("'") + bin + "'";
  for (const std::string& a : args) cmd += " '" + a + "'";
  cmd += " 2>'" + err_path.string() + "'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed";
    return r;
  }
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  std::ostringstream e;
  e << err.rdbuf();
  r.err = e.str();
  std::filesystem::remove(err_path);
  return r;
}

TEST(TriageCommandTest, PrintsTheContractFieldsForAFailedLog) {
  CmdResult r = Sentinel({"triage", Source("tests/data/logs/curl-dns.log")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["category"], "network_dns");
  EXPECT_EQ(j["signature"], "curl-could-not-resolve");
  EXPECT_GT(j["confidence"].get<double>(), 0.5);
  EXPECT_LE(j["confidence"].get<double>(), 1.0);
  EXPECT_EQ(j["fingerprint"].get<std::string>().size(), 16u);
  EXPECT_THAT(j["title"].get<std::string>(), HasSubstr("downloads.example.invalid"));
  ASSERT_FALSE(j["evidence"].empty());
  std::ifstream expected(Source("tests/data/logs/curl-dns.expected.json"));
  nlohmann::json exp = nlohmann::json::parse(expected);
  EXPECT_THAT(exp["evidence"].get<std::vector<int>>(), ::testing::Contains(j["evidence"][0]["line"].get<int>()));
  EXPECT_THAT(j["evidence"][0]["text"].get<std::string>(), HasSubstr("Could not resolve host"));
  EXPECT_FALSE(j["hints"].empty());
  EXPECT_FALSE(j["remediation"].empty());
}

TEST(TriageCommandTest, UsesJUnitReports) {
  CmdResult r = Sentinel({"triage", Source("tests/data/logs/gtest-failure.log"), "--junit",
                    Source("tests/data/logs/gtest-failure.junit.xml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["category"], "test_failure");
  bool listed = false;
  for (const auto& h : j["hints"]) listed = listed || h.get<std::string>().find("MathTest") != std::string::npos;
  EXPECT_TRUE(listed) << r.out;
}

TEST(TriageCommandTest, UnknownLogStillExitsZero) {
  CmdResult r = Sentinel({"triage", Source("tests/data/logs/unknown-silent-exit.log")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["category"], "unknown");
  EXPECT_EQ(j["signature"], "");
  EXPECT_LT(j["confidence"].get<double>(), 0.3);
}

TEST(TriageCommandTest, BaselineDiffOnARealPassFailPair) {
  // The same job (cargo test) failing and passing: the failure keeps its
  // category, signature and fingerprint; the shared lines are set aside.
  const std::string failed = Source("tests/data/logs/cargo-test-failure.log");
  const std::string passed = Source("tests/data/green/cargo-build-test-pass.log");
  CmdResult plain = Sentinel({"triage", failed});
  CmdResult diffed = Sentinel({"triage", failed, "--baseline", passed});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(diffed.exit_code, 0) << diffed.err;
  nlohmann::json a = nlohmann::json::parse(plain.out);
  nlohmann::json b = nlohmann::json::parse(diffed.out);
  EXPECT_EQ(b["category"], "test_failure");
  EXPECT_EQ(b["category"], a["category"]);
  EXPECT_EQ(b["signature"], a["signature"]);
  EXPECT_EQ(b["fingerprint"], a["fingerprint"]);
  ASSERT_TRUE(b.contains("baseline")) << diffed.out;
  EXPECT_GE(b["baseline"]["demoted_lines"].get<int>(), 0) << diffed.out;
  EXPECT_GE(b["baseline"]["new_lines"].get<int>(), 1) << diffed.out;  // the failure is new since the green run
  EXPECT_FALSE(a.contains("baseline"));
  std::vector<int> lines;
  for (const auto& e : b["evidence"]) lines.push_back(e["line"].get<int>());
  EXPECT_THAT(lines, ::testing::Contains(11)) << diffed.out;  // the panic line, as expected.json says
  CmdResult missing = Sentinel({"triage", failed, "--baseline", "/nonexistent/pass.log"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/pass.log"));
}

TEST(TriageCommandTest, MissingFileIsUnusableInput) {
  CmdResult r = Sentinel({"triage", "/nonexistent/step.log"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/step.log"));
  EXPECT_EQ(r.out, "");
  CmdResult j = Sentinel({"triage", Source("tests/data/logs/curl-dns.log"), "--junit", "/nonexistent/report.xml"});
  EXPECT_NE(j.exit_code, 0);
  EXPECT_THAT(j.err, HasSubstr("/nonexistent/report.xml"));
}

TEST(RulesCommandTest, CheckPassesOnTheCommittedCorpus) {
  CmdResult r = Sentinel({"rules", "check", "--corpus", Source("tests/data/logs"), "--green", Source("tests/data/green")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("overall"));
  EXPECT_THAT(r.out, HasSubstr("no rule matches any"));
}

TEST(RulesCommandTest, FailsWhenARuleMatchesAGreenLog) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("sentinel_green_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "passing.log") << "all 12 tests passed\nConnection refused (expected in this test, retried)\n";
  CmdResult r = Sentinel({"rules", "check", "--corpus", Source("tests/data/logs"), "--green", dir.string()});
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("green match: passing.log:2"));
}

}  // namespace
}  // namespace sentinel::cli
