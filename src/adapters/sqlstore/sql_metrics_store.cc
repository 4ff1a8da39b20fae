#include "adapters/sqlstore/sql_metrics_store.h"

#include <map>

namespace sentinel::sqlstore {
namespace {

Status CountBy(Db& db, std::string_view sql, const SqlParams& params, std::map<std::string, std::int64_t>* out) {
  auto r = db.Exec(sql, params);
  if (!r) return Fail(r.error());
  for (const SqlRow& row : r->rows) (*out)[row.Text(0)] = row.Int(1);
  return Ok();
}

Result<std::int64_t> Count(Db& db, std::string_view sql) {
  auto r = db.Exec(sql);
  if (!r) return Fail(r.error());
  return r->rows.empty() ? 0 : r->rows[0].Int(0);
}

}  // namespace

Result<StoreGauges> SqlMetricsStore::Gauges(EpochMs live_since) {
  StoreGauges g;
  // runs_status_idx (status, id) covers this; incidents_status_idx and test_flakiness_class_idx the others.
  if (Status st = CountBy(db_, "SELECT status, COUNT(*) FROM runs GROUP BY status", {}, &g.runs_by_status); !st)
    return Fail(st.error());
  if (Status st = CountBy(db_, "SELECT status, COUNT(*) FROM workers WHERE heartbeat_at >= $1 GROUP BY status",
                          {live_since}, &g.workers_by_state);
      !st)
    return Fail(st.error());
  if (Status st = CountBy(db_,
                          "SELECT severity, COUNT(*) FROM incidents WHERE status IN ('open', 'mitigating') "
                          "GROUP BY severity",
                          {}, &g.open_incidents_by_severity);
      !st)
    return Fail(st.error());
  auto flaky = Count(db_, "SELECT COUNT(*) FROM test_flakiness WHERE classification = 'flaky'");
  if (!flaky) return Fail(flaky.error());
  g.flaky_tests = *flaky;
  auto stale = Count(db_, "SELECT COUNT(*) FROM stale_writes");
  if (!stale) return Fail(stale.error());
  g.stale_writes = *stale;
  return g;
}

Result<std::vector<RunEventFact>> SqlMetricsStore::RunEventsAfter(std::int64_t after_id, int limit) {
  // The run row is joined (by primary key) for "finished" events only.
  auto r = db_.Exec(
      "SELECT e.id, e.kind, e.message, e.run_id, e.at, r.status, r.started_at, r.finished_at "
      "FROM run_events e LEFT JOIN runs r ON r.id = e.run_id AND e.kind = 'finished' "
      "WHERE e.id > $1 ORDER BY e.id LIMIT $2",
      {after_id, static_cast<std::int64_t>(limit)});
  if (!r) return Fail(r.error());
  std::vector<RunEventFact> out;
  std::map<std::int64_t, size_t> finished;  // run id -> index in out
  for (const SqlRow& row : r->rows) {
    RunEventFact f;
    f.id = row.Int(0);
    f.kind = row.Text(1);
    f.message = row.Text(2);
    f.run_id = row.Int(3);
    f.at = row.Int(4);
    if (f.kind == "finished") {
      f.run_status = row.Text(5);
      if (!row.IsNull(6) && !row.IsNull(7)) f.run_duration_ms = row.Int(7) - row.Int(6);
      finished[f.run_id] = out.size();
    }
    out.push_back(std::move(f));
  }
  if (finished.empty()) return out;
  std::string in;
  SqlParams params;
  for (const auto& [run_id, index] : finished) {
    params.push_back(run_id);
    in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  auto steps = db_.Exec("SELECT run_id, status, duration_ms FROM steps WHERE run_id IN (" + in +
                            ") AND duration_ms IS NOT NULL AND status NOT IN ('pending', 'running', 'skipped') "
                            "ORDER BY run_id, idx",
                        params);
  if (!steps) return Fail(steps.error());
  for (const SqlRow& row : steps->rows) {
    auto it = finished.find(row.Int(0));
    if (it != finished.end()) out[it->second].step_durations.emplace_back(row.Text(1), row.Int(2));
  }
  return out;
}

Result<std::vector<FailureFact>> SqlMetricsStore::FailuresAfter(std::int64_t after_id, int limit) {
  auto r = db_.Exec("SELECT id, category FROM failures WHERE id > $1 ORDER BY id LIMIT $2",
                    {after_id, static_cast<std::int64_t>(limit)});
  if (!r) return Fail(r.error());
  std::vector<FailureFact> out;
  for (const SqlRow& row : r->rows) out.push_back({row.Int(0), row.Text(1)});
  return out;
}

}  // namespace sentinel::sqlstore
