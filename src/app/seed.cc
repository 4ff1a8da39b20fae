#include "app/seed.h"

#include <algorithm>
#include <filesystem>

namespace sentinel {
namespace fs = std::filesystem;

bool IsScenario(const std::string& name) {
  return std::find(kScenarios.begin(), kScenarios.end(), name) != kScenarios.end();
}

Result<SeedResult> SeedSampleRepos(RepoStore& repos, SourceCheckout& git, const std::string& samples_dir,
                                   const std::string& repos_dir, EpochMs now) {
  SeedResult out;
  for (const std::string& name : kSampleRepoNames) {
    const fs::path src = fs::path(samples_dir) / name;
    std::error_code ec;
    if (!fs::is_directory(src, ec))
      return Fail(ErrorCode::kNotFound, "sample repository folder " + src.string() + " does not exist", "samples");
    const fs::path dest = fs::absolute(fs::path(repos_dir) / name, ec);
    auto sha = git.InitRepoFromDir(src.string(), dest.string(), "Sample project " + name);
    if (!sha) return Fail(sha.error());
    auto existing = repos.GetByName(name);
    if (existing) {
      out.repos.push_back(*existing);
      continue;
    }
    if (existing.error().code != ErrorCode::kNotFound) return Fail(existing.error());
    auto created = repos.Create(name, dest.string(), now);
    if (!created && created.error().code == ErrorCode::kAlreadyExists) {
      created = repos.GetByName(name);  // another seeder won the race
    } else if (created) {
      out.created.push_back(name);
    }
    if (!created) return Fail(created.error());
    out.repos.push_back(*created);
  }
  return out;
}

Result<std::vector<Run>> SeedHistory(RunStore& runs, const std::vector<Repo>& repos, EpochMs now) {
  RunFilter any;
  any.page.limit = 1;
  auto existing = runs.List(any);
  if (!existing) return Fail(existing.error());
  std::vector<Run> queued;
  if (!existing->items.empty()) return queued;
  // A history that shows every kind of effect: green runs, a failing test that repeats,
  // a test that flips, and one each of timeout, DNS and disk failures. The flaky samples fail
  // when run id % 3 == 1; on a fresh store (ids from 1, twelve per repo) the flaky runs here
  // land on both sides of that schedule.
  static const char* kHistory[] = {"success", "testfail", "flaky", "flaky",   "success", "testfail",
                                   "flaky",   "dns",      "disk",  "success", "testfail", "timeout"};
  for (const Repo& repo : repos) {
    for (const char* scenario : kHistory) {
      auto run = runs.Create(NewRun{repo.id, "", scenario}, now);
      if (!run) return Fail(run.error());
      queued.push_back(*run);
    }
  }
  return queued;
}

}  // namespace sentinel
