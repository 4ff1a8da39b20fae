#include "adapters/sqlstore/sql_failure_store.h"

#include "adapters/sqlstore/clusters.h"
#include "adapters/sqlstore/rows.h"

namespace sentinel::sqlstore {

Result<std::vector<StoredFailure>> SqlFailureStore::ListForReclassify(const std::string& kb_version, bool all,
                                                                      int limit) {
  if (limit < 1 || limit > 100000) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1..100000, got " + std::to_string(limit), "limit");
  }
  auto r = db_.Exec(
      "SELECT f.id, f.run_id, f.step_idx, f.category, f.signature, f.fingerprint, f.cluster_id, f.kb_version, "
      "COALESCE(s.name, ''), COALESCE(s.status, 'failed'), s.exit_code, COALESCE(s.log_path, '') "
      "FROM failures f LEFT JOIN steps s ON s.run_id = f.run_id AND s.idx = f.step_idx "
      "WHERE ($1 = 1 OR f.kb_version <> $2) ORDER BY f.id LIMIT $3",
      {static_cast<std::int64_t>(all ? 1 : 0), kb_version, static_cast<std::int64_t>(limit)});
  if (!r) return Fail(r.error());
  std::vector<StoredFailure> out;
  out.reserve(r->rows.size());
  for (const SqlRow& row : r->rows) {
    StoredFailure sf;
    Failure& f = sf.failure;
    f.id = row.Int(0);
    f.run_id = row.Int(1);
    f.step_index = static_cast<int>(row.Int(2));
    auto cat = ParseFailureCategory(row.Text(3));
    if (!cat) {
      return Fail(ErrorCode::kInternal, "failure " + std::to_string(f.id) + " has an unknown category '" +
                                            row.Text(3) + "'", "category");
    }
    f.category = *cat;
    f.signature = row.Text(4);
    f.fingerprint = row.Text(5);
    f.cluster_id = row.OptInt(6);
    f.kb_version = row.Text(7);
    sf.step_name = row.Text(8);
    auto st = ParseStepStatus(row.Text(9));
    sf.step_status = st ? *st : StepStatus::kFailed;
    sf.exit_code = OptInt32(row, 10);
    sf.log_path = row.Text(11);
    auto t = db_.Exec(
        "SELECT suite, class_name, name, outcome, duration_ms, message, attempts, file FROM test_results "
        "WHERE run_id = $1 AND step_idx = $2 ORDER BY id",
        {f.run_id, static_cast<std::int64_t>(f.step_index)});
    if (!t) return Fail(t.error());
    for (const SqlRow& tr : t->rows) {
      TestCaseResult c;
      c.run_id = f.run_id;
      c.step_index = f.step_index;
      c.suite = tr.Text(0);
      c.class_name = tr.Text(1);
      c.name = tr.Text(2);
      auto outcome = ParseTestOutcome(tr.Text(3));
      c.outcome = outcome ? *outcome : TestOutcome::kError;
      c.duration_ms = tr.Int(4);
      c.message = tr.Text(5);
      c.attempts = static_cast<int>(tr.Int(6));
      c.file = tr.Text(7);
      sf.tests.push_back(std::move(c));
    }
    out.push_back(std::move(sf));
  }
  return out;
}

Result<std::optional<std::int64_t>> SqlFailureStore::UpdateFailure(std::int64_t id, const Failure& x, EpochMs now) {
  std::optional<std::int64_t> new_cluster;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto cur = s.Exec("SELECT run_id, fingerprint, cluster_id FROM failures WHERE id = $1", {id});
    if (!cur) return Fail(cur.error());
    if (cur->rows.empty()) {
      return Fail(ErrorCode::kNotFound, "failure " + std::to_string(id) + " does not exist", "failure");
    }
    const std::int64_t run_id = cur->rows[0].Int(0);
    const std::string old_fp = cur->rows[0].Text(1);
    const std::optional<std::int64_t> old_cluster = cur->rows[0].OptInt(2);
    new_cluster = old_cluster;
    const bool move = x.fingerprint != old_fp || (!old_cluster && !x.fingerprint.empty());
    if (move) {
      if (old_cluster) {
        auto dec = s.Exec("UPDATE clusters SET occurrences = occurrences - 1 WHERE id = $1 AND occurrences > 0",
                          {*old_cluster});
        if (!dec) return Fail(dec.error());
        // The run stays linked to the old cluster only while another of its failures is in it.
        auto unlink = s.Exec(
            "DELETE FROM cluster_runs WHERE cluster_id = $1 AND run_id = $2 AND NOT EXISTS "
            "(SELECT 1 FROM failures WHERE cluster_id = $1 AND run_id = $2 AND id <> $3)",
            {*old_cluster, run_id, id});
        if (!unlink) return Fail(unlink.error());
      }
      new_cluster.reset();
      if (!x.fingerprint.empty()) {
        auto c = UpsertCluster(s, run_id, x, now);
        if (!c) return Fail(c.error());
        new_cluster = *c;
      }
    }
    auto up = s.Exec(
        "UPDATE failures SET category = $2, signature = $3, fingerprint = $4, cluster_id = $5, confidence = $6, "
        "title = $7, evidence = $8, hints = $9, remediation = $10, kb_version = $11 WHERE id = $1",
        {id, std::string(Name(x.category)), x.signature, x.fingerprint,
         new_cluster ? SqlValue(*new_cluster) : SqlValue(nullptr), x.confidence, x.title, EncodeEvidence(x.evidence),
         EncodeStrings(x.hints), EncodeStrings(x.remediation), x.kb_version});
    if (!up) return Fail(up.error());
    return Ok();
  });
  if (!st) return Fail(st.error());
  return new_cluster;
}

}  // namespace sentinel::sqlstore
