// `sentinel reclassify`'s use case (app/reclassify.h) over the real SQL failure
// store and the built-in KB via app::TriageStoredStep, against SQLite (a
// temporary file) and PostgreSQL (a throwaway server, a fresh database per test).

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "adapters/kb/embedded_kb.h"
#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_failure_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "app/reclassify.h"
#include "app/triage_hooks.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::app {
namespace {

constexpr EpochMs kT0 = 1'790'000'000'000;
constexpr char kOldKb[] = "2000.01.01-1";

enum class Backend { kSqlite, kPostgres };

class ReclassifyTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      auto db = adapters::PostgresDb::Create(pg->CreateTestDatabase());
      ASSERT_TRUE(db) << db.error().message;
      db_ = std::move(*db);
    } else {
      auto db = adapters::SqliteDb::Open(dir_.Sub("sentinel.db"));
      ASSERT_TRUE(db) << db.error().message;
      db_ = std::move(*db);
    }
    ASSERT_TRUE(sqlstore::ApplyMigrations(*db_, kT0));
    auto kb = kb::LoadEmbeddedKb();
    ASSERT_TRUE(kb) << kb.error().message;
    kb_ = std::make_shared<const triage::Kb>(std::move(*kb));
    ASSERT_NE(kb_->version(), kOldKb);
    repos_ = std::make_unique<sqlstore::SqlRepoStore>(*db_);
    runs_ = std::make_unique<sqlstore::SqlRunStore>(*db_);
    exec_ = std::make_unique<sqlstore::SqlExecutionStore>(*db_);
    failures_ = std::make_unique<sqlstore::SqlFailureStore>(*db_);
    auto repo = repos_->Create("demo", "/srv/demo", kT0);
    ASSERT_TRUE(repo) << repo.error().message;
    repo_id_ = repo->id;
    data_dir_ = dir_.Sub("data");
  }

  // A finished failed run whose step 0 ("build") logged `log` (no file when
  // nullopt) and whose stored failure is unknown/"" with `fingerprint` from `kb_version`.
  std::int64_t StoreFailedRun(const std::optional<std::string>& log, const std::string& kb_version,
                              const std::string& fingerprint) {
    auto run = runs_->Create(sentinel::NewRun{repo_id_, "main", "build"}, kT0);
    EXPECT_TRUE(run) << run.error().message;
    if (!run) return 0;
    auto c = exec_->Claim(run->id, "w1", 60'000, kT0);
    EXPECT_TRUE(c) << c.error().message;
    if (!c) return 0;
    const Fence f{run->id, c->run.attempt, "w1"};
    EXPECT_TRUE(exec_->PlanSteps(f, {StepPlan{"build", "make", 0}}, kT0));
    const std::string rel = "logs/run-" + std::to_string(run->id) + "/build.log";
    auto n = exec_->StartStep(f, 0, rel, kT0);
    EXPECT_TRUE(n) << n.error().message;
    if (log) {
      std::filesystem::create_directories(std::filesystem::path(data_dir_ + "/" + rel).parent_path());
      std::ofstream(data_dir_ + "/" + rel) << *log;
    }
    StepAttemptEnd end;
    end.index = 0;
    end.attempt_no = n ? *n : 1;
    end.status = StepStatus::kFailed;
    end.exit_code = 2;
    EXPECT_TRUE(exec_->FinishStepAttempt(f, end, kT0));
    Failure old;
    old.run_id = run->id;
    old.step_index = 0;
    old.category = FailureCategory::kUnknown;
    old.fingerprint = fingerprint;
    old.cluster_template = "an old template";
    old.title = "old title";
    old.kb_version = kb_version;
    auto st = exec_->Finish(f, RunOutcome{RunStatus::kFailed, FailureCategory::kUnknown, "", "failed"}, {old}, kT0);
    EXPECT_TRUE(st) << st.error().message;
    return run->id;
  }

  ReclassifyReport Run(bool dry_run) {
    ReclassifyOptions o;
    o.kb_version = kb_->version();
    o.data_dir = data_dir_;
    o.dry_run = dry_run;
    auto kb = kb_;
    auto r = Reclassify(
        *failures_, [kb](std::int64_t id, const StepReport& s) { return TriageStoredStep(*kb, id, s); }, o,
        kT0 + 1000);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ReclassifyReport{};
  }

  SqlRow Row(const std::string& sql, const SqlParams& params) {
    auto r = db_->Exec(sql, params);
    EXPECT_TRUE(r) << r.error().message;
    if (!r || r->rows.empty()) {
      ADD_FAILURE() << "no row for " << sql;
      return SqlRow{};
    }
    return r->rows[0];
  }

  testing::ScratchDir dir_;
  std::string data_dir_;
  std::unique_ptr<Db> db_;
  std::shared_ptr<const triage::Kb> kb_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<sqlstore::SqlFailureStore> failures_;
  std::int64_t repo_id_ = 0;
};

constexpr char kDiskLog[] = "compiling foo.c\ncc1: fatal error: foo.o: No space left on device\nmake: *** Error 1\n";

TEST_P(ReclassifyTest, ChangedFailureIsRewrittenAndMovedToTheNewCluster) {
  const std::int64_t run = StoreFailedRun(kDiskLog, kOldKb, "old-fp");
  const std::int64_t old_cluster = Row("SELECT cluster_id FROM failures WHERE run_id = $1", {run}).Int(0);
  ASSERT_GT(old_cluster, 0);

  ReclassifyReport report = Run(false);
  EXPECT_EQ(report.examined, 1);
  ASSERT_EQ(report.changes.size(), 1u);
  const auto lines = FormatReclassifyReport(report, false);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "run " + std::to_string(run) + " step 0: unknown/ -> disk_full/no-space-left");
  ASSERT_TRUE(report.changes[0].new_cluster.has_value());
  const std::int64_t new_cluster = *report.changes[0].new_cluster;
  EXPECT_NE(new_cluster, old_cluster);
  EXPECT_EQ(lines[1], "  cluster: cluster " + std::to_string(old_cluster) + " -> cluster " + std::to_string(new_cluster));
  EXPECT_EQ(lines.back(), "1 examined, 1 changed, 0 unchanged, 0 missing logs");

  SqlRow f = Row(
      "SELECT category, signature, fingerprint, cluster_id, kb_version, title, remediation FROM failures "
      "WHERE run_id = $1",
      {run});
  EXPECT_EQ(f.Text(0), "disk_full");
  EXPECT_EQ(f.Text(1), "no-space-left");
  EXPECT_NE(f.Text(2), "old-fp");
  EXPECT_FALSE(f.Text(2).empty());
  EXPECT_EQ(f.Int(3), new_cluster);
  EXPECT_EQ(f.Text(4), kb_->version());
  EXPECT_EQ(f.Text(5), "No space left on device");
  EXPECT_NE(f.Text(6), "[]");

  SqlRow nc = Row("SELECT fingerprint, category, occurrences FROM clusters WHERE id = $1", {new_cluster});
  EXPECT_EQ(nc.Text(0), f.Text(2));
  EXPECT_EQ(nc.Text(1), "disk_full");
  EXPECT_EQ(nc.Int(2), 1);
  EXPECT_EQ(Row("SELECT occurrences FROM clusters WHERE id = $1", {old_cluster}).Int(0), 0);
  EXPECT_EQ(Row("SELECT COUNT(*) FROM cluster_runs WHERE cluster_id = $1 AND run_id = $2", {new_cluster, run}).Int(0), 1);
  EXPECT_EQ(Row("SELECT COUNT(*) FROM cluster_runs WHERE cluster_id = $1", {old_cluster}).Int(0), 0);

  // Now current: a second pass finds nothing to do.
  ReclassifyReport again = Run(false);
  EXPECT_EQ(again.examined, 0);
  EXPECT_TRUE(again.changes.empty());
}

TEST_P(ReclassifyTest, DryRunReportsButChangesNothing) {
  const std::int64_t run = StoreFailedRun(kDiskLog, kOldKb, "old-fp");
  const std::int64_t old_cluster = Row("SELECT cluster_id FROM failures WHERE run_id = $1", {run}).Int(0);
  ReclassifyReport report = Run(true);
  ASSERT_EQ(report.changes.size(), 1u);
  EXPECT_FALSE(report.changes[0].new_cluster.has_value());
  const auto lines = FormatReclassifyReport(report, true);
  EXPECT_EQ(lines[0], "run " + std::to_string(run) + " step 0: unknown/ -> disk_full/no-space-left");
  EXPECT_EQ(lines.back(), "dry run: 1 examined, 1 would change, 0 unchanged, 0 missing logs");

  SqlRow f = Row("SELECT category, signature, fingerprint, cluster_id, kb_version FROM failures WHERE run_id = $1",
                 {run});
  EXPECT_EQ(f.Text(0), "unknown");
  EXPECT_EQ(f.Text(1), "");
  EXPECT_EQ(f.Text(2), "old-fp");
  EXPECT_EQ(f.Int(3), old_cluster);
  EXPECT_EQ(f.Text(4), kOldKb);
  EXPECT_EQ(Row("SELECT COUNT(*) FROM clusters", {}).Int(0), 1);
  EXPECT_EQ(Row("SELECT occurrences FROM clusters WHERE id = $1", {old_cluster}).Int(0), 1);
}

TEST_P(ReclassifyTest, UpToDateFailureIsLeftAlone) {
  const std::int64_t run = StoreFailedRun(kDiskLog, kb_->version(), "old-fp");
  ReclassifyReport report = Run(false);
  EXPECT_EQ(report.examined, 0);
  EXPECT_TRUE(report.changes.empty());
  SqlRow f = Row("SELECT category, fingerprint FROM failures WHERE run_id = $1", {run});
  EXPECT_EQ(f.Text(0), "unknown");
  EXPECT_EQ(f.Text(1), "old-fp");
}

TEST_P(ReclassifyTest, MissingLogIsReportedAndTheFailureLeftUnchanged) {
  const std::int64_t run = StoreFailedRun(std::nullopt, kOldKb, "old-fp");
  ReclassifyReport report = Run(false);
  EXPECT_EQ(report.examined, 1);
  EXPECT_TRUE(report.changes.empty());
  ASSERT_EQ(report.missing_logs.size(), 1u);
  EXPECT_EQ(report.missing_logs[0].rfind("run " + std::to_string(run) + " step 0: ", 0), 0u) << report.missing_logs[0];
  SqlRow f = Row("SELECT category, fingerprint, kb_version FROM failures WHERE run_id = $1", {run});
  EXPECT_EQ(f.Text(0), "unknown");
  EXPECT_EQ(f.Text(1), "old-fp");
  EXPECT_EQ(f.Text(2), kOldKb);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReclassifyTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace sentinel::app
