#include "adapters/sqlstore/test_history.h"

#include <cmath>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace sentinel::sqlstore {
namespace {

using nlohmann::json;

SqlValue I(int v) { return static_cast<std::int64_t>(v); }
SqlValue OptId(const std::optional<std::string>& run) {
  if (!run || run->empty()) return nullptr;
  try {
    return static_cast<std::int64_t>(std::stoll(*run));
  } catch (...) {
    return nullptr;
  }
}

// Stored at the precision shown, so a value read back as text compares equal (keyset cursors).
double Round4(double x) { return std::round(x * 10000) / 10000; }

bool IsFailedOutcome(const std::string& o) { return o == "failed" || o == "error"; }

struct RunRow {
  std::string norm_id;
  bool failed = false;
  int step = 0;
};

Status Event(SqlSession& s, std::int64_t repo_id, const std::string& test_id, const std::string& signature,
             const char* action, const std::string& who, const std::string& reason, EpochMs at,
             std::optional<std::int64_t> run_id) {
  auto r = s.Exec(
      "INSERT INTO test_quarantine_events (repo_id, test_id, signature, action, who, reason, at, run_id) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {repo_id, test_id, signature, std::string(action), who, reason, at,
       run_id ? SqlValue(*run_id) : SqlValue(nullptr)});
  if (!r) return Fail(r.error());
  return Ok();
}

}  // namespace

std::string EncodeStats(const flaky::Verdict& v) {
  const flaky::WindowStats& s = v.stats;
  json j = {{"passes", s.passes},
            {"retry_passes", s.retry_passes},
            {"both_outcome_commits", s.both_outcome_commits},
            {"retry_pass_runs", s.retry_pass_runs},
            {"failing_runs", s.failing_runs},
            {"commits", s.commits},
            {"infrastructure_failures", s.infrastructure_failures},
            {"infrastructure_runs", s.infrastructure_runs},
            {"last_failing_run", s.last_failing_run ? json(*s.last_failing_run) : json(nullptr)},
            {"streak",
             {{"length", s.streak.length},
              {"first_failing_run", s.streak.first_failing_run},
              {"first_failing_commit", s.streak.first_failing_commit},
              {"last_passing_run", s.streak.last_passing_run},
              {"last_passing_commit", s.streak.last_passing_commit},
              {"regression", s.streak.regression}}}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<flaky::Verdict> DecodeStats(const std::string& text) {
  flaky::Verdict v;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Fail(ErrorCode::kInternal, "test_flakiness.evidence is not a JSON object");
  try {
    flaky::WindowStats& s = v.stats;
    s.passes = j.value("passes", 0);
    s.retry_passes = j.value("retry_passes", 0);
    s.both_outcome_commits = j.value("both_outcome_commits", std::vector<std::string>{});
    s.retry_pass_runs = j.value("retry_pass_runs", std::vector<std::string>{});
    s.failing_runs = j.value("failing_runs", std::vector<std::string>{});
    s.commits = j.value("commits", std::vector<std::string>{});
    s.infrastructure_failures = j.value("infrastructure_failures", 0);
    s.infrastructure_runs = j.value("infrastructure_runs", std::vector<std::string>{});
    if (j.contains("last_failing_run") && j["last_failing_run"].is_string())
      s.last_failing_run = j["last_failing_run"].get<std::string>();
    if (j.contains("streak") && j["streak"].is_object()) {
      const json& k = j["streak"];
      s.streak.length = k.value("length", 0);
      s.streak.first_failing_run = k.value("first_failing_run", "");
      s.streak.first_failing_commit = k.value("first_failing_commit", "");
      s.streak.last_passing_run = k.value("last_passing_run", "");
      s.streak.last_passing_commit = k.value("last_passing_commit", "");
      s.streak.regression = k.value("regression", false);
    }
  } catch (const json::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("test_flakiness.evidence is malformed: ") + e.what());
  }
  return v;
}

Result<std::vector<TestRunOutcome>> LoadWindow(SqlSession& s, std::int64_t repo_id, const std::string& test_id,
                                               int window) {
  auto r = s.Exec(
      "SELECT t.run_id, r.commit_sha, t.outcome, t.attempts, t.signature, t.category, t.mass_failure, t.flaky, "
      "t.quarantined, t.message, r.finished_at FROM test_results t JOIN runs r ON r.id = t.run_id "
      "WHERE t.repo_id = $1 AND t.norm_id = $2 AND t.finished = 1 AND t.outcome <> 'skipped' AND t.run_id >= "
      "(SELECT COALESCE(MIN(w.run_id), 0) FROM (SELECT DISTINCT run_id FROM test_results WHERE repo_id = $3 AND "
      "norm_id = $4 AND finished = 1 AND outcome <> 'skipped' ORDER BY run_id DESC LIMIT " +
          std::to_string(window) + ") w) ORDER BY t.run_id, t.id",
      {repo_id, test_id, repo_id, test_id});
  if (!r) return Fail(r.error());
  std::vector<TestRunOutcome> out;
  out.reserve(r->rows.size());
  for (const SqlRow& row : r->rows) {
    TestRunOutcome o;
    o.run_id = row.Int(0);
    o.commit = row.Text(1);
    o.outcome = ParseTestOutcome(row.Text(2)).value_or(TestOutcome::kFailed);
    o.attempts = static_cast<int>(row.Int(3));
    o.signature = row.Text(4);
    o.category = row.Text(5);
    o.mass_failure = row.Int(6) != 0;
    o.flaky = row.Int(7) != 0;
    o.quarantined = row.Int(8) != 0;
    o.message = row.Text(9);
    o.finished_at = row.OptInt(10);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<flaky::RunResult> ToRunResults(const std::vector<TestRunOutcome>& window) {
  std::vector<flaky::RunResult> out;
  for (const TestRunOutcome& o : window) {
    const bool failed = o.outcome == TestOutcome::kFailed || o.outcome == TestOutcome::kError;
    const bool retried = !failed && o.attempts > 1;  // JUnit flakyFailure/rerunFailure: failed, then passed
    const FailureCategory category =
        o.category.empty() ? FailureCategory::kTestFailure
                           : ParseFailureCategory(o.category).value_or(FailureCategory::kTestFailure);
    const std::string run = std::to_string(o.run_id);
    if (!out.empty() && out.back().run == run) {
      flaky::FoldAttempt(out.back(), failed, o.attempts, o.signature, category);
      if (retried && !out.back().failed) out.back().passed_on_retry = true;
      out.back().mass_failure = out.back().mass_failure || o.mass_failure;
      continue;
    }
    flaky::RunResult r;
    r.run = run;
    r.commit = o.commit;
    r.failed = failed;
    r.passed_on_retry = retried;
    r.attempts = o.attempts;
    if (failed || retried) {
      r.signature = o.signature;
      r.category = category;
    }
    r.mass_failure = o.mass_failure;
    r.at = o.finished_at;
    out.push_back(std::move(r));
  }
  return out;
}

Result<RunFlakiness> RecomputeRunTests(SqlSession& s, std::int64_t run_id, RunStatus status,
                                       const std::vector<Failure>& failures, const flaky::FlakyConfig& config,
                                       EpochMs now) {
  RunFlakiness out;
  auto run = s.Exec("SELECT repo_id FROM runs WHERE id = $1", {run_id});
  if (!run) return Fail(run.error());
  if (run->rows.empty()) return Fail(ErrorCode::kNotFound, "run " + std::to_string(run_id) + " does not exist", "run");
  const std::int64_t repo_id = run->rows[0].Int(0);

  for (const Failure& x : failures) {
    auto u = s.Exec(
        "UPDATE test_results SET category = $3 WHERE run_id = $1 AND step_idx = $2 AND outcome IN ('failed', 'error')",
        {run_id, I(x.step_index), std::string(Name(x.category))});
    if (!u) return Fail(u.error());
  }
  if (status == RunStatus::kTimedOut) {
    auto u = s.Exec(
        "UPDATE test_results SET category = 'timeout' WHERE run_id = $1 AND outcome IN ('failed', 'error') "
        "AND category = ''",
        {run_id});
    if (!u) return Fail(u.error());
  }
  auto rows = s.Exec(
      "SELECT norm_id, outcome, step_idx FROM test_results WHERE run_id = $1 AND outcome <> 'skipped' ORDER BY id",
      {run_id});
  if (!rows) return Fail(rows.error());
  std::vector<std::string> tests;  // in first-seen order
  std::unordered_map<std::string, bool> final_failed;
  std::unordered_map<std::string, std::set<int>> failed_steps;
  for (const SqlRow& row : rows->rows) {
    const std::string& id = row.Text(0);
    const bool failed = IsFailedOutcome(row.Text(1));
    auto [it, inserted] = final_failed.try_emplace(id, failed);
    if (inserted) tests.push_back(id);
    else it->second = failed;  // the later result (attempt) decides
    if (failed) failed_steps[id].insert(static_cast<int>(row.Int(2)));
  }
  int failed_tests = 0;
  for (const auto& [id, failed] : final_failed) failed_tests += failed ? 1 : 0;
  const bool mass = flaky::IsMassFailure(failed_tests, static_cast<int>(tests.size()), config);
  auto stamp = s.Exec("UPDATE test_results SET finished = 1, mass_failure = $2, repo_id = $3 WHERE run_id = $1",
                      {run_id, I(mass ? 1 : 0), repo_id});
  if (!stamp) return Fail(stamp.error());

  // Active quarantines of the repository's tests in this run.
  std::unordered_map<std::string, std::vector<std::pair<std::string, int>>> quarantines;
  if (!tests.empty()) {
    auto q = s.Exec("SELECT test_id, signature, clean_runs FROM test_quarantines WHERE repo_id = $1", {repo_id});
    if (!q) return Fail(q.error());
    for (const SqlRow& row : q->rows)
      if (final_failed.count(row.Text(0))) quarantines[row.Text(0)].push_back({row.Text(1), static_cast<int>(row.Int(2))});
  }

  for (const std::string& test : tests) {
    auto window = LoadWindow(s, repo_id, test, config.window);
    if (!window) return Fail(window.error());
    const std::vector<flaky::RunResult> results = ToRunResults(*window);
    if (results.empty() || results.back().run != std::to_string(run_id)) continue;  // not in its own window: cannot be
    const flaky::RunResult& mine = results.back();
    const flaky::TestVerdict tv = flaky::ClassifyTest(results, config);
    const flaky::Verdict& v = tv.test;
    auto up = s.Exec(
        "INSERT INTO test_flakiness (repo_id, test_id, window_size, runs, passes, failures, failure_ratio, flips, "
        "score, interval_low, interval_high, classification, reason, evidence, last_failing_run_id, last_run_id, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
        "ON CONFLICT (repo_id, test_id) DO UPDATE SET window_size = excluded.window_size, runs = excluded.runs, "
        "passes = excluded.passes, failures = excluded.failures, failure_ratio = excluded.failure_ratio, "
        "flips = excluded.flips, score = excluded.score, interval_low = excluded.interval_low, "
        "interval_high = excluded.interval_high, classification = excluded.classification, "
        "reason = excluded.reason, evidence = excluded.evidence, "
        "last_failing_run_id = COALESCE(excluded.last_failing_run_id, test_flakiness.last_failing_run_id), "
        "last_run_id = excluded.last_run_id, updated_at = excluded.updated_at RETURNING id",
        {repo_id, test, I(config.window), I(v.stats.runs), I(v.stats.passes), I(v.stats.failures),
         Round4(v.stats.failure_ratio), I(v.stats.flips), Round4(v.score), Round4(v.interval_low),
         Round4(v.interval_high), std::string(flaky::Name(v.classification)), v.reason, EncodeStats(v),
         OptId(v.stats.last_failing_run), run_id, now});
    if (!up) return Fail(up.error());
    const std::int64_t flakiness_id = up->rows.at(0).Int(0);
    auto del = s.Exec("DELETE FROM test_signature_verdicts WHERE flakiness_id = $1", {flakiness_id});
    if (!del) return Fail(del.error());
    for (const flaky::SignatureVerdict& sv : tv.signatures) {
      auto ins = s.Exec(
          "INSERT INTO test_signature_verdicts (flakiness_id, signature, classification, score, interval_low, "
          "interval_high, runs, failures, reason, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          {flakiness_id, sv.signature, std::string(flaky::Name(sv.verdict.classification)), Round4(sv.verdict.score),
           Round4(sv.verdict.interval_low), Round4(sv.verdict.interval_high), I(sv.verdict.stats.runs),
           I(sv.verdict.stats.failures + sv.verdict.stats.retry_passes), sv.verdict.reason, now});
      if (!ins) return Fail(ins.error());
    }
    ++out.tests;

    // This run's failure of the test: flaky when the verdict for its signature is; quarantined when covered.
    std::vector<std::pair<std::string, int>>& qs = quarantines[test];
    if (mine.failed) {
      const bool is_flaky = !mine.Excluded() && tv.IsFlakyFor(mine.signature);
      bool quarantined = false;
      for (const auto& [sig, clean] : qs) quarantined = quarantined || sig == kAllSignatures || sig == mine.signature;
      if (is_flaky || quarantined) {
        auto f = s.Exec(
            "UPDATE test_results SET flaky = $3, quarantined = $4 WHERE run_id = $1 AND norm_id = $2 "
            "AND outcome IN ('failed', 'error')",
            {run_id, test, I(is_flaky ? 1 : 0), I(quarantined ? 1 : 0)});
        if (!f) return Fail(f.error());
      }
      out.flaky_failures += is_flaky ? 1 : 0;
      out.quarantined_failures += quarantined ? 1 : 0;
      for (int step : failed_steps[test]) {
        auto [it, inserted] = out.step_all_flaky.try_emplace(step, is_flaky);
        if (!inserted) it->second = it->second && is_flaky;
      }
    }

    // Automatic release: clean runs in a row since the quarantine.
    const bool clean = !mine.failed && !mine.passed_on_retry;
    for (auto& [sig, clean_runs] : qs) {
      if (!clean && mine.Excluded()) continue;  // an infrastructure failure says nothing about the test
      const int next = clean ? clean_runs + 1 : 0;
      if (clean && next >= config.release_after) {
        auto d = s.Exec("DELETE FROM test_quarantines WHERE repo_id = $1 AND test_id = $2 AND signature = $3",
                        {repo_id, test, sig});
        if (!d) return Fail(d.error());
        if (Status e = Event(s, repo_id, test, sig, "released", "sentinel",
                             "passed " + std::to_string(next) + " runs in a row (flaky.release_after = " +
                                 std::to_string(config.release_after) + ")",
                             now, run_id);
            !e)
          return Fail(e.error());
        continue;
      }
      auto u = s.Exec(
          "UPDATE test_quarantines SET clean_runs = $4 WHERE repo_id = $1 AND test_id = $2 AND signature = $3",
          {repo_id, test, sig, I(next)});
      if (!u) return Fail(u.error());
    }

    // Automatic quarantine (off when 0): this run's failure is a flaky one whose signature scores
    // at or above the threshold. Only on a failure, so a released quarantine stays released
    // until the flake recurs.
    if (config.auto_quarantine_score > 0 && (mine.failed || mine.passed_on_retry) && !mine.Excluded()) {
      for (const flaky::SignatureVerdict& sv : tv.signatures) {
        if (sv.signature != mine.signature || sv.verdict.classification != flaky::Classification::kFlaky ||
            sv.verdict.score < config.auto_quarantine_score)
          continue;
        bool covered = false;
        for (const auto& [sig, clean] : qs) covered = covered || sig == kAllSignatures || sig == sv.signature;
        if (covered) continue;
        char score[32];
        std::snprintf(score, sizeof score, "%.2f", sv.verdict.score);
        const std::string reason = "flaky (" + sv.verdict.reason + ") with score " + score +
                                   " >= flaky.auto_quarantine";
        auto ins = s.Exec(
            "INSERT INTO test_quarantines (repo_id, test_id, signature, who, reason, automatic, since, clean_runs) "
            "VALUES ($1, $2, $3, 'sentinel', $4, 1, $5, 0) ON CONFLICT DO NOTHING",
            {repo_id, test, sv.signature, reason, now});
        if (!ins) return Fail(ins.error());
        if (Status e = Event(s, repo_id, test, sv.signature, "quarantined", "sentinel", reason, now, run_id); !e)
          return Fail(e.error());
        qs.push_back({sv.signature, 0});
      }
    }
  }
  return out;
}

}  // namespace sentinel::sqlstore
