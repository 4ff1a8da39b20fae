#pragma once
// IncidentStore (ports/incident_store.h) and OverviewStore over any Db: one
// SQL text for SQLite and PostgreSQL. The one-unresolved-incident-per-key rule
// is the schema's unique partial index; opening uses INSERT ... ON CONFLICT DO
// NOTHING and extends the winner when it loses. Thread-safe as the Db is; the
// Db must outlive the stores.

#include "ports/db.h"
#include "ports/incident_store.h"
#include "ports/notification_store.h"
#include "ports/overview_store.h"

namespace sentinel::sqlstore {

class SqlIncidentStore final : public IncidentStore {
 public:
  // outbox: the webhooks-out rows of each transition (ports/incident_store.h); empty: none.
  explicit SqlIncidentStore(Db& db, OutboxFn outbox = {}) : db_(db), outbox_(std::move(outbox)) {}

  [[nodiscard]] Result<EvaluationResult> EvaluateRun(std::int64_t run_id, const incidents::Thresholds& t,
                                                     const DecideFn& decide, EpochMs now) override;
  [[nodiscard]] Result<std::vector<std::int64_t>> PendingRuns(int limit) override;
  [[nodiscard]] Result<int> ApplyQuiet(const QuietFn& quiet, EpochMs now) override;
  [[nodiscard]] Result<Page<IncidentSummary>> List(const IncidentFilter& filter) override;
  [[nodiscard]] Result<IncidentDetail> Get(std::int64_t id, EpochMs now) override;
  [[nodiscard]] Result<std::map<std::int64_t, IncidentRef>> ForClusters(
      const std::vector<std::int64_t>& cluster_ids) override;
  [[nodiscard]] Result<std::vector<std::pair<std::int64_t, IncidentEvent>>> EventsAfter(std::int64_t after_id,
                                                                                        int limit) override;
  [[nodiscard]] Result<IncidentSummary> Transition(std::int64_t id, IncidentStatus to, const std::string& note,
                                                   EpochMs now) override;
  [[nodiscard]] Result<SilenceRecord> CreateSilence(const NewSilence& silence, EpochMs now) override;
  [[nodiscard]] Result<Page<SilenceRecord>> ListSilences(const ListQuery& page,
                                                         std::optional<EpochMs> active_at) override;
  [[nodiscard]] Status DeleteSilence(std::int64_t id) override;

 private:
  Db& db_;
  const OutboxFn outbox_;
};

class SqlOverviewStore final : public OverviewStore {
 public:
  explicit SqlOverviewStore(Db& db) : db_(db) {}
  [[nodiscard]] Result<OverviewFigures> Figures(EpochMs since, EpochMs worker_since) override;

 private:
  Db& db_;
};

}  // namespace sentinel::sqlstore
