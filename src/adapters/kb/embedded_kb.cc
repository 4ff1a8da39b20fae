#include "adapters/kb/embedded_kb.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/junit/junit.h"

namespace sentinel::kb {

std::string_view EmbeddedText(std::string_view name) {
  for (const auto* files : {&signatures::kFiles, &measured::kFiles})
    for (const EmbeddedFile& f : *files)
      if (f.name == name) return f.content;
  return {};
}

Result<triage::Kb> LoadEmbeddedKb() {
  return triage::Kb::Compile(EmbeddedText("signatures.yml"), EmbeddedText("signatures.measured.yml"));
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path.string() + ": cannot read: " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Fail(ErrorCode::kInvalidArgument, path.string() + ": read error");
  return text;
}

std::filesystem::path SourceDir() {
  const char* env = std::getenv("SENTINEL_SOURCE_DIR");
  return env && *env ? std::filesystem::path(env) : std::filesystem::current_path();
}

namespace {

std::vector<std::filesystem::path> Sorted(const std::filesystem::path& dir, std::string_view ext) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::vector<triage::LabeledLog>> LoadLabeledCorpus(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) return Fail(ErrorCode::kNotFound, dir.string() + ": no such corpus directory");
  std::vector<triage::LabeledLog> out;
  for (const auto& log_path : Sorted(dir, ".log")) {
    std::filesystem::path exp_path = log_path;
    exp_path.replace_extension(".expected.json");
    Result<std::string> text = ReadFile(log_path);
    if (!text) return Fail(text.error());
    Result<std::string> exp = ReadFile(exp_path);
    if (!exp) return Fail(ErrorCode::kInvalidArgument, log_path.string() + ": has no " + exp_path.filename().string());
    triage::LabeledLog l;
    l.name = log_path.filename().string();
    l.text = std::move(*text);
    try {
      nlohmann::json j = nlohmann::json::parse(*exp);
      std::optional<FailureCategory> c = ParseFailureCategory(j.at("category").get<std::string>());
      if (!c) return Fail(ErrorCode::kInvalidArgument, exp_path.string() + ": unknown category", "category");
      l.category = *c;
      l.signature = j.value("signature", "");
      if (j.contains("evidence")) l.evidence_lines = j["evidence"].get<std::vector<int>>();
      if (j.contains("exit_code")) l.exit_code = j["exit_code"].get<int>();
      for (const std::string& x : j.value("junit", std::vector<std::string>{})) {
        Result<std::string> xml = ReadFile(dir / x);
        if (!xml) return Fail(xml.error());
        Result<JUnitReport> report = ParseJUnit(*xml, x);
        if (!report) return Fail(report.error());
        l.tests.insert(l.tests.end(), report->cases.begin(), report->cases.end());
      }
    } catch (const nlohmann::json::exception& e) {
      return Fail(ErrorCode::kInvalidArgument, exp_path.string() + ": " + e.what());
    }
    out.push_back(std::move(l));
  }
  return out;
}

Result<std::vector<triage::NamedLog>> LoadGreenLogs(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) return Fail(ErrorCode::kNotFound, dir.string() + ": no such directory");
  std::vector<triage::NamedLog> out;
  for (const auto& p : Sorted(dir, ".log")) {
    Result<std::string> text = ReadFile(p);
    if (!text) return Fail(text.error());
    out.push_back({p.filename().string(), std::move(*text)});
  }
  return out;
}

Result<std::vector<triage::BlockLabeledLog>> LoadRealTools(const std::filesystem::path& dir) {
  Result<std::string> manifest = ReadFile(dir / "manifest.tsv");
  if (!manifest) return Fail(manifest.error());
  Result<std::vector<triage::BlockLabeledLog>> logs = triage::ParseManifest(*manifest);
  if (!logs) return Fail(ErrorCode::kInvalidArgument, (dir / "manifest.tsv").string() + ": " + logs.error().message);
  for (triage::BlockLabeledLog& l : *logs) {
    Result<std::string> text = ReadFile(dir / l.file);
    if (!text) return Fail(text.error());
    l.text = std::move(*text);
  }
  return logs;
}

}  // namespace sentinel::kb
