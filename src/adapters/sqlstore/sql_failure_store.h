#pragma once
// FailureStore over ports/db.h (SQLite and PostgreSQL alike): the stored
// failures `sentinel reclassify` re-triages, and the rewrite of one failure
// with its cluster move. Thread-safe as the Db is.

#include "ports/db.h"
#include "ports/failure_store.h"

namespace sentinel::sqlstore {

class SqlFailureStore final : public FailureStore {
 public:
  explicit SqlFailureStore(Db& db) : db_(db) {}

  Result<std::vector<StoredFailure>> ListForReclassify(const std::string& kb_version, bool all, int limit) override;
  Result<std::optional<std::int64_t>> UpdateFailure(std::int64_t id, const Failure& updated, EpochMs now) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
