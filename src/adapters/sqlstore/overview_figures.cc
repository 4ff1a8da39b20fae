#include "adapters/sqlstore/overview_figures.h"

#include <string>

namespace sentinel::sqlstore {

Status RecordFinishedRun(SqlSession& s, std::int64_t run_id) {
  auto run = s.Exec("SELECT repo_id, status, finished_at FROM runs WHERE id = $1 AND finished_at IS NOT NULL", {run_id});
  if (!run) return Fail(run.error());
  if (run->rows.empty()) return Ok();
  const std::int64_t repo = run->rows[0].Int(0);
  const std::string status = run->rows[0].Text(1);
  const EpochMs at = run->rows[0].Int(2);
  const bool succeeded = status == "succeeded";
  if (!succeeded && status != "failed" && status != "timed_out" && status != "errored") return Ok();
  auto day = s.Exec(
      "INSERT INTO run_days (day_no, finished, succeeded) VALUES ($1, 1, $2) ON CONFLICT (day_no) DO UPDATE SET "
      "finished = run_days.finished + 1, succeeded = run_days.succeeded + excluded.succeeded",
      {at / 86400000, static_cast<std::int64_t>(succeeded ? 1 : 0)});
  if (!day) return Fail(day.error());
  if (!succeeded) {
    auto h = s.Exec(
        "INSERT INTO repo_health (repo_id, failing_since) VALUES ($1, $2) ON CONFLICT (repo_id) DO UPDATE SET "
        "failing_since = COALESCE(repo_health.failing_since, excluded.failing_since)",
        {repo, at});
    if (!h) return Fail(h.error());
    return Ok();
  }
  auto h = s.Exec("SELECT failing_since FROM repo_health WHERE repo_id = $1 AND failing_since IS NOT NULL", {repo});
  if (!h) return Fail(h.error());
  if (h->rows.empty()) return Ok();
  const EpochMs since = h->rows[0].Int(0);
  auto cas = s.Exec("UPDATE repo_health SET failing_since = NULL WHERE repo_id = $1 AND failing_since = $2",
                    {repo, since});
  if (!cas) return Fail(cas.error());
  if (cas->affected != 1) return Ok();  // another finish recorded this recovery
  auto rec = s.Exec(
      "INSERT INTO repo_recoveries (repo_id, failed_at, recovered_at, run_id) VALUES ($1, $2, $3, $4)",
      {repo, since, at, run_id});
  if (!rec) return Fail(rec.error());
  return Ok();
}

}  // namespace sentinel::sqlstore
