#include "adapters/sqlstore/sql_retention_store.h"

#include <string>

namespace sentinel::sqlstore {
namespace {

// A finished run (alias r) older than $1 that nothing still refers to.
constexpr char kExpired[] =
    "r.status NOT IN ('queued', 'running') AND r.finished_at IS NOT NULL AND r.finished_at < $1 "
    "AND NOT EXISTS (SELECT 1 FROM incident_runs ir JOIN incidents i ON i.id = ir.incident_id "
    "                WHERE ir.run_id = r.id AND i.status <> 'resolved') "
    "AND NOT EXISTS (SELECT 1 FROM cluster_runs cr JOIN incidents i ON i.cluster_id = cr.cluster_id "
    "                WHERE cr.run_id = r.id AND i.status <> 'resolved') "
    "AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.representative_run_id = r.id) "
    "AND NOT EXISTS (SELECT 1 FROM runs later WHERE later.retry_of = r.id) "
    "AND NOT EXISTS (SELECT 1 FROM test_flakiness t WHERE t.last_failing_run_id = r.id) "
    // A failing result of the test of an unresolved flaky-test incident (its impact and related runs).
    "AND NOT EXISTS (SELECT 1 FROM test_results tr JOIN incidents i ON i.repo_id = tr.repo_id AND i.rule = 'flaky_test' "
    "                AND i.status <> 'resolved' AND i.key = 'flaky:' || tr.repo_id || ':' || tr.norm_id "
    "                WHERE tr.run_id = r.id AND tr.outcome IN ('failed', 'error'))";

// "$first, $first+1, ..." for n values, appended to params.
std::string InList(const std::vector<std::int64_t>& ids, SqlParams* params) {
  std::string in;
  for (std::int64_t id : ids) {
    params->push_back(id);
    in += (in.empty() ? "$" : ", $") + std::to_string(params->size());
  }
  return in;
}

std::set<std::int64_t> Ids(const SqlResult& r) {
  std::set<std::int64_t> out;
  for (const SqlRow& row : r.rows) out.insert(row.Int(0));
  return out;
}

}  // namespace

Result<std::vector<std::int64_t>> SqlRetentionStore::ExpiredRuns(EpochMs before, std::int64_t after_id, int limit) {
  auto r = db_.Exec(std::string("SELECT r.id FROM runs r WHERE r.id > $2 AND ") + kExpired + " ORDER BY r.id LIMIT $3",
                    {before, after_id, static_cast<std::int64_t>(limit)});
  if (!r) return Fail(r.error());
  std::vector<std::int64_t> out;
  for (const SqlRow& row : r->rows) out.push_back(row.Int(0));
  return out;
}

Result<std::set<std::int64_t>> SqlRetentionStore::LogsExpired(const std::vector<std::int64_t>& ids, EpochMs before) {
  if (ids.empty()) return std::set<std::int64_t>{};
  SqlParams params{before};
  const std::string in = InList(ids, &params);
  auto expired = db_.Exec(std::string("SELECT r.id FROM runs r WHERE r.id IN (") + in + ") AND " + kExpired, params);
  if (!expired) return Fail(expired.error());
  SqlParams present_params;
  const std::string in2 = InList(ids, &present_params);
  auto present = db_.Exec("SELECT id FROM runs WHERE id IN (" + in2 + ")", present_params);
  if (!present) return Fail(present.error());
  std::set<std::int64_t> out = Ids(*expired);
  const std::set<std::int64_t> known = Ids(*present);
  for (std::int64_t id : ids)
    if (!known.count(id)) out.insert(id);  // the run is gone: its logs are orphans
  return out;
}

Result<std::set<std::int64_t>> SqlRetentionStore::ActiveRuns(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::set<std::int64_t>{};
  SqlParams params;
  const std::string in = InList(ids, &params);
  auto r = db_.Exec("SELECT id FROM runs WHERE id IN (" + in + ") AND status IN ('queued', 'running')", params);
  if (!r) return Fail(r.error());
  return Ids(*r);
}

Result<std::int64_t> SqlRetentionStore::DeleteRuns(const std::vector<std::int64_t>& ids, EpochMs before) {
  if (ids.empty()) return std::int64_t{0};
  std::int64_t deleted = 0;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    // Re-check inside the transaction: a run may have become referenced since it was listed.
    SqlParams params{before};
    const std::string in = InList(ids, &params);
    auto still = s.Exec(std::string("SELECT r.id FROM runs r WHERE r.id IN (") + in + ") AND " + kExpired, params);
    if (!still) return Fail(still.error());
    std::vector<std::int64_t> doomed;
    for (const SqlRow& row : still->rows) doomed.push_back(row.Int(0));
    if (doomed.empty()) return Ok();
    SqlParams p;
    const std::string list = InList(doomed, &p);
    for (const char* table : {"run_events", "step_attempts", "steps", "test_results", "failures", "cluster_runs",
                              "incident_runs"}) {
      auto r = s.Exec(std::string("DELETE FROM ") + table + " WHERE run_id IN (" + list + ")", p);
      if (!r) return Fail(r.error());
    }
    auto r = s.Exec("DELETE FROM runs WHERE id IN (" + list + ")", p);
    if (!r) return Fail(r.error());
    deleted = r->affected;
    return Ok();
  });
  if (!st) return Fail(st.error());
  return deleted;
}

}  // namespace sentinel::sqlstore
