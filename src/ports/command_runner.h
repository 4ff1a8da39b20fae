#pragma once
// The seam through which the worker runs one pipeline step: a shell command in
// its own process group, with a scrubbed environment, its output streamed to a
// log file, a timeout and a cancel. The worker never sees a pid or a pipe
// (ninja's CommandRunner). Implementations are safe to call concurrently from
// many threads, one Run per thread.

#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <variant>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

struct CommandSpec {
  std::string command;  // run as `/bin/sh -c command`
  std::string name;     // the step's name, quoted in the runner's own log lines (empty: unnamed)
  std::string cwd;      // working directory; empty = the caller's
  // The WHOLE environment of the step: nothing is inherited from the caller's
  // process, so put PATH, HOME, LANG... here yourself.
  std::map<std::string, std::string> env;
  EpochMs timeout_ms = 0;  // > 0; then SIGTERM to the group, kill_grace_ms, SIGKILL
  EpochMs kill_grace_ms = 5000;
  std::string log_path;               // stdout+stderr, interleaved as written; parent dirs are created
  bool log_append = false;            // append to an existing log instead of truncating it
  std::int64_t log_cap_bytes = 64LL << 20;  // output beyond it is discarded, with a marker line
  std::optional<std::int64_t> file_size_limit_bytes;  // RLIMIT_FSIZE of the step, if set
};

// The command ran to its end. exit_code is the shell's exit status; when a
// signal ended it, signal is set and exit_code = 128 + signal (shell convention).
struct Completed {
  int exit_code = 0;
  int signal = 0;           // 0 = exited normally
  std::string signal_name;  // "SIGKILL", empty when signal == 0
};
struct TimedOut {};  // ran past timeout_ms; the whole group was killed
struct Cancelled {};  // the stop_token was triggered; the whole group was killed
struct FailedToStart {  // nothing ran: bad cwd, unwritable log, fork/exec failure
  Error error;
};
using StepOutcome = std::variant<Completed, TimedOut, Cancelled, FailedToStart>;

struct StepResult {
  StepOutcome outcome;
  EpochMs duration_ms = 0;             // start to the reaping of the group
  std::int64_t log_bytes = 0;          // bytes written to the log (markers included)
  std::int64_t output_bytes = 0;       // bytes the step produced (kept or discarded)
  bool log_truncated = false;          // the cap was reached
  // A log write failed (or the log could not be opened): why ("No space left
  // on device"). The log then ends with its last whole line (and a marker
  // line where there was room); later output is discarded. Empty: the log is whole.
  std::string log_error;
  bool log_out_of_space = false;  // ... because the disk, a quota or the file-size limit is full

  bool Succeeded() const {
    const auto* c = std::get_if<Completed>(&outcome);
    return c != nullptr && c->signal == 0 && c->exit_code == 0;
  }
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs spec to its end and returns how it ended. Blocks the calling thread.
  // Requesting `cancel` from another thread terminates the whole process group
  // (SIGTERM, grace, SIGKILL) and returns Cancelled. Whatever the outcome, when
  // Run returns no process of the step's group is left running.
  // A command that the shell cannot find is Completed{127}, not FailedToStart.
  virtual StepResult Run(const CommandSpec& spec, std::stop_token cancel) = 0;
};

}  // namespace sentinel
