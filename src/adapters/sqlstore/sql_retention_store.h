#pragma once
// RetentionStore (ports/retention_store.h) over any Db: the same SQL for SQLite
// and PostgreSQL; the "referenced" rule is one SQL predicate used by every
// query. Thread-safe as the Db is; the Db must outlive the store.

#include "ports/db.h"
#include "ports/retention_store.h"

namespace sentinel::sqlstore {

class SqlRetentionStore final : public RetentionStore {
 public:
  explicit SqlRetentionStore(Db& db) : db_(db) {}

  [[nodiscard]] Result<std::vector<std::int64_t>> ExpiredRuns(EpochMs before, std::int64_t after_id,
                                                              int limit) override;
  [[nodiscard]] Result<std::set<std::int64_t>> LogsExpired(const std::vector<std::int64_t>& ids,
                                                           EpochMs before) override;
  [[nodiscard]] Result<std::set<std::int64_t>> ActiveRuns(const std::vector<std::int64_t>& ids) override;
  [[nodiscard]] Result<std::int64_t> DeleteRuns(const std::vector<std::int64_t>& ids, EpochMs before) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
