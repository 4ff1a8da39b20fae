#include "adapters/sqlstore/sql_run_store.h"

#include "adapters/sqlstore/rows.h"

namespace sentinel::sqlstore {
namespace {

Result<std::vector<Step>> LoadSteps(Db& db, std::int64_t run_id) {
  auto r = db.Exec(
      "SELECT idx, name, command, status, exit_code, attempts, started_at, finished_at, duration_ms, log_path, "
      "warnings FROM steps WHERE run_id = $1 ORDER BY idx",
      {run_id});
  if (!r) return Fail(r.error());
  std::vector<Step> steps;
  for (const SqlRow& row : r->rows) {
    Step s;
    s.run_id = run_id;
    s.index = static_cast<int>(row.Int(0));
    s.name = row.Text(1);
    s.command = row.Text(2);
    auto status = ParseStepStatus(row.Text(3));
    if (!status) return Fail(ErrorCode::kInternal, "step has an unknown status '" + row.Text(3) + "'");
    s.status = *status;
    s.exit_code = OptInt32(row, 4);
    s.attempts = static_cast<int>(row.Int(5));
    s.started_at = row.OptInt(6);
    s.finished_at = row.OptInt(7);
    s.duration_ms = row.OptInt(8);
    s.log_path = row.Text(9);
    auto warnings = DecodeStrings(row.Text(10), "steps.warnings");
    if (!warnings) return Fail(warnings.error());
    s.warnings = std::move(*warnings);
    steps.push_back(std::move(s));
  }
  return steps;
}

Status LoadTests(Db& db, std::int64_t run_id, RunDetail& d) {
  auto counts = db.Exec("SELECT outcome, COUNT(*) FROM test_results WHERE run_id = $1 GROUP BY outcome", {run_id});
  if (!counts) return Fail(counts.error());
  for (const SqlRow& row : counts->rows) {
    int n = static_cast<int>(row.Int(1));
    d.tests.total += n;
    switch (ParseTestOutcome(row.Text(0)).value_or(TestOutcome::kError)) {
      case TestOutcome::kPassed: d.tests.passed += n; break;
      case TestOutcome::kFailed: d.tests.failed += n; break;
      case TestOutcome::kSkipped: d.tests.skipped += n; break;
      case TestOutcome::kError: d.tests.errors += n; break;
    }
  }
  auto marked = db.Exec(
      "SELECT COALESCE(SUM(flaky), 0), COALESCE(SUM(quarantined), 0) FROM test_results WHERE run_id = $1 "
      "AND outcome IN ('failed', 'error')",
      {run_id});
  if (!marked) return Fail(marked.error());
  if (!marked->rows.empty()) {
    d.tests.flaky = static_cast<int>(marked->rows[0].Int(0));
    d.tests.quarantined = static_cast<int>(marked->rows[0].Int(1));
  }
  auto failed = db.Exec(
      "SELECT step_idx, suite, class_name, name, outcome, duration_ms, message, attempts, file, flaky, quarantined "
      "FROM test_results "
      "WHERE run_id = $1 AND outcome IN ('failed', 'error') ORDER BY id LIMIT " +
          std::to_string(SqlRunStore::kMaxFailedTests),
      {run_id});
  if (!failed) return Fail(failed.error());
  for (const SqlRow& row : failed->rows) {
    TestCaseResult t;
    t.run_id = run_id;
    t.step_index = static_cast<int>(row.Int(0));
    t.suite = row.Text(1);
    t.class_name = row.Text(2);
    t.name = row.Text(3);
    t.outcome = ParseTestOutcome(row.Text(4)).value_or(TestOutcome::kError);
    t.duration_ms = row.Int(5);
    t.message = row.Text(6);
    t.attempts = static_cast<int>(row.Int(7));
    t.file = row.Text(8);
    t.flaky = row.Int(9) != 0;
    t.quarantined = row.Int(10) != 0;
    d.failed_tests.push_back(std::move(t));
  }
  return Ok();
}

Result<std::vector<Failure>> LoadFailures(Db& db, std::int64_t run_id) {
  auto r = db.Exec(
      "SELECT id, step_idx, category, signature, fingerprint, cluster_id, confidence, title, evidence, hints, "
      "remediation, kb_version, created_at, flaky FROM failures WHERE run_id = $1 ORDER BY id",
      {run_id});
  if (!r) return Fail(r.error());
  std::vector<Failure> out;
  for (const SqlRow& row : r->rows) {
    Failure f;
    f.id = row.Int(0);
    f.run_id = run_id;
    f.step_index = static_cast<int>(row.Int(1));
    f.category = ParseFailureCategory(row.Text(2)).value_or(FailureCategory::kUnknown);
    f.signature = row.Text(3);
    f.fingerprint = row.Text(4);
    f.cluster_id = row.OptInt(5);
    f.confidence = row.Real(6);
    f.title = row.Text(7);
    auto evidence = DecodeEvidence(row.Text(8), "failures.evidence");
    if (!evidence) return Fail(evidence.error());
    f.evidence = std::move(*evidence);
    auto hints = DecodeStrings(row.Text(9), "failures.hints");
    if (!hints) return Fail(hints.error());
    f.hints = std::move(*hints);
    auto remediation = DecodeStrings(row.Text(10), "failures.remediation");
    if (!remediation) return Fail(remediation.error());
    f.remediation = std::move(*remediation);
    f.kb_version = row.Text(11);
    f.created_at = row.Int(12);
    f.flaky = row.Int(13) != 0;
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<RunEvent>> LoadEvents(Db& db, std::int64_t run_id) {
  auto r = db.Exec("SELECT at, kind, message, attempt FROM run_events WHERE run_id = $1 ORDER BY id", {run_id});
  if (!r) return Fail(r.error());
  std::vector<RunEvent> out;
  for (const SqlRow& row : r->rows) {
    out.push_back(RunEvent{run_id, row.Int(0), row.Text(1), row.Text(2), static_cast<int>(row.Int(3))});
  }
  return out;
}

}  // namespace

Result<Run> SqlRunStore::Create(const NewRun& nr, EpochMs now) {
  Run run;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto repo = s.Exec("SELECT name FROM repos WHERE id = $1", {nr.repo_id});
    if (!repo) return Fail(repo.error());
    if (repo->rows.empty()) {
      return Fail(ErrorCode::kNotFound, "repository " + std::to_string(nr.repo_id) + " does not exist", "repo");
    }
    auto ins = s.Exec(
        "INSERT INTO runs (repo_id, ref, scenario, status, created_at, queued_at, updated_at) "
        "VALUES ($1, $2, $3, 'queued', $4, $4, $4) RETURNING id",
        {nr.repo_id, nr.ref, nr.scenario, now});
    if (!ins) return Fail(ins.error());
    if (ins->rows.empty()) return Fail(ErrorCode::kInternal, "INSERT INTO runs returned no id");
    run.id = ins->rows[0].Int(0);
    auto ev = s.Exec("INSERT INTO run_events (run_id, at, kind, message, attempt) VALUES ($1, $2, 'queued', $3, 0)",
                     {run.id, now, nr.ref.empty() ? std::string("queued") : "queued for " + nr.ref});
    if (!ev) return Fail(ev.error());
    run.repo_name = repo->rows[0].Text(0);
    return Ok();
  });
  if (!st) return Fail(st.error());
  run.repo_id = nr.repo_id;
  run.ref = nr.ref;
  run.scenario = nr.scenario;
  run.status = RunStatus::kQueued;
  run.created_at = now;
  return run;
}

Result<Run> SqlRunStore::Get(std::int64_t id) {
  auto r = db_.Exec(std::string("SELECT ") + kRunColumns + " FROM runs r JOIN repos p ON p.id = r.repo_id WHERE r.id = $1",
                    {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "run " + std::to_string(id) + " does not exist", "run");
  return RunFromRow(r->rows[0]);
}

Result<RunDetail> SqlRunStore::GetDetail(std::int64_t id) {
  RunDetail d;
  auto run = Get(id);
  if (!run) return Fail(run.error());
  d.run = std::move(*run);
  auto steps = LoadSteps(db_, id);
  if (!steps) return Fail(steps.error());
  d.steps = std::move(*steps);
  if (auto st = LoadTests(db_, id, d); !st) return Fail(st.error());
  auto failures = LoadFailures(db_, id);
  if (!failures) return Fail(failures.error());
  d.failures = std::move(*failures);
  auto events = LoadEvents(db_, id);
  if (!events) return Fail(events.error());
  d.events = std::move(*events);
  return d;
}

Result<Page<Run>> SqlRunStore::List(const RunFilter& f) {
  auto bounds = DecodePage(f.page);
  if (!bounds) return Fail(bounds.error());
  std::string where;
  SqlParams params;
  auto add = [&](const std::string& cond, SqlValue v) {
    params.push_back(std::move(v));
    where += (where.empty() ? " WHERE " : " AND ") + cond + " $" + std::to_string(params.size());
  };
  if (f.repo_id) add("r.repo_id =", *f.repo_id);
  if (f.status) add("r.status =", std::string(Name(*f.status)));
  if (f.since) add("r.created_at >=", *f.since);
  if (bounds->before_id) add("r.id <", *bounds->before_id);
  auto r = db_.Exec(std::string("SELECT ") + kRunColumns + " FROM runs r JOIN repos p ON p.id = r.repo_id" + where +
                        " ORDER BY r.id DESC LIMIT " + std::to_string(bounds->limit + 1),
                    params);
  if (!r) return Fail(r.error());
  std::vector<Run> runs;
  for (const SqlRow& row : r->rows) {
    auto run = RunFromRow(row);
    if (!run) return Fail(run.error());
    runs.push_back(std::move(*run));
  }
  return MakePage(std::move(runs), bounds->limit, [](const Run& run) { return run.id; });
}

}  // namespace sentinel::sqlstore
