#pragma once
// The seam to source control: puts a repository's tree, at a ref, into a fresh
// workspace, and turns a plain directory (a sample project) into a repository.
// The real implementation drives the `git` binary (adapters/git). Thread-safe:
// calls on different directories may run concurrently.

#include <string>

#include "core/base/result.h"

namespace sentinel {

class SourceCheckout {
 public:
  virtual ~SourceCheckout() = default;

  // Checks out `url` (a local path, file:// URL or git URL) at `ref` (branch,
  // tag or commit sha; empty = the default branch's HEAD) into `dest_dir`,
  // which must not exist or be empty; the commit is checked out detached.
  // Returns the resolved commit sha (40 lowercase hex).
  // Errors: kInvalidArgument "ref 'x' not found in <url>"; kNotFound when the
  // repository does not exist; kUnavailable when it cannot be reached (git's
  // stderr excerpt in the message); kResourceExhausted when dest_dir's disk
  // (or quota, or file-size limit) is full; kFailedPrecondition when dest_dir is
  // not empty. On error, whatever this call created in dest_dir is removed.
  [[nodiscard]] virtual Result<std::string> Checkout(const std::string& url, const std::string& ref,
                                                     const std::string& dest_dir) = 0;

  // Makes dest_dir a repository whose branch `main` holds the tree of src_dir
  // (files ignored by src_dir's .gitignore are left out) in one commit with a
  // fixed author, committer and date, so the same tree always gives the same
  // sha. Idempotent: a repository already holding that tree is left alone; one
  // holding another tree gets one more commit on top. Returns the HEAD sha.
  // kFailedPrecondition when dest_dir exists, is not empty and is no repository.
  [[nodiscard]] virtual Result<std::string> InitRepoFromDir(const std::string& src_dir, const std::string& dest_dir,
                                                            const std::string& commit_message) = 0;
};

}  // namespace sentinel
