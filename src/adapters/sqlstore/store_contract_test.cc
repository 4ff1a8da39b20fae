// The store contract suite: the same tests against SQLite (a temporary file)
// and PostgreSQL (a throwaway server, a fresh database per test). Whatever one
// backend does, the other must do too. The last lines of the output say how
// many tests ran against each.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::sqlstore {
namespace {

namespace fs = std::filesystem;
using adapters::PostgresDb;
using adapters::SqliteDb;

constexpr EpochMs kT0 = 1'790'000'000'000;  // 2026-09-21

enum class Backend { kSqlite = 0, kPostgres = 1 };

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "Sqlite" : "Postgres"; }

// Tests that ran / were skipped, per backend; printed at the end.
struct Tally {
  std::atomic<int> ran[2] = {0, 0};
  std::atomic<int> skipped[2] = {0, 0};
};
Tally& Counts() {
  static Tally t;
  return t;
}

void Record(Backend b, bool skipped) {
  (skipped ? Counts().skipped : Counts().ran)[static_cast<int>(b)]++;
}

class TallyEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("store suite: %d tests against SQLite, %d against PostgreSQL", Counts().ran[0].load(),
                Counts().ran[1].load());
    if (Counts().skipped[0] + Counts().skipped[1] > 0) {
      std::printf(" (skipped: %d SQLite, %d PostgreSQL)", Counts().skipped[0].load(), Counts().skipped[1].load());
    }
    std::printf("\n");
    std::fflush(stdout);
  }
};
[[maybe_unused]] ::testing::Environment* const kTallyEnv =
    ::testing::AddGlobalTestEnvironment(new TallyEnvironment);

std::string MakeTempDir() {
  char tmpl[] = "/tmp/sentinel-store-XXXXXX";
  const char* dir = ::mkdtemp(tmpl);
  return dir != nullptr ? dir : "";
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      pg_ = testing::SharedPostgres(&why_);
      SENTINEL_REQUIRE_SERVER(pg_, why_);
    } else {
      dir_ = MakeTempDir();
      ASSERT_FALSE(dir_.empty());
    }
    db_ = OpenFresh("");
    ASSERT_NE(db_, nullptr);
    auto migrated = ApplyMigrations(*db_, kT0);
    ASSERT_TRUE(migrated) << migrated.error().message;
    repos_ = std::make_unique<SqlRepoStore>(*db_);
    runs_ = std::make_unique<SqlRunStore>(*db_);
  }

  void TearDown() override {
    Record(GetParam(), IsSkipped());
    runs_.reset();
    repos_.reset();
    db_.reset();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // A new, empty database of this backend ("" = the test's own; another suffix = another one).
  std::unique_ptr<Db> OpenFresh(const std::string& suffix) {
    if (GetParam() == Backend::kSqlite) {
      // Parent folders that do not exist yet: Open creates them.
      auto db = SqliteDb::Open(dir_ + "/nested/dir" + suffix + "/sentinel.db");
      EXPECT_TRUE(db) << db.error().message;
      return db ? std::unique_ptr<Db>(std::move(*db)) : nullptr;
    }
    std::string url = pg_->CreateDatabase(testing::UniqueTestDatabaseName(suffix));
    if (suffix.empty()) url_ = url;
    auto db = PostgresDb::Create(url);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::unique_ptr<Db>(std::move(*db)) : nullptr;
  }

  // A second, independent Db on the test's own database.
  std::unique_ptr<Db> OpenAgain() {
    if (GetParam() == Backend::kSqlite) {
      auto db = SqliteDb::Open(dir_ + "/nested/dir/sentinel.db");
      return db ? std::unique_ptr<Db>(std::move(*db)) : nullptr;
    }
    auto db = PostgresDb::Create(url_);
    return db ? std::unique_ptr<Db>(std::move(*db)) : nullptr;
  }

  std::int64_t Count(const std::string& table) {
    auto r = db_->Exec("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->rows.empty() ? r->rows[0].Int(0) : -1;
  }

  Repo MakeRepo(const std::string& name) {
    auto r = repos_->Create(name, "file:///srv/" + name, kT0);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : Repo{};
  }

  sentinel::Run MakeRun(std::int64_t repo_id, EpochMs at, const std::string& ref = "main") {
    auto r = runs_->Create(NewRun{repo_id, ref, ""}, at);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : sentinel::Run{};
  }

  void SetStatus(std::int64_t run_id, RunStatus s) {
    auto r = db_->Exec("UPDATE runs SET status = $1 WHERE id = $2", {std::string(Name(s)), run_id});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->affected, 1);
  }

  testing::PostgresServer* pg_ = nullptr;
  std::string why_, dir_, url_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SqlRepoStore> repos_;
  std::unique_ptr<SqlRunStore> runs_;
};

const char* const kTables[] = {"schema_migrations", "repos",          "runs",          "run_events",
                               "steps",             "step_attempts",  "test_results",  "failures",
                               "clusters",          "cluster_runs",   "test_flakiness", "incidents",
                               "incident_events",   "incident_runs",  "workers",       "stale_writes"};

// ---------------------------------------------------------------- migrations

TEST_P(StoreTest, MigrateTwiceKeepsTheSameVersionAndAllTablesExist) {
  auto known = MigrationsFor(db_->Dialect());
  ASSERT_TRUE(known) << known.error().message;
  ASSERT_FALSE(known->empty());
  auto v1 = SchemaVersion(*db_);
  ASSERT_TRUE(v1);
  EXPECT_EQ(*v1, known->back().version);

  auto again = ApplyMigrations(*db_, kT0 + 1000);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << "second run applied " << again->size() << " migrations";
  ASSERT_TRUE(Migrate(*db_, kT0 + 2000));
  auto v2 = SchemaVersion(*db_);
  ASSERT_TRUE(v2);
  EXPECT_EQ(*v2, *v1);
  EXPECT_EQ(Count("schema_migrations"), static_cast<std::int64_t>(known->size()));
  auto at = db_->Exec("SELECT applied_at, name FROM schema_migrations WHERE version = 1");
  ASSERT_TRUE(at);
  ASSERT_EQ(at->rows.size(), 1u);
  EXPECT_EQ(at->rows[0].Int(0), kT0);  // the first run's time: not re-applied
  EXPECT_EQ(at->rows[0].Text(1), "init");

  for (const char* table : kTables)
    EXPECT_EQ(Count(table), table == std::string("schema_migrations") ? static_cast<std::int64_t>(known->size()) : 0)
        << table;
}

TEST_P(StoreTest, ConcurrentMigratorsApplyEachVersionOnce) {
  std::unique_ptr<Db> a = OpenFresh("_m");
  ASSERT_NE(a, nullptr);
  std::unique_ptr<Db> b;  // a second Db on the same (fresh) database
  if (GetParam() == Backend::kSqlite) {
    auto o = SqliteDb::Open(dir_ + "/nested/dir_m/sentinel.db");
    ASSERT_TRUE(o) << o.error().message;
    b = std::move(*o);
  } else {
    auto r = a->Exec("SELECT current_database()");
    ASSERT_TRUE(r) << r.error().message;
    auto o = PostgresDb::Create(pg_->Url(r->rows[0].Text(0)));
    ASSERT_TRUE(o);
    b = std::move(*o);
  }
  Result<std::vector<Migration>> ra, rb;
  std::thread ta([&] { ra = ApplyMigrations(*a, kT0); });
  std::thread tb([&] { rb = ApplyMigrations(*b, kT0); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ra) << ra.error().message;
  ASSERT_TRUE(rb) << rb.error().message;
  auto known = MigrationsFor(a->Dialect());
  ASSERT_TRUE(known);
  EXPECT_EQ(ra->size() + rb->size(), known->size());
  auto n = a->Exec("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->rows[0].Int(0), static_cast<std::int64_t>(known->size()));
}

TEST_P(StoreTest, NewerSchemaThanTheBinaryIsRefused) {
  ASSERT_TRUE(db_->Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        {std::int64_t{9999}, std::string("future"), kT0}));
  auto r = ApplyMigrations(*db_, kT0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("9999"), std::string::npos) << r.error().message;
}

// ---------------------------------------------------------------- repos

TEST_P(StoreTest, RepoCreateGetAndGetByName) {
  auto created = repos_->Create("demo-python", "file:///srv/demo-python", kT0 + 5);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->created_at, kT0 + 5);

  auto got = repos_->Get(created->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "demo-python");
  EXPECT_EQ(got->url, "file:///srv/demo-python");
  EXPECT_EQ(got->created_at, kT0 + 5);

  auto by_name = repos_->GetByName("demo-python");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->id, created->id);
}

TEST_P(StoreTest, DuplicateRepoNameIsAlreadyExistsAndAddsNoRow) {
  MakeRepo("demo-cpp");
  auto dup = repos_->Create("demo-cpp", "https://example.com/other.git", kT0 + 1);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().field, "name");
  EXPECT_NE(dup.error().message.find("demo-cpp"), std::string::npos);
  EXPECT_EQ(Count("repos"), 1);
  EXPECT_EQ(repos_->GetByName("demo-cpp")->url, "file:///srv/demo-cpp");
}

TEST_P(StoreTest, ConcurrentCreatesOfOneNameLetExactlyOneWin) {
  constexpr int kThreads = 4;
  std::atomic<int> ok{0}, exists{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto r = repos_->Create("contended", "file:///r" + std::to_string(i), kT0);
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::kAlreadyExists) {
        ++exists;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count("repos"), 1);
}

TEST_P(StoreTest, EmptyRepoNameOrUrlIsInvalid) {
  auto no_name = repos_->Create("", "file:///x", kT0);
  ASSERT_FALSE(no_name);
  EXPECT_EQ(no_name.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_name.error().field, "name");
  auto no_url = repos_->Create("x", "", kT0);
  ASSERT_FALSE(no_url);
  EXPECT_EQ(no_url.error().field, "url");
  EXPECT_EQ(Count("repos"), 0);
}

TEST_P(StoreTest, UnknownRepoIsNotFound) {
  auto by_id = repos_->Get(424242);
  ASSERT_FALSE(by_id);
  EXPECT_EQ(by_id.error().code, ErrorCode::kNotFound);
  auto by_name = repos_->GetByName("nope");
  ASSERT_FALSE(by_name);
  EXPECT_EQ(by_name.error().code, ErrorCode::kNotFound);
  auto summary = repos_->Summary(424242);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, RepoSummaryHasLastRunAndSuccessRate) {
  Repo a = MakeRepo("a");
  Repo b = MakeRepo("b");
  sentinel::Run a1 = MakeRun(a.id, kT0 + 1);
  sentinel::Run a2 = MakeRun(a.id, kT0 + 2);
  sentinel::Run a3 = MakeRun(a.id, kT0 + 3);
  sentinel::Run a4 = MakeRun(a.id, kT0 + 4);
  sentinel::Run a5 = MakeRun(a.id, kT0 + 5);
  SetStatus(a1.id, RunStatus::kSucceeded);
  SetStatus(a2.id, RunStatus::kFailed);
  SetStatus(a3.id, RunStatus::kSucceeded);
  SetStatus(a4.id, RunStatus::kCancelled);  // not finished for the rate
  // a5 stays queued: the last run, not finished.

  auto sa = repos_->Summary(a.id);
  ASSERT_TRUE(sa) << sa.error().message;
  EXPECT_EQ(sa->repo.name, "a");
  EXPECT_EQ(sa->finished_runs, 3);
  EXPECT_EQ(sa->succeeded_runs, 2);
  ASSERT_TRUE(sa->success_rate.has_value());
  EXPECT_DOUBLE_EQ(*sa->success_rate, 2.0 / 3.0);
  ASSERT_TRUE(sa->last_run.has_value());
  EXPECT_EQ(sa->last_run->id, a5.id);
  EXPECT_EQ(sa->last_run->status, RunStatus::kQueued);
  EXPECT_EQ(sa->last_run->repo_name, "a");

  auto sb = repos_->Summary(b.id);
  ASSERT_TRUE(sb);
  EXPECT_FALSE(sb->last_run.has_value());
  EXPECT_FALSE(sb->success_rate.has_value());
  EXPECT_EQ(sb->finished_runs, 0);
}

TEST_P(StoreTest, RepoListIsNewestFirstAndPagesByCursor) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(MakeRepo("repo-" + std::to_string(i)).id);
  sentinel::Run r = MakeRun(ids[3], kT0);
  SetStatus(r.id, RunStatus::kSucceeded);

  std::vector<std::int64_t> seen;
  ListQuery q;
  q.limit = 2;
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto page = repos_->List(q);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& s : page->items) {
      seen.push_back(s.repo.id);
      if (s.repo.id == ids[3]) {
        ASSERT_TRUE(s.last_run.has_value());
        EXPECT_EQ(s.last_run->id, r.id);
        ASSERT_TRUE(s.success_rate.has_value());
        EXPECT_DOUBLE_EQ(*s.success_rate, 1.0);
      } else {
        EXPECT_FALSE(s.last_run.has_value());
      }
    }
    if (!page->next_cursor) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(pages + 1, 3);
  std::vector<std::int64_t> want(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, want);
}

// ---------------------------------------------------------------- runs

TEST_P(StoreTest, RunCreateGetAndQueuedEvent) {
  Repo repo = MakeRepo("demo-node");
  auto run = runs_->Create(NewRun{repo.id, "feature/x", "flaky"}, kT0 + 7);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_GT(run->id, 0);
  EXPECT_EQ(run->status, RunStatus::kQueued);
  EXPECT_EQ(run->repo_name, "demo-node");

  auto got = runs_->Get(run->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->repo_id, repo.id);
  EXPECT_EQ(got->repo_name, "demo-node");
  EXPECT_EQ(got->ref, "feature/x");
  EXPECT_EQ(got->scenario, "flaky");
  EXPECT_EQ(got->status, RunStatus::kQueued);
  EXPECT_EQ(got->attempt, 0);
  EXPECT_EQ(got->created_at, kT0 + 7);
  EXPECT_FALSE(got->started_at.has_value());
  EXPECT_FALSE(got->finished_at.has_value());
  EXPECT_FALSE(got->lease_expires_at.has_value());
  EXPECT_EQ(got->category, FailureCategory::kUnknown);

  auto detail = runs_->GetDetail(run->id);
  ASSERT_TRUE(detail) << detail.error().message;
  EXPECT_EQ(detail->run.id, run->id);
  ASSERT_EQ(detail->events.size(), 1u);
  EXPECT_EQ(detail->events[0].kind, "queued");
  EXPECT_EQ(detail->events[0].at, kT0 + 7);
  EXPECT_TRUE(detail->steps.empty());
  EXPECT_EQ(detail->tests.total, 0);
  EXPECT_TRUE(detail->failures.empty());
}

TEST_P(StoreTest, RunForUnknownRepoIsNotFoundAndWritesNothing) {
  auto run = runs_->Create(NewRun{999, "main", ""}, kT0);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(run.error().field, "repo");
  EXPECT_EQ(Count("runs"), 0);
  EXPECT_EQ(Count("run_events"), 0);
}

TEST_P(StoreTest, UnknownRunIsNotFound) {
  auto got = runs_->Get(777);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  auto detail = runs_->GetDetail(777);
  ASSERT_FALSE(detail);
  EXPECT_EQ(detail.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, RunListFiltersByRepoStatusAndSince) {
  Repo a = MakeRepo("a");
  Repo b = MakeRepo("b");
  sentinel::Run a1 = MakeRun(a.id, kT0 + 100);
  sentinel::Run b1 = MakeRun(b.id, kT0 + 200);
  sentinel::Run a2 = MakeRun(a.id, kT0 + 300);
  sentinel::Run b2 = MakeRun(b.id, kT0 + 400);
  SetStatus(a1.id, RunStatus::kFailed);
  SetStatus(b2.id, RunStatus::kFailed);
  SetStatus(a2.id, RunStatus::kSucceeded);

  auto ids = [&](const RunFilter& f) {
    std::vector<std::int64_t> out;
    auto page = runs_->List(f);
    EXPECT_TRUE(page) << page.error().message;
    if (page) {
      for (const sentinel::Run& r : page->items) out.push_back(r.id);
      EXPECT_FALSE(page->next_cursor.has_value());
    }
    return out;
  };
  RunFilter all;
  EXPECT_EQ(ids(all), (std::vector<std::int64_t>{b2.id, a2.id, b1.id, a1.id}));
  RunFilter by_repo;
  by_repo.repo_id = a.id;
  EXPECT_EQ(ids(by_repo), (std::vector<std::int64_t>{a2.id, a1.id}));
  RunFilter by_status;
  by_status.status = RunStatus::kFailed;
  EXPECT_EQ(ids(by_status), (std::vector<std::int64_t>{b2.id, a1.id}));
  RunFilter since;
  since.since = kT0 + 200;  // inclusive
  EXPECT_EQ(ids(since), (std::vector<std::int64_t>{b2.id, a2.id, b1.id}));
  RunFilter combined;
  combined.repo_id = b.id;
  combined.status = RunStatus::kFailed;
  combined.since = kT0 + 100;
  EXPECT_EQ(ids(combined), (std::vector<std::int64_t>{b2.id}));
  RunFilter queued;
  queued.status = RunStatus::kQueued;
  EXPECT_EQ(ids(queued), (std::vector<std::int64_t>{b1.id}));
  RunFilter none;
  none.repo_id = 31337;
  EXPECT_TRUE(ids(none).empty());
}

TEST_P(StoreTest, RunCursorPagingHasNoDuplicatesOrGaps) {
  Repo a = MakeRepo("a");
  Repo b = MakeRepo("b");
  std::vector<std::int64_t> a_ids;
  for (int i = 0; i < 23; ++i) {
    a_ids.push_back(MakeRun(a.id, kT0 + i).id);
    MakeRun(b.id, kT0 + i);  // interleaved runs the filter must skip
  }
  RunFilter f;
  f.repo_id = a.id;
  f.page.limit = 5;
  std::vector<std::int64_t> seen;
  int pages = 0;
  for (; pages < 20; ++pages) {
    auto page = runs_->List(f);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_LE(page->items.size(), 5u);
    for (const sentinel::Run& r : page->items) seen.push_back(r.id);
    if (!page->next_cursor) break;
    f.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(pages + 1, 5);  // 5+5+5+5+3
  std::vector<std::int64_t> want(a_ids.rbegin(), a_ids.rend());
  EXPECT_EQ(seen, want);

  // An exact multiple of the limit ends without an empty trailing page.
  RunFilter g;
  g.repo_id = a.id;
  g.page.limit = 23;
  auto one = runs_->List(g);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->items.size(), 23u);
  EXPECT_FALSE(one->next_cursor.has_value());
}

TEST_P(StoreTest, MalformedCursorAndLimitAreInvalidArguments) {
  for (const char* bad : {"abc", "-1", "0", "12x", "", " 5", "99999999999999999999999"}) {
    RunFilter f;
    f.page.cursor = bad;
    auto r = runs_->List(f);
    ASSERT_FALSE(r) << "cursor '" << bad << "' accepted";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "cursor");
    ListQuery q;
    q.cursor = bad;
    auto rr = repos_->List(q);
    ASSERT_FALSE(rr);
    EXPECT_EQ(rr.error().field, "cursor");
  }
  for (int limit : {0, -3, 501}) {
    RunFilter f;
    f.page.limit = limit;
    auto r = runs_->List(f);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "limit");
  }
  RunFilter max;
  max.page.limit = 500;
  EXPECT_TRUE(runs_->List(max));
}

TEST_P(StoreTest, RunDetailAssemblesStepsTestsFailuresAndEvents) {
  Repo repo = MakeRepo("demo-cpp");
  sentinel::Run run = MakeRun(repo.id, kT0);
  const SqlParams no_params;
  auto exec = [&](const std::string& sql, const SqlParams& p) {
    auto r = db_->Exec(sql, p);
    ASSERT_TRUE(r) << r.error().message << " in " << sql;
  };
  exec("UPDATE runs SET status = 'failed', attempt = 2, worker = 'w-1', commit_sha = 'abc123', category = "
       "'test_failure', reason = 'tests failed', started_at = $2, finished_at = $3 WHERE id = $1",
       {run.id, kT0 + 10, kT0 + 99});
  // Inserted out of order: the detail lists steps by index.
  exec("INSERT INTO steps (run_id, idx, name, command, status, exit_code, attempts, started_at, finished_at, "
       "duration_ms, log_path, warnings, attempt) VALUES ($1, 1, 'test', 'ctest', 'failed', 8, 1, $2, $3, 40, "
       "'logs/run-1/test.log', $4, 2)",
       {run.id, kT0 + 50, kT0 + 90, std::string(R"(["junit.xml: not a test report"])")});
  exec("INSERT INTO steps (run_id, idx, name, command, status, exit_code, attempts, started_at, finished_at, "
       "duration_ms, log_path, attempt) VALUES ($1, 0, 'build', 'make', 'succeeded', 0, 2, $2, $3, 30, "
       "'logs/run-1/build.log', 2)",
       {run.id, kT0 + 10, kT0 + 40});
  exec("INSERT INTO steps (run_id, idx, name, status) VALUES ($1, 2, 'deploy', 'skipped')", {run.id});
  struct T {
    const char* name;
    const char* outcome;
  };
  for (T t : {T{"ok1", "passed"}, T{"ok2", "passed"}, T{"broken", "failed"}, T{"later", "skipped"},
              T{"crashed", "error"}}) {
    exec("INSERT INTO test_results (run_id, step_idx, suite, class_name, name, test_id, outcome, duration_ms, "
         "message, attempts, file) VALUES ($1, 1, 'Suite', 'Cls', $2, $3, $4, 12, $5, 1, 'junit.xml')",
         {run.id, std::string(t.name), "Suite::Cls::" + std::string(t.name), std::string(t.outcome),
          std::string(t.outcome) == "passed" ? std::string() : std::string("expected 1, got 2")});
  }
  const double kConfidence = 0.123456789012345;
  exec("INSERT INTO failures (run_id, step_idx, category, signature, fingerprint, confidence, title, evidence, "
       "hints, remediation, kb_version, created_at) VALUES ($1, 1, 'test_failure', 'gtest.failure', 'ff00', $2, "
       "'1 test failed', $3, $4, $5, 'kb-7', $6)",
       {run.id, kConfidence, std::string(R"([{"line": 12, "text": "[  FAILED  ] Suite.broken"}])"),
        std::string(R"(["look at Suite.broken"])"), std::string(R"(["fix it", "re-run"])"), kT0 + 100});
  exec("INSERT INTO run_events (run_id, at, kind, message, attempt) VALUES ($1, $2, 'claimed', 'by w-1', 2)",
       {run.id, kT0 + 9});

  auto d = runs_->GetDetail(run.id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->run.status, RunStatus::kFailed);
  EXPECT_EQ(d->run.attempt, 2);
  EXPECT_EQ(d->run.worker, "w-1");
  EXPECT_EQ(d->run.commit, "abc123");
  EXPECT_EQ(d->run.category, FailureCategory::kTestFailure);
  EXPECT_EQ(d->run.reason, "tests failed");
  EXPECT_EQ(d->run.started_at, kT0 + 10);
  EXPECT_EQ(d->run.finished_at, kT0 + 99);

  ASSERT_EQ(d->steps.size(), 3u);
  EXPECT_EQ(d->steps[0].index, 0);
  EXPECT_EQ(d->steps[0].name, "build");
  EXPECT_EQ(d->steps[0].status, StepStatus::kSucceeded);
  EXPECT_EQ(d->steps[0].exit_code, 0);
  EXPECT_EQ(d->steps[0].attempts, 2);
  EXPECT_EQ(d->steps[1].name, "test");
  EXPECT_EQ(d->steps[1].exit_code, 8);
  EXPECT_EQ(d->steps[1].duration_ms, 40);
  EXPECT_EQ(d->steps[1].log_path, "logs/run-1/test.log");
  EXPECT_EQ(d->steps[1].warnings, std::vector<std::string>{"junit.xml: not a test report"});
  EXPECT_EQ(d->steps[2].status, StepStatus::kSkipped);
  EXPECT_FALSE(d->steps[2].exit_code.has_value());
  EXPECT_FALSE(d->steps[2].started_at.has_value());
  EXPECT_TRUE(d->steps[2].warnings.empty());

  EXPECT_EQ(d->tests.total, 5);
  EXPECT_EQ(d->tests.passed, 2);
  EXPECT_EQ(d->tests.failed, 1);
  EXPECT_EQ(d->tests.errors, 1);
  EXPECT_EQ(d->tests.skipped, 1);
  ASSERT_EQ(d->failed_tests.size(), 2u);
  EXPECT_EQ(d->failed_tests[0].name, "broken");
  EXPECT_EQ(d->failed_tests[0].outcome, TestOutcome::kFailed);
  EXPECT_EQ(d->failed_tests[0].message, "expected 1, got 2");
  EXPECT_EQ(d->failed_tests[0].TestId(), "Suite::Cls::broken");
  EXPECT_EQ(d->failed_tests[1].name, "crashed");
  EXPECT_EQ(d->failed_tests[1].outcome, TestOutcome::kError);

  ASSERT_EQ(d->failures.size(), 1u);
  const Failure& f = d->failures[0];
  EXPECT_EQ(f.category, FailureCategory::kTestFailure);
  EXPECT_EQ(f.signature, "gtest.failure");
  EXPECT_EQ(f.fingerprint, "ff00");
  EXPECT_FALSE(f.cluster_id.has_value());
  EXPECT_DOUBLE_EQ(f.confidence, kConfidence);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].line, 12);
  EXPECT_EQ(f.evidence[0].text, "[  FAILED  ] Suite.broken");
  EXPECT_EQ(f.hints, std::vector<std::string>{"look at Suite.broken"});
  EXPECT_EQ(f.remediation, (std::vector<std::string>{"fix it", "re-run"}));
  EXPECT_EQ(f.kb_version, "kb-7");

  ASSERT_EQ(d->events.size(), 2u);
  EXPECT_EQ(d->events[0].kind, "queued");
  EXPECT_EQ(d->events[1].kind, "claimed");
  EXPECT_EQ(d->events[1].attempt, 2);
}

TEST_P(StoreTest, CorruptJsonInAFailureIsAnInternalErrorNamingTheColumn) {
  Repo repo = MakeRepo("r");
  sentinel::Run run = MakeRun(repo.id, kT0);
  ASSERT_TRUE(db_->Exec("INSERT INTO failures (run_id, category, evidence, created_at) VALUES ($1, 'unknown', "
                        "'{not json', $2)",
                        {run.id, kT0}));
  auto d = runs_->GetDetail(run.id);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kInternal);
  EXPECT_NE(d.error().message.find("failures.evidence"), std::string::npos) << d.error().message;
}

// ---------------------------------------------------------------- Db semantics

TEST_P(StoreTest, TransactionFailingHalfwayLeavesNoRows) {
  MakeRepo("existing");
  // A statement error half-way (unique violation on the second insert).
  Status st = db_->Transact([&](SqlSession& s) -> Status {
    auto first = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ($1, $2, $3)",
                        {std::string("fresh"), std::string("u"), kT0});
    if (!first) return Fail(first.error());
    auto second = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ($1, $2, $3)",
                         {std::string("existing"), std::string("u"), kT0});
    if (!second) return Fail(second.error());
    return Ok();
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Count("repos"), 1);
  EXPECT_FALSE(repos_->GetByName("fresh"));

  // fn's own error after a successful write.
  st = db_->Transact([&](SqlSession& s) -> Status {
    auto w = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('x', 'u', 1)");
    if (!w) return Fail(w.error());
    return Fail(ErrorCode::kFailedPrecondition, "changed my mind");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(st.error().message, "changed my mind");

  // An exception thrown by fn.
  st = db_->Transact([&](SqlSession& s) -> Status {
    (void)s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('y', 'u', 1)");
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_NE(st.error().message.find("boom"), std::string::npos);
  EXPECT_EQ(Count("repos"), 1);

  // And a successful one commits, visible through another Db.
  st = db_->Transact([&](SqlSession& s) -> Status {
    auto w = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('z', 'u', 1)");
    if (!w) return Fail(w.error());
    return Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  auto other = OpenAgain();
  ASSERT_NE(other, nullptr);
  auto n = other->Exec("SELECT COUNT(*) FROM repos");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->rows[0].Int(0), 2);
}

TEST_P(StoreTest, ConstraintViolationsMapToErrorCodes) {
  Repo repo = MakeRepo("r");
  // CHECK constraint.
  auto bad_status = db_->Exec(
      "INSERT INTO runs (repo_id, status, created_at, updated_at) VALUES ($1, 'exploded', 1, 1)", {repo.id});
  ASSERT_FALSE(bad_status);
  EXPECT_EQ(bad_status.error().code, ErrorCode::kInvalidArgument) << bad_status.error().message;
  // Foreign key.
  auto orphan = db_->Exec(
      "INSERT INTO runs (repo_id, status, created_at, updated_at) VALUES ($1, 'queued', 1, 1)", {std::int64_t{999}});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kInvalidArgument) << orphan.error().message;
  // NOT NULL.
  auto null_name =
      db_->Exec("INSERT INTO repos (name, url, created_at) VALUES ($1, 'u', 1)", {nullptr});
  ASSERT_FALSE(null_name);
  EXPECT_EQ(null_name.error().code, ErrorCode::kInvalidArgument) << null_name.error().message;
  // Primary key.
  auto dup_pk = db_->Exec("INSERT INTO repos (id, name, url, created_at) VALUES ($1, 'other', 'u', 1)", {repo.id});
  ASSERT_FALSE(dup_pk);
  EXPECT_EQ(dup_pk.error().code, ErrorCode::kAlreadyExists) << dup_pk.error().message;
  EXPECT_EQ(Count("runs"), 0);
}

TEST_P(StoreTest, UnicodeTextRoundTrips) {
  const std::string name = "données-日本語-🚀-Ωμέγα";
  const std::string url = "file:///srv/répertoire/☃";
  const std::string ref = "feature/ünïcödé-✓";
  auto repo = repos_->Create(name, url, kT0);
  ASSERT_TRUE(repo) << repo.error().message;
  auto by_name = repos_->GetByName(name);
  ASSERT_TRUE(by_name) << by_name.error().message;
  EXPECT_EQ(by_name->name, name);
  EXPECT_EQ(by_name->url, url);
  auto run = runs_->Create(NewRun{repo->id, ref, ""}, kT0);
  ASSERT_TRUE(run);
  auto got = runs_->Get(run->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->ref, ref);
  EXPECT_EQ(got->repo_name, name);
  auto d = runs_->GetDetail(run->id);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->events[0].message, "queued for " + ref);
  // Quotes and backslashes are data, not SQL.
  const std::string tricky = "it's a \"quote\" \\ and '); DROP TABLE repos; --";
  ASSERT_TRUE(repos_->Create(tricky, url, kT0));
  EXPECT_EQ(repos_->GetByName(tricky)->name, tricky);
}

TEST_P(StoreTest, ValuesOfEveryTypeRoundTrip) {
  auto r = db_->Exec("SELECT $1, $2, $3, $4",
                     {std::int64_t{-9007199254740993}, 2.5e-300, std::string("x\ty"), nullptr});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->rows.size(), 1u);
  ASSERT_EQ(r->columns.size(), 4u);
  EXPECT_EQ(r->rows[0].Int(0), -9007199254740993);
  EXPECT_DOUBLE_EQ(r->rows[0].Real(1), 2.5e-300);
  EXPECT_EQ(r->rows[0].Text(2), "x\ty");
  EXPECT_TRUE(r->rows[0].IsNull(3));
  // A placeholder with no value is a programming error, reported, not a crash.
  auto missing = db_->Exec("SELECT $1, $2", {std::int64_t{1}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInternal) << missing.error().message;
  auto extra = db_->Exec("SELECT 1 WHERE 1 = $1", {std::int64_t{1}, std::int64_t{2}});
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code, ErrorCode::kInternal) << extra.error().message;
  EXPECT_TRUE(db_->Ping());
}

TEST_P(StoreTest, AffectedCountsChangedRows) {
  Repo a = MakeRepo("a");
  MakeRun(a.id, kT0);
  MakeRun(a.id, kT0);
  auto r = db_->Exec("UPDATE runs SET worker = 'w' WHERE repo_id = $1", {a.id});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->affected, 2);
  auto none = db_->Exec("UPDATE runs SET worker = 'w' WHERE repo_id = $1", {std::int64_t{12345}});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->affected, 0);
  auto select = db_->Exec("SELECT id FROM runs");
  ASSERT_TRUE(select);
  EXPECT_EQ(select->rows.size(), 2u);
  EXPECT_EQ(select->affected, 0);  // read, not changed
  auto returning = db_->Exec("INSERT INTO repos (name, url, created_at) VALUES ('b', 'u', 1) RETURNING id");
  ASSERT_TRUE(returning);
  EXPECT_EQ(returning->affected, 1);
  EXPECT_EQ(returning->rows.size(), 1u);
}

TEST_P(StoreTest, AFailedStatementDoomsTheTransactionEvenIfFnCarriesOn) {
  MakeRepo("taken");
  Error swallowed;
  Result<SqlResult> after;
  Status st = db_->Transact([&](SqlSession& s) -> Status {
    auto ok = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('new1', 'u', 1)");
    if (!ok) return Fail(ok.error());
    auto dup = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('taken', 'u', 1)");
    if (!dup) swallowed = dup.error();  // ...and carries on regardless
    after = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('new2', 'u', 1)");
    return Ok();
  });
  EXPECT_EQ(swallowed.code, ErrorCode::kAlreadyExists);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Count("repos"), 1);
  // ON CONFLICT is the portable way to tolerate a duplicate inside a transaction.
  st = db_->Transact([&](SqlSession& s) -> Status {
    auto dup = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('taken', 'u', 1) ON CONFLICT (name) DO NOTHING");
    if (!dup) return Fail(dup.error());
    EXPECT_EQ(dup->affected, 0);
    auto fresh = s.Exec("INSERT INTO repos (name, url, created_at) VALUES ('new3', 'u', 1)");
    if (!fresh) return Fail(fresh.error());
    return Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(Count("repos"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& info) { return BackendName(info.param); });

// ---------------------------------------------------------------- backend-specific

// Given a Db that holds a repo, when the server stops every call fails with
// kUnavailable (and nothing crashes or hangs); when it comes back the same Db
// works again, with the data intact.
TEST(PostgresOutageTest, UnavailableWhileDownThenTheSameDbWorksAgain) {
  std::string why;
  testing::PostgresServer* pg = testing::SharedPostgres(&why);
  struct Count {
    bool skipped = true;
    ~Count() { Record(Backend::kPostgres, skipped); }
  } count;
  SENTINEL_REQUIRE_SERVER(pg, why);
  count.skipped = false;
  auto db = PostgresDb::Create(pg->CreateDatabase(testing::UniqueTestDatabaseName("")));
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(Migrate(**db, kT0));
  SqlRepoStore repos(**db);
  auto repo = repos.Create("survivor", "file:///s", kT0);
  ASSERT_TRUE(repo) << repo.error().message;

  pg->Stop();
  struct Restarter {
    testing::PostgresServer* pg;
    ~Restarter() { pg->Restart(); }
  } restart_on_exit{pg};

  Status ping = (*db)->Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable) << ping.error().message;
  auto exec = (*db)->Exec("SELECT 1");
  ASSERT_FALSE(exec);
  EXPECT_EQ(exec.error().code, ErrorCode::kUnavailable) << exec.error().message;
  Status tx = (*db)->Transact([](SqlSession& s) -> Status {
    auto r = s.Exec("SELECT 1");
    if (!r) return Fail(r.error());
    return Ok();
  });
  ASSERT_FALSE(tx);
  EXPECT_EQ(tx.error().code, ErrorCode::kUnavailable) << tx.error().message;
  auto got = repos.Get(repo->id);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);

  ASSERT_TRUE(pg->Restart());
  Status back = (*db)->Ping();
  EXPECT_TRUE(back) << back.error().message;
  auto again = repos.Get(repo->id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->name, "survivor");
  EXPECT_TRUE(repos.Create("after-restart", "file:///a", kT0));
}

// A Db made while the server is down is fine; it connects on first use.
TEST(PostgresOutageTest, PooledConnectionsGoneStaleAcrossARestartAreReplaced) {
  std::string why;
  testing::PostgresServer* pg = testing::SharedPostgres(&why);
  struct Count {
    bool skipped = true;
    ~Count() { Record(Backend::kPostgres, skipped); }
  } count;
  SENTINEL_REQUIRE_SERVER(pg, why);
  count.skipped = false;
  adapters::PostgresOptions options;
  options.pool_size = 3;
  auto db = PostgresDb::Create(pg->CreateDatabase(testing::UniqueTestDatabaseName("")), options);
  ASSERT_TRUE(db);
  // Fill the pool with three idle connections.
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] { ok += (*db)->Exec("SELECT pg_sleep(0.05)") ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(ok.load(), 3);

  pg->Stop();
  ASSERT_TRUE(pg->Restart());
  // Ping retries once on a fresh connection, and the stale idle ones are dropped.
  Status ping = (*db)->Ping();
  EXPECT_TRUE(ping) << ping.error().message;
  for (int i = 0; i < 3; ++i) {
    auto r = (*db)->Exec("SELECT 1");
    EXPECT_TRUE(r) << "call " << i << ": " << r.error().message;
  }
}

TEST(PostgresDbTest, RejectsAUrlThatIsNotPostgres) {
  struct Count {
    ~Count() { Record(Backend::kPostgres, false); }
  } count;
  auto db = PostgresDb::Create("mysql://u:secret@h/db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().message.find("secret"), std::string::npos) << "password leaked: " << db.error().message;
}

TEST(PostgresDbTest, AStatementOverTheTimeoutIsCancelledNotWaitedFor) {
  std::string why;
  testing::PostgresServer* pg = testing::SharedPostgres(&why);
  struct Count {
    bool skipped = true;
    ~Count() { Record(Backend::kPostgres, skipped); }
  } count;
  SENTINEL_REQUIRE_SERVER(pg, why);
  count.skipped = false;
  adapters::PostgresOptions options;
  options.statement_timeout_ms = 200;
  auto db = PostgresDb::Create(pg->Url(), options);
  ASSERT_TRUE(db);
  auto shown = (*db)->Exec("SHOW statement_timeout");
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_EQ(shown->rows[0].Text(0), "200ms");
  auto slow = (*db)->Exec("SELECT pg_sleep(30)");
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, ErrorCode::kDeadlineExceeded) << slow.error().message;
  EXPECT_TRUE((*db)->Ping());  // the connection survived the cancel
}

// Both migration folders must describe one logical schema: same tables, same
// columns with the same nullability, same named indexes.
TEST(SchemaParityTest, BothDialectsHaveTheSameTablesColumnsAndIndexes) {
  std::string why;
  testing::PostgresServer* pg = testing::SharedPostgres(&why);
  struct Count {
    bool skipped = true;
    ~Count() {
      Record(Backend::kSqlite, skipped);
      Record(Backend::kPostgres, skipped);
    }
  } count;
  SENTINEL_REQUIRE_SERVER(pg, why);
  count.skipped = false;
  auto lite = SqliteDb::Open(":memory:");
  ASSERT_TRUE(lite);
  ASSERT_TRUE(Migrate(**lite, kT0));
  auto pgdb = PostgresDb::Create(pg->CreateDatabase(testing::UniqueTestDatabaseName("")));
  ASSERT_TRUE(pgdb);
  ASSERT_TRUE(Migrate(**pgdb, kT0));

  auto rows = [](Db& db, const std::string& sql) {
    std::set<std::string> out;
    auto r = db.Exec(sql);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return out;
    for (const SqlRow& row : r->rows) {
      std::string line;
      for (size_t i = 0; i < row.cells.size(); ++i) line += (i ? "." : "") + row.Text(i);
      out.insert(line);
    }
    return out;
  };
  // A primary-key column is NOT NULL in PostgreSQL; SQLite reports a rowid alias as nullable.
  auto lite_cols = rows(**lite,
                        "SELECT m.name, p.name, CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'not null' ELSE 'null' END "
                        "FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'");
  auto pg_cols = rows(**pgdb,
                      "SELECT table_name, column_name, CASE WHEN is_nullable = 'NO' THEN 'not null' ELSE 'null' END "
                      "FROM information_schema.columns WHERE table_schema = 'public'");
  EXPECT_EQ(lite_cols, pg_cols);
  EXPECT_GT(lite_cols.size(), 100u);
  auto lite_idx = rows(**lite,
                       "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
  auto pg_idx = rows(**pgdb,
                     "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' "
                     "AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'");
  EXPECT_EQ(lite_idx, pg_idx);
  EXPECT_GE(lite_idx.size(), 15u);
}

// Given a writer holding the lock, a second connection's write waits for the
// busy timeout and then reports kUnavailable (not a hang, not kInternal).
TEST(SqliteDbTest, LockHeldLongerThanTheBusyTimeoutIsUnavailable) {
  struct Count {
    ~Count() { Record(Backend::kSqlite, false); }
  } count;
  std::string dir = MakeTempDir();
  adapters::SqliteOptions options;
  options.busy_timeout_ms = 50;
  auto a = SqliteDb::Open(dir + "/db.sqlite", options);
  auto b = SqliteDb::Open(dir + "/db.sqlite", options);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->Exec("CREATE TABLE t (x INTEGER)"));
  Result<SqlResult> blocked;
  Status st = (*a)->Transact([&](SqlSession& s) -> Status {
    auto w = s.Exec("INSERT INTO t VALUES (1)");
    if (!w) return Fail(w.error());
    blocked = (*b)->Exec("INSERT INTO t VALUES (2)");
    return Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable) << blocked.error().message;
  auto n = (*b)->Exec("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->rows[0].Int(0), 1);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(SqliteDbTest, UnopenablePathIsUnavailableWithThePath) {
  struct Count {
    ~Count() { Record(Backend::kSqlite, false); }
  } count;
  std::string dir = MakeTempDir();
  std::ofstream(dir + "/a-file") << "x";
  auto db = SqliteDb::Open(dir + "/a-file/sub/db.sqlite");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(db.error().message.find("a-file"), std::string::npos) << db.error().message;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(SqliteDbTest, SeveralStatementsRunInOneCall) {
  struct Count {
    ~Count() { Record(Backend::kSqlite, false); }
  } count;
  auto db = SqliteDb::Open(":memory:");
  ASSERT_TRUE(db);
  auto r = (*db)->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);\n"
                       "-- a trailing comment\nSELECT SUM(x) FROM t;  ");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].Int(0), 3);
}

// A SQLite database whose disk is full (here: its page limit reached) cannot
// take writes until space is freed: kUnavailable (503, like PostgreSQL's class
// 53), not kResourceExhausted (413, "your request is too large"). The failed
// statement writes nothing; reads still work.
TEST(SqliteFullTest, ADatabaseThatIsFullIsUnavailableAndKeepsItsRows) {
  testing::ScratchDir dir;
  auto db = SqliteDb::Open(dir.Sub("full.db"), {.pool_size = 1});
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE((*db)->Exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"));
  auto pages = (*db)->Exec("PRAGMA page_count");
  ASSERT_TRUE(pages && !pages->rows.empty());
  ASSERT_TRUE((*db)->Exec("PRAGMA max_page_count = " + std::to_string(pages->rows[0].Int(0) + 4)));
  Result<SqlResult> last = SqlResult{};
  int written = 0;
  for (; written < 1000 && last; ++written) {
    last = (*db)->Exec("INSERT INTO blobs (body) VALUES ($1)", {std::string(2000, 'x')});
  }
  ASSERT_FALSE(last) << "the page limit was never reached";
  EXPECT_EQ(last.error().code, ErrorCode::kUnavailable) << last.error().message;
  EXPECT_NE(last.error().message.find("full"), std::string::npos) << last.error().message;
  auto rows = (*db)->Exec("SELECT COUNT(*) FROM blobs");
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->rows[0].Int(0), written - 1);
}

}  // namespace
}  // namespace sentinel::sqlstore
