// `sentinel triage FILE [--junit XML]... [--exit-code N] [--kb YML] [--baseline PASS_LOG]`: offline
// triage of one log file; prints one JSON object (CONTRACT.md section 2).
// Exit 0 whatever the log shows; 2 for unusable input (missing file, bad KB).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/kb/embedded_kb.h"
#include "cli/commands.h"
#include "core/junit/junit.h"
#include "core/triage/triage.h"

namespace sentinel::cli {
namespace {

struct TriageArgs {
  std::string file;
  std::vector<std::string> junit;
  std::optional<int> exit_code;
  std::string kb;  // a signatures.yml to use instead of the embedded one
  std::string baseline;  // a passing log of the same job to diff against
};

double Round3(double v) { return static_cast<double>(static_cast<long long>(v * 1000 + 0.5)) / 1000; }

int RunTriage(const TriageArgs& a) {
  Result<std::string> log = kb::ReadFile(a.file);
  if (!log) {
    std::cerr << "sentinel triage: " << log.error().message << "\n";
    return 2;
  }
  Result<triage::Kb> kb = a.kb.empty() ? kb::LoadEmbeddedKb() : kb::ReadFile(a.kb).and_then([](const std::string& y) {
    return triage::Kb::Compile(y);
  });
  if (!kb) {
    std::cerr << "sentinel triage: knowledge base: " << kb.error().message << "\n";
    return 2;
  }
  std::string baseline;
  if (!a.baseline.empty()) {
    Result<std::string> b = kb::ReadFile(a.baseline);
    if (!b) {
      std::cerr << "sentinel triage: --baseline " << b.error().message << "\n";
      return 2;
    }
    baseline = std::move(*b);
  }
  triage::TriageInput in;
  in.log = *log;
  in.baseline = baseline;
  in.step.exit_code = a.exit_code;
  std::vector<std::string> warnings;
  for (const std::string& path : a.junit) {
    Result<std::string> xml = kb::ReadFile(path);
    if (!xml) {
      std::cerr << "sentinel triage: --junit " << xml.error().message << "\n";
      return 2;
    }
    Result<JUnitReport> report = ParseJUnit(*xml, path);
    if (!report) {
      // A broken report is a finding about the step, not unusable input: triage the log without it.
      warnings.push_back(report.error().message);
      std::cerr << "sentinel triage: warning: " << report.error().message << "\n";
      continue;
    }
    in.tests.insert(in.tests.end(), report->cases.begin(), report->cases.end());
  }
  triage::TriageResult r = triage::Triage(*kb, in);
  const Failure& f = r.failure;
  nlohmann::ordered_json evidence = nlohmann::ordered_json::array();
  for (const EvidenceLine& e : f.evidence) evidence.push_back({{"line", e.line}, {"text", e.text}});
  nlohmann::ordered_json out = {
      {"category", Name(f.category)},
      {"confidence", Round3(f.confidence)},
      {"signature", f.signature},
      {"fingerprint", f.fingerprint},
      {"title", f.title},
      {"evidence", evidence},
      {"hints", f.hints},
      {"remediation", f.remediation},
      {"kb_version", f.kb_version},
      {"matched_signatures", r.matched_signatures},
      {"template", r.cluster_template},
  };
  if (r.location.Found()) {
    out["block"] = {{"first_line", r.location.block.first_line}, {"last_line", r.location.block.last_line}};
  }
  if (r.location.anchor_line > 0) {
    out["failing_command"] = {{"line", r.location.anchor_line}, {"command", r.location.command}};
    if (r.location.exit_code) out["failing_command"]["exit_code"] = *r.location.exit_code;
  }
  if (!a.baseline.empty()) {
    out["baseline"] = {{"file", a.baseline}, {"demoted_lines", r.location.demoted}, {"new_lines", r.location.block.new_lines}};
  }
  if (!warnings.empty()) out["warnings"] = warnings;
  std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace

void RegisterTriageCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<TriageArgs>();
  CLI::App* sub = app.add_subcommand("triage", "offline triage of one log file; prints one JSON object");
  sub->add_option("FILE", args->file, "the step's log")->required();
  sub->add_option("--junit", args->junit, "a JUnit XML report of the step (repeatable)");
  sub->add_option("--exit-code", args->exit_code, "the step's exit code, when known");
  sub->add_option("--kb", args->kb, "a signatures.yml to use instead of the built-in one");
  sub->add_option("--baseline", args->baseline,
                  "a passing log of the same job: lines also found there are demoted, new ones promoted");
  sub->callback([args, exit_code] { *exit_code = RunTriage(*args); });
}

}  // namespace sentinel::cli
