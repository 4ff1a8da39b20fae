// Test history against both real stores: SQLite (a temporary file) and
// PostgreSQL (a throwaway server, a fresh database per test). Runs are written
// the way the worker writes them (claim, commit, steps, test results, Finish),
// so the verdicts are the incremental ones Finish recomputes.

#include <gtest/gtest.h>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_cluster_store.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "adapters/sqlstore/sql_test_history_store.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::sqlstore {
namespace {

using adapters::PostgresDb;
using adapters::SqliteDb;

constexpr EpochMs kT0 = 1'790'000'000'000;

enum class Backend { kSqlite, kPostgres };

// One test's result in a run: 'P' passed, 'F' failed with `message`.
struct T {
  std::string name;
  char outcome = 'P';
  std::string message = "AssertionError: assert ['b', 'a'] == ['a', 'b']";
};

class TestHistoryStoreTest : public ::testing::TestWithParam<Backend> {
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
    history_ = std::make_unique<SqlTestHistoryStore>(*db_);
    clusters_ = std::make_unique<SqlClusterStore>(*db_);
    UseConfig({});
    auto a = repos_->Create("alpha", "/srv/alpha", kT0);
    auto b = repos_->Create("beta", "/srv/beta", kT0);
    ASSERT_TRUE(a && b);
    alpha_ = a->id;
    beta_ = b->id;
  }

  void UseConfig(flaky::FlakyConfig config) { exec_ = std::make_unique<SqlExecutionStore>(*db_, config); }

  // A finished run of `repo` at `commit` with these test results (suite "s", class "c"); failed
  // when a test failed, with one test_failure Failure of step 0 (or `category`).
  std::int64_t Run(std::int64_t repo, const std::string& commit, const std::vector<T>& tests,
                   FailureCategory category = FailureCategory::kTestFailure) {
    const EpochMs at = kT0 + 1000 * (++clock_);
    auto run = runs_->Create(sentinel::NewRun{repo, "", ""}, at);
    EXPECT_TRUE(run) << run.error().message;
    if (!run) return 0;
    auto claim = exec_->Claim(run->id, "w1", 60'000, at + 1);
    EXPECT_TRUE(claim) << claim.error().message;
    if (!claim) return 0;
    Fence f{run->id, claim->run.attempt, "w1"};
    EXPECT_TRUE(exec_->SetCommit(f, commit, at + 2));
    EXPECT_TRUE(exec_->PlanSteps(f, {{"test", "pytest", 1000}}, at + 3));
    std::vector<TestCaseResult> results;
    bool failed = false;
    for (const T& t : tests) {
      TestCaseResult r;
      r.suite = "s";
      r.class_name = "c";
      r.name = t.name;
      r.outcome = t.outcome == 'P' ? TestOutcome::kPassed : TestOutcome::kFailed;
      if (t.outcome != 'P') r.message = t.message;
      failed = failed || t.outcome != 'P';
      results.push_back(r);
    }
    EXPECT_TRUE(exec_->AddTestResults(f, 0, results, at + 4));
    std::vector<Failure> failures;
    if (failed) {
      Failure x;
      x.step_index = 0;
      x.category = category;
      x.signature = "pytest-assertion";
      x.fingerprint = "fp-" + std::string(Name(category));
      x.cluster_template = "E assert";
      x.title = "tests failed";
      failures.push_back(x);
    }
    Status st = exec_->Finish(f, {failed ? RunStatus::kFailed : RunStatus::kSucceeded, category, "", ""}, failures,
                              at + 5);
    EXPECT_TRUE(st) << st.error().message;
    return run->id;
  }

  StoredVerdict Verdict(std::int64_t repo, const std::string& name) {
    auto v = history_->Find(repo, "s::c::" + name);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : StoredVerdict{};
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SqlRepoStore> repos_;
  std::unique_ptr<SqlRunStore> runs_;
  std::unique_ptr<SqlExecutionStore> exec_;
  std::unique_ptr<SqlTestHistoryStore> history_;
  std::unique_ptr<SqlClusterStore> clusters_;
  std::int64_t alpha_ = 0, beta_ = 0;
  int clock_ = 0;
};

TEST_P(TestHistoryStoreTest, FlakyScheduleIsFlakyAndItsRecurringFailureIsMarked) {
  // Given "order" failing on runs 1, 4 and 7 of seven, and "tax" passing on c1 (runs 1-4) then
  // failing on every run of c2: order is flaky, tax failing; only the recurrence is a flaky failure.
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 7; ++i) {
    const bool order_fails = i % 3 == 1;
    const std::string commit = i <= 4 ? "c1" : "c2";
    ids.push_back(Run(alpha_, commit,
                      {{"order", order_fails ? 'F' : 'P'}, {"tax", i <= 4 ? 'P' : 'F', "assert 589 == 590"},
                       {"empty", 'P'}}));
  }
  const StoredVerdict order = Verdict(alpha_, "order");
  EXPECT_EQ(order.verdict.classification, flaky::Classification::kFlaky) << order.verdict.reason;
  EXPECT_EQ(order.verdict.stats.runs, 7);
  EXPECT_EQ(order.verdict.stats.failures, 3);
  EXPECT_EQ(order.verdict.stats.window, 30);
  EXPECT_EQ(order.verdict.stats.both_outcome_commits, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(order.last_failing_run_id, ids[6]);
  EXPECT_EQ(order.last_run_id, ids[6]);
  ASSERT_EQ(order.signatures.size(), 1u);
  EXPECT_EQ(order.signatures[0].verdict.classification, flaky::Classification::kFlaky);
  EXPECT_EQ(order.repo_name, "alpha");
  const StoredVerdict tax = Verdict(alpha_, "tax");
  EXPECT_EQ(tax.verdict.classification, flaky::Classification::kFailing) << tax.verdict.reason;
  EXPECT_EQ(tax.verdict.stats.streak.length, 3);
  EXPECT_EQ(tax.verdict.stats.streak.first_failing_commit, "c2");
  EXPECT_EQ(tax.verdict.stats.streak.last_passing_commit, "c1");
  EXPECT_EQ(Verdict(alpha_, "empty").verdict.classification, flaky::Classification::kStable);

  // Run 1: the first failure of order is new, not flaky. Run 7: order's failure is flaky but tax's
  // is not, so the step's failure is not a flaky failure; the test results are flagged one by one.
  auto first = runs_->GetDetail(ids[0]);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->failed_tests.size(), 1u);
  EXPECT_FALSE(first->failed_tests[0].flaky);
  auto last = runs_->GetDetail(ids[6]);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->failed_tests.size(), 2u);
  EXPECT_EQ(last->tests.flaky, 1);
  for (const TestCaseResult& t : last->failed_tests) EXPECT_EQ(t.flaky, t.name == "order") << t.name;
  ASSERT_EQ(last->failures.size(), 1u);
  EXPECT_FALSE(last->failures[0].flaky);
}

TEST_P(TestHistoryStoreTest, AFailureOfOnlyFlakyTestsIsAFlakyFailureCountedApartInItsCluster) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 7; ++i) ids.push_back(Run(alpha_, "c1", {{"order", i % 3 == 1 ? 'F' : 'P'}, {"b", 'P'}}));
  auto seventh = runs_->GetDetail(ids[6]);
  ASSERT_TRUE(seventh);
  ASSERT_EQ(seventh->failures.size(), 1u);
  EXPECT_TRUE(seventh->failures[0].flaky);
  auto first = runs_->GetDetail(ids[0]);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->failures.at(0).flaky);
  auto c = db_->Exec("SELECT occurrences, flaky_occurrences FROM clusters WHERE fingerprint = 'fp-test_failure'");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->rows.size(), 1u);
  EXPECT_EQ(c->rows[0].Int(0), 3);
  EXPECT_EQ(c->rows[0].Int(1), 1);  // run 7 (at run 4 the test had too few runs for a verdict)
}

TEST_P(TestHistoryStoreTest, InfrastructureFailuresNeverMakeATestFlaky) {
  for (int i = 1; i <= 8; ++i) {
    const bool dns = i % 2 == 0;
    Run(alpha_, "c1", {{"fetch", dns ? 'F' : 'P', "socket.gaierror: Name or service not known"}},
        dns ? FailureCategory::kNetworkDns : FailureCategory::kTestFailure);
  }
  const StoredVerdict v = Verdict(alpha_, "fetch");
  EXPECT_EQ(v.verdict.classification, flaky::Classification::kInsufficient) << v.verdict.reason;  // 4 counted runs
  EXPECT_EQ(v.verdict.stats.failures, 0);
  EXPECT_EQ(v.verdict.stats.infrastructure_failures, 4);
  for (int i = 1; i <= 2; ++i) Run(alpha_, "c1", {{"fetch", 'P'}});
  EXPECT_EQ(Verdict(alpha_, "fetch").verdict.classification, flaky::Classification::kStable);
}

TEST_P(TestHistoryStoreTest, WindowIsTheNewestRunsOfTheTest) {
  flaky::FlakyConfig config;
  config.window = 5;
  UseConfig(config);
  for (int i = 1; i <= 8; ++i) Run(alpha_, "c" + std::to_string(i), {{"x", i <= 3 ? 'F' : 'P'}});
  const StoredVerdict v = Verdict(alpha_, "x");
  EXPECT_EQ(v.verdict.stats.window, 5);
  EXPECT_EQ(v.verdict.stats.runs, 5);
  EXPECT_EQ(v.verdict.stats.failures, 0);  // the three failures fell out of the window
  auto detail = history_->Get(v.id);
  ASSERT_TRUE(detail) << detail.error().message;
  ASSERT_EQ(detail->window.size(), 5u);
  EXPECT_EQ(detail->window.front().commit, "c4");
  EXPECT_EQ(detail->window.back().commit, "c8");
}

TEST_P(TestHistoryStoreTest, ListIsHighestScoreFirstWithFiltersAndPaging) {
  for (int i = 1; i <= 6; ++i) {
    Run(alpha_, "c1", {{"order", i % 3 == 1 ? 'F' : 'P'}, {"ok", 'P'}, {"broken", i >= 4 ? 'F' : 'P'}});
    Run(beta_, "c1", {{"other", 'P'}});
  }
  auto all = history_->List(TestFilter{});
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->items.size(), 4u);
  for (size_t i = 1; i < all->items.size(); ++i)
    EXPECT_GE(all->items[i - 1].verdict.score, all->items[i].verdict.score);
  EXPECT_EQ(all->items[0].test_id, "s::c::broken");

  TestFilter only_flaky;
  only_flaky.classification = flaky::Classification::kFlaky;
  auto f = history_->List(only_flaky);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->items.size(), 1u);
  EXPECT_EQ(f->items[0].test_id, "s::c::order");

  TestFilter beta;
  beta.repo_id = beta_;
  auto b = history_->List(beta);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->items.size(), 1u);
  EXPECT_EQ(b->items[0].repo_name, "beta");

  // Pages of one, through the cursor, give the same order with no repeats.
  std::vector<std::string> paged;
  TestFilter page;
  page.page.limit = 1;
  for (int i = 0; i < 10; ++i) {
    auto p = history_->List(page);
    ASSERT_TRUE(p) << p.error().message;
    for (const auto& v : p->items) paged.push_back(v.test_id);
    if (!p->next_cursor) break;
    page.page.cursor = p->next_cursor;
  }
  std::vector<std::string> expected;
  for (const auto& v : all->items) expected.push_back(v.test_id);
  EXPECT_EQ(paged, expected);

  TestFilter bad;
  bad.page.cursor = "nope";
  EXPECT_EQ(history_->List(bad).error().field, "cursor");
  bad.page.cursor = std::nullopt;
  bad.page.limit = 0;
  EXPECT_EQ(history_->List(bad).error().field, "limit");
  EXPECT_EQ(history_->Get(999999).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(history_->Find(alpha_, "s::c::nope").error().code, ErrorCode::kNotFound);
}

TEST_P(TestHistoryStoreTest, QuarantineBySignatureWithWhoAndWhy) {
  for (int i = 1; i <= 3; ++i) Run(alpha_, "c1", {{"order", i == 2 ? 'F' : 'P'}});
  const StoredVerdict v = Verdict(alpha_, "order");
  ASSERT_EQ(v.signatures.size(), 1u);
  const std::string sig = v.signatures[0].signature;

  auto q = history_->AddQuarantine(v.id, sig, "ana", "flaky ordering, JIRA-12", kT0 + 100);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(history_->AddQuarantine(v.id, sig, "ana", "again", kT0 + 101).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(history_->AddQuarantine(424242, sig, "ana", "x", kT0).error().code, ErrorCode::kNotFound);

  auto covered = history_->Quarantined(alpha_, {{"s::c::order", sig}, {"s::c::order", "other-sig"}, {"s::c::x", sig}});
  ASSERT_TRUE(covered);
  EXPECT_EQ(*covered, (std::vector<bool>{true, false, false}));
  auto other_repo = history_->Quarantined(beta_, {{"s::c::order", sig}});
  ASSERT_TRUE(other_repo);
  EXPECT_EQ(*other_repo, (std::vector<bool>{false}));

  ASSERT_TRUE(history_->AddQuarantine(v.id, kAllSignatures, "bo", "all of it", kT0 + 102));
  covered = history_->Quarantined(alpha_, {{"s::c::order", "other-sig"}});
  ASSERT_TRUE(covered);
  EXPECT_EQ(*covered, (std::vector<bool>{true}));

  ASSERT_TRUE(history_->LiftQuarantine(v.id, sig, "cy", "fixed in #77", kT0 + 200));
  EXPECT_EQ(history_->LiftQuarantine(v.id, sig, "cy", "again", kT0 + 201).error().field, "signature");
  auto d = history_->Get(v.id);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->quarantines.size(), 1u);
  EXPECT_EQ(d->quarantines[0].signature, kAllSignatures);
  ASSERT_EQ(d->history.size(), 3u);  // newest first
  EXPECT_EQ(d->history[0].action, "released");
  EXPECT_EQ(d->history[0].who, "cy");
  EXPECT_EQ(d->history[0].reason, "fixed in #77");
  EXPECT_EQ(d->history[2].action, "quarantined");
  EXPECT_EQ(d->history[2].who, "ana");
  EXPECT_EQ(d->history[2].reason, "flaky ordering, JIRA-12");
}

TEST_P(TestHistoryStoreTest, AutomaticQuarantineAndReleaseAreRecorded) {
  flaky::FlakyConfig config;
  config.auto_quarantine_score = 0.1;
  config.release_after = 2;
  UseConfig(config);
  // Flaky after run 5 (two failures on one commit): quarantined automatically.
  for (int i = 1; i <= 5; ++i) Run(alpha_, "c1", {{"order", i == 2 || i == 5 ? 'F' : 'P'}});
  StoredVerdict v = Verdict(alpha_, "order");
  ASSERT_EQ(v.verdict.classification, flaky::Classification::kFlaky);
  auto d = history_->Get(v.id);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->quarantines.size(), 1u);
  EXPECT_TRUE(d->quarantines[0].automatic);
  EXPECT_EQ(d->quarantines[0].who, "sentinel");
  // Two clean runs in a row release it.
  Run(alpha_, "c1", {{"order", 'P'}});
  d = history_->Get(v.id);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->quarantines.size(), 1u);
  EXPECT_EQ(d->quarantines[0].clean_runs, 1);
  Run(alpha_, "c1", {{"order", 'P'}});
  d = history_->Get(v.id);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->quarantines.empty());
  ASSERT_EQ(d->history.size(), 2u);
  EXPECT_EQ(d->history[0].action, "released");
  EXPECT_EQ(d->history[0].who, "sentinel");
  EXPECT_NE(d->history[0].reason.find("2 runs in a row"), std::string::npos) << d->history[0].reason;
  EXPECT_TRUE(d->history[0].run_id.has_value());
  EXPECT_EQ(d->history[1].action, "quarantined");
}

TEST_P(TestHistoryStoreTest, OffByDefaultNoAutomaticQuarantine) {
  for (int i = 1; i <= 6; ++i) Run(alpha_, "c1", {{"order", i % 3 == 1 ? 'F' : 'P'}});
  const StoredVerdict v = Verdict(alpha_, "order");
  ASSERT_EQ(v.verdict.classification, flaky::Classification::kFlaky);
  auto d = history_->Get(v.id);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->quarantines.empty());
  EXPECT_TRUE(d->history.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, TestHistoryStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace sentinel::sqlstore
