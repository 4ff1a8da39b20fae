#include "adapters/sqlstore/sql_incident_store.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "adapters/sqlstore/rows.h"
#include "adapters/sqlstore/sql_notification_store.h"
#include "core/base/time.h"

namespace sentinel::sqlstore {
namespace {

using incidents::IncidentChange;
using incidents::IncidentState;

constexpr const char* kFinishedCounted = "('succeeded', 'failed', 'timed_out', 'errored')";
constexpr int kMaxWindowRuns = 1000;    // runs of a window looked at per rule
constexpr int kMaxTimeline = 2000;
constexpr int kMaxRelatedRuns = 500;

// A related run from the columns id, repo_id, repo name, status, commit_sha, created_at, finished_at.
IncidentRun RelatedRunFrom(const SqlRow& row) {
  IncidentRun r;
  r.run_id = row.Int(0);
  r.repo_id = row.Int(1);
  r.repo_name = row.Text(2);
  r.status = ParseRunStatus(row.Text(3)).value_or(RunStatus::kFailed);
  r.commit = row.Text(4);
  r.created_at = row.Int(5);
  r.finished_at = row.OptInt(6);
  return r;
}

constexpr int kMaxTestIds = 50;

// Queue events of an incident's runs that belong on its timeline.
constexpr const char* kQueueEventKinds =
    "('worker_lost', 'released', 'queue_timeout', 'step_retried', 'cancel_requested', 'cancelled', 'retried')";

std::string IdList(const std::set<std::int64_t>& ids) {
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

SqlValue Opt(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }

constexpr const char* kSummaryColumns =
    "i.id, i.key, i.title, i.status, i.severity, i.cluster_id, i.repo_id, i.opened_at, i.resolved_at, i.updated_at, "
    "i.rule, i.category, COALESCE(p.name, ''), (SELECT COUNT(*) FROM incident_runs ir WHERE ir.incident_id = i.id)";
constexpr const char* kSummaryFrom = " FROM incidents i LEFT JOIN repos p ON p.id = i.repo_id";

Result<IncidentSummary> SummaryFromRow(const SqlRow& row) {
  IncidentSummary s;
  Incident& i = s.incident;
  i.id = row.Int(0);
  i.key = row.Text(1);
  i.title = row.Text(2);
  auto status = ParseIncidentStatus(row.Text(3));
  if (!status) return Fail(ErrorCode::kInternal, "incident " + std::to_string(i.id) + " has status '" + row.Text(3) + "'");
  i.status = *status;
  i.severity = row.Text(4);
  i.cluster_id = row.OptInt(5);
  i.repo_id = row.OptInt(6);
  i.opened_at = row.Int(7);
  i.resolved_at = row.OptInt(8);
  s.updated_at = row.Int(9);
  s.rule = row.Text(10);
  s.category = row.Text(11);
  s.repo_name = row.Text(12);
  s.runs = row.Int(13);
  return s;
}

Result<IncidentSummary> LoadSummary(SqlSession& s, std::int64_t id) {
  auto r = s.Exec(std::string("SELECT ") + kSummaryColumns + kSummaryFrom + " WHERE i.id = $1", {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no incident with id " + std::to_string(id), "id");
  return SummaryFromRow(r->rows[0]);
}

Status AddEvent(SqlSession& s, std::int64_t incident_id, const incidents::TimelineEntry& e) {
  auto r = s.Exec("INSERT INTO incident_events (incident_id, at, kind, message, run_id) VALUES ($1, $2, $3, $4, $5)",
                  {incident_id, e.at, e.kind, e.message, Opt(e.run_id)});
  if (!r) return Fail(r.error());
  return Ok();
}

// The state the rules see of incident `id` (its repos, runs, recent failure rate before run `upto`).
Result<IncidentState> LoadState(SqlSession& s, std::int64_t id, int recent_runs, std::int64_t upto_run) {
  auto r = s.Exec(
      "SELECT id, key, status, severity, resolved_at, clean_streak, repo_id, "
      "(SELECT COUNT(*) FROM incident_runs ir WHERE ir.incident_id = i.id) FROM incidents i WHERE id = $1",
      {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no incident with id " + std::to_string(id), "id");
  const SqlRow& row = r->rows[0];
  IncidentState st;
  st.id = row.Int(0);
  st.key = row.Text(1);
  st.status = ParseIncidentStatus(row.Text(2)).value_or(IncidentStatus::kOpen);
  st.severity = incidents::ParseSeverity(row.Text(3)).value_or(incidents::Severity::kMinor);
  st.resolved_at = row.OptInt(4);
  st.clean_streak = static_cast<int>(row.Int(5));
  if (auto repo = row.OptInt(6)) st.repos.insert(*repo);
  st.runs = static_cast<int>(row.Int(7));
  auto repos = s.Exec(
      "SELECT DISTINCT r.repo_id FROM incident_runs ir JOIN runs r ON r.id = ir.run_id WHERE ir.incident_id = $1", {id});
  if (!repos) return Fail(repos.error());
  for (const SqlRow& x : repos->rows) st.repos.insert(x.Int(0));
  if (!st.repos.empty() && st.status != IncidentStatus::kResolved) {
    auto recent = s.Exec(
        "SELECT COUNT(*), COUNT(ir.run_id) FROM (SELECT id FROM runs WHERE repo_id IN (" + IdList(st.repos) +
            ") AND status IN " + kFinishedCounted + " AND id <= $2 ORDER BY id DESC LIMIT " +
            std::to_string(recent_runs) + ") x LEFT JOIN incident_runs ir ON ir.incident_id = $1 AND ir.run_id = x.id",
        {id, upto_run});
    if (!recent) return Fail(recent.error());
    st.recent_total = static_cast<int>(recent->rows.at(0).Int(0));
    st.recent_linked = static_cast<int>(recent->rows.at(0).Int(1));
  }
  return st;
}

// The latest incident of `key`: an unresolved one if any, else the most recently resolved.
Result<std::optional<std::int64_t>> LatestOfKey(SqlSession& s, const std::string& key) {
  auto r = s.Exec(
      "SELECT id FROM incidents WHERE key = $1 ORDER BY CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END DESC, id DESC "
      "LIMIT 1",
      {key});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r->rows[0].Int(0));
}

Result<incidents::Context> GatherFacts(SqlSession& s, std::int64_t run_id, const incidents::Thresholds& t, EpochMs now) {
  incidents::Context c;
  auto run = s.Exec(
      "SELECT r.id, r.repo_id, p.name, r.status, r.category, r.reason, COALESCE(r.finished_at, r.updated_at) "
      "FROM runs r JOIN repos p ON p.id = r.repo_id WHERE r.id = $1",
      {run_id});
  if (!run) return Fail(run.error());
  if (run->rows.empty()) return Fail(ErrorCode::kNotFound, "run " + std::to_string(run_id) + " does not exist", "run");
  const SqlRow& rr = run->rows[0];
  incidents::RunFacts& f = c.run;
  f.run_id = rr.Int(0);
  f.repo_id = rr.Int(1);
  f.repo_name = rr.Text(2);
  auto status = ParseRunStatus(rr.Text(3));
  if (!status || !IsTerminal(*status)) {
    return Fail(ErrorCode::kFailedPrecondition, "run " + std::to_string(run_id) + " is not finished (" + rr.Text(3) + ")");
  }
  f.status = *status;
  f.category = ParseFailureCategory(rr.Text(4)).value_or(FailureCategory::kUnknown);
  f.reason = rr.Text(5);
  f.finished_at = rr.Int(6);

  auto failures = s.Exec("SELECT cluster_id, category, flaky, signature, title FROM failures WHERE run_id = $1 ORDER BY id",
                         {run_id});
  if (!failures) return Fail(failures.error());
  for (const SqlRow& x : failures->rows) {
    f.failures.push_back(incidents::FailureFact{x.OptInt(0),
                                                ParseFailureCategory(x.Text(1)).value_or(FailureCategory::kUnknown),
                                                x.Int(2) != 0, x.Text(3), x.Text(4)});
  }
  // By normalised id: the flaky detector's verdicts (test_flakiness.test_id) are keyed by it.
  auto tests = s.Exec("SELECT COALESCE(NULLIF(norm_id, ''), test_id), outcome FROM test_results WHERE run_id = $1",
                      {run_id});
  if (!tests) return Fail(tests.error());
  for (const SqlRow& x : tests->rows) {
    const bool passed = x.Text(1) == "passed" || x.Text(1) == "skipped";
    auto [it, fresh] = f.tests.emplace(x.Text(0), passed);
    if (!fresh) it->second = it->second && passed;
  }
  if (f.status == RunStatus::kCancelled) return c;  // says nothing about health

  std::set<std::string> keys;
  for (std::int64_t cluster : incidents::RegressionClusters(f)) {
    auto info = s.Exec("SELECT category, title FROM clusters WHERE id = $1", {cluster});
    if (!info) return Fail(info.error());
    if (info->rows.empty()) continue;
    incidents::ClusterFacts cf;
    cf.cluster_id = cluster;
    cf.category = ParseFailureCategory(info->rows[0].Text(0)).value_or(FailureCategory::kUnknown);
    cf.title = info->rows[0].Text(1);
    auto runs = s.Exec(
        "SELECT f.run_id, MIN(f.created_at), MIN(r.repo_id) FROM failures f JOIN runs r ON r.id = f.run_id "
        "WHERE f.cluster_id = $1 AND f.flaky = 0 AND f.created_at >= $2 AND f.created_at <= $3 "
        "GROUP BY f.run_id ORDER BY 2, 1 LIMIT " + std::to_string(kMaxWindowRuns),
        {cluster, now - t.cluster_window_ms, now});
    if (!runs) return Fail(runs.error());
    std::set<std::int64_t> repos;
    bool has_this = false;
    for (const SqlRow& x : runs->rows) {
      cf.runs_in_window.push_back({x.Int(0), x.Int(1)});
      repos.insert(x.Int(2));
      has_this = has_this || x.Int(0) == run_id;
    }
    if (!has_this) {  // evaluated late (the reconciler's outbox): the run still counts
      cf.runs_in_window.push_back({run_id, f.finished_at});
      repos.insert(f.repo_id);
    }
    cf.repos_in_window = static_cast<int>(repos.size());
    c.clusters.push_back(std::move(cf));
    keys.insert("cluster:" + std::to_string(cluster));
  }

  auto recent = s.Exec(
      "SELECT r.id, r.status, (SELECT COUNT(*) FROM failures x WHERE x.run_id = r.id), "
      "(SELECT COUNT(*) FROM failures x WHERE x.run_id = r.id AND x.flaky = 0) FROM runs r "
      "WHERE r.repo_id = $1 AND r.id <= $2 AND r.status IN " + std::string(kFinishedCounted) +
          " ORDER BY r.id DESC LIMIT " + std::to_string(t.repo_runs),
      {f.repo_id, run_id});
  if (!recent) return Fail(recent.error());
  for (const SqlRow& x : recent->rows) {
    const bool failed = x.Text(1) != "succeeded" && (x.Int(2) == 0 || x.Int(3) > 0);
    c.repo.recent_failed.push_back(failed);
  }
  keys.insert("repo:" + std::to_string(f.repo_id));

  for (FailureCategory cat : incidents::InfraCategories(f)) {
    incidents::InfraFacts inf;
    inf.category = cat;
    auto runs = s.Exec(
        "SELECT r.id, r.repo_id, r.finished_at FROM runs r WHERE r.finished_at >= $1 AND r.finished_at <= $3 "
        "AND r.status IN ('failed', 'timed_out', 'errored') AND ("
        "EXISTS (SELECT 1 FROM failures x WHERE x.run_id = r.id AND x.category = $2 AND x.flaky = 0) OR "
        "(r.category = $2 AND NOT EXISTS (SELECT 1 FROM failures x WHERE x.run_id = r.id))) "
        "ORDER BY r.finished_at, r.id LIMIT " + std::to_string(kMaxWindowRuns),
        {now - t.infra_window_ms, std::string(Name(cat)), now});
    if (!runs) return Fail(runs.error());
    bool has_this = false;
    for (const SqlRow& x : runs->rows) {
      inf.runs_in_window.push_back({x.Int(0), x.Int(2)});
      inf.repos.insert(x.Int(1));
      has_this = has_this || x.Int(0) == run_id;
    }
    if (!has_this) {
      inf.runs_in_window.push_back({run_id, f.finished_at});
      inf.repos.insert(f.repo_id);
    }
    c.infra.push_back(std::move(inf));
    keys.insert("infra:" + std::string(Name(cat)));
  }

  // Verdicts of the flaky detector for the tests this run ran, of the tests it classifies
  // flaky only: a consistently failing test is a regression, not a flaky test, whatever its score.
  if (!f.tests.empty()) {
    auto verdicts = s.Exec(
        "SELECT tf.test_id, tf.score, tf.classification FROM test_flakiness tf WHERE tf.repo_id = $1 "
        "AND tf.classification = 'flaky' AND tf.test_id IN (SELECT COALESCE(NULLIF(norm_id, ''), test_id) "
        "FROM test_results WHERE run_id = $2) ORDER BY tf.test_id",
        {f.repo_id, run_id});
    if (!verdicts) return Fail(verdicts.error());
    for (const SqlRow& x : verdicts->rows) {
      c.flaky.push_back(incidents::FlakyVerdict{f.repo_id, x.Text(0), x.Real(1), x.Text(2)});
      keys.insert("flaky:" + std::to_string(f.repo_id) + ":" + x.Text(0));
    }
  }

  for (const std::string& key : keys) {
    auto id = LatestOfKey(s, key);
    if (!id) return Fail(id.error());
    if (!*id) continue;
    auto st = LoadState(s, **id, t.repo_runs, run_id);
    if (!st) return Fail(st.error());
    c.by_key[key] = std::move(*st);
  }

  auto affecting = s.Exec(
      "SELECT i.id FROM incidents i WHERE i.status <> 'resolved' AND (i.repo_id = $1 OR EXISTS ("
      "SELECT 1 FROM incident_runs ir JOIN runs r ON r.id = ir.run_id WHERE ir.incident_id = i.id AND r.repo_id = $1)) "
      "ORDER BY i.id",
      {f.repo_id});
  if (!affecting) return Fail(affecting.error());
  for (const SqlRow& x : affecting->rows) {
    auto st = LoadState(s, x.Int(0), t.repo_runs, run_id);
    if (!st) return Fail(st.error());
    c.affecting.push_back(std::move(*st));
  }

  auto silences = s.Exec(
      "SELECT id, repo_id, cluster_id, starts_at, ends_at, reason FROM silences WHERE starts_at <= $1 AND ends_at > $1 "
      "ORDER BY id",
      {now});
  if (!silences) return Fail(silences.error());
  for (const SqlRow& x : silences->rows) {
    c.silences.push_back(incidents::Silence{x.Int(0), x.OptInt(1), x.OptInt(2), x.Int(3), x.Int(4), x.Text(5)});
  }
  return c;
}

// The test of a flaky-test incident's key "flaky:<repo id>:<test id>", "" for other keys.
std::string FlakyTestOfKey(const std::string& key) {
  if (!key.starts_with("flaky:")) return "";
  const size_t colon = key.find(':', 6);
  return colon == std::string::npos ? "" : key.substr(colon + 1);
}

// A flaky test's failures in its history (the runs where it failed or errored):
// how many results and runs, and the first and last failure.
struct TestFailures {
  std::int64_t failures = 0;
  std::int64_t runs = 0;
  std::optional<EpochMs> first;
  std::optional<EpochMs> last;
};

constexpr const char* kTestFailed =
    " FROM test_results t JOIN runs r ON r.id = t.run_id WHERE t.repo_id = $1 AND t.norm_id = $2 AND t.finished = 1 "
    "AND t.outcome IN ('failed', 'error')";

Result<TestFailures> LoadTestFailures(SqlSession& s, std::int64_t repo_id, const std::string& test_id) {
  auto r = s.Exec(std::string("SELECT COUNT(*), COUNT(DISTINCT t.run_id), MIN(COALESCE(r.finished_at, r.created_at)), "
                              "MAX(COALESCE(r.finished_at, r.created_at))") + kTestFailed,
                  {repo_id, test_id});
  if (!r) return Fail(r.error());
  const SqlRow& row = r->rows.at(0);
  return TestFailures{row.Int(0), row.Int(1), row.OptInt(2), row.OptInt(3)};
}

// The flaky-test detector's latest verdict on `test` of `repo_id`, if any.
struct FlakyVerdictRow {
  double score = 0;
  std::string score_text;  // two decimals
  std::string classification;
  std::string reason;
};

Result<std::optional<FlakyVerdictRow>> LoadFlakyVerdict(SqlSession& s, std::int64_t repo_id, const std::string& test) {
  auto v = s.Exec("SELECT score, classification, reason FROM test_flakiness WHERE repo_id = $1 AND test_id = $2",
                  {repo_id, test});
  if (!v) return Fail(v.error());
  if (v->rows.empty()) return std::optional<FlakyVerdictRow>{};
  char score[16];
  std::snprintf(score, sizeof score, "%.2f", v->rows[0].Real(0));
  return std::optional<FlakyVerdictRow>{FlakyVerdictRow{v->rows[0].Real(0), score, v->rows[0].Text(1), v->rows[0].Text(2)}};
}

// The runs attached to incident `id`: how many, in how many repositories, the first and last failure.
struct IncidentRunsImpact {
  std::int64_t runs = 0;
  std::int64_t repos = 0;
  std::optional<EpochMs> first;
  std::optional<EpochMs> last;
};

Result<IncidentRunsImpact> LoadIncidentRunsImpact(SqlSession& s, std::int64_t id) {
  auto r = s.Exec(
      "SELECT COUNT(*), COUNT(DISTINCT r.repo_id), MIN(COALESCE(r.finished_at, r.created_at)), "
      "MAX(COALESCE(r.finished_at, r.created_at)) FROM incident_runs ir JOIN runs r ON r.id = ir.run_id "
      "WHERE ir.incident_id = $1",
      {id});
  if (!r) return Fail(r.error());
  const SqlRow& row = r->rows.at(0);
  return IncidentRunsImpact{row.Int(0), row.Int(1), row.OptInt(2), row.OptInt(3)};
}

std::string Plural(std::int64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// What a notification says about incident `id`, read in session s after the transition.
Result<notify::Notification> NoticeFor(SqlSession& s, std::int64_t id, const std::string& event, bool reopened) {
  auto sum = LoadSummary(s, id);
  if (!sum) return Fail(sum.error());
  const Incident& inc = sum->incident;
  notify::Notification n;
  n.event = event;
  n.title = inc.title + (reopened ? " (reopened)" : "");
  n.severity = inc.severity;
  n.incident_id = id;
  const std::string test = FlakyTestOfKey(inc.key);
  if (!test.empty() && inc.repo_id) {
    auto tf = LoadTestFailures(s, *inc.repo_id, test);
    if (!tf) return Fail(tf.error());
    n.impact = "test " + test + " in " + sum->repo_name + " failed " + Plural(tf->failures, "time") + " in " +
               Plural(tf->runs, "run") +
               (tf->first ? " between " + FormatRfc3339(*tf->first) + " and " + FormatRfc3339(*tf->last) : "");
    auto v = LoadFlakyVerdict(s, *inc.repo_id, test);
    if (!v) return Fail(v.error());
    if (*v) {
      n.root_cause = "flaky test (score " + (*v)->score_text + ", classified " + (*v)->classification + ")" +
                     ((*v)->reason.empty() ? "" : ": " + (*v)->reason);
    }
    return n;
  }
  auto im = LoadIncidentRunsImpact(s, id);
  if (!im) return Fail(im.error());
  n.impact = Plural(im->runs, "failed run") + " in " + std::to_string(im->repos) +
             (im->repos == 1 ? " repository" : " repositories");
  if (!sum->repo_name.empty()) n.impact += " (" + sum->repo_name + ")";
  if (im->first && im->last) n.impact += " between " + FormatRfc3339(*im->first) + " and " + FormatRfc3339(*im->last);
  std::optional<std::int64_t> cluster = inc.cluster_id;
  if (!cluster) {
    auto top = s.Exec(
        "SELECT f.cluster_id FROM failures f JOIN incident_runs ir ON ir.run_id = f.run_id WHERE ir.incident_id = $1 "
        "AND f.flaky = 0 AND f.cluster_id IS NOT NULL GROUP BY f.cluster_id ORDER BY COUNT(*) DESC, 1 LIMIT 1",
        {id});
    if (!top) return Fail(top.error());
    if (!top->rows.empty()) cluster = top->rows[0].Int(0);
  }
  if (cluster) {
    auto c = s.Exec(
        "SELECT c.category, c.title, c.signature, (SELECT MAX(f.confidence) FROM failures f WHERE f.cluster_id = c.id "
        "AND f.run_id IN (SELECT run_id FROM incident_runs WHERE incident_id = $2)) FROM clusters c WHERE c.id = $1",
        {*cluster, id});
    if (!c) return Fail(c.error());
    if (!c->rows.empty()) {
      char conf[16];
      std::snprintf(conf, sizeof conf, "%.2f", c->rows[0].Real(3));
      n.root_cause = c->rows[0].Text(0) + ": " + c->rows[0].Text(1) +
                     (c->rows[0].Text(2).empty() ? "" : " (signature " + c->rows[0].Text(2) + ")") + ", confidence " +
                     conf;
    }
  } else if (!sum->category.empty() && sum->category != "unknown") {
    n.root_cause = sum->category;
  }
  return n;
}

// Writes the outbox rows of `event` for incident `id`, and a timeline entry per row.
Status Announce(SqlSession& s, const OutboxFn& outbox, std::int64_t id, const std::string& event, bool reopened,
                EpochMs now) {
  if (!outbox) return Ok();
  auto n = NoticeFor(s, id, event, reopened);
  if (!n) return Fail(n.error());
  for (const OutboxItem& item : outbox(*n)) {
    auto row = InsertOutboxRow(s, item, now);
    if (!row) return Fail(row.error());
    if (Status st = AddEvent(s, id,
                             incidents::TimelineEntry{"notification_queued",
                                                      "notification " + std::to_string(*row) + " of " + event +
                                                          " queued for " + item.target,
                                                      std::nullopt, now});
        !st)
      return st;
  }
  return Ok();
}

std::string OpenedEvent(const std::string& key) {
  return key.starts_with("flaky:") ? "flaky_detected" : "incident_opened";
}

int Rank(const std::string& severity) {
  return static_cast<int>(incidents::ParseSeverity(severity).value_or(incidents::Severity::kMinor));
}

// Applies one change, and queues the notifications of what it did (outbox may be empty).
// Returns the incident id it landed on.
Result<std::int64_t> ApplyChange(SqlSession& s, const IncidentChange& ch, const OutboxFn& outbox, EpochMs now) {
  std::int64_t id = ch.incident_id;
  std::vector<incidents::TimelineEntry> timeline = ch.timeline;
  bool extend_winner = false;
  std::vector<std::pair<std::string, bool>> events;  // (event, reopened) to announce
  if (id == 0 && ch.open) {
    const incidents::IncidentDraft& d = *ch.open;
    auto ins = s.Exec(
        "INSERT INTO incidents (key, title, status, severity, cluster_id, repo_id, opened_at, updated_at, rule, "
        "category, clean_streak, last_occurrence_at) VALUES ($1, $2, 'open', $3, $4, $5, $6, $6, $7, $8, 0, $9) "
        "ON CONFLICT (key) WHERE status <> 'resolved' DO NOTHING RETURNING id",
        {ch.key, d.title, std::string(incidents::Name(ch.severity.value_or(incidents::Severity::kMinor))),
         Opt(d.cluster_id), Opt(d.repo_id), now, std::string(incidents::Name(d.rule)),
         std::string(Name(d.category)), ch.link_runs.empty() ? SqlValue(nullptr) : SqlValue(now)});
    if (!ins) return Fail(ins.error());
    if (!ins->rows.empty()) {
      id = ins->rows[0].Int(0);
      events.emplace_back(OpenedEvent(ch.key), false);
    } else {
      // Lost the race to another evaluator: its incident is ours to extend.
      auto winner = s.Exec("SELECT id FROM incidents WHERE key = $1 AND status <> 'resolved'", {ch.key});
      if (!winner) return Fail(winner.error());
      if (winner->rows.empty()) return Fail(ErrorCode::kAborted, "incident " + ch.key + " vanished while opening");
      id = winner->rows[0].Int(0);
      extend_winner = true;
      for (incidents::TimelineEntry& e : timeline) {
        if (e.kind == "opened") {
          e.kind = "occurrence";
          e.message = "also tripped here: " + e.message;
        }
      }
    }
  } else if (id != 0) {
    auto before = s.Exec("SELECT status, severity, updated_at FROM incidents WHERE id = $1", {id});
    if (!before) return Fail(before.error());
    if (before->rows.empty()) return Fail(ErrorCode::kAborted, "incident " + std::to_string(id) + " vanished");
    const std::string was = before->rows[0].Text(0);
    // An evaluator reads its clock before it waits for the row; another may have moved the
    // incident since, later by the clock. This change comes after that one: its entries
    // stamped at evaluation time are not placed before it in the timeline.
    if (const EpochMs last = before->rows[0].Int(2); last > now) {
      for (incidents::TimelineEntry& e : timeline)
        if (e.at == now) e.at = last;
      now = last;
    }
    const bool reopens = ch.status == IncidentStatus::kOpen && was == "resolved";
    if (reopens) events.emplace_back(OpenedEvent(ch.key), true);
    if (ch.severity && !reopens && Rank(std::string(incidents::Name(*ch.severity))) > Rank(before->rows[0].Text(1)))
      events.emplace_back("incident_escalated", false);
    if (ch.status == IncidentStatus::kResolved && was != "resolved") events.emplace_back("incident_resolved", false);
    std::string set = "updated_at = $2";
    SqlParams params{id, now};
    auto param = [&](SqlValue v) {
      params.push_back(std::move(v));
      return "$" + std::to_string(params.size());
    };
    if (ch.status) {
      set += ", status = " + param(std::string(Name(*ch.status)));
      set += *ch.status == IncidentStatus::kResolved ? ", resolved_at = " + param(now) : ", resolved_at = NULL";
    }
    if (ch.severity) set += ", severity = " + param(std::string(incidents::Name(*ch.severity)));
    if (ch.clean_streak) set += ", clean_streak = " + param(static_cast<std::int64_t>(*ch.clean_streak));
    if (!ch.link_runs.empty()) set += ", last_occurrence_at = " + param(now);
    auto up = s.Exec("UPDATE incidents SET " + set + " WHERE id = $1", params);
    if (!up) return Fail(up.error());
  } else {
    return id;  // nothing to apply to
  }
  if (extend_winner) {
    auto up = s.Exec("UPDATE incidents SET updated_at = $2, last_occurrence_at = $2, clean_streak = 0 WHERE id = $1",
                     {id, now});
    if (!up) return Fail(up.error());
  }
  for (std::int64_t run : ch.link_runs) {
    auto r = s.Exec("INSERT INTO incident_runs (incident_id, run_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", {id, run});
    if (!r) return Fail(r.error());
  }
  for (const incidents::TimelineEntry& e : timeline) {
    if (Status st = AddEvent(s, id, e); !st) return Fail(st.error());
  }
  for (const auto& [event, reopened] : events) {
    if (Status st = Announce(s, outbox, id, event, reopened, now); !st) return Fail(st.error());
  }
  return id;
}

}  // namespace

Result<EvaluationResult> SqlIncidentStore::EvaluateRun(std::int64_t run_id, const incidents::Thresholds& t,
                                                       const DecideFn& decide, EpochMs now) {
  EvaluationResult result;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    result = EvaluationResult{};
    // The claim first: a concurrent evaluator of the same run waits here, then finds it taken.
    auto claim = s.Exec(
        "INSERT INTO incident_evaluations (run_id, at) VALUES ($1, $2) ON CONFLICT (run_id) DO NOTHING RETURNING run_id",
        {run_id, now});
    if (!claim) return Fail(claim.error());
    auto done = s.Exec("DELETE FROM incident_pending WHERE run_id = $1", {run_id});
    if (!done) return Fail(done.error());
    if (claim->rows.empty()) return Ok();
    auto facts = GatherFacts(s, run_id, t, now);
    if (!facts) return Fail(facts.error());
    result.decision = decide(*facts);
    result.evaluated = true;
    for (const IncidentChange& ch : result.decision.changes) {
      auto id = ApplyChange(s, ch, outbox_, now);
      if (!id) return Fail(id.error());
      result.incident_ids.push_back(*id);
    }
    for (const incidents::SilencedMatch& m : result.decision.silenced) {
      auto r = s.Exec("INSERT INTO silenced_matches (silence_id, key, run_id, at, message) VALUES ($1, $2, $3, $4, $5)",
                      {m.silence_id, m.key, run_id, now, m.message});
      if (!r) return Fail(r.error());
    }
    return Ok();
  });
  if (!st) return Fail(st.error());
  return result;
}

Result<std::vector<std::int64_t>> SqlIncidentStore::PendingRuns(int limit) {
  auto r = db_.Exec("SELECT run_id FROM incident_pending ORDER BY run_id LIMIT " + std::to_string(limit));
  if (!r) return Fail(r.error());
  std::vector<std::int64_t> out;
  for (const SqlRow& row : r->rows) out.push_back(row.Int(0));
  return out;
}

Result<int> SqlIncidentStore::ApplyQuiet(const QuietFn& quiet, EpochMs now) {
  auto r = db_.Exec("SELECT id, COALESCE(last_occurrence_at, opened_at) FROM incidents WHERE status = 'open' ORDER BY id");
  if (!r) return Fail(r.error());
  int changed = 0;
  for (const SqlRow& row : r->rows) {
    const std::int64_t id = row.Int(0);
    const EpochMs last = row.Int(1);
    bool did = false;
    Status st = db_.Transact([&](SqlSession& s) -> Status {
      auto state = LoadState(s, id, 1, 0);
      if (!state) return Fail(state.error());
      if (state->status != IncidentStatus::kOpen) return Ok();  // moved meanwhile
      auto ch = quiet(*state, last);
      if (!ch) return Ok();
      // Compare-and-set on status and last occurrence: a run evaluated meanwhile wins.
      auto cas = s.Exec(
          "UPDATE incidents SET updated_at = $2 WHERE id = $1 AND status = 'open' AND "
          "COALESCE(last_occurrence_at, opened_at) = $3 RETURNING id",
          {id, now, last});
      if (!cas) return Fail(cas.error());
      if (cas->rows.empty()) return Ok();
      auto applied = ApplyChange(s, *ch, outbox_, now);
      if (!applied) return Fail(applied.error());
      did = true;
      return Ok();
    });
    if (!st) return Fail(st.error());
    if (did) ++changed;
  }
  return changed;
}

Result<Page<IncidentSummary>> SqlIncidentStore::List(const IncidentFilter& f) {
  auto bounds = DecodePage(f.page);
  if (!bounds) return Fail(bounds.error());
  std::string where;
  SqlParams params;
  auto param = [&](SqlValue v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto add = [&](const std::string& cond) { where += (where.empty() ? " WHERE " : " AND ") + cond; };
  if (f.status) add("i.status = " + param(std::string(Name(*f.status))));
  if (f.severity) add("i.severity = " + param(*f.severity));
  if (f.repo_id) {
    const std::string repo = param(*f.repo_id);
    add("(i.repo_id = " + repo +
        " OR EXISTS (SELECT 1 FROM incident_runs ir JOIN runs r ON r.id = ir.run_id WHERE ir.incident_id = i.id AND "
        "r.repo_id = " + repo + "))");
  }
  if (bounds->before_id) add("i.id < " + param(*bounds->before_id));
  auto r = db_.Exec(std::string("SELECT ") + kSummaryColumns + kSummaryFrom + where + " ORDER BY i.id DESC LIMIT " +
                        std::to_string(bounds->limit + 1),
                    params);
  if (!r) return Fail(r.error());
  std::vector<IncidentSummary> items;
  for (const SqlRow& row : r->rows) {
    auto s = SummaryFromRow(row);
    if (!s) return Fail(s.error());
    items.push_back(std::move(*s));
  }
  return MakePage(std::move(items), bounds->limit, [](const IncidentSummary& s) { return s.incident.id; });
}

namespace {

// A flaky-test incident links only the runs that failed while it was open: its
// impact and related runs come from the test's own history instead (every
// finished run where it failed or errored), and its suspect range from the
// first of them (and the last pass before it).
Status FillFlakyTestFacts(SqlSession& s, IncidentDetail& d) {
  const Incident& inc = d.summary.incident;
  const std::string test = FlakyTestOfKey(inc.key);
  if (test.empty() || !inc.repo_id) return Ok();
  const std::int64_t repo = *inc.repo_id;
  auto tf = LoadTestFailures(s, repo, test);
  if (!tf) return Fail(tf.error());
  const std::string runs_of =
      "SELECT t.run_id FROM test_results t WHERE t.repo_id = $2 AND t.norm_id = $3 AND t.finished = 1 AND "
      "t.outcome IN ('failed', 'error') UNION SELECT run_id FROM incident_runs WHERE incident_id = $1";
  auto runs = s.Exec(
      "SELECT r.id, r.repo_id, p.name, r.status, r.commit_sha, r.created_at, r.finished_at FROM runs r "
      "JOIN repos p ON p.id = r.repo_id WHERE r.id IN (" + runs_of + ") ORDER BY r.id DESC LIMIT " +
          std::to_string(kMaxRelatedRuns),
      {inc.id, repo, test});
  if (!runs) return Fail(runs.error());
  d.related_runs.clear();
  for (const SqlRow& row : runs->rows) d.related_runs.push_back(RelatedRunFrom(row));
  auto count = s.Exec("SELECT COUNT(*) FROM (" + runs_of + ") x", {inc.id, repo, test});
  if (!count) return Fail(count.error());
  d.impact.runs = count->rows.at(0).Int(0);
  d.impact.repos = d.impact.runs > 0 ? 1 : 0;
  d.impact.repo_names.clear();
  if (d.impact.runs > 0) d.impact.repo_names.push_back(d.summary.repo_name);
  d.impact.tests = 1;
  d.impact.test_ids = {test};
  d.impact.failures = tf->failures;
  d.impact.first_failure = tf->first;
  d.impact.last_failure = tf->last;
  {
    auto first = s.Exec("SELECT r.id, r.commit_sha" + std::string(kTestFailed) + " ORDER BY r.id LIMIT 1", {repo, test});
    if (!first) return Fail(first.error());
    if (!first->rows.empty()) {
      SuspectCommits sc;
      sc.scope = "test " + test + " in " + d.summary.repo_name;
      sc.first_bad_run_id = first->rows[0].Int(0);
      sc.first_bad_commit = first->rows[0].Text(1);
      auto good = s.Exec(
          "SELECT r.id, r.commit_sha FROM test_results t JOIN runs r ON r.id = t.run_id WHERE t.repo_id = $1 "
          "AND t.norm_id = $2 AND t.outcome = 'passed' AND t.run_id < $3 ORDER BY t.run_id DESC LIMIT 1",
          {repo, test, *sc.first_bad_run_id});
      if (!good) return Fail(good.error());
      if (!good->rows.empty()) {
        sc.last_good_run_id = good->rows[0].Int(0);
        sc.last_good_commit = good->rows[0].Text(1);
      }
      d.suspects = std::move(sc);
    }
  }
  // Its root cause is the flakiness itself: the detector's verdict, with the failure its runs show
  // (their failures are flagged flaky, so the cluster of the incident's runs may be missing).
  auto verdict = LoadFlakyVerdict(s, repo, test);
  if (!verdict) return Fail(verdict.error());
  if (!*verdict) return Ok();
  const FlakyVerdictRow& v = **verdict;
  RootCause rc = d.root_cause.value_or(RootCause{});
  if (!rc.cluster_id) {
    auto top = s.Exec(
        "SELECT c.id, c.category, c.signature, c.title FROM failures f JOIN clusters c ON c.id = f.cluster_id "
        "WHERE f.run_id IN (SELECT t.run_id" + std::string(kTestFailed) + ") "
        "GROUP BY c.id, c.category, c.signature, c.title ORDER BY COUNT(*) DESC, 1 LIMIT 1",
        {repo, test});
    if (!top) return Fail(top.error());
    if (!top->rows.empty()) {
      rc.cluster_id = top->rows[0].Int(0);
      rc.category = top->rows[0].Text(1);
      rc.signature = top->rows[0].Text(2);
      rc.title = top->rows[0].Text(3);
    }
  }
  rc.title = "test " + test + " is flaky" + (rc.title.empty() ? "" : "; it fails with: " + rc.title);
  rc.hint = "flakiness score " + v.score_text + ", classified " + v.classification +
            (v.reason.empty() ? "" : ": " + v.reason);
  rc.confidence = v.score;
  rc.remediation = {"Quarantine the test (POST /tests/{id}/quarantine) so that it stops failing runs while it is fixed.",
                    "Compare its passing and failing runs on the same commit: order, timing, shared state, the network "
                    "or the clock usually differ."};
  d.root_cause = std::move(rc);
  return Ok();
}

}  // namespace

Result<IncidentDetail> SqlIncidentStore::Get(std::int64_t id, EpochMs now) {
  IncidentDetail d;
  auto summary = LoadSummary(db_, id);
  if (!summary) return Fail(summary.error());
  d.summary = std::move(*summary);
  const Incident& inc = d.summary.incident;

  // Timeline: its own events and the queue's events of its runs, oldest first.
  auto events = db_.Exec(
      "SELECT at, kind, message, run_id, 0 AS src, id FROM incident_events WHERE incident_id = $1 "
      "UNION ALL SELECT e.at, e.kind, e.message, e.run_id, 1 AS src, e.id FROM run_events e "
      "JOIN incident_runs ir ON ir.run_id = e.run_id AND ir.incident_id = $1 WHERE e.kind IN " +
          std::string(kQueueEventKinds) + " ORDER BY 1, 5, 6 LIMIT " + std::to_string(kMaxTimeline),
      {id});
  if (!events) return Fail(events.error());
  for (const SqlRow& row : events->rows) {
    IncidentEvent e;
    e.incident_id = id;
    e.at = row.Int(0);
    e.kind = row.Int(4) == 1 ? "run_event" : row.Text(1);
    e.message = row.Int(4) == 1 ? row.Text(1) + ": " + row.Text(2) : row.Text(2);
    e.run_id = row.OptInt(3);
    if (e.kind == "opened" || e.kind == "status_changed" || e.kind == "reopened" || e.kind == "resolved")
      d.status_history.push_back(e);
    d.timeline.push_back(std::move(e));
  }

  auto runs = db_.Exec(
      "SELECT r.id, r.repo_id, p.name, r.status, r.commit_sha, r.created_at, r.finished_at FROM incident_runs ir "
      "JOIN runs r ON r.id = ir.run_id JOIN repos p ON p.id = r.repo_id WHERE ir.incident_id = $1 "
      "ORDER BY r.id DESC LIMIT " + std::to_string(kMaxRelatedRuns),
      {id});
  if (!runs) return Fail(runs.error());
  for (const SqlRow& row : runs->rows) d.related_runs.push_back(RelatedRunFrom(row));

  // Impact.
  auto impact = LoadIncidentRunsImpact(db_, id);
  if (!impact) return Fail(impact.error());
  d.impact.runs = impact->runs;
  d.impact.repos = impact->repos;
  d.impact.first_failure = impact->first;
  d.impact.last_failure = impact->last;
  d.impact.duration_ms = inc.resolved_at.value_or(now) - inc.opened_at;
  auto names = db_.Exec(
      "SELECT DISTINCT p.name FROM incident_runs ir JOIN runs r ON r.id = ir.run_id JOIN repos p ON p.id = r.repo_id "
      "WHERE ir.incident_id = $1 ORDER BY p.name",
      {id});
  if (!names) return Fail(names.error());
  for (const SqlRow& row : names->rows) d.impact.repo_names.push_back(row.Text(0));
  auto fails = db_.Exec(
      "SELECT COUNT(*) FROM failures f JOIN incident_runs ir ON ir.run_id = f.run_id WHERE ir.incident_id = $1 "
      "AND f.flaky = 0" + std::string(inc.cluster_id ? " AND f.cluster_id = $2" : ""),
      inc.cluster_id ? SqlParams{id, *inc.cluster_id} : SqlParams{id});
  if (!fails) return Fail(fails.error());
  d.impact.failures = fails->rows.at(0).Int(0);
  auto tests = db_.Exec(
      "SELECT DISTINCT t.test_id FROM test_results t JOIN incident_runs ir ON ir.run_id = t.run_id "
      "WHERE ir.incident_id = $1 AND t.outcome IN ('failed', 'error') ORDER BY t.test_id",
      {id});
  if (!tests) return Fail(tests.error());
  d.impact.tests = static_cast<std::int64_t>(tests->rows.size());
  for (const SqlRow& row : tests->rows) {
    if (static_cast<int>(d.impact.test_ids.size()) >= kMaxTestIds) break;
    d.impact.test_ids.push_back(row.Text(0));
  }

  // Suspected root cause: its cluster, else the cluster most of its runs failed in.
  std::optional<std::int64_t> cluster = inc.cluster_id;
  if (!cluster) {
    auto top = db_.Exec(
        "SELECT f.cluster_id, COUNT(*) FROM failures f JOIN incident_runs ir ON ir.run_id = f.run_id "
        "WHERE ir.incident_id = $1 AND f.flaky = 0 AND f.cluster_id IS NOT NULL GROUP BY f.cluster_id "
        "ORDER BY 2 DESC, 1 LIMIT 1",
        {id});
    if (!top) return Fail(top.error());
    if (!top->rows.empty()) cluster = top->rows[0].Int(0);
  }
  if (cluster) {
    auto c = db_.Exec("SELECT category, signature, title, hint FROM clusters WHERE id = $1", {*cluster});
    if (!c) return Fail(c.error());
    if (!c->rows.empty()) {
      RootCause rc;
      rc.cluster_id = cluster;
      rc.category = c->rows[0].Text(0);
      rc.signature = c->rows[0].Text(1);
      rc.title = c->rows[0].Text(2);
      rc.hint = c->rows[0].Text(3);
      auto rep = db_.Exec(
          "SELECT f.remediation, f.confidence FROM failures f JOIN incident_runs ir ON ir.run_id = f.run_id "
          "WHERE ir.incident_id = $1 AND f.cluster_id = $2 ORDER BY f.id DESC LIMIT 1",
          {id, *cluster});
      if (!rep) return Fail(rep.error());
      if (!rep->rows.empty()) {
        auto remediation = DecodeStrings(rep->rows[0].Text(0), "failures.remediation");
        if (remediation) rc.remediation = std::move(*remediation);
        rc.confidence = rep->rows[0].Real(1);
      }
      d.root_cause = std::move(rc);
    }
  }

  // Suspect commits: the first failing run (of the incident's repository, else its earliest run)
  // and the last earlier run of that repository where the failing test (else the job) passed.
  auto first = db_.Exec(
      "SELECT r.id, r.repo_id, r.commit_sha, p.name FROM incident_runs ir JOIN runs r ON r.id = ir.run_id "
      "JOIN repos p ON p.id = r.repo_id WHERE ir.incident_id = $1" +
          std::string(inc.repo_id ? " AND r.repo_id = $2" : "") + " ORDER BY r.id LIMIT 1",
      inc.repo_id ? SqlParams{id, *inc.repo_id} : SqlParams{id});
  if (!first) return Fail(first.error());
  if (!first->rows.empty()) {
    SuspectCommits sc;
    const std::int64_t bad_run = first->rows[0].Int(0);
    const std::int64_t repo = first->rows[0].Int(1);
    sc.first_bad_run_id = bad_run;
    sc.first_bad_commit = first->rows[0].Text(2);
    const std::string repo_name = first->rows[0].Text(3);
    auto failed_test = db_.Exec(
        "SELECT test_id FROM test_results WHERE run_id = $1 AND outcome IN ('failed', 'error') ORDER BY id LIMIT 1",
        {bad_run});
    if (!failed_test) return Fail(failed_test.error());
    Result<SqlResult> good = SqlResult{};
    if (!failed_test->rows.empty()) {
      const std::string test_id = failed_test->rows[0].Text(0);
      sc.scope = "test " + test_id + " in " + repo_name;
      good = db_.Exec(
          "SELECT r.id, r.commit_sha FROM test_results t JOIN runs r ON r.id = t.run_id WHERE t.test_id = $1 "
          "AND t.outcome = 'passed' AND r.repo_id = $2 AND r.id < $3 ORDER BY r.id DESC LIMIT 1",
          {test_id, repo, bad_run});
    }
    if (failed_test->rows.empty() || (good && good->rows.empty())) {
      if (failed_test->rows.empty()) sc.scope = "repository " + repo_name;
      good = db_.Exec(
          "SELECT id, commit_sha FROM runs WHERE repo_id = $1 AND id < $2 AND status = 'succeeded' "
          "ORDER BY id DESC LIMIT 1",
          {repo, bad_run});
    }
    if (!good) return Fail(good.error());
    if (!good->rows.empty()) {
      sc.last_good_run_id = good->rows[0].Int(0);
      sc.last_good_commit = good->rows[0].Text(1);
    }
    d.suspects = std::move(sc);
  }
  if (Status st = FillFlakyTestFacts(db_, d); !st) return Fail(st.error());
  return d;
}

Result<std::map<std::int64_t, IncidentRef>> SqlIncidentStore::ForClusters(const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, IncidentRef> out;
  if (ids.empty()) return out;
  std::set<std::int64_t> unique(ids.begin(), ids.end());
  // Per cluster: the unresolved incident if any, else the newest one.
  auto r = db_.Exec(
      "SELECT cluster_id, id, status FROM incidents WHERE cluster_id IN (" + IdList(unique) +
      ") ORDER BY cluster_id, CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END, id");
  if (!r) return Fail(r.error());
  for (const SqlRow& row : r->rows) {
    out[row.Int(0)] = IncidentRef{row.Int(1), ParseIncidentStatus(row.Text(2)).value_or(IncidentStatus::kOpen)};
  }
  return out;
}

Result<std::vector<std::pair<std::int64_t, IncidentEvent>>> SqlIncidentStore::EventsAfter(std::int64_t after_id,
                                                                                          int limit) {
  auto r = db_.Exec(
      "SELECT id, incident_id, at, kind, message, run_id FROM incident_events WHERE id > $1 ORDER BY id LIMIT " +
          std::to_string(std::clamp(limit, 1, 1000)),
      {after_id});
  if (!r) return Fail(r.error());
  std::vector<std::pair<std::int64_t, IncidentEvent>> out;
  for (const SqlRow& row : r->rows) {
    out.emplace_back(row.Int(0), IncidentEvent{row.Int(1), row.Int(2), row.Text(3), row.Text(4), row.OptInt(5)});
  }
  return out;
}

Result<IncidentSummary> SqlIncidentStore::Transition(std::int64_t id, IncidentStatus to, const std::string& note,
                                                     EpochMs now) {
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto cur = s.Exec("SELECT status, updated_at FROM incidents WHERE id = $1", {id});
    if (!cur) return Fail(cur.error());
    if (cur->rows.empty()) return Fail(ErrorCode::kNotFound, "no incident with id " + std::to_string(id), "id");
    now = std::max(now, cur->rows[0].Int(1));  // never before the change it follows (see ApplyChange)
    auto from = ParseIncidentStatus(cur->rows[0].Text(0));
    if (!from) return Fail(ErrorCode::kInternal, "incident " + std::to_string(id) + " has an unknown status");
    if (Status ok = incidents::CheckTransition(*from, to); !ok) return ok;
    // Compare-and-set on the status read: a concurrent move makes this one fail cleanly.
    auto up = s.Exec(
        "UPDATE incidents SET status = $2, updated_at = $3, clean_streak = 0, note = $4, resolved_at = " +
            std::string(to == IncidentStatus::kResolved ? "$3" : "NULL") + " WHERE id = $1 AND status = $5 RETURNING id",
        {id, std::string(Name(to)), now, note, std::string(Name(*from))});
    if (!up) {
      if (up.error().code == ErrorCode::kAlreadyExists) {
        return Fail(ErrorCode::kAlreadyExists,
                    "incident " + std::to_string(id) + " cannot reopen: another incident of its key is unresolved");
      }
      return Fail(up.error());
    }
    if (up->rows.empty()) return Fail(ErrorCode::kAborted, "incident " + std::to_string(id) + " changed meanwhile; retry");
    std::string message = std::string(Name(*from)) + " -> " + std::string(Name(to)) + " (by hand)";
    if (!note.empty()) message += ": " + note;
    if (Status ev = AddEvent(s, id,
                             incidents::TimelineEntry{to == IncidentStatus::kResolved ? "resolved"
                                                      : *from == IncidentStatus::kResolved ? "reopened"
                                                                                           : "status_changed",
                                                      message, std::nullopt, now});
        !ev)
      return ev;
    if (to == IncidentStatus::kResolved) return Announce(s, outbox_, id, "incident_resolved", false, now);
    if (*from == IncidentStatus::kResolved) {
      auto key = s.Exec("SELECT key FROM incidents WHERE id = $1", {id});
      if (!key) return Fail(key.error());
      return Announce(s, outbox_, id, OpenedEvent(key->rows.at(0).Text(0)), true, now);
    }
    return Ok();
  });
  if (!st) return Fail(st.error());
  return LoadSummary(db_, id);
}

namespace {

constexpr const char* kSilenceColumns =
    "s.id, s.repo_id, s.cluster_id, s.reason, s.starts_at, s.ends_at, s.created_at, "
    "(SELECT COUNT(*) FROM silenced_matches m WHERE m.silence_id = s.id)";

SilenceRecord SilenceFromRow(const SqlRow& row) {
  return SilenceRecord{row.Int(0), row.OptInt(1), row.OptInt(2), row.Text(3), row.Int(4), row.Int(5), row.Int(6),
                       row.Int(7)};
}

}  // namespace

Result<SilenceRecord> SqlIncidentStore::CreateSilence(const NewSilence& n, EpochMs now) {
  if (!n.repo_id && !n.cluster_id)
    return Fail(ErrorCode::kInvalidArgument, "a silence needs a repo or a cluster_id", "repo");
  if (n.reason.empty()) return Fail(ErrorCode::kInvalidArgument, "reason is required", "reason");
  if (n.ends_at <= n.starts_at) return Fail(ErrorCode::kInvalidArgument, "ends_at must be after starts_at", "ends_at");
  std::int64_t id = 0;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    if (n.repo_id) {
      auto r = s.Exec("SELECT 1 FROM repos WHERE id = $1", {*n.repo_id});
      if (!r) return Fail(r.error());
      if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no repository with id " + std::to_string(*n.repo_id), "repo");
    }
    if (n.cluster_id) {
      auto r = s.Exec("SELECT 1 FROM clusters WHERE id = $1", {*n.cluster_id});
      if (!r) return Fail(r.error());
      if (r->rows.empty())
        return Fail(ErrorCode::kNotFound, "no cluster with id " + std::to_string(*n.cluster_id), "cluster_id");
    }
    auto ins = s.Exec(
        "INSERT INTO silences (repo_id, cluster_id, reason, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
        "RETURNING id",
        {Opt(n.repo_id), Opt(n.cluster_id), n.reason, n.starts_at, n.ends_at, now});
    if (!ins) return Fail(ins.error());
    id = ins->rows.at(0).Int(0);
    return Ok();
  });
  if (!st) return Fail(st.error());
  auto r = db_.Exec(std::string("SELECT ") + kSilenceColumns + " FROM silences s WHERE s.id = $1", {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kInternal, "silence " + std::to_string(id) + " vanished");
  return SilenceFromRow(r->rows[0]);
}

Result<Page<SilenceRecord>> SqlIncidentStore::ListSilences(const ListQuery& q, std::optional<EpochMs> active_at) {
  auto bounds = DecodePage(q);
  if (!bounds) return Fail(bounds.error());
  std::string where;
  SqlParams params;
  auto param = [&](SqlValue v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto add = [&](const std::string& cond) { where += (where.empty() ? " WHERE " : " AND ") + cond; };
  if (active_at) {
    add("s.starts_at <= " + param(*active_at));
    add("s.ends_at > " + param(*active_at));
  }
  if (bounds->before_id) add("s.id < " + param(*bounds->before_id));
  auto r = db_.Exec(std::string("SELECT ") + kSilenceColumns + " FROM silences s" + where + " ORDER BY s.id DESC LIMIT " +
                        std::to_string(bounds->limit + 1),
                    params);
  if (!r) return Fail(r.error());
  std::vector<SilenceRecord> items;
  for (const SqlRow& row : r->rows) items.push_back(SilenceFromRow(row));
  return MakePage(std::move(items), bounds->limit, [](const SilenceRecord& s) { return s.id; });
}

Status SqlIncidentStore::DeleteSilence(std::int64_t id) {
  auto r = db_.Exec("DELETE FROM silences WHERE id = $1", {id});
  if (!r) return Fail(r.error());
  if (r->affected == 0) return Fail(ErrorCode::kNotFound, "no silence with id " + std::to_string(id), "id");
  return Ok();
}

// ---------------------------------------------------------------- overview

Result<OverviewFigures> SqlOverviewStore::Figures(EpochMs since, EpochMs worker_since) {
  OverviewFigures o;
  auto by_status = db_.Exec("SELECT status, COUNT(*) FROM runs GROUP BY status");
  if (!by_status) return Fail(by_status.error());
  for (const char* s : {"queued", "running", "succeeded", "failed", "timed_out", "errored", "cancelled"})
    o.runs_by_status[s] = 0;
  for (const SqlRow& row : by_status->rows) o.runs_by_status[row.Text(0)] = row.Int(1);
  o.queue_depth = o.runs_by_status["queued"];

  // The trend and MTTR read the running figures kept at finish time (migration 0006): a few
  // hundred rows by index, whatever the history's size.
  auto trend = db_.Exec("SELECT day_no, finished, succeeded FROM run_days WHERE day_no >= $1 ORDER BY day_no",
                        {since / 86400000});
  if (!trend) return Fail(trend.error());
  for (const SqlRow& row : trend->rows) {
    DayTrend d{row.Int(0) * 86400000, row.Int(1), row.Int(2)};
    o.finished_in_window += d.finished;
    o.succeeded_in_window += d.succeeded;
    o.trend.push_back(d);
  }

  // MTTR: per repository, from the first failure after a success to the next success.
  auto mttr = db_.Exec(
      "SELECT COUNT(*), AVG(recovered_at - failed_at) FROM repo_recoveries WHERE recovered_at >= $1 AND failed_at >= $1",
      {since});
  if (!mttr) return Fail(mttr.error());
  o.recoveries = mttr->rows.at(0).Int(0);
  if (o.recoveries > 0) o.mttr_ms = mttr->rows[0].Real(1);

  auto workers = db_.Exec("SELECT status, COUNT(*) FROM workers WHERE heartbeat_at >= $1 GROUP BY status", {worker_since});
  if (!workers) return Fail(workers.error());
  for (const SqlRow& row : workers->rows) {
    if (row.Text(0) == "busy") o.busy_workers += row.Int(1);
    else o.idle_workers += row.Int(1);
  }

  for (const char* s : {"critical", "major", "minor"}) o.open_incidents_by_severity[s] = 0;
  auto incidents = db_.Exec("SELECT severity, COUNT(*) FROM incidents WHERE status <> 'resolved' GROUP BY severity");
  if (!incidents) return Fail(incidents.error());
  for (const SqlRow& row : incidents->rows) o.open_incidents_by_severity[row.Text(0)] = row.Int(1);

  auto flaky = db_.Exec("SELECT COUNT(*) FROM test_flakiness WHERE classification = 'flaky'");
  if (!flaky) return Fail(flaky.error());
  o.flaky_tests = flaky->rows.at(0).Int(0);

  auto top = db_.Exec(
      "SELECT c.id, c.title, c.category, x.n, c.last_seen FROM (SELECT cluster_id, COUNT(*) AS n FROM failures "
      "WHERE created_at >= $1 AND flaky = 0 AND cluster_id IS NOT NULL GROUP BY cluster_id ORDER BY 2 DESC, 1 LIMIT 5) x "
      "JOIN clusters c ON c.id = x.cluster_id ORDER BY x.n DESC, c.id",
      {since});
  if (!top) return Fail(top.error());
  for (const SqlRow& row : top->rows)
    o.top_clusters.push_back(TopCluster{row.Int(0), row.Text(1), row.Text(2), row.Int(3), row.Int(4)});

  auto share = db_.Exec(
      "SELECT COUNT(*), SUM(CASE WHEN signature <> '' THEN 1 ELSE 0 END) FROM failures WHERE created_at >= $1 AND flaky = 0",
      {since});
  if (!share) return Fail(share.error());
  o.failures_in_window = share->rows.at(0).Int(0);
  o.failures_explained = share->rows.at(0).Int(1);
  return o;
}

}  // namespace sentinel::sqlstore
