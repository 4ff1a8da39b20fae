#pragma once
// The pipeline file `.sentinel.yml` of a repository (CONTRACT.md section 5),
// parsed and validated into plain values. Pure: takes the file's text, reads
// nothing else. Every error names the 1-based line and the key. Thread-safe
// (no shared state).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

inline constexpr std::string_view kPipelineFileName = ".sentinel.yml";
inline constexpr EpochMs kDefaultStepTimeoutMs = 30 * 60 * 1000;
inline constexpr EpochMs kMaxStepTimeoutMs = 24 * 60 * 60 * 1000;
inline constexpr int kMaxStepRetries = 5;
inline constexpr std::size_t kMaxPipelineSteps = 100;
inline constexpr std::size_t kMaxPipelineFileBytes = 1 << 20;

struct PipelineStepSpec {
  std::string name;  // unique in the pipeline, [A-Za-z0-9._-]+ (it names the log file)
  std::string run;   // a shell command, non-empty
  EpochMs timeout_ms = 0;  // as written, else the caller's default
  bool timeout_set = false;  // whether the file said `timeout:`
  std::vector<std::string> junit;  // globs relative to the workspace; never absolute or with ".."
  int retries = 0;                 // 0..kMaxStepRetries
  std::map<std::string, std::string> env;  // step-level, over the pipeline's env
  int line = 0;  // 1-based line of the step in the file
};

struct PipelineSpec {
  std::map<std::string, std::string> env;  // numbers and booleans kept as written
  std::vector<PipelineStepSpec> steps;     // at least one, in file order
};

// Parses `.sentinel.yml`. Top-level keys: env (map), steps (required, non-empty
// list). Step keys: name, run (required), timeout (a duration as ParseDurationMs
// reads it: 90s, 5m, 1h, 1500ms, bare seconds; > 0 and at most 24h; else
// default_timeout_ms), junit (a glob or a list of globs), retries (int 0..5),
// env (map). Unknown and duplicate keys are errors.
// On error: kInvalidArgument, message ".sentinel.yml line 7: steps[1].timeout:
// \"5 minutes\" is not a duration (use 90s, 5m, 1h)", field "steps[1].timeout".
Result<PipelineSpec> ParsePipelineSpec(std::string_view yaml_text,
                                       EpochMs default_timeout_ms = kDefaultStepTimeoutMs);

}  // namespace sentinel
