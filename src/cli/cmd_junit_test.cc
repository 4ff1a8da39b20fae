// Runs the built `sentinel junit` binary on the committed reports.
#include <sys/wait.h>

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

struct Outcome {
  int exit_code = -1;
  std::vector<std::string> stdout_lines;
  std::string stderr_text;
};

std::string Data(const std::string& name) {
  const char* root = std::getenv("SENTINEL_SOURCE_DIR");
  return std::string(root ? root : ".") + "/tests/data/junit/" + name;
}

// Runs SENTINEL_BIN with the arguments (each single-quoted; the test's own
// paths contain no quotes), stdout through a pipe, stderr into a temp file.
Outcome RunSentinel(const std::vector<std::string>& args) {
  Outcome out;
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr) {
    ADD_FAILURE() << "SENTINEL_BIN is not set";
    return out;
  }
  std::filesystem::path err_path = std::filesystem::temp_directory_path() /
                                   ("sentinel_junit_stderr_" + std::to_string(::getpid()));
  std::string cmd = std::string("'") + bin + "'";
  for (const std::string& a : args) cmd += " '" + a + "'";
  cmd += " 2>'" + err_path.string() + "'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed";
    return out;
  }
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  int status = ::pclose(pipe);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) out.stdout_lines.push_back(line);
  std::ifstream err(err_path);
  std::ostringstream err_text;
  err_text << err.rdbuf();
  out.stderr_text = err_text.str();
  std::filesystem::remove(err_path);
  return out;
}

TEST(JUnitCommandTest, PrintsOneObjectPerReport) {
  Outcome o = RunSentinel({"junit", Data("pytest_xunit2.xml"), Data("surefire_TEST-com.example.CalculatorTest.xml")});
  EXPECT_EQ(o.exit_code, 0) << o.stderr_text;
  EXPECT_EQ(o.stderr_text, "");
  ASSERT_EQ(o.stdout_lines.size(), 2u);

  nlohmann::json py = nlohmann::json::parse(o.stdout_lines[0]);
  EXPECT_EQ(py["file"], Data("pytest_xunit2.xml"));
  EXPECT_EQ(py["suites"], 1);
  EXPECT_EQ(py["tests"], 10);
  EXPECT_EQ(py["passed"], 5);
  EXPECT_EQ(py["failed"], 2);
  EXPECT_EQ(py["errors"], 1);
  EXPECT_EQ(py["skipped"], 2);
  ASSERT_EQ(py["cases"].size(), 10u);
  const nlohmann::json& fails = py["cases"][1];
  EXPECT_EQ(fails["suite"], "pytest");
  EXPECT_EQ(fails["class"], "test_sample");
  EXPECT_EQ(fails["name"], "test_fails");
  EXPECT_EQ(fails["outcome"], "failed");
  EXPECT_EQ(fails["duration_ms"], 1);
  EXPECT_EQ(fails["attempts"], 1);
  EXPECT_THAT(fails["message"].get<std::string>(), HasSubstr("values differ & <mismatch>"));
  EXPECT_EQ(py["cases"][2]["outcome"], "error");

  nlohmann::json sf = nlohmann::json::parse(o.stdout_lines[1]);
  EXPECT_EQ(sf["tests"], 5);
  EXPECT_EQ(sf["cases"][1]["name"], "dividesFlakily");
  EXPECT_EQ(sf["cases"][1]["outcome"], "passed");
  EXPECT_EQ(sf["cases"][1]["attempts"], 3);
}

TEST(JUnitCommandTest, RejectsBadFilesButReportsTheOthers) {
  Outcome o = RunSentinel({"junit", Data("html_page.xml"), Data("gtest.xml"), Data("no_such_report.xml"),
                           Data("truncated.xml"), Data("invalid_utf8.xml"), Data("sources")});
  EXPECT_EQ(o.exit_code, 1);
  ASSERT_EQ(o.stdout_lines.size(), 2u);
  nlohmann::json gtest = nlohmann::json::parse(o.stdout_lines[0]);
  EXPECT_EQ(gtest["tests"], 10);
  EXPECT_EQ(gtest["failed"], 3);
  // Invalid bytes come out as U+FFFD: the line is valid JSON in UTF-8.
  nlohmann::json bad = nlohmann::json::parse(o.stdout_lines[1]);
  EXPECT_EQ(bad["cases"][0]["name"], "bad \uFFFD\uFFFD byte \uFFFD");
  EXPECT_THAT(o.stderr_text, HasSubstr("html_page.xml: not a test report (JUnit, NUnit, xUnit.net or TRX): root element <html>"));
  EXPECT_THAT(o.stderr_text, HasSubstr("no_such_report.xml: cannot read: No such file or directory"));
  EXPECT_THAT(o.stderr_text, HasSubstr("truncated.xml: malformed XML at offset"));
  EXPECT_THAT(o.stderr_text, HasSubstr("sources: is a directory, not a test report"));
}

TEST(JUnitCommandTest, ReadsEveryReportFormat) {
  Outcome o = RunSentinel({"junit", Data("nunit2_console.xml"), Data("nunit3_console.xml"), Data("xunit_v2.xml"),
                           Data("mstest.trx"), Data("counts_only.xml")});
  EXPECT_EQ(o.exit_code, 0) << o.stderr_text;
  EXPECT_EQ(o.stderr_text, "");
  ASSERT_EQ(o.stdout_lines.size(), 5u);
  struct Want {
    const char* format;
    int tests, failed, errors, unlisted;
    size_t cases;
  } want[] = {{"nunit2", 9, 2, 2, 0, 9}, {"nunit3", 12, 2, 4, 0, 12}, {"xunit", 9, 3, 1, 0, 9},
              {"trx", 7, 2, 1, 0, 7},    {"junit", 16, 2, 1, 14, 2}};
  for (size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(want[i].format);
    nlohmann::json j = nlohmann::json::parse(o.stdout_lines[i]);
    EXPECT_EQ(j["format"], want[i].format);
    EXPECT_EQ(j["tests"], want[i].tests);
    EXPECT_EQ(j["failed"], want[i].failed);
    EXPECT_EQ(j["errors"], want[i].errors);
    EXPECT_EQ(j["unlisted"], want[i].unlisted);
    EXPECT_EQ(j["cases"].size(), want[i].cases);
    EXPECT_EQ(j["tests"].get<int>(), j["passed"].get<int>() + j["failed"].get<int>() + j["errors"].get<int>() +
                                         j["skipped"].get<int>());
  }
  // The TRX test retried in the run: one case with both attempts.
  nlohmann::json trx = nlohmann::json::parse(o.stdout_lines[3]);
  const nlohmann::json& retried = trx["cases"][6];
  EXPECT_EQ(retried["class"], "Calc.Tests.DatabaseTests");
  EXPECT_EQ(retried["name"], "ReadsOverNetwork");
  EXPECT_EQ(retried["outcome"], "passed");
  EXPECT_EQ(retried["attempts"], 2);
}

TEST(JUnitCommandTest, NeedsAFile) {
  Outcome o = RunSentinel({"junit"});
  EXPECT_NE(o.exit_code, 0);
  EXPECT_THAT(o.stderr_text, HasSubstr("FILE"));
}

}  // namespace
}  // namespace sentinel::cli
