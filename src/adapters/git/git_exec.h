#pragma once
// Runs the `git` binary once and captures its output. Internal to adapters/git.
// Thread-safe.

#include <map>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel::adapters::git {

struct GitOutput {
  int exit_code = 0;  // 128+signal when killed
  std::string out;
  std::string err;
};

// `git args...` in cwd (empty = ours) with the scrubbed base environment plus
// `extra_env`. Errors: kFailedPrecondition when git cannot be started,
// kDeadlineExceeded past timeout_ms (the process group is killed). A non-zero
// exit is not an error here: the caller reads exit_code and err.
[[nodiscard]] Result<GitOutput> RunGit(const std::vector<std::string>& args, const std::string& cwd,
                                       const std::map<std::string, std::string>& extra_env, EpochMs timeout_ms);

// The last `max_chars` of git's stderr on one line (newlines become "; ").
std::string StderrExcerpt(const std::string& err, std::size_t max_chars = 400);

}  // namespace sentinel::adapters::git
