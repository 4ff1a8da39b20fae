#pragma once
// The real CommandRunner for Linux: each step is `/bin/sh -c` forked into its
// own process group, stdin /dev/null, stdout+stderr into one pipe streamed to
// the log file as it arrives (no user-space buffering, so a reader can tail it).
// Timeout and cancel send SIGTERM to the group, then SIGKILL after the grace;
// when the shell exits, whatever is left of its group is SIGKILLed and reaped.
// A log write that fails (a full disk, a quota, a file-size limit) cuts the log
// at its last whole line and is reported (StepResult::log_error). Creating a
// runner ignores SIGXFSZ process-wide when it has the default action, so that a
// file-size limit on the worker (ulimit -f) fails a log write instead of
// killing the worker; steps start with every signal at its default.
// Thread-safe: any number of Run calls may proceed concurrently.

#include <memory>

#include "core/base/time.h"
#include "ports/command_runner.h"

namespace sentinel::adapters::process {

struct PosixRunnerOptions {
  // Make this process a child subreaper (PR_SET_CHILD_SUBREAPER), so that
  // grandchildren orphaned by a step are re-parented to us and can be reaped:
  // Run then returns only once every member of the step's group is gone.
  // Process-wide and permanent; harmless for a worker process.
  bool subreaper = true;
  // After the shell exits and its group is killed, how long to keep reading the
  // pipe for a writer that escaped the group (setsid) before giving up on EOF.
  EpochMs drain_ms = 2000;
  // Bound on waiting for killed group members to be reaped.
  EpochMs reap_ms = 5000;
};

std::unique_ptr<CommandRunner> NewPosixCommandRunner(PosixRunnerOptions options = {});

}  // namespace sentinel::adapters::process
