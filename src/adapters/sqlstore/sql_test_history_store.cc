#include "adapters/sqlstore/sql_test_history_store.h"

#include <map>

#include <cstdlib>

#include "adapters/sqlstore/rows.h"
#include "adapters/sqlstore/test_history.h"

namespace sentinel::sqlstore {
namespace {

// Over `test_flakiness f JOIN repos p ON p.id = f.repo_id`.
constexpr const char* kVerdictColumns =
    "f.id, f.repo_id, p.name, f.test_id, f.window_size, f.runs, f.failures, f.failure_ratio, f.flips, f.score, "
    "f.interval_low, f.interval_high, f.classification, f.reason, f.evidence, f.last_failing_run_id, f.last_run_id, "
    "f.updated_at";

Result<StoredVerdict> VerdictFromRow(const SqlRow& row) {
  StoredVerdict v;
  v.id = row.Int(0);
  v.repo_id = row.Int(1);
  v.repo_name = row.Text(2);
  v.test_id = row.Text(3);
  auto decoded = DecodeStats(row.Text(14));
  if (!decoded) return Fail(decoded.error());
  v.verdict = std::move(*decoded);
  flaky::WindowStats& s = v.verdict.stats;
  s.window = static_cast<int>(row.Int(4));
  s.runs = static_cast<int>(row.Int(5));
  s.failures = static_cast<int>(row.Int(6));
  s.failure_ratio = row.Real(7);
  s.flips = static_cast<int>(row.Int(8));
  v.verdict.score = row.Real(9);
  v.verdict.interval_low = row.Real(10);
  v.verdict.interval_high = row.Real(11);
  auto c = flaky::ParseClassification(row.Text(12));
  if (!c) return Fail(ErrorCode::kInternal, "test_flakiness has an unknown classification '" + row.Text(12) + "'");
  v.verdict.classification = *c;
  v.verdict.reason = row.Text(13);
  v.last_failing_run_id = row.OptInt(15);
  v.last_run_id = row.OptInt(16);
  v.updated_at = row.Int(17);
  return v;
}

Status LoadSignatures(SqlSession& s, StoredVerdict& v) {
  auto r = s.Exec(
      "SELECT signature, classification, score, interval_low, interval_high, runs, failures, reason "
      "FROM test_signature_verdicts WHERE flakiness_id = $1 ORDER BY failures DESC, signature",
      {v.id});
  if (!r) return Fail(r.error());
  for (const SqlRow& row : r->rows) {
    flaky::SignatureVerdict sv;
    sv.signature = row.Text(0);
    sv.verdict.classification = flaky::ParseClassification(row.Text(1)).value_or(flaky::Classification::kStable);
    sv.verdict.score = row.Real(2);
    sv.verdict.interval_low = row.Real(3);
    sv.verdict.interval_high = row.Real(4);
    sv.verdict.stats.runs = static_cast<int>(row.Int(5));
    sv.verdict.stats.failures = static_cast<int>(row.Int(6));
    sv.verdict.stats.window = v.verdict.stats.window;
    sv.verdict.reason = row.Text(7);
    v.signatures.push_back(std::move(sv));
  }
  return Ok();
}

struct ScoreCursor {
  double score = 0;
  std::int64_t id = 0;
};

// "<score>_<id>": the score as stored (four decimals), the id positive.
std::optional<ScoreCursor> ParseCursor(const std::string& text) {
  const auto sep = text.find('_');
  if (sep == std::string::npos || sep == 0 || sep + 1 >= text.size()) return std::nullopt;
  const std::string score = text.substr(0, sep), id = text.substr(sep + 1);
  char* end = nullptr;
  ScoreCursor c;
  c.score = std::strtod(score.c_str(), &end);
  if (end != score.c_str() + score.size() || c.score < 0 || c.score > 1) return std::nullopt;
  for (char ch : id)
    if (ch < '0' || ch > '9') return std::nullopt;
  if (id.size() > 18) return std::nullopt;
  c.id = std::stoll(id);
  if (c.id <= 0) return std::nullopt;
  return c;
}

std::string FormatScore(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", score);
  return buf;
}

Result<std::pair<std::int64_t, std::string>> TestOf(SqlSession& s, std::int64_t id) {
  auto r = s.Exec("SELECT repo_id, test_id FROM test_flakiness WHERE id = $1", {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no test with id " + std::to_string(id), "id");
  return std::make_pair(r->rows[0].Int(0), r->rows[0].Text(1));
}

}  // namespace

Result<Page<StoredVerdict>> SqlTestHistoryStore::List(const TestFilter& f) {
  auto bounds = DecodePage(ListQuery{f.page.limit, std::nullopt});
  if (!bounds) return Fail(bounds.error());
  std::optional<ScoreCursor> cursor;
  if (f.page.cursor) {
    cursor = ParseCursor(*f.page.cursor);
    if (!cursor)
      return Fail(ErrorCode::kInvalidArgument, "cursor '" + *f.page.cursor + "' is not one this server returned",
                  "cursor");
  }
  std::string where;
  SqlParams params;
  auto param = [&](SqlValue v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto add = [&](const std::string& cond) { where += (where.empty() ? " WHERE " : " AND ") + cond; };
  if (f.repo_id) add("f.repo_id = " + param(*f.repo_id));
  if (f.classification) add("f.classification = " + param(std::string(flaky::Name(*f.classification))));
  if (cursor) {
    const std::string a = param(cursor->score), b = param(cursor->score), id = param(cursor->id);
    add("(f.score < " + a + " OR (f.score = " + b + " AND f.id < " + id + "))");
  }
  auto r = db_.Exec(std::string("SELECT ") + kVerdictColumns + " FROM test_flakiness f JOIN repos p ON p.id = f.repo_id" +
                        where + " ORDER BY f.score DESC, f.id DESC LIMIT " + std::to_string(bounds->limit + 1),
                    params);
  if (!r) return Fail(r.error());
  Page<StoredVerdict> page;
  for (const SqlRow& row : r->rows) {
    auto v = VerdictFromRow(row);
    if (!v) return Fail(v.error());
    page.items.push_back(std::move(*v));
  }
  if (static_cast<int>(page.items.size()) > bounds->limit) {
    page.items.resize(static_cast<size_t>(bounds->limit));
    page.next_cursor = FormatScore(page.items.back().verdict.score) + "_" + std::to_string(page.items.back().id);
  }
  if (Status st = LoadRecent(page.items); !st) return Fail(st.error());
  return page;
}

// The latest results of every test of a page, in one query (a window function per test).
Status SqlTestHistoryStore::LoadRecent(std::vector<StoredVerdict>& items) {
  if (items.empty()) return Ok();
  std::string tests;
  SqlParams params;
  std::map<std::pair<std::int64_t, std::string>, StoredVerdict*> by_test;
  for (StoredVerdict& v : items) {
    params.push_back(v.repo_id);
    params.push_back(v.test_id);
    tests += std::string(tests.empty() ? "" : " OR ") + "(t.repo_id = $" + std::to_string(params.size() - 1) +
             " AND t.norm_id = $" + std::to_string(params.size()) + ")";
    by_test[{v.repo_id, v.test_id}] = &v;
  }
  auto r = db_.Exec(
      "SELECT x.repo_id, x.norm_id, x.run_id, x.commit_sha, x.outcome, x.attempts FROM (SELECT t.repo_id, t.norm_id, "
      "t.run_id, r.commit_sha, t.outcome, t.attempts, ROW_NUMBER() OVER (PARTITION BY t.repo_id, t.norm_id ORDER BY "
      "t.run_id DESC, t.id DESC) AS n FROM test_results t JOIN runs r ON r.id = t.run_id WHERE t.finished = 1 AND "
      "t.outcome <> 'skipped' AND (" + tests + ")) x WHERE x.n <= " + std::to_string(kRecentOutcomes) +
          " ORDER BY x.repo_id, x.norm_id, x.run_id, x.n DESC",
      params);
  if (!r) return Fail(r.error());
  for (const SqlRow& row : r->rows) {
    auto it = by_test.find({row.Int(0), row.Text(1)});
    if (it == by_test.end()) continue;
    TestRunOutcome o;
    o.run_id = row.Int(2);
    o.commit = row.Text(3);
    o.outcome = ParseTestOutcome(row.Text(4)).value_or(TestOutcome::kFailed);
    o.attempts = static_cast<int>(row.Int(5));
    it->second->recent.push_back(std::move(o));
  }
  return Ok();
}

Result<TestDetail> SqlTestHistoryStore::Get(std::int64_t id) {
  TestDetail d;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto r = s.Exec(std::string("SELECT ") + kVerdictColumns +
                        " FROM test_flakiness f JOIN repos p ON p.id = f.repo_id WHERE f.id = $1",
                    {id});
    if (!r) return Fail(r.error());
    if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no test with id " + std::to_string(id), "id");
    auto v = VerdictFromRow(r->rows[0]);
    if (!v) return Fail(v.error());
    d.verdict = std::move(*v);
    if (Status ls = LoadSignatures(s, d.verdict); !ls) return ls;
    auto window = LoadWindow(s, d.verdict.repo_id, d.verdict.test_id, d.verdict.verdict.stats.window);
    if (!window) return Fail(window.error());
    d.window = std::move(*window);
    auto q = s.Exec(
        "SELECT signature, who, reason, automatic, since, clean_runs FROM test_quarantines "
        "WHERE repo_id = $1 AND test_id = $2 ORDER BY since, signature",
        {d.verdict.repo_id, d.verdict.test_id});
    if (!q) return Fail(q.error());
    for (const SqlRow& row : q->rows)
      d.quarantines.push_back({row.Text(0), row.Text(1), row.Text(2), row.Int(3) != 0, row.Int(4),
                               static_cast<int>(row.Int(5))});
    auto h = s.Exec(
        "SELECT signature, action, who, reason, at, run_id FROM test_quarantine_events "
        "WHERE repo_id = $1 AND test_id = $2 ORDER BY id DESC LIMIT 200",
        {d.verdict.repo_id, d.verdict.test_id});
    if (!h) return Fail(h.error());
    for (const SqlRow& row : h->rows)
      d.history.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4), row.OptInt(5)});
    return Ok();
  });
  if (!st) return Fail(st.error());
  return d;
}

Result<StoredVerdict> SqlTestHistoryStore::Find(std::int64_t repo_id, const std::string& test_id) {
  StoredVerdict out;
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto r = s.Exec(std::string("SELECT ") + kVerdictColumns +
                        " FROM test_flakiness f JOIN repos p ON p.id = f.repo_id WHERE f.repo_id = $1 AND f.test_id = $2",
                    {repo_id, test_id});
    if (!r) return Fail(r.error());
    if (r->rows.empty())
      return Fail(ErrorCode::kNotFound,
                  "no verdict for test '" + test_id + "' of repository " + std::to_string(repo_id), "test");
    auto v = VerdictFromRow(r->rows[0]);
    if (!v) return Fail(v.error());
    out = std::move(*v);
    return LoadSignatures(s, out);
  });
  if (!st) return Fail(st.error());
  return out;
}

Result<Quarantine> SqlTestHistoryStore::AddQuarantine(std::int64_t id, const std::string& signature,
                                                      const std::string& who, const std::string& reason,
                                                      EpochMs now) {
  Quarantine q{signature, who, reason, false, now, 0};
  Status st = db_.Transact([&](SqlSession& s) -> Status {
    auto test = TestOf(s, id);
    if (!test) return Fail(test.error());
    auto ins = s.Exec(
        "INSERT INTO test_quarantines (repo_id, test_id, signature, who, reason, automatic, since, clean_runs) "
        "VALUES ($1, $2, $3, $4, $5, 0, $6, 0) ON CONFLICT DO NOTHING RETURNING signature",
        {test->first, test->second, signature, who, reason, now});
    if (!ins) return Fail(ins.error());
    if (ins->rows.empty())
      return Fail(ErrorCode::kAlreadyExists,
                  "test " + std::to_string(id) + " is already quarantined for " +
                      (signature == kAllSignatures ? std::string("all signatures") : "signature " + signature),
                  "signature");
    auto ev = s.Exec(
        "INSERT INTO test_quarantine_events (repo_id, test_id, signature, action, who, reason, at) "
        "VALUES ($1, $2, $3, 'quarantined', $4, $5, $6)",
        {test->first, test->second, signature, who, reason, now});
    if (!ev) return Fail(ev.error());
    return Ok();
  });
  if (!st) return Fail(st.error());
  return q;
}

Status SqlTestHistoryStore::LiftQuarantine(std::int64_t id, const std::string& signature, const std::string& who,
                                           const std::string& reason, EpochMs now) {
  return db_.Transact([&](SqlSession& s) -> Status {
    auto test = TestOf(s, id);
    if (!test) return Fail(test.error());
    auto del = s.Exec("DELETE FROM test_quarantines WHERE repo_id = $1 AND test_id = $2 AND signature = $3",
                      {test->first, test->second, signature});
    if (!del) return Fail(del.error());
    if (del->affected == 0)
      return Fail(ErrorCode::kNotFound,
                  "test " + std::to_string(id) + " is not quarantined for " +
                      (signature == kAllSignatures ? std::string("all signatures") : "signature " + signature),
                  "signature");
    auto ev = s.Exec(
        "INSERT INTO test_quarantine_events (repo_id, test_id, signature, action, who, reason, at) "
        "VALUES ($1, $2, $3, 'released', $4, $5, $6)",
        {test->first, test->second, signature, who, reason, now});
    if (!ev) return Fail(ev.error());
    return Ok();
  });
}

Result<std::vector<bool>> SqlTestHistoryStore::Quarantined(std::int64_t repo_id,
                                                           const std::vector<FailedTestRef>& failed) {
  std::vector<bool> out(failed.size(), false);
  if (failed.empty()) return out;
  auto r = db_.Exec("SELECT test_id, signature FROM test_quarantines WHERE repo_id = $1", {repo_id});
  if (!r) return Fail(r.error());
  for (std::size_t i = 0; i < failed.size(); ++i) {
    for (const SqlRow& row : r->rows) {
      if (row.Text(0) == failed[i].test_id && (row.Text(1) == kAllSignatures || row.Text(1) == failed[i].signature)) {
        out[i] = true;
        break;
      }
    }
  }
  return out;
}

}  // namespace sentinel::sqlstore
