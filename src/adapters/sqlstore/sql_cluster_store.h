#pragma once
// ClusterStore (ports/cluster_store.h) over any Db: the same SQL for SQLite
// and PostgreSQL. Read-only; clusters are written by SqlExecutionStore::Finish.
// Thread-safe as the Db is; the Db must outlive the store.

#include "ports/cluster_store.h"
#include "ports/db.h"

namespace sentinel::sqlstore {

class SqlClusterStore final : public ClusterStore {
 public:
  explicit SqlClusterStore(Db& db) : db_(db) {}

  // The cursor is "<last_seen>_<id>" of the page's last cluster (keyset paging:
  // a cluster seen again while a client pages moves to the front and is not
  // repeated on later pages).
  [[nodiscard]] Result<Page<ClusterSummary>> List(const ClusterFilter& filter) override;
  [[nodiscard]] Result<ClusterDetail> Get(std::int64_t id) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
