#pragma once
// NotificationStore (ports/notification_store.h) over any Db (table
// notifications, migration 0005). Thread-safe as the Db is; the Db must outlive the store.

#include "ports/db.h"
#include "ports/notification_store.h"

namespace sentinel::sqlstore {

// Writes one pending outbox row, due at `now`, in session s (a producer's
// transaction). Returns its id.
[[nodiscard]] Result<std::int64_t> InsertOutboxRow(SqlSession& s, const OutboxItem& item, EpochMs now);

class SqlNotificationStore final : public NotificationStore {
 public:
  explicit SqlNotificationStore(Db& db) : db_(db) {}

  [[nodiscard]] Result<std::int64_t> Enqueue(const OutboxItem& item, EpochMs now) override;
  [[nodiscard]] Result<std::vector<OutboxItem>> Due(EpochMs now, int limit) override;
  [[nodiscard]] Result<bool> Claim(const OutboxItem& item, EpochMs lease_until) override;
  [[nodiscard]] Status RecordAttempt(const OutboxItem& after, EpochMs now) override;
  [[nodiscard]] Result<std::vector<OutboxItem>> ForIncident(std::int64_t incident_id) override;
  [[nodiscard]] Result<OutboxItem> Get(std::int64_t id) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
