#pragma once
// MetricsStore (ports/metrics_store.h) over any Db: the same SQL for SQLite and
// PostgreSQL. Every query is an indexed COUNT/GROUP BY or a primary-key range
// read. Read-only. Thread-safe as the Db is; the Db must outlive the store.

#include "ports/db.h"
#include "ports/metrics_store.h"

namespace sentinel::sqlstore {

class SqlMetricsStore final : public MetricsStore {
 public:
  explicit SqlMetricsStore(Db& db) : db_(db) {}

  [[nodiscard]] Result<StoreGauges> Gauges(EpochMs live_since) override;
  [[nodiscard]] Result<std::vector<RunEventFact>> RunEventsAfter(std::int64_t after_id, int limit) override;
  [[nodiscard]] Result<std::vector<FailureFact>> FailuresAfter(std::int64_t after_id, int limit) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
