#pragma once
// RunStore (ports/run_store.h) over any Db: the same SQL for SQLite and
// PostgreSQL. Thread-safe as the Db is; the Db must outlive the store.

#include "ports/db.h"
#include "ports/run_store.h"

namespace sentinel::sqlstore {

class SqlRunStore final : public RunStore {
 public:
  explicit SqlRunStore(Db& db) : db_(db) {}

  // kNotFound (field "repo") when the repository does not exist.
  [[nodiscard]] Result<Run> Create(const NewRun& run, EpochMs now) override;
  [[nodiscard]] Result<Run> Get(std::int64_t id) override;
  // Steps in index order, test counts with the failed tests (at most
  // kMaxFailedTests), failures and events in insertion order.
  [[nodiscard]] Result<RunDetail> GetDetail(std::int64_t id) override;
  // Newest first. kInvalidArgument for a malformed cursor (field "cursor") or a
  // limit outside 1..500 (field "limit").
  [[nodiscard]] Result<Page<Run>> List(const RunFilter& filter) override;

  static constexpr int kMaxFailedTests = 1000;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
