#pragma once
// SourceCheckout over the `git` binary found on PATH. git is spawned with an
// argument vector (never through a shell), in its own process group, with a
// scrubbed environment (no user or system git config, no prompts, C locale)
// and a time limit. Thread-safe: holds no mutable state.

#include <memory>

#include "core/base/time.h"
#include "ports/source_checkout.h"

namespace sentinel::adapters::git {

struct GitOptions {
  EpochMs timeout_ms = 10 * 60 * 1000;  // per git invocation
};

std::unique_ptr<SourceCheckout> NewGitSourceCheckout(GitOptions options = {});

}  // namespace sentinel::adapters::git
