#pragma once
// A CommandRunner for the worker's tests: runs nothing, records every spec it
// was given (commands_ran_, ninja's FakeCommandRunner) and answers from a
// script keyed by command text. Default answer: Completed{0}, no output.
// Thread-safe; the recorded vectors are guarded by mu_ (read them when the
// runs are over).

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ports/command_runner.h"

namespace sentinel::testing {

class FakeCommandRunner : public CommandRunner {
 public:
  struct Script {
    StepOutcome outcome = Completed{};
    std::string output;  // written to spec.log_path (when set), like real step output
    std::string log_error;          // reported as StepResult::log_error (the log write "failed")
    bool log_out_of_space = false;  // reported as StepResult::log_out_of_space
  };

  // The answer for every later Run of exactly `command`.
  void SetScript(const std::string& command, Script script);
  // Run of `command` blocks until its stop_token is triggered, then returns
  // Cancelled (writing `output` first): lets a test cancel a "running" step.
  void BlockUntilCancelled(const std::string& command, std::string output = {});
  // Waits (bounded by the timeout) until at least n Runs have started; false on timeout.
  bool WaitForRuns(std::size_t n, EpochMs timeout_ms);

  StepResult Run(const CommandSpec& spec, std::stop_token cancel) override;

  std::mutex mu_;
  std::vector<std::string> commands_ran_;  // spec.command, in start order
  std::vector<CommandSpec> specs_;         // the full specs, same order

 private:
  std::condition_variable cv_;
  std::map<std::string, Script> scripts_;
  std::map<std::string, std::string> blocking_;  // command -> output
};

}  // namespace sentinel::testing
