#pragma once
// RepoStore (ports/repo_store.h) over any Db: the same SQL for SQLite and
// PostgreSQL. Thread-safe as the Db is; the Db must outlive the store.

#include "ports/db.h"
#include "ports/repo_store.h"

namespace sentinel::sqlstore {

class SqlRepoStore final : public RepoStore {
 public:
  explicit SqlRepoStore(Db& db) : db_(db) {}

  // kInvalidArgument (field "name"/"url") for an empty name or url; kAlreadyExists
  // (field "name") when the name is taken.
  [[nodiscard]] Result<Repo> Create(const std::string& name, const std::string& url, EpochMs now) override;
  [[nodiscard]] Result<Repo> Get(std::int64_t id) override;
  [[nodiscard]] Result<Repo> GetByName(const std::string& name) override;
  // The repo with its last run and success rate (succeeded / finished, where
  // finished = succeeded, failed, timed_out or errored; cancelled runs don't count).
  [[nodiscard]] Result<RepoSummary> Summary(std::int64_t id) override;
  // Newest first. kInvalidArgument for a malformed cursor (field "cursor") or a
  // limit outside 1..500 (field "limit").
  [[nodiscard]] Result<Page<RepoSummary>> List(const ListQuery& q) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
