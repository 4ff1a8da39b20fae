#include "cli/seeding.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "adapters/git/git_source_checkout.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/seed.h"
#include "ports/clock.h"

namespace sentinel::cli {
namespace fs = std::filesystem;

std::string ResolveSamplesDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("SENTINEL_SAMPLE_REPOS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (fs::is_directory("sample_repos", ec)) return fs::absolute("sample_repos", ec).string();
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      if (fs::is_directory(dir / "sample_repos", ec)) return (dir / "sample_repos").string();
    }
  }
  return {};
}

Status SeedAll(Db& db, const std::string& data_dir, const std::string& samples_dir, bool history,
               std::ostream& out) {
  if (samples_dir.empty())
    return Fail(ErrorCode::kNotFound,
                "cannot find the sample repositories; pass --samples DIR or set SENTINEL_SAMPLE_REPOS", "samples");
  sqlstore::SqlRepoStore repos(db);
  sqlstore::SqlRunStore runs(db);
  auto git = adapters::git::NewGitSourceCheckout();
  const EpochMs now = SystemClock().Now();
  auto seeded = SeedSampleRepos(repos, *git, samples_dir, (fs::path(data_dir) / "repos").string(), now);
  if (!seeded) return Fail(seeded.error());
  for (const Repo& repo : seeded->repos) {
    const bool is_new =
        std::find(seeded->created.begin(), seeded->created.end(), repo.name) != seeded->created.end();
    out << (is_new ? "registered " : "already registered ") << repo.name << " (id " << repo.id << ", " << repo.url
        << ")\n";
  }
  if (!history) return Ok();
  auto queued = SeedHistory(runs, seeded->repos, now);
  if (!queued) return Fail(queued.error());
  if (queued->empty()) {
    out << "history: the store already has runs; none queued\n";
  } else {
    out << "history: queued " << queued->size() << " demo runs (ids " << queued->front().id << ".."
        << queued->back().id << "); the workers run them\n";
  }
  return Ok();
}

}  // namespace sentinel::cli
