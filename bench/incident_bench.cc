// Incident figures over a large history: a database holding INCIDENT_BENCH_RUNS
// finished runs (default 100,000; 3 repositories, one in five failed, failures
// spread over 50 clusters, ~70 days) on SQLite (a temporary file) and, when a
// PostgreSQL server can be started, PostgreSQL. Measures:
//   A. incident evaluation per finished run (IncidentStore::EvaluateRun with the
//      real rules), over INCIDENT_BENCH_EVALS new runs (default 200) of one
//      cluster: the incident opens, then is extended;
//   B. GET /overview's figures (OverviewStore::Figures, 30-day window).
// Prints a table; never fails on a time.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_incident_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace {

using namespace sentinel;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

double Ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

bool Check(const Status& st, const char* what) {
  if (!st) std::fprintf(stderr, "%s: %s\n", what, st.error().message.c_str());
  return static_cast<bool>(st);
}

// Fills the history with three set-based statements (recursive CTEs work on both dialects).
bool Fill(Db& db, int runs, EpochMs t0) {
  const std::string n = std::to_string(runs);
  const std::string t = std::to_string(t0);
  Status st = db.Transact([&](SqlSession& s) -> Status {
    for (const char* repo : {"alpha", "beta", "gamma"}) {
      auto r = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ($1, '/srv/x', $2)", {std::string(repo), t0});
      if (!r) return Fail(r.error());
    }
    auto c = s.Exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
        "INSERT INTO clusters (fingerprint, category, signature, title, first_seen, last_seen, occurrences) "
        "SELECT 'fp' || i, 'test_failure', 'sig' || i, 'Test failure ' || i, " + t + ", " + t + ", 0 FROM n");
    if (!c) return Fail(c.error());
    auto r = s.Exec(
        "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < " + n + ") "
        "INSERT INTO runs (repo_id, commit_sha, status, attempt, category, created_at, queued_at, started_at, "
        "finished_at, updated_at) SELECT 1 + i % 3, 'c' || i, CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'succeeded' END, 1, "
        "CASE WHEN i % 5 = 0 THEN 'test_failure' ELSE '' END, " + t + " + i * 60000, " + t + " + i * 60000, " + t +
        " + i * 60000, " + t + " + i * 60000 + 30000, " + t + " + i * 60000 + 30000 FROM n");
    if (!r) return Fail(r.error());
    auto f = s.Exec(
        "INSERT INTO failures (run_id, category, signature, fingerprint, cluster_id, created_at) "
        "SELECT id, 'test_failure', 'sig' || (1 + id % 50), 'fp' || (1 + id % 50), 1 + id % 50, finished_at "
        "FROM runs WHERE status = 'failed'");
    if (!f) return Fail(f.error());
    auto e = s.Exec("INSERT INTO incident_evaluations (run_id, at) SELECT id, finished_at FROM runs");
    if (!e) return Fail(e.error());
    return Ok();
  });
  return Check(st, "filling the history");
}

void Measure(const std::string& name, Db& db, int runs, int evals) {
  const EpochMs t0 = 1'780'000'000'000;
  if (!Check(sqlstore::Migrate(db, t0), "migrating")) return;
  auto f0 = std::chrono::steady_clock::now();
  if (!Fill(db, runs, t0)) return;
  const double fill_ms = Ms(f0, std::chrono::steady_clock::now());
  (void)db.Exec("ANALYZE");

  sqlstore::SqlRunStore run_store(db);
  sqlstore::SqlExecutionStore exec(db);
  sqlstore::SqlIncidentStore incidents(db);
  sqlstore::SqlOverviewStore overview(db);
  const EpochMs end = t0 + static_cast<EpochMs>(runs + 10) * 60000;
  const incidents::Thresholds th;
  std::vector<double> eval_ms;
  for (int i = 0; i < evals; ++i) {
    const EpochMs at = end + i * 60000;
    auto run = run_store.Create(NewRun{1 + i % 3, "", "testfail"}, at);
    if (!run) return;
    auto claim = exec.Claim(run->id, "bench", 60000, at);
    if (!claim) return;
    Failure x;
    x.category = FailureCategory::kTestFailure;
    x.signature = "sig7";
    x.fingerprint = "fp7";
    x.title = "Test failure 7";
    if (!Check(exec.Finish(Fence{run->id, claim->run.attempt, "bench"}, {RunStatus::kFailed, FailureCategory::kTestFailure, "", ""},
                           {x}, at + 1000),
               "finish"))
      return;
    const EpochMs now = at + 1001;
    auto a = std::chrono::steady_clock::now();
    auto r = incidents.EvaluateRun(
        run->id, th, [&](const incidents::Context& c) { return incidents::Evaluate(c, th, now); }, now);
    auto b = std::chrono::steady_clock::now();
    if (!r) {
      std::fprintf(stderr, "evaluate: %s\n", r.error().message.c_str());
      return;
    }
    eval_ms.push_back(Ms(a, b));
  }
  std::vector<double> overview_ms;
  for (int i = 0; i < 20; ++i) {
    auto a = std::chrono::steady_clock::now();
    auto o = overview.Figures(end - 30LL * 86400000, end);
    auto b = std::chrono::steady_clock::now();
    if (!o) {
      std::fprintf(stderr, "overview: %s\n", o.error().message.c_str());
      return;
    }
    overview_ms.push_back(Ms(a, b));
  }
  std::printf("| %-10s | %8d | %8.0f ms | %8.2f ms | %8.2f ms | %8.2f ms | %8.2f ms |\n", name.c_str(), runs, fill_ms,
              Percentile(eval_ms, 0.5), Percentile(eval_ms, 0.99), Percentile(overview_ms, 0.5),
              Percentile(overview_ms, 0.99));
}

}  // namespace

int main() {
  const int runs = EnvInt("INCIDENT_BENCH_RUNS", 100000);
  const int evals = EnvInt("INCIDENT_BENCH_EVALS", 200);
  std::printf("incident evaluation per finished run and GET /overview figures over a history of %d runs\n\n", runs);
  std::printf("| store      |     runs |      fill   | eval p50    | eval p99    | overview p50 | overview p99 |\n");
  std::printf("|------------|----------|-------------|-------------|-------------|-------------|-------------|\n");
  sentinel::testing::ScratchDir dir;
  {
    auto db = adapters::SqliteDb::Open(dir.Sub("bench.db"));
    if (db) Measure("sqlite", **db, runs, evals);
    else std::printf("| sqlite     | (cannot open: %s) |\n", db.error().message.c_str());
  }
  std::string why;
  auto* pg = sentinel::testing::SharedPostgres(&why);
  if (pg == nullptr) {
    std::printf("| postgres   | (not measured: %s) |\n", why.c_str());
    return 0;
  }
  auto db = adapters::PostgresDb::Create(pg->CreateTestDatabase());
  if (db) Measure("postgres", **db, runs, evals);
  return 0;
}
