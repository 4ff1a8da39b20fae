#pragma once
// Use cases for test history and flaky-test verdicts: list verdicts (filters
// as the client gave them), one test's detail, and quarantine changes. Thin
// over TestHistoryStore/RepoStore; thread-safe as the stores are.

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/repo_store.h"
#include "ports/test_history_store.h"

namespace sentinel::app {

struct ListTestsRequest {
  std::optional<std::string> repo;            // a repository id or name
  std::optional<std::string> classification;  // flaky, failing, stable or insufficient
  ListQuery page;
};

// Highest score first. kInvalidArgument naming the field for a bad filter,
// limit or cursor; kNotFound (field "repo") for an unknown repository.
[[nodiscard]] Result<Page<StoredVerdict>> ListTests(RepoStore& repos, TestHistoryStore& tests,
                                                   const ListTestsRequest& request);

// `id` is the test's numeric id, or (with `repo`, an id or name) its
// normalised test id. kNotFound (field "id") when no such test;
// kInvalidArgument (field "repo") for a test id without a repository.
[[nodiscard]] Result<TestDetail> GetTest(RepoStore& repos, TestHistoryStore& tests, const std::string& id,
                                         const std::optional<std::string>& repo);

struct QuarantineRequest {
  std::optional<std::string> signature;  // a failure signature, or "*"/absent with all = true
  bool all = false;                      // every signature
  std::string reason;                    // required, at most 2000 bytes
  std::string who;                       // required, at most 200 bytes
};

// Quarantines (or, with lift, releases) a test for one signature or all of
// them. kInvalidArgument naming the field (signature, all, reason, who);
// kNotFound (field "id") for an unknown test; kAlreadyExists when already
// quarantined; kNotFound (field "signature") when lifting what is not.
[[nodiscard]] Result<TestDetail> ChangeQuarantine(RepoStore& repos, TestHistoryStore& tests, const Clock& clock,
                                                  const std::string& id, const std::optional<std::string>& repo,
                                                  const QuarantineRequest& request, bool lift);

}  // namespace sentinel::app
