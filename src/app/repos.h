#pragma once
// Use cases for registered repositories: create (with validation), list, get.
// Thin over RepoStore; no vendor types. Thread-safe as the store is.

#include <cstdint>
#include <string>

#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/repo_store.h"

namespace sentinel::app {

// Validates and registers a repository. kInvalidArgument (field "name" or
// "url") on a missing/malformed value: the name is [A-Za-z0-9._-]{1,100}, the
// url a non-empty local path, file:// or git URL without control characters.
// kAlreadyExists (field "name") when the name is taken. Nothing is written on error.
[[nodiscard]] Result<Repo> CreateRepo(RepoStore& repos, const Clock& clock, const std::string& name,
                                      const std::string& url);

// kInvalidArgument (field "limit") when the limit is outside 1..500.
[[nodiscard]] Result<Page<RepoSummary>> ListRepos(RepoStore& repos, const ListQuery& query);

// The repository with its last run and success rate. kNotFound (field "id") when absent.
[[nodiscard]] Result<RepoSummary> GetRepo(RepoStore& repos, std::int64_t id);

// kInvalidArgument (field) unless the value is a valid repository name.
[[nodiscard]] Status ValidateRepoName(const std::string& name, const std::string& field = "name");

// The largest page a list request may ask for.
inline constexpr int kMaxPageSize = 500;
inline constexpr int kDefaultPageSize = 50;
[[nodiscard]] Status ValidatePage(const ListQuery& query);

}  // namespace sentinel::app
