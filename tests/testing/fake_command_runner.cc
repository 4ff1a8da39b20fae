#include "testing/fake_command_runner.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>

namespace sentinel::testing {
namespace {

std::int64_t WriteLog(const CommandSpec& spec, const std::string& output) {
  if (spec.log_path.empty()) return 0;
  std::error_code ec;
  auto parent = std::filesystem::path(spec.log_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(spec.log_path, std::ios::binary | (spec.log_append ? std::ios::app : std::ios::trunc));
  out << output;
  return static_cast<std::int64_t>(output.size());
}

}  // namespace

void FakeCommandRunner::SetScript(const std::string& command, Script script) {
  std::lock_guard lock(mu_);
  scripts_[command] = std::move(script);
}

void FakeCommandRunner::BlockUntilCancelled(const std::string& command, std::string output) {
  std::lock_guard lock(mu_);
  blocking_[command] = std::move(output);
}

bool FakeCommandRunner::WaitForRuns(std::size_t n, EpochMs timeout_ms) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return commands_ran_.size() >= n; });
}

StepResult FakeCommandRunner::Run(const CommandSpec& spec, std::stop_token cancel) {
  Script script;
  bool blocks = false;
  std::string block_output;
  {
    std::lock_guard lock(mu_);
    commands_ran_.push_back(spec.command);
    specs_.push_back(spec);
    if (auto it = blocking_.find(spec.command); it != blocking_.end()) {
      blocks = true;
      block_output = it->second;
    } else if (auto s = scripts_.find(spec.command); s != scripts_.end()) {
      script = s->second;
    }
  }
  cv_.notify_all();
  StepResult result;
  if (blocks) {
    result.log_bytes = WriteLog(spec, block_output);
    result.output_bytes = result.log_bytes;
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, cancel, [] { return false; });
    result.outcome = Cancelled{};
    return result;
  }
  result.outcome = script.outcome;
  result.log_bytes = WriteLog(spec, script.output);
  result.output_bytes = result.log_bytes;
  result.log_error = script.log_error;
  result.log_out_of_space = script.log_out_of_space;
  return result;
}

}  // namespace sentinel::testing
