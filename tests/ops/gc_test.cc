// Retention (`sentinel gc`): old logs, workspaces and run history go; what is
// still referenced (open incidents, cluster representatives, retries,
// flakiness) or still running stays. On SQLite and PostgreSQL.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_retention_store.h"
#include "app/retention.h"
#include "cli/commands.h"
#include "cli/db_factory.h"
#include "ports/clock.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel {
namespace {

namespace fs = std::filesystem;
constexpr EpochMs kDay = 24LL * 3600 * 1000;

class GcTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      url_ = "sqlite://" + dir_.Sub("gc.db");
    } else {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      url_ = pg->CreateDatabase(testing::UniqueTestDatabaseName("gc"));
    }
    auto db = cli::OpenDatabase(url_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::Migrate(*db_, 1));
    now_ = SystemClock().Now();
    data_ = dir_.Sub("data");
    Exec("INSERT INTO repos (id, name, url, created_at) VALUES (1, 'r', '/r', 1)");
  }

  void Exec(const std::string& sql) {
    auto r = db_->Exec(sql);
    ASSERT_TRUE(r) << sql << ": " << r.error().message;
  }
  std::int64_t Scalar(const std::string& sql) {
    auto r = db_->Exec(sql);
    EXPECT_TRUE(r) << sql;
    return r && !r->rows.empty() ? r->rows[0].Int(0) : -1;
  }

  // A run finished `age_days` ago (status running when age_days < 0: not finished), with a log
  // folder and a workspace as old as the run.
  void Run(int id, double age_days, const std::string& retry_of = "NULL") {
    const EpochMs at = now_ - static_cast<EpochMs>(std::abs(age_days) * kDay);
    const bool running = age_days < 0;
    Exec("INSERT INTO runs (id, repo_id, status, created_at, started_at, finished_at, updated_at, retry_of) VALUES (" +
         std::to_string(id) + ", 1, '" + (running ? "running" : "failed") + "', " + std::to_string(at) + ", " +
         std::to_string(at) + ", " + (running ? "NULL" : std::to_string(at)) + ", " + std::to_string(at) + ", " +
         retry_of + ")");
    Exec("INSERT INTO steps (run_id, idx, name, status) VALUES (" + std::to_string(id) + ", 0, 's', 'failed')");
    Exec("INSERT INTO run_events (run_id, at, kind) VALUES (" + std::to_string(id) + ", 1, 'finished')");
    Exec("INSERT INTO failures (run_id, category, created_at) VALUES (" + std::to_string(id) + ", 'unknown', 1)");
    Dir("logs/run-" + std::to_string(id), at);
    Dir("workspaces/run-" + std::to_string(id) + "-1", at);
  }

  void Dir(const std::string& rel, EpochMs mtime) {
    const fs::path p = fs::path(data_) / rel;
    fs::create_directories(p);
    std::ofstream(p / "file.txt") << std::string(100, 'x');
    const auto sys = std::chrono::system_clock::time_point(std::chrono::milliseconds(mtime));
    fs::last_write_time(p, std::chrono::file_clock::from_sys(sys));
  }

  bool Exists(const std::string& rel) { return fs::exists(fs::path(data_) / rel); }
  bool RunExists(int id) { return Scalar("SELECT COUNT(*) FROM runs WHERE id = " + std::to_string(id)) == 1; }

  // The scene: a run per reason to keep or remove it.
  void MakeScene() {
    Run(1, 100);  // old, unreferenced: goes
    Run(2, 100);  // in an open incident: stays
    Run(3, 100);  // in a resolved incident only: goes
    Run(4, 100);  // a cluster's representative: stays
    Run(5, 100);  // retried by run 6: stays
    Run(6, 0.5, "5");
    Run(7, 100);  // in the cluster of an open incident: stays
    Run(8, 0.5);  // recent: stays, with its logs
    Run(9, -100);  // running for 100 days: stays, workspace too
    Run(10, 100);  // a test's last failing run: stays
    Run(11, 40);   // past the log limit (30 d), within the history limit (90 d): logs go, run stays
    Run(12, 100);  // a failure of the test of an open flaky-test incident: stays
    Run(13, 100);  // a pass of that test: goes
    Exec("INSERT INTO clusters (id, fingerprint, category, first_seen, last_seen, representative_run_id) VALUES "
         "(1, 'f1', 'unknown', 1, 1, 4), (2, 'f2', 'unknown', 1, 1, NULL)");
    Exec("INSERT INTO cluster_runs (cluster_id, run_id, repo_id) VALUES (2, 7, 1), (1, 1, 1)");
    Exec("INSERT INTO incidents (id, key, title, status, severity, cluster_id, opened_at, updated_at) VALUES "
         "(1, 'open', 'Open', 'open', 'major', 2, 1, 1), (2, 'old', 'Old', 'resolved', 'minor', NULL, 1, 1)");
    Exec("INSERT INTO incident_runs (incident_id, run_id) VALUES (1, 2), (2, 3)");
    Exec("INSERT INTO test_flakiness (repo_id, test_id, window_size, classification, last_failing_run_id, updated_at) "
         "VALUES (1, 't', 20, 'flaky', 10, 1)");
    Exec("INSERT INTO test_results (run_id, name, test_id, norm_id, repo_id, outcome, finished) VALUES "
         "(12, 'fl', 'fl', 'fl', 1, 'failed', 1), (13, 'fl', 'fl', 'fl', 1, 'passed', 1)");
    Exec("INSERT INTO incidents (id, key, title, status, severity, repo_id, rule, opened_at, updated_at) VALUES "
         "(3, 'flaky:1:fl', 'Flaky test fl', 'open', 'minor', 1, 'flaky_test', 1, 1)");
    Dir("logs/run-999", now_ - 100 * kDay);  // a run no longer in the store
    Dir("logs/not-a-run", now_ - 100 * kDay);
  }

  app::RetentionPolicy Policy() {
    app::RetentionPolicy p;
    p.log_ms = 30 * kDay;
    p.run_ms = 90 * kDay;
    p.workspace_ms = 1 * kDay;
    return p;
  }

  testing::ScratchDir dir_;
  std::string url_, data_;
  std::unique_ptr<Db> db_;
  EpochMs now_ = 0;
};

TEST_P(GcTest, RemovesOldDataAndKeepsWhatIsReferenced) {
  if (!db_) return;
  MakeScene();
  sqlstore::SqlRetentionStore store(*db_);
  auto report = app::CollectGarbage(store, data_, SystemClock(), Policy());
  ASSERT_TRUE(report) << report.error().message;

  for (int gone : {1, 3, 13}) {
    EXPECT_FALSE(RunExists(gone)) << gone;
    EXPECT_FALSE(Exists("logs/run-" + std::to_string(gone))) << gone;
    for (const char* table : {"steps", "run_events", "failures", "cluster_runs", "incident_runs"})
      EXPECT_EQ(Scalar(std::string("SELECT COUNT(*) FROM ") + table + " WHERE run_id = " + std::to_string(gone)), 0)
          << table << " of run " << gone;
  }
  for (int kept : {2, 4, 5, 6, 7, 8, 9, 10, 11, 12}) EXPECT_TRUE(RunExists(kept)) << kept;
  for (int kept : {2, 4, 5, 6, 7, 8, 9, 10})
    EXPECT_TRUE(Exists("logs/run-" + std::to_string(kept))) << "logs of referenced/recent run " << kept;
  EXPECT_FALSE(Exists("logs/run-11")) << "old logs of a kept run go";
  EXPECT_FALSE(Exists("logs/run-999")) << "orphan logs go";
  EXPECT_TRUE(Exists("logs/not-a-run")) << "folders gc does not own stay";
  // The resolved incident itself stays (only its link to the deleted run went); the open one keeps its run.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM incidents"), 3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM incident_runs WHERE run_id = 2"), 1);
  // Workspaces: old ones go, never the running run's, never a recent one.
  EXPECT_FALSE(Exists("workspaces/run-1-1"));
  EXPECT_TRUE(Exists("workspaces/run-9-1")) << "the running run's workspace";
  EXPECT_TRUE(Exists("workspaces/run-8-1"));
  EXPECT_TRUE(Exists("workspaces/run-6-1"));

  EXPECT_EQ(report->runs_deleted, 3);
  EXPECT_EQ(report->log_dirs_removed, 5);  // runs 1, 3, 13, 11 and the orphan 999
  EXPECT_GE(report->bytes_freed, 4 * 100);
  EXPECT_GT(report->kept_referenced, 0);

  // A second sweep finds nothing more.
  auto again = app::CollectGarbage(store, data_, SystemClock(), Policy());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->runs_deleted, 0);
  EXPECT_EQ(again->log_dirs_removed, 0);
}

TEST_P(GcTest, ADryRunRemovesNothingAndZeroDaysKeepsForever) {
  if (!db_) return;
  MakeScene();
  sqlstore::SqlRetentionStore store(*db_);
  app::RetentionPolicy dry = Policy();
  dry.dry_run = true;
  auto report = app::CollectGarbage(store, data_, SystemClock(), dry);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->runs_deleted, 3);
  EXPECT_EQ(report->log_dirs_removed, 5);
  EXPECT_TRUE(RunExists(1));
  EXPECT_TRUE(Exists("logs/run-1"));
  EXPECT_TRUE(Exists("workspaces/run-1-1"));

  auto keep = app::CollectGarbage(store, data_, SystemClock(), app::RetentionPolicy{});
  ASSERT_TRUE(keep);
  EXPECT_EQ(keep->runs_deleted + keep->log_dirs_removed + keep->workspaces_removed, 0);
  EXPECT_TRUE(RunExists(1));
}

// A run referenced between listing and deleting is kept: the delete re-checks.
TEST_P(GcTest, DeleteRechecksReferences) {
  if (!db_) return;
  Run(1, 100);
  sqlstore::SqlRetentionStore store(*db_);
  auto ids = store.ExpiredRuns(now_ - 90 * kDay, 0, 10);
  ASSERT_TRUE(ids);
  ASSERT_EQ(*ids, std::vector<std::int64_t>{1});
  Exec("INSERT INTO clusters (id, fingerprint, category, first_seen, last_seen, representative_run_id) VALUES "
       "(1, 'f1', 'unknown', 1, 1, 1)");
  auto n = store.DeleteRuns(*ids, now_ - 90 * kDay);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 0);
  EXPECT_TRUE(RunExists(1));
}

TEST_P(GcTest, TheGcCommandSweepsWithTheConfiguredLimits) {
  if (!db_) return;
  MakeScene();
  ASSERT_TRUE(testing::WriteFileAll(dir_.Sub("sentinel.yml"), "retention:\n  log_days: 30\n  run_days: 90\n"));
  CLI::App app{"sentinel"};
  int code = -1;
  cli::RegisterGcCommand(app, &code);
  std::vector<std::string> args = {"sentinel", "gc", "--config", dir_.Sub("sentinel.yml"), "--database-url", url_,
                                   "--data-dir", data_};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  app.parse(static_cast<int>(argv.size()), argv.data());
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("removed 3 run(s)"), std::string::npos) << out;
  EXPECT_FALSE(RunExists(1));
  EXPECT_TRUE(RunExists(2));
}

INSTANTIATE_TEST_SUITE_P(Stores, GcTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace sentinel
