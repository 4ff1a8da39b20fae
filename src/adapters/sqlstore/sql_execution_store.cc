#include "adapters/sqlstore/sql_execution_store.h"

#include <nlohmann/json.hpp>

#include "adapters/sqlstore/clusters.h"
#include "adapters/sqlstore/incident_outbox.h"
#include "adapters/sqlstore/overview_figures.h"
#include "adapters/sqlstore/rows.h"
#include "adapters/sqlstore/test_history.h"

namespace sentinel::sqlstore {
namespace {

SqlValue I(int v) { return static_cast<std::int64_t>(v); }
SqlValue S(std::string_view v) { return std::string(v); }
SqlValue OptI(const std::optional<int>& v) {
  if (!v) return nullptr;
  return static_cast<std::int64_t>(*v);
}

Status AppendEvent(SqlSession& s, std::int64_t run_id, EpochMs at, std::string_view kind, const std::string& message,
                   int attempt) {
  auto r = s.Exec("INSERT INTO run_events (run_id, at, kind, message, attempt) VALUES ($1, $2, $3, $4, $5)",
                  {run_id, at, S(kind), message, I(attempt)});
  if (!r) return Fail(r.error());
  return Ok();
}

std::string Describe(const StepAttemptEnd& end, const std::string& name) {
  std::string m = "step " + name + " " + std::string(Name(end.status));
  if (end.exit_code) m += " (exit " + std::to_string(*end.exit_code) + ")";
  if (end.attempt_no > 1) m += " on attempt " + std::to_string(end.attempt_no);
  if (!end.reason.empty()) m += ": " + end.reason;
  return m;
}

}  // namespace

Status SqlExecutionStore::Fenced(const Fence& f, std::string_view what, EpochMs now, bool* cancel_requested,
                                 const std::function<Status(SqlSession&)>& body) {
  bool stale = false;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto guard = s.Exec(
        "UPDATE runs SET updated_at = $3 WHERE id = $1 AND attempt = $2 AND status = 'running' "
        "RETURNING cancel_requested",
        {f.run_id, I(f.attempt), now});
    if (!guard) return Fail(guard.error());
    if (guard->rows.empty()) {
      stale = true;
      return Fail(ErrorCode::kAborted, "stale write rejected: run " + std::to_string(f.run_id) + " attempt " +
                                           std::to_string(f.attempt) + " is no longer the running attempt (" +
                                           std::string(what) + ")");
    }
    if (cancel_requested != nullptr) *cancel_requested = guard->rows[0].Int(0) != 0;
    return body ? body(s) : Ok();
  });
  if (stale) {
    // Best effort: the rejection itself is the guarantee; the count is for operators.
    (void)db_.Exec("INSERT INTO stale_writes (run_id, attempt, worker, at, what) VALUES ($1, $2, $3, $4, $5)",
                   {f.run_id, I(f.attempt), f.worker, now, S(what)});
  }
  return st;
}

Result<Run> SqlExecutionStore::LoadRun(std::int64_t run_id) {
  auto r = db_.Exec(std::string("SELECT ") + kRunColumns + " FROM runs r JOIN repos p ON p.id = r.repo_id WHERE r.id = $1",
                    {run_id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "run " + std::to_string(run_id) + " does not exist", "run");
  return RunFromRow(r->rows[0]);
}

Result<ClaimedRun> SqlExecutionStore::Claim(std::int64_t run_id, const std::string& worker, EpochMs lease_ms,
                                            EpochMs now) {
  bool lost = false;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto up = s.Exec(
        "UPDATE runs SET status = 'running', attempt = attempt + 1, worker = $2, lease_expires_at = $3, "
        "started_at = $4, finished_at = NULL, updated_at = $4 WHERE id = $1 AND status = 'queued' RETURNING attempt",
        {run_id, worker, now + lease_ms, now});
    if (!up) return Fail(up.error());
    if (up->rows.empty()) {
      lost = true;
      return Fail(ErrorCode::kAborted, "run " + std::to_string(run_id) + " is not queued");
    }
    const int attempt = static_cast<int>(up->rows[0].Int(0));
    return AppendEvent(s, run_id, now, "claimed", "claimed by " + worker + " (attempt " + std::to_string(attempt) + ")",
                       attempt);
  });
  if (!st) {
    if (lost) {
      auto run = LoadRun(run_id);
      if (!run) return Fail(run.error());
      return Fail(ErrorCode::kAborted, "run " + std::to_string(run_id) + " is " + std::string(Name(run->status)) +
                                           ", not queued: someone else has it");
    }
    return Fail(st.error());
  }
  auto run = LoadRun(run_id);
  if (!run) return Fail(run.error());
  auto url = db_.Exec("SELECT url FROM repos WHERE id = $1", {run->repo_id});
  if (!url) return Fail(url.error());
  if (url->rows.empty()) return Fail(ErrorCode::kInternal, "the repository of run " + std::to_string(run_id) + " vanished");
  return ClaimedRun{std::move(*run), url->rows[0].Text(0)};
}

Result<LeaseState> SqlExecutionStore::ExtendLease(const Fence& f, EpochMs lease_ms, EpochMs now) {
  LeaseState state;
  Status st = Fenced(f, "extend lease", now, &state.cancel_requested, [&](SqlSession& s) -> Status {
    auto r = s.Exec("UPDATE runs SET lease_expires_at = $2 WHERE id = $1", {f.run_id, now + lease_ms});
    if (!r) return Fail(r.error());
    return Ok();
  });
  if (!st) return Fail(st.error());
  return state;
}

Status SqlExecutionStore::SetCommit(const Fence& f, const std::string& sha, EpochMs now) {
  return Fenced(f, "set commit", now, nullptr, [&](SqlSession& s) -> Status {
    auto r = s.Exec("UPDATE runs SET commit_sha = $2 WHERE id = $1", {f.run_id, sha});
    if (!r) return Fail(r.error());
    return AppendEvent(s, f.run_id, now, "checked_out", "checked out " + sha, f.attempt);
  });
}

Status SqlExecutionStore::PlanSteps(const Fence& f, const std::vector<StepPlan>& steps, EpochMs now) {
  return Fenced(f, "plan steps", now, nullptr, [&](SqlSession& s) -> Status {
    for (const char* table : {"steps", "test_results", "failures"}) {
      auto d = s.Exec(std::string("DELETE FROM ") + table + " WHERE run_id = $1", {f.run_id});
      if (!d) return Fail(d.error());
    }
    for (size_t i = 0; i < steps.size(); ++i) {
      auto r = s.Exec(
          "INSERT INTO steps (run_id, idx, name, command, status, timeout_ms, attempt) "
          "VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
          {f.run_id, I(static_cast<int>(i)), steps[i].name, steps[i].command, steps[i].timeout_ms, I(f.attempt)});
      if (!r) return Fail(r.error());
    }
    return Ok();
  });
}

Result<int> SqlExecutionStore::StartStep(const Fence& f, int index, const std::string& log_path, EpochMs now) {
  int attempt_no = 0;
  Status st = Fenced(f, "start step " + std::to_string(index), now, nullptr, [&](SqlSession& s) -> Status {
    auto up = s.Exec(
        "UPDATE steps SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, $3), "
        "log_path = $4 WHERE run_id = $1 AND idx = $2 RETURNING name",
        {f.run_id, I(index), now, log_path});
    if (!up) return Fail(up.error());
    if (up->rows.empty()) {
      return Fail(ErrorCode::kNotFound, "run " + std::to_string(f.run_id) + " has no step " + std::to_string(index),
                  "step");
    }
    const std::string name = up->rows[0].Text(0);
    auto n = s.Exec("SELECT COALESCE(MAX(attempt_no), 0) + 1 FROM step_attempts WHERE run_id = $1 AND idx = $2",
                    {f.run_id, I(index)});
    if (!n) return Fail(n.error());
    attempt_no = static_cast<int>(n->rows.at(0).Int(0));
    auto ins = s.Exec(
        "INSERT INTO step_attempts (run_id, idx, attempt_no, run_attempt, status, started_at) "
        "VALUES ($1, $2, $3, $4, 'running', $5)",
        {f.run_id, I(index), I(attempt_no), I(f.attempt), now});
    if (!ins) return Fail(ins.error());
    return AppendEvent(s, f.run_id, now, "step_started",
                       "step " + name + " started (attempt " + std::to_string(attempt_no) + ")", f.attempt);
  });
  if (!st) return Fail(st.error());
  return attempt_no;
}

Status SqlExecutionStore::FinishStepAttempt(const Fence& f, const StepAttemptEnd& end, EpochMs now) {
  return Fenced(f, "finish step " + std::to_string(end.index), now, nullptr, [&](SqlSession& s) -> Status {
    auto sa = s.Exec(
        "UPDATE step_attempts SET status = $4, exit_code = $5, finished_at = $6, reason = $7 "
        "WHERE run_id = $1 AND idx = $2 AND attempt_no = $3",
        {f.run_id, I(end.index), I(end.attempt_no), S(Name(end.status)), OptI(end.exit_code), now, end.reason});
    if (!sa) return Fail(sa.error());
    std::string name;
    if (end.final) {
      auto up = s.Exec(
          "UPDATE steps SET status = $3, exit_code = $4, finished_at = $5, duration_ms = COALESCE(duration_ms, 0) + $6, "
          "warnings = $7 WHERE run_id = $1 AND idx = $2 RETURNING name",
          {f.run_id, I(end.index), S(Name(end.status)), OptI(end.exit_code), now, end.duration_ms,
           EncodeStrings(end.warnings)});
      if (!up) return Fail(up.error());
      if (!up->rows.empty()) name = up->rows[0].Text(0);
    } else {
      auto up = s.Exec(
          "UPDATE steps SET duration_ms = COALESCE(duration_ms, 0) + $3 WHERE run_id = $1 AND idx = $2 RETURNING name",
          {f.run_id, I(end.index), end.duration_ms});
      if (!up) return Fail(up.error());
      if (!up->rows.empty()) name = up->rows[0].Text(0);
    }
    return AppendEvent(s, f.run_id, now, end.final ? "step_finished" : "step_retried", Describe(end, name), f.attempt);
  });
}

Status SqlExecutionStore::AddTestResults(const Fence& f, int index, const std::vector<TestCaseResult>& tests,
                                         EpochMs now) {
  return Fenced(f, "test results of step " + std::to_string(index), now, nullptr, [&](SqlSession& s) -> Status {
    for (const TestCaseResult& t : tests) {
      auto r = s.Exec(
          "INSERT INTO test_results (run_id, step_idx, suite, class_name, name, test_id, outcome, duration_ms, "
          "message, attempts, file, norm_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          {f.run_id, I(index), t.suite, t.class_name, t.name, t.TestId(), S(Name(t.outcome)), t.duration_ms, t.message,
           I(t.attempts), t.file, flaky::NormalizeTestId(t), flaky::TestFailureSignature(t)});
      if (!r) return Fail(r.error());
    }
    return Ok();
  });
}

Status SqlExecutionStore::AddEvent(const Fence& f, const std::string& kind, const std::string& message, EpochMs now) {
  return Fenced(f, "event " + kind, now, nullptr,
                [&](SqlSession& s) { return AppendEvent(s, f.run_id, now, kind, message, f.attempt); });
}

Status SqlExecutionStore::Finish(const Fence& f, const RunOutcome& o, const std::vector<Failure>& failures,
                                 EpochMs now) {
  if (!IsTerminal(o.status)) {
    return Fail(ErrorCode::kInvalidArgument, "a run cannot finish as " + std::string(Name(o.status)), "status");
  }
  return Fenced(f, "finish as " + std::string(Name(o.status)), now, nullptr, [&](SqlSession& s) -> Status {
    // The run's tests first: their verdicts decide which of its failures are flaky.
    auto flakiness = RecomputeRunTests(s, f.run_id, o.status, failures, flaky_, now);
    if (!flakiness) return Fail(flakiness.error());
    for (Failure x : failures) {
      auto step = flakiness->step_all_flaky.find(x.step_index);
      x.flaky = x.flaky || (x.category == FailureCategory::kTestFailure && step != flakiness->step_all_flaky.end() &&
                            step->second);
      std::optional<std::int64_t> cluster_id = x.cluster_id;
      if (!cluster_id && !x.fingerprint.empty()) {
        auto id = UpsertCluster(s, f.run_id, x, now);
        if (!id) return Fail(id.error());
        cluster_id = *id;
      }
      auto r = s.Exec(
          "INSERT INTO failures (run_id, step_idx, category, signature, fingerprint, cluster_id, confidence, title, "
          "evidence, hints, remediation, kb_version, created_at, flaky) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
          {f.run_id, I(x.step_index), S(Name(x.category)), x.signature, x.fingerprint,
           cluster_id ? SqlValue(*cluster_id) : SqlValue(nullptr), x.confidence, x.title, EncodeEvidence(x.evidence),
           EncodeStrings(x.hints), EncodeStrings(x.remediation), x.kb_version, now, I(x.flaky ? 1 : 0)});
      if (!r) return Fail(r.error());
    }
    auto sk = s.Exec("UPDATE steps SET status = 'skipped' WHERE run_id = $1 AND status IN ('pending', 'running')",
                     {f.run_id});
    if (!sk) return Fail(sk.error());
    const bool categorised =
        o.status == RunStatus::kFailed || o.status == RunStatus::kTimedOut || o.status == RunStatus::kErrored;
    auto up = s.Exec(
        "UPDATE runs SET status = $2, category = $3, reason = $4, finished_at = $5, lease_expires_at = NULL "
        "WHERE id = $1",
        {f.run_id, S(Name(o.status)), categorised ? S(Name(o.category)) : S(""), o.reason, now});
    if (!up) return Fail(up.error());
    if (Status q = QueueIncidentEvaluation(s, f.run_id, now); !q) return q;
    if (Status q = RecordFinishedRun(s, f.run_id); !q) return q;
    return AppendEvent(s, f.run_id, now, "finished", o.message.empty() ? std::string(Name(o.status)) : o.message,
                       f.attempt);
  });
}

Status SqlExecutionStore::HandBack(const Fence& f, const std::string& reason, EpochMs now) {
  return Fenced(f, "hand back", now, nullptr, [&](SqlSession& s) -> Status {
    auto up = s.Exec(
        "UPDATE runs SET status = 'queued', worker = '', lease_expires_at = NULL, queued_at = $2 WHERE id = $1",
        {f.run_id, now});
    if (!up) return Fail(up.error());
    return AppendEvent(s, f.run_id, now, "released", reason, f.attempt);
  });
}

Result<std::vector<QueuedRunRef>> SqlExecutionStore::QueuedRuns(int limit) {
  auto r = db_.Exec("SELECT id, COALESCE(queued_at, created_at) FROM runs WHERE status = 'queued' ORDER BY id LIMIT " +
                    std::to_string(limit));
  if (!r) return Fail(r.error());
  std::vector<QueuedRunRef> out;
  for (const SqlRow& row : r->rows) out.push_back(QueuedRunRef{row.Int(0), row.Int(1)});
  return out;
}

Result<std::vector<LeaseRef>> SqlExecutionStore::ExpiredLeases(EpochMs now, int limit) {
  auto r = db_.Exec(
      "SELECT id, attempt FROM runs WHERE status = 'running' AND lease_expires_at < $1 ORDER BY id LIMIT " +
          std::to_string(limit),
      {now});
  if (!r) return Fail(r.error());
  std::vector<LeaseRef> out;
  for (const SqlRow& row : r->rows) out.push_back(LeaseRef{row.Int(0), static_cast<int>(row.Int(1))});
  return out;
}

Result<Recovery> SqlExecutionStore::RecoverExpired(const LeaseRef& lease, int default_max_retries, EpochMs now) {
  Recovery what = Recovery::kRequeued;
  bool lost = false;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto cas = s.Exec(
        "UPDATE runs SET updated_at = $3 WHERE id = $1 AND attempt = $2 AND status = 'running' "
        "AND lease_expires_at < $3 RETURNING retry_count, max_retries, cancel_requested, worker",
        {lease.run_id, I(lease.attempt), now});
    if (!cas) return Fail(cas.error());
    if (cas->rows.empty()) {
      lost = true;
      return Fail(ErrorCode::kAborted, "run " + std::to_string(lease.run_id) + " attempt " +
                                           std::to_string(lease.attempt) + " is no longer a lost lease");
    }
    const SqlRow& row = cas->rows[0];
    const int retries = static_cast<int>(row.Int(0));
    const int limit = row.Int(1) > 0 ? static_cast<int>(row.Int(1)) : default_max_retries;
    const bool cancel = row.Int(2) != 0;
    const std::string who = "lease of worker " + row.Text(3) + " expired (attempt " + std::to_string(lease.attempt) + ")";
    Result<SqlResult> up;
    std::string kind = "worker_lost", message;
    if (cancel) {
      what = Recovery::kCancelled;
      kind = "cancelled";
      message = who + "; the run was being cancelled";
      up = s.Exec(
          "UPDATE runs SET status = 'cancelled', reason = 'cancelled', finished_at = $2, lease_expires_at = NULL "
          "WHERE id = $1",
          {lease.run_id, now});
    } else if (retries < limit) {
      what = Recovery::kRequeued;
      message = who + "; requeued (retry " + std::to_string(retries + 1) + " of " + std::to_string(limit) + ")";
      up = s.Exec(
          "UPDATE runs SET status = 'queued', retry_count = retry_count + 1, worker = '', lease_expires_at = NULL, "
          "queued_at = $2 WHERE id = $1",
          {lease.run_id, now});
    } else {
      what = Recovery::kErrored;
      message = who + "; retries exhausted (" + std::to_string(limit) + "), run errored";
      up = s.Exec(
          "UPDATE runs SET status = 'errored', category = 'infrastructure', reason = 'worker_lost', finished_at = $2, "
          "lease_expires_at = NULL WHERE id = $1",
          {lease.run_id, now});
    }
    if (!up) return Fail(up.error());
    if (what != Recovery::kRequeued) {
      if (Status q = QueueIncidentEvaluation(s, lease.run_id, now); !q) return q;
      if (Status q = RecordFinishedRun(s, lease.run_id); !q) return q;
      auto sk = s.Exec(
          "UPDATE steps SET status = CASE WHEN status = 'running' THEN 'errored' ELSE 'skipped' END "
          "WHERE run_id = $1 AND status IN ('pending', 'running')",
          {lease.run_id});
      if (!sk) return Fail(sk.error());
    }
    return AppendEvent(s, lease.run_id, now, kind, message, lease.attempt);
  });
  if (!st) return Fail(st.error());
  (void)lost;
  return what;
}

Result<std::vector<std::int64_t>> SqlExecutionStore::FailQueueTimedOut(EpochMs now, EpochMs queue_timeout_ms) {
  const EpochMs cutoff = now - queue_timeout_ms;
  auto r = db_.Exec(
      "SELECT id FROM runs WHERE status = 'queued' AND COALESCE(queued_at, created_at) < $1 ORDER BY id LIMIT 1000",
      {cutoff});
  if (!r) return Fail(r.error());
  std::vector<std::int64_t> failed;
  for (const SqlRow& row : r->rows) {
    const std::int64_t id = row.Int(0);
    bool done = false;
    Status st = db_.Transact([&](SqlSession& s) -> Status {
      auto up = s.Exec(
          "UPDATE runs SET status = 'failed', category = 'infrastructure', reason = 'queue_timeout', finished_at = $2, "
          "updated_at = $2 WHERE id = $1 AND status = 'queued' AND COALESCE(queued_at, created_at) < $3 "
          "RETURNING attempt",
          {id, now, cutoff});
      if (!up) return Fail(up.error());
      if (up->rows.empty()) return Ok();
      done = true;
      if (Status q = QueueIncidentEvaluation(s, id, now); !q) return q;
      if (Status q = RecordFinishedRun(s, id); !q) return q;
      return AppendEvent(s, id, now, "queue_timeout",
                         "still queued after " + std::to_string(queue_timeout_ms / 1000) + "s; no worker took it",
                         static_cast<int>(up->rows[0].Int(0)));
    });
    if (!st) return Fail(st.error());
    if (done) failed.push_back(id);
  }
  return failed;
}

Result<Run> SqlExecutionStore::RequestCancel(std::int64_t run_id, EpochMs now) {
  std::string refusal;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto q = s.Exec(
        "UPDATE runs SET status = 'cancelled', reason = 'cancelled', finished_at = $2, updated_at = $2 "
        "WHERE id = $1 AND status = 'queued' RETURNING attempt",
        {run_id, now});
    if (!q) return Fail(q.error());
    if (!q->rows.empty()) {
      auto sk = s.Exec("UPDATE steps SET status = 'skipped' WHERE run_id = $1 AND status IN ('pending', 'running')",
                       {run_id});
      if (!sk) return Fail(sk.error());
      return AppendEvent(s, run_id, now, "cancelled", "cancelled while queued", static_cast<int>(q->rows[0].Int(0)));
    }
    auto r = s.Exec(
        "UPDATE runs SET cancel_requested = 1, updated_at = $2 WHERE id = $1 AND status = 'running' RETURNING attempt",
        {run_id, now});
    if (!r) return Fail(r.error());
    if (!r->rows.empty()) {
      return AppendEvent(s, run_id, now, "cancel_requested", "cancel requested; the worker stops the running step",
                         static_cast<int>(r->rows[0].Int(0)));
    }
    auto cur = s.Exec("SELECT status FROM runs WHERE id = $1", {run_id});
    if (!cur) return Fail(cur.error());
    if (cur->rows.empty()) {
      return Fail(ErrorCode::kNotFound, "run " + std::to_string(run_id) + " does not exist", "id");
    }
    return Fail(ErrorCode::kFailedPrecondition, "run " + std::to_string(run_id) + " is " + cur->rows[0].Text(0) +
                                                    "; only a queued or running run can be cancelled");
  });
  if (!st) return Fail(st.error());
  return LoadRun(run_id);
}

Result<Run> SqlExecutionStore::Retry(std::int64_t run_id, EpochMs now) {
  std::int64_t new_id = 0;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto cur = s.Exec("SELECT repo_id, ref, scenario, status, max_retries, attempt FROM runs WHERE id = $1", {run_id});
    if (!cur) return Fail(cur.error());
    if (cur->rows.empty()) {
      return Fail(ErrorCode::kNotFound, "run " + std::to_string(run_id) + " does not exist", "id");
    }
    const SqlRow& row = cur->rows[0];
    auto status = ParseRunStatus(row.Text(3));
    if (!status || !IsTerminal(*status)) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "run " + std::to_string(run_id) + " is " + row.Text(3) + "; only a finished run can be retried");
    }
    auto ins = s.Exec(
        "INSERT INTO runs (repo_id, ref, scenario, status, max_retries, retry_of, created_at, queued_at, updated_at) "
        "VALUES ($1, $2, $3, 'queued', $4, $5, $6, $6, $6) RETURNING id",
        {row.Int(0), row.Text(1), row.Text(2), row.Int(4), run_id, now});
    if (!ins) return Fail(ins.error());
    new_id = ins->rows.at(0).Int(0);
    if (auto e = AppendEvent(s, new_id, now, "queued", "queued: retry of run " + std::to_string(run_id), 0); !e) return e;
    return AppendEvent(s, run_id, now, "retried", "retried as run " + std::to_string(new_id),
                       static_cast<int>(row.Int(5)));
  });
  if (!st) return Fail(st.error());
  return LoadRun(new_id);
}

Result<std::int64_t> SqlExecutionStore::StaleWriteCount() {
  auto r = db_.Exec("SELECT COUNT(*) FROM stale_writes");
  if (!r) return Fail(r.error());
  return r->rows.at(0).Int(0);
}

Result<std::optional<GreenStepLog>> SqlExecutionStore::LastGreenStepLog(std::int64_t repo_id,
                                                                        const std::string& step_name,
                                                                        std::int64_t before_run_id) {
  auto r = db_.Exec(
      "SELECT s.run_id, s.log_path FROM steps s JOIN runs r ON r.id = s.run_id "
      "WHERE r.repo_id = $1 AND s.name = $2 AND s.status = 'succeeded' AND s.run_id < $3 AND s.log_path <> '' "
      "ORDER BY s.run_id DESC LIMIT 1",
      {repo_id, step_name, before_run_id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return std::optional<GreenStepLog>{};
  return std::optional<GreenStepLog>{GreenStepLog{r->rows[0].Int(0), r->rows[0].Text(1)}};
}

// ---------------------------------------------------------------- workers

Status SqlWorkerRegistry::Upsert(const WorkerRecord& w) {
  auto r = db_.Exec(
      "INSERT INTO workers (id, hostname, pid, started_at, heartbeat_at, status, current_run_id) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET hostname = excluded.hostname, "
      "pid = excluded.pid, heartbeat_at = excluded.heartbeat_at, status = excluded.status, "
      "current_run_id = excluded.current_run_id",
      {w.id, w.hostname, w.pid, w.started_at, w.heartbeat_at, w.status,
       w.current_run_id ? SqlValue(*w.current_run_id) : SqlValue(nullptr)});
  if (!r) return Fail(r.error());
  return Ok();
}

Status SqlWorkerRegistry::Remove(const std::string& id) {
  auto r = db_.Exec("DELETE FROM workers WHERE id = $1", {id});
  if (!r) return Fail(r.error());
  return Ok();
}

Result<std::vector<WorkerRecord>> SqlWorkerRegistry::List(EpochMs since) {
  auto r = db_.Exec(
      "SELECT id, hostname, pid, started_at, heartbeat_at, status, current_run_id FROM workers "
      "WHERE heartbeat_at >= $1 ORDER BY id",
      {since});
  if (!r) return Fail(r.error());
  std::vector<WorkerRecord> out;
  for (const SqlRow& row : r->rows) {
    out.push_back(WorkerRecord{row.Text(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4), row.Text(5), row.OptInt(6)});
  }
  return out;
}

Result<std::int64_t> SqlWorkerRegistry::Prune(EpochMs before) {
  auto r = db_.Exec("DELETE FROM workers WHERE heartbeat_at < $1", {before});
  if (!r) return Fail(r.error());
  return r->affected;
}

}  // namespace sentinel::sqlstore
