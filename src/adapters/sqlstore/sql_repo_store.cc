#include "adapters/sqlstore/sql_repo_store.h"

#include <map>

#include "adapters/sqlstore/rows.h"

namespace sentinel::sqlstore {
namespace {

constexpr const char* kRepoColumns = "id, name, url, created_at";
// The statuses counted as finished for the success rate (cancelled is not).
constexpr const char* kFinished = "('succeeded', 'failed', 'timed_out', 'errored')";

struct Counts {
  std::int64_t finished = 0;
  std::int64_t succeeded = 0;
};

// "$first, $first+1, ..." for n values.
std::string Placeholders(size_t first, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (i ? ", $" : "$") + std::to_string(first + i);
  return s;
}

// Last run and run counts of the given repos, in three queries whatever their number.
Status FillSummaries(Db& db, std::vector<RepoSummary>& summaries) {
  if (summaries.empty()) return Ok();
  SqlParams ids;
  for (const auto& s : summaries) ids.emplace_back(s.repo.id);
  std::string in = "(" + Placeholders(1, ids.size()) + ")";

  auto counts = db.Exec(std::string("SELECT repo_id, "
                                    "SUM(CASE WHEN status IN ") + kFinished + " THEN 1 ELSE 0 END), "
                            "SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) "
                            "FROM runs WHERE repo_id IN " + in + " GROUP BY repo_id",
                        ids);
  if (!counts) return Fail(counts.error());
  std::map<std::int64_t, Counts> by_repo;
  for (const SqlRow& row : counts->rows) by_repo[row.Int(0)] = Counts{row.Int(1), row.Int(2)};

  auto last = db.Exec(std::string("SELECT ") + kRunColumns +
                          " FROM runs r JOIN repos p ON p.id = r.repo_id WHERE r.id IN "
                          "(SELECT MAX(id) FROM runs WHERE repo_id IN " + in + " GROUP BY repo_id)",
                      ids);
  if (!last) return Fail(last.error());
  std::map<std::int64_t, Run> last_by_repo;
  for (const SqlRow& row : last->rows) {
    auto run = RunFromRow(row);
    if (!run) return Fail(run.error());
    last_by_repo[run->repo_id] = std::move(*run);
  }

  for (auto& s : summaries) {
    if (auto it = by_repo.find(s.repo.id); it != by_repo.end()) {
      s.finished_runs = it->second.finished;
      s.succeeded_runs = it->second.succeeded;
    }
    if (s.finished_runs > 0) {
      s.success_rate = static_cast<double>(s.succeeded_runs) / static_cast<double>(s.finished_runs);
    }
    if (auto it = last_by_repo.find(s.repo.id); it != last_by_repo.end()) s.last_run = it->second;
  }
  return Ok();
}

Result<Repo> GetOne(Db& db, const std::string& where, const SqlValue& key, const std::string& what) {
  auto r = db.Exec(std::string("SELECT ") + kRepoColumns + " FROM repos WHERE " + where, {key});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "repository " + what + " does not exist", "repo");
  return RepoFromRow(r->rows[0]);
}

}  // namespace

Result<Repo> SqlRepoStore::Create(const std::string& name, const std::string& url, EpochMs now) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "a repository needs a name", "name");
  if (url.empty()) return Fail(ErrorCode::kInvalidArgument, "a repository needs a url", "url");
  auto r = db_.Exec("INSERT INTO repos (name, url, created_at) VALUES ($1, $2, $3) RETURNING id", {name, url, now});
  if (!r) {
    if (r.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "a repository named '" + name + "' already exists", "name");
    }
    return Fail(r.error());
  }
  if (r->rows.empty()) return Fail(ErrorCode::kInternal, "INSERT INTO repos returned no id");
  return Repo{r->rows[0].Int(0), name, url, now};
}

Result<Repo> SqlRepoStore::Get(std::int64_t id) { return GetOne(db_, "id = $1", id, std::to_string(id)); }

Result<Repo> SqlRepoStore::GetByName(const std::string& name) {
  return GetOne(db_, "name = $1", name, "'" + name + "'");
}

Result<RepoSummary> SqlRepoStore::Summary(std::int64_t id) {
  auto repo = Get(id);
  if (!repo) return Fail(repo.error());
  std::vector<RepoSummary> one(1);
  one[0].repo = std::move(*repo);
  if (auto st = FillSummaries(db_, one); !st) return Fail(st.error());
  return std::move(one[0]);
}

Result<Page<RepoSummary>> SqlRepoStore::List(const ListQuery& q) {
  auto bounds = DecodePage(q);
  if (!bounds) return Fail(bounds.error());
  std::string sql = std::string("SELECT ") + kRepoColumns + " FROM repos";
  SqlParams params;
  if (bounds->before_id) {
    sql += " WHERE id < $1";
    params.emplace_back(*bounds->before_id);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(bounds->limit + 1);
  auto r = db_.Exec(sql, params);
  if (!r) return Fail(r.error());
  std::vector<RepoSummary> items;
  for (const SqlRow& row : r->rows) {
    auto repo = RepoFromRow(row);
    if (!repo) return Fail(repo.error());
    RepoSummary summary;
    summary.repo = std::move(*repo);
    items.push_back(std::move(summary));
  }
  Page<RepoSummary> page = MakePage(std::move(items), bounds->limit, [](const RepoSummary& s) { return s.repo.id; });
  if (auto st = FillSummaries(db_, page.items); !st) return Fail(st.error());
  return page;
}

}  // namespace sentinel::sqlstore
