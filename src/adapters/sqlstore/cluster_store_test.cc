// The cluster store against both real stores: SQLite (a temporary file) and
// PostgreSQL (a throwaway server, a fresh database per test). Clusters are
// seeded the way the worker writes them: SqlExecutionStore::Finish with
// fingerprinted failures.

#include <atomic>
#include <cctype>

#include <gtest/gtest.h>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_cluster_store.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::sqlstore {
namespace {

using adapters::PostgresDb;
using adapters::SqliteDb;

constexpr EpochMs kT0 = 1'790'000'000'000;

enum class Backend { kSqlite, kPostgres };

class ClusterStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      auto db = PostgresDb::Create(pg->CreateTestDatabase());
      if (db) db_ = std::move(*db);
    } else {
      auto db = SqliteDb::Open(dir_.Sub("sentinel.db"));
      if (db) db_ = std::move(*db);
    }
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(ApplyMigrations(*db_, kT0));
    repos_ = std::make_unique<SqlRepoStore>(*db_);
    runs_ = std::make_unique<SqlRunStore>(*db_);
    exec_ = std::make_unique<SqlExecutionStore>(*db_);
    clusters_ = std::make_unique<SqlClusterStore>(*db_);
    auto a = repos_->Create("alpha", "/srv/alpha", kT0);
    auto b = repos_->Create("beta", "/srv/beta", kT0);
    ASSERT_TRUE(a && b);
    alpha_ = a->id;
    beta_ = b->id;
  }

  // A failed run of `repo` whose one failure has `fingerprint`, finished at `at` + 2.
  std::int64_t FailRun(std::int64_t repo, const std::string& fingerprint, EpochMs at,
                       FailureCategory category = FailureCategory::kTestFailure) {
    auto run = runs_->Create(sentinel::NewRun{repo, "", "testfail"}, at);
    EXPECT_TRUE(run) << run.error().message;
    if (!run) return 0;
    auto claim = exec_->Claim(run->id, "w1", 60'000, at + 1);
    EXPECT_TRUE(claim) << claim.error().message;
    if (!claim) return 0;
    Fence f{run->id, claim->run.attempt, "w1"};
    Failure x;
    x.step_index = 1;
    x.category = category;
    x.signature = "sig." + fingerprint;
    x.fingerprint = fingerprint;
    x.cluster_template = "E assert <NUM> == <NUM>";
    x.title = "failure " + fingerprint;
    x.evidence = {{12, "E   assert 589 == 590"}};
    x.hints = {"an assertion failed"};
    x.kb_version = "kb-1";
    Status st = exec_->Finish(f, {RunStatus::kFailed, category, "", ""}, {x}, at + 2);
    EXPECT_TRUE(st) << st.error().message;
    return run->id;
  }

  std::vector<std::string> Fingerprints(const Page<ClusterSummary>& page) {
    std::vector<std::string> out;
    for (const auto& c : page.items) out.push_back(c.cluster.fingerprint);
    return out;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SqlRepoStore> repos_;
  std::unique_ptr<SqlRunStore> runs_;
  std::unique_ptr<SqlExecutionStore> exec_;
  std::unique_ptr<SqlClusterStore> clusters_;
  std::int64_t alpha_ = 0;
  std::int64_t beta_ = 0;
};

TEST_P(ClusterStoreTest, ListIsNewestLastSeenFirstWithCountsFromClusterRuns) {
  // Given f1 seen at t100 and again (other repo) at t400, f2 at t200, f3 at t300,
  // the list is f1 (last seen t402), f3, f2.
  const auto r1 = FailRun(alpha_, "f1", kT0 + 100);
  FailRun(alpha_, "f2", kT0 + 200);
  FailRun(beta_, "f3", kT0 + 300);
  FailRun(beta_, "f1", kT0 + 400);
  auto page = clusters_->List(ClusterFilter{});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(Fingerprints(*page), (std::vector<std::string>{"f1", "f3", "f2"}));
  EXPECT_FALSE(page->next_cursor.has_value());
  const ClusterSummary& f1 = page->items.at(0);
  EXPECT_EQ(f1.cluster.occurrences, 2);
  EXPECT_EQ(f1.cluster.affected_runs, 2);
  EXPECT_EQ(f1.cluster.affected_repos, 2);
  EXPECT_EQ(f1.cluster.first_seen, kT0 + 102);
  EXPECT_EQ(f1.cluster.last_seen, kT0 + 402);
  EXPECT_EQ(f1.cluster.category, FailureCategory::kTestFailure);
  EXPECT_EQ(f1.cluster.signature, "sig.f1");
  EXPECT_EQ(f1.cluster.template_text, "E assert <NUM> == <NUM>");
  EXPECT_EQ(f1.representative_run_id, r1);
  ASSERT_EQ(f1.cluster.excerpt.size(), 1u);
  EXPECT_EQ(f1.cluster.excerpt[0].line, 12);
  EXPECT_EQ(page->items.at(1).cluster.affected_runs, 1);
  EXPECT_EQ(page->items.at(1).cluster.affected_repos, 1);
}

TEST_P(ClusterStoreTest, PagesFollowTheCursorWithoutRepeatsOrGaps) {
  for (int i = 0; i < 7; ++i) FailRun(alpha_, "fp" + std::to_string(i), kT0 + 100 * (i + 1));
  ClusterFilter f;
  f.page.limit = 3;
  std::vector<std::string> seen;
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto page = clusters_->List(f);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_LE(page->items.size(), 3u);
    for (auto& fp : Fingerprints(*page)) seen.push_back(fp);
    if (!page->next_cursor) break;
    f.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(pages, 2);  // 3 + 3 + 1
  EXPECT_EQ(seen, (std::vector<std::string>{"fp6", "fp5", "fp4", "fp3", "fp2", "fp1", "fp0"}));
}

TEST_P(ClusterStoreTest, TiesOnLastSeenArePagedByIdDescending) {
  // Given three clusters last seen at the same instant, paging one at a time still visits each once.
  for (const char* fp : {"ta", "tb", "tc"}) FailRun(alpha_, fp, kT0 + 100);
  ClusterFilter f;
  f.page.limit = 1;
  std::vector<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    auto page = clusters_->List(f);
    ASSERT_TRUE(page) << page.error().message;
    for (auto& fp : Fingerprints(*page)) seen.push_back(fp);
    if (!page->next_cursor) break;
    f.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"tc", "tb", "ta"}));
}

TEST_P(ClusterStoreTest, FiltersByCategoryAndRepo) {
  FailRun(alpha_, "a-test", kT0 + 100);
  FailRun(alpha_, "a-dns", kT0 + 200, FailureCategory::kNetworkDns);
  FailRun(beta_, "b-test", kT0 + 300);
  ClusterFilter by_category;
  by_category.category = FailureCategory::kTestFailure;
  auto tests = clusters_->List(by_category);
  ASSERT_TRUE(tests) << tests.error().message;
  EXPECT_EQ(Fingerprints(*tests), (std::vector<std::string>{"b-test", "a-test"}));
  ClusterFilter by_repo;
  by_repo.repo_id = alpha_;
  auto alpha = clusters_->List(by_repo);
  ASSERT_TRUE(alpha) << alpha.error().message;
  EXPECT_EQ(Fingerprints(*alpha), (std::vector<std::string>{"a-dns", "a-test"}));
  by_repo.category = FailureCategory::kNetworkDns;
  auto both = clusters_->List(by_repo);
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(Fingerprints(*both), (std::vector<std::string>{"a-dns"}));
  by_repo.repo_id = beta_;
  auto none = clusters_->List(by_repo);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->items.empty());
}

TEST_P(ClusterStoreTest, BadCursorAndLimitAreRejectedNamingTheField) {
  FailRun(alpha_, "f1", kT0 + 100);
  for (const char* bad : {"", "12", "abc", "_5", "5_", "1_0", "-1_3", "1_2_3", "1_x"}) {
    ClusterFilter f;
    f.page.cursor = bad;
    auto page = clusters_->List(f);
    ASSERT_FALSE(page) << "cursor '" << bad << "' accepted";
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(page.error().field, "cursor");
  }
  for (int limit : {0, 501}) {
    ClusterFilter f;
    f.page.limit = limit;
    auto page = clusters_->List(f);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().field, "limit");
  }
}

TEST_P(ClusterStoreTest, GetListsTheAffectedRunsNewestFirst) {
  const auto r1 = FailRun(alpha_, "f1", kT0 + 100);
  FailRun(alpha_, "f2", kT0 + 150);
  const auto r2 = FailRun(beta_, "f1", kT0 + 200);
  const auto r3 = FailRun(alpha_, "f1", kT0 + 300);
  auto list = clusters_->List(ClusterFilter{});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->items.at(0).cluster.fingerprint, "f1");
  auto d = clusters_->Get(list->items[0].cluster.id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->summary.cluster.occurrences, 3);
  EXPECT_EQ(d->summary.cluster.affected_runs, 3);
  EXPECT_EQ(d->summary.cluster.affected_repos, 2);
  ASSERT_EQ(d->runs.size(), 3u);
  EXPECT_EQ(d->runs[0].run_id, r3);
  EXPECT_EQ(d->runs[1].run_id, r2);
  EXPECT_EQ(d->runs[2].run_id, r1);
  EXPECT_EQ(d->runs[1].repo_id, beta_);
  EXPECT_EQ(d->runs[1].repo_name, "beta");
  EXPECT_EQ(d->runs[1].status, RunStatus::kFailed);
  EXPECT_EQ(d->runs[1].created_at, kT0 + 200);

  auto missing = clusters_->Get(list->items[0].cluster.id + 1000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClusterStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace sentinel::sqlstore
