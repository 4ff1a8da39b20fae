#pragma once
// TestHistoryStore (ports/test_history_store.h) over any Db: the same SQL for
// SQLite and PostgreSQL. Verdicts are written by SqlExecutionStore::Finish
// (test_history.h); this store reads them and manages quarantines.
// Thread-safe as the Db is; the Db must outlive the store.

#include "ports/db.h"
#include "ports/test_history_store.h"

namespace sentinel::sqlstore {

class SqlTestHistoryStore final : public TestHistoryStore {
 public:
  explicit SqlTestHistoryStore(Db& db) : db_(db) {}

  [[nodiscard]] Result<Page<StoredVerdict>> List(const TestFilter& filter) override;
  [[nodiscard]] Result<TestDetail> Get(std::int64_t id) override;
  [[nodiscard]] Result<StoredVerdict> Find(std::int64_t repo_id, const std::string& test_id) override;
  [[nodiscard]] Result<Quarantine> AddQuarantine(std::int64_t id, const std::string& signature, const std::string& who,
                                                const std::string& reason, EpochMs now) override;
  [[nodiscard]] Status LiftQuarantine(std::int64_t id, const std::string& signature, const std::string& who,
                                      const std::string& reason, EpochMs now) override;
  [[nodiscard]] Result<std::vector<bool>> Quarantined(std::int64_t repo_id,
                                                      const std::vector<FailedTestRef>& failed) override;

 private:
  [[nodiscard]] Status LoadRecent(std::vector<StoredVerdict>& items);
  Db& db_;
};

}  // namespace sentinel::sqlstore
