// `sentinel junit FILE...`: parses test reports as the worker does and prints
// one JSON object per line per file, keys in the contract's order. Unusable files are reported on stderr and
// make the exit code 1 once every file has been tried.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/junit/junit.h"
#include "core/model/vocab.h"

namespace sentinel::cli {
namespace {

// Reports bigger than this are refused rather than loaded into memory.
constexpr std::uintmax_t kMaxReportBytes = 256ull << 20;

Result<std::string> ReadReport(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, path + ": is a directory, not a test report");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path + ": cannot read: " + std::strerror(errno));
  // Read in chunks rather than trusting the size: pipes and /dev files have none.
  std::string bytes;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.append(chunk, static_cast<size_t>(in.gcount()));
    if (bytes.size() > kMaxReportBytes) {
      return Fail(ErrorCode::kResourceExhausted, path + ": over the 256 MiB limit for a test report");
    }
  }
  if (in.bad()) return Fail(ErrorCode::kInvalidArgument, path + ": cannot read: " + std::strerror(errno));
  return bytes;
}

nlohmann::ordered_json ReportJson(const JUnitReport& report) {
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const TestCaseResult& c : report.cases) {
    cases.push_back(nlohmann::ordered_json{{"suite", c.suite},
                     {"class", c.class_name},
                     {"name", c.name},
                     {"outcome", Name(c.outcome)},
                     {"duration_ms", c.duration_ms},
                     {"message", c.message},
                     {"attempts", c.attempts}});
  }
  // tests = passed + failed + errors + skipped = cases + unlisted (tests a
  // suite only counted in its attributes; see JUnitReport).
  return {{"file", report.file},       {"format", report.format},     {"suites", report.suites},
          {"tests", report.tests},     {"passed", report.passed},     {"failed", report.failed},
          {"errors", report.errors},   {"skipped", report.skipped},   {"unlisted", report.unlisted},
          {"cases", std::move(cases)}};
}

}  // namespace

void RegisterJUnitCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("junit", "parse test reports (JUnit XML, NUnit 2/3, xUnit.net, TRX); one JSON object per file");
  auto files = std::make_shared<std::vector<std::string>>();
  sub->add_option("FILE", *files, "test report: JUnit/xUnit XML, NUnit 2 or 3 XML, xUnit.net XML or MSTest TRX")->required();
  sub->callback([files, exit_code] {
    for (const std::string& path : *files) {
      Result<JUnitReport> report = ReadReport(path).and_then(
          [&](const std::string& bytes) { return ParseJUnit(bytes, path); });
      if (!report) {
        std::cerr << "sentinel junit: " << report.error().message << "\n";
        *exit_code = 1;
        continue;
      }
      // The parser guarantees valid UTF-8; replace is a second line of defence.
      std::cout << ReportJson(*report).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                << "\n";
    }
    std::cout.flush();
  });
}

}  // namespace sentinel::cli
