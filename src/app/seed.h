#pragma once
// Seeding: registers the sample repositories (each turned into a real git
// repository under the data dir) and queues a mixed history of demo runs so a
// fresh dashboard is never empty. Idempotent: seeding twice registers nothing
// new and queues no second history. Not thread-safe with itself.

#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"
#include "ports/source_checkout.h"

namespace sentinel {

// The sample projects of CONTRACT.md section 6, in registration order.
inline const std::vector<std::string> kSampleRepoNames = {"demo-python", "demo-cpp", "demo-node"};

// The demo scenarios of CONTRACT.md section 1.
inline const std::vector<std::string> kScenarios = {"success", "testfail", "flaky", "timeout", "dns", "disk"};
bool IsScenario(const std::string& name);

struct SeedResult {
  std::vector<Repo> repos;     // every sample repo, registered now or before
  std::vector<std::string> created;  // names registered by this call
};

// For each name: makes `repos_dir/<name>` a git repository holding `samples_dir/<name>`
// (SourceCheckout::InitRepoFromDir) and registers it under that name with the repository's
// path as its url. A name already registered is left as it is. kNotFound naming the folder
// when a sample is missing.
[[nodiscard]] Result<SeedResult> SeedSampleRepos(RepoStore& repos, SourceCheckout& git, const std::string& samples_dir,
                                                 const std::string& repos_dir, EpochMs now);

// Queues the demo history over `repos` (successes, a failing test, flaky runs, a DNS and a
// disk failure, a timeout) unless the store already holds any run. Returns the runs queued
// (empty when there was history already). The workers, or the reconciler, pick them up.
[[nodiscard]] Result<std::vector<Run>> SeedHistory(RunStore& runs, const std::vector<Repo>& repos, EpochMs now);

}  // namespace sentinel
