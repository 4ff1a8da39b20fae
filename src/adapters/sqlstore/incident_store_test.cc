// The incident store against both real stores: SQLite (a temporary file) and
// PostgreSQL (a throwaway server, a fresh database per test). Runs are written
// the way the worker writes them (SqlExecutionStore: claim, commit, test
// results, Finish), then evaluated with the real rules of core/incidents.

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/postgres/postgres_db.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_incident_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::sqlstore {
namespace {

using adapters::PostgresDb;
using adapters::SqliteDb;

constexpr EpochMs kT0 = 1'790'000'000'000;
constexpr EpochMs kMin = 60'000;

enum class Backend { kSqlite, kPostgres };

class IncidentStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(ApplyMigrations(*db_, kT0));
    repos_ = std::make_unique<SqlRepoStore>(*db_);
    runs_ = std::make_unique<SqlRunStore>(*db_);
    exec_ = std::make_unique<SqlExecutionStore>(*db_);
    store_ = std::make_unique<SqlIncidentStore>(*db_);
    auto a = repos_->Create("alpha", "/srv/alpha", kT0);
    auto b = repos_->Create("beta", "/srv/beta", kT0);
    ASSERT_TRUE(a && b);
    alpha_ = a->id;
    beta_ = b->id;
  }

  // A second connection (pool) to the same database.
  std::unique_ptr<Db> Open() {
    if (GetParam() == Backend::kPostgres) {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      if (pg == nullptr) {
        if (why.empty()) why = "PostgreSQL is not available";
        ADD_FAILURE() << why;
        return nullptr;
      }
      if (pg_url_.empty()) pg_url_ = pg->CreateTestDatabase();
      auto db = PostgresDb::Create(pg_url_);
      return db ? std::move(*db) : nullptr;
    }
    auto db = SqliteDb::Open(dir_.Sub("sentinel.db"));
    return db ? std::move(*db) : nullptr;
  }

  // A run of `repo` at `at`: failed with one failure of `fingerprint` (and failing test `test`), or succeeded.
  std::int64_t Run(std::int64_t repo, EpochMs at, const std::string& fingerprint, const std::string& commit,
                   FailureCategory category = FailureCategory::kTestFailure, const std::string& test = "t::test_x",
                   SqlExecutionStore* exec = nullptr) {
    if (exec == nullptr) exec = exec_.get();
    auto run = runs_->Create(sentinel::NewRun{repo, "", fingerprint.empty() ? "success" : "testfail"}, at);
    EXPECT_TRUE(run) << run.error().message;
    if (!run) return 0;
    auto claim = exec->Claim(run->id, "w1", 60'000, at + 1);
    EXPECT_TRUE(claim) << claim.error().message;
    if (!claim) return 0;
    Fence f{run->id, claim->run.attempt, "w1"};
    EXPECT_TRUE(exec->SetCommit(f, commit, at + 1));
    EXPECT_TRUE(exec->PlanSteps(f, {StepPlan{"test", "pytest", 60'000}}, at + 1));
    TestCaseResult t;
    t.suite = "t";
    t.name = test.substr(3);
    t.outcome = fingerprint.empty() ? TestOutcome::kPassed : TestOutcome::kFailed;
    EXPECT_TRUE(exec->AddTestResults(f, 0, {t}, at + 1));
    std::vector<Failure> failures;
    RunOutcome outcome{RunStatus::kSucceeded, FailureCategory::kUnknown, "", ""};
    if (!fingerprint.empty()) {
      Failure x;
      x.category = category;
      x.signature = "sig." + fingerprint;
      x.fingerprint = fingerprint;
      x.cluster_template = "E assert <NUM> == <NUM>";
      x.title = "failure " + fingerprint;
      x.confidence = 0.9;
      x.remediation = {"fix the assertion"};
      x.hints = {"an assertion failed"};
      failures.push_back(x);
      outcome = {RunStatus::kFailed, category, "", ""};
    }
    Status st = exec->Finish(f, outcome, failures, at + 2);
    EXPECT_TRUE(st) << st.error().message;
    return run->id;
  }

  Result<EvaluationResult> Evaluate(std::int64_t run, EpochMs now, IncidentStore* store = nullptr) {
    if (store == nullptr) store = store_.get();
    const incidents::Thresholds t = thresholds_;
    return store->EvaluateRun(
        run, t, [&](const incidents::Context& c) { return incidents::Evaluate(c, t, now); }, now);
  }

  std::vector<IncidentSummary> All() {
    IncidentFilter f;
    f.page.limit = 500;
    auto page = store_->List(f);
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->items : std::vector<IncidentSummary>{};
  }

  testing::ScratchDir dir_;
  std::string pg_url_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SqlRepoStore> repos_;
  std::unique_ptr<SqlRunStore> runs_;
  std::unique_ptr<SqlExecutionStore> exec_;
  std::unique_ptr<SqlIncidentStore> store_;
  incidents::Thresholds thresholds_;
  std::int64_t alpha_ = 0, beta_ = 0;
};

TEST_P(IncidentStoreTest, RepeatedFailuresOpenOneIncidentWithEveryRunAndTheSuspectCommits) {
  const std::int64_t good = Run(alpha_, kT0, "", "c0ffee0");
  ASSERT_TRUE(Evaluate(good, kT0 + 10));
  std::vector<std::int64_t> bad;
  for (int i = 0; i < 5; ++i) {
    const EpochMs at = kT0 + (i + 1) * kMin;
    bad.push_back(Run(alpha_, at, "fp-a", i == 0 ? "badbad1" : "badbad2"));
    auto r = Evaluate(bad.back(), at + 10);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->evaluated);
    EXPECT_EQ(All().size(), i < 2 ? 0u : 1u) << "after failure " << i + 1;
  }
  auto list = All();
  ASSERT_EQ(list.size(), 1u);
  const IncidentSummary& s = list[0];
  EXPECT_EQ(s.incident.status, IncidentStatus::kOpen);
  EXPECT_EQ(s.rule, "cluster_recurrence");
  EXPECT_TRUE(s.incident.key.starts_with("cluster:"));
  EXPECT_EQ(s.runs, 5);
  auto d = store_->Get(s.incident.id, kT0 + 10 * kMin);
  ASSERT_TRUE(d) << d.error().message;
  std::set<std::int64_t> timeline_runs;
  int opened = 0;
  for (const IncidentEvent& e : d->timeline) {
    if (e.kind == "occurrence" && e.run_id) timeline_runs.insert(*e.run_id);
    opened += e.kind == "opened";
  }
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(timeline_runs, std::set<std::int64_t>(bad.begin(), bad.end()));
  EXPECT_EQ(d->related_runs.size(), 5u);
  EXPECT_EQ(d->impact.runs, 5);
  EXPECT_EQ(d->impact.repos, 1);
  EXPECT_EQ(d->impact.tests, 1);
  EXPECT_EQ(d->impact.failures, 5);
  ASSERT_TRUE(d->root_cause.has_value());
  EXPECT_EQ(d->root_cause->signature, "sig.fp-a");
  EXPECT_EQ(d->root_cause->remediation, std::vector<std::string>{"fix the assertion"});
  EXPECT_DOUBLE_EQ(d->root_cause->confidence, 0.9);
  ASSERT_TRUE(d->suspects.has_value());
  EXPECT_EQ(d->suspects->last_good_commit, "c0ffee0");
  EXPECT_EQ(d->suspects->last_good_run_id, good);
  EXPECT_EQ(d->suspects->first_bad_commit, "badbad1");
  EXPECT_EQ(d->suspects->first_bad_run_id, bad[0]);
  EXPECT_EQ(d->suspects->scope, "test t::test_x in alpha");
}

TEST_P(IncidentStoreTest, EachRunIsEvaluatedOnceAndFinishQueuesIt) {
  const std::int64_t run = Run(alpha_, kT0, "fp-a", "c1");
  auto pending = store_->PendingRuns(10);
  ASSERT_TRUE(pending);
  EXPECT_EQ(*pending, std::vector<std::int64_t>{run});  // the finishing transaction queued it
  auto first = Evaluate(run, kT0 + 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->evaluated);
  auto second = Evaluate(run, kT0 + 20);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->evaluated);
  pending = store_->PendingRuns(10);
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty());
  auto missing = Evaluate(999999, kT0);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(IncidentStoreTest, CleanRunsMitigateThenResolveAndARecurrenceReopens) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Evaluate(Run(alpha_, kT0 + i * kMin, "fp-a", "c1"), kT0 + i * kMin + 10));
  ASSERT_EQ(All().size(), 1u);
  const std::int64_t id = All()[0].incident.id;
  std::vector<IncidentStatus> seen;
  for (int i = 0; i < 6; ++i) {
    const EpochMs at = kT0 + (10 + i) * kMin;
    ASSERT_TRUE(Evaluate(Run(alpha_, at, "", "c2"), at + 10));
    seen.push_back(All()[0].incident.status);
  }
  // 3 failures then clean runs: 3/4, 3/5, 3/6 = 50% is not under 50%; 3/7 is (mitigating); K=3 clean after... resolved.
  EXPECT_EQ(seen[0], IncidentStatus::kOpen);
  EXPECT_EQ(seen[2], IncidentStatus::kMitigating);  // the third clean run: K reached while open -> mitigating first
  EXPECT_EQ(seen[3], IncidentStatus::kResolved);
  auto resolved = store_->Get(id, kT0 + 20 * kMin);
  ASSERT_TRUE(resolved);
  EXPECT_TRUE(resolved->summary.incident.resolved_at.has_value());

  // A recurrence within the reopen window reopens the same incident.
  const EpochMs at = kT0 + 30 * kMin;
  ASSERT_TRUE(Evaluate(Run(alpha_, at, "fp-a", "c3"), at + 10));
  auto list = All();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].incident.id, id);
  EXPECT_EQ(list[0].incident.status, IncidentStatus::kOpen);
  EXPECT_FALSE(list[0].incident.resolved_at.has_value());
}

TEST_P(IncidentStoreTest, InfraFailuresInTwoRepositoriesOpenOneInfraIncidentAndNoClusterOne) {
  for (int i = 0; i < 4; ++i) {
    const EpochMs at = kT0 + i * kMin;
    const std::int64_t repo = i % 2 == 0 ? alpha_ : beta_;
    auto r = Evaluate(Run(repo, at, "fp-dns", "c1", FailureCategory::kNetworkDns), at + 10);
    ASSERT_TRUE(r) << r.error().message;
  }
  auto list = All();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].rule, "infrastructure");
  EXPECT_EQ(list[0].category, "network_dns");
  EXPECT_EQ(list[0].runs, 4);
  auto d = store_->Get(list[0].incident.id, kT0 + 10 * kMin);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->impact.repos, 2);
}

TEST_P(IncidentStoreTest, SilencedMatchesAreRecordedAndOpenNothing) {
  auto bad = store_->CreateSilence(NewSilence{std::nullopt, std::nullopt, "x", kT0, kT0 + kMin}, kT0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "repo");
  auto unknown = store_->CreateSilence(NewSilence{424242, std::nullopt, "x", kT0, kT0 + kMin}, kT0);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto s = store_->CreateSilence(NewSilence{alpha_, std::nullopt, "planned migration", kT0, kT0 + 60 * kMin}, kT0);
  ASSERT_TRUE(s) << s.error().message;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Evaluate(Run(alpha_, kT0 + i * kMin, "fp-a", "c1"), kT0 + i * kMin + 10));
  EXPECT_TRUE(All().empty());
  auto silences = store_->ListSilences(ListQuery{}, kT0 + kMin);
  ASSERT_TRUE(silences);
  ASSERT_EQ(silences->items.size(), 1u);
  EXPECT_EQ(silences->items[0].matches, 2);  // the 3rd and 4th run tripped the rule
  EXPECT_EQ(silences->items[0].reason, "planned migration");
  auto later = store_->ListSilences(ListQuery{}, kT0 + 61 * kMin);
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->items.empty());
  ASSERT_TRUE(store_->DeleteSilence(s->id));
  auto again = store_->DeleteSilence(s->id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  // Unsilenced, the next occurrence opens it.
  ASSERT_TRUE(Evaluate(Run(alpha_, kT0 + 5 * kMin, "fp-a", "c1"), kT0 + 5 * kMin + 10));
  EXPECT_EQ(All().size(), 1u);
}

TEST_P(IncidentStoreTest, TransitionsByHandFollowTheLifecycle) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Evaluate(Run(alpha_, kT0 + i * kMin, "fp-a", "c1"), kT0 + i * kMin + 10));
  const std::int64_t id = All().at(0).incident.id;
  auto m = store_->Transition(id, IncidentStatus::kMitigating, "rolled back", kT0 + 5 * kMin);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->incident.status, IncidentStatus::kMitigating);
  auto r = store_->Transition(id, IncidentStatus::kResolved, "fixed in abc", kT0 + 6 * kMin);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->incident.resolved_at, kT0 + 6 * kMin);
  auto forbidden = store_->Transition(id, IncidentStatus::kMitigating, "", kT0 + 7 * kMin);
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(forbidden.error().message.find("is resolved"), std::string::npos) << forbidden.error().message;
  auto missing = store_->Transition(987654, IncidentStatus::kOpen, "", kT0);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto d = store_->Get(id, kT0 + 8 * kMin);
  ASSERT_TRUE(d);
  ASSERT_GE(d->status_history.size(), 3u);
  EXPECT_NE(d->status_history.back().message.find("fixed in abc"), std::string::npos);
  auto feed = store_->EventsAfter(0, 100);
  ASSERT_TRUE(feed);
  EXPECT_GE(feed->size(), d->timeline.size());
}

// An evaluator (or a PATCH) whose clock reading is older than the incident's last change,
// because it read the clock before waiting for the row, still lands after that change.
TEST_P(IncidentStoreTest, AChangeStampedBeforeTheLastOneStillComesAfterItInTheTimeline) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Evaluate(Run(alpha_, kT0 + i * kMin, "fp-a", "c1"), kT0 + i * kMin + 10));
  const std::int64_t id = All().at(0).incident.id;
  ASSERT_TRUE(store_->Transition(id, IncidentStatus::kMitigating, "rolled back", kT0 + 20 * kMin));
  // The clean runs are evaluated with a clock five minutes behind the hand-made move.
  for (int i = 0; i < 6 && All().at(0).incident.status != IncidentStatus::kResolved; ++i) {
    const EpochMs at = kT0 + 10 * kMin + i * 1000;
    ASSERT_TRUE(Evaluate(Run(alpha_, at, "", "c2"), kT0 + 15 * kMin + i));
  }
  auto d = store_->Get(id, kT0 + 30 * kMin);
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_EQ(d->summary.incident.status, IncidentStatus::kResolved);
  EXPECT_GE(*d->summary.incident.resolved_at, kT0 + 20 * kMin);
  ASSERT_GE(d->status_history.size(), 3u);
  EXPECT_EQ(d->status_history.back().kind, "resolved");
  EXPECT_NE(d->status_history[d->status_history.size() - 2].message.find("rolled back"), std::string::npos);
  for (size_t i = 1; i < d->status_history.size(); ++i)
    EXPECT_LE(d->status_history[i - 1].at, d->status_history[i].at) << d->status_history[i].message;

  // The same by hand: a reopen stamped before the resolution still follows it.
  ASSERT_TRUE(store_->Transition(id, IncidentStatus::kOpen, "not fixed after all", kT0 + 19 * kMin));
  auto again = store_->Get(id, kT0 + 30 * kMin);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status_history.back().kind, "reopened");
  EXPECT_GE(again->status_history.back().at, *d->summary.incident.resolved_at);
}

// Two connections evaluating runs of one cluster at the same time still make one incident.
TEST_P(IncidentStoreTest, ConcurrentEvaluatorsOpenOneIncidentPerKey) {
  std::unique_ptr<Db> other = Open();
  ASSERT_NE(other, nullptr);
  SqlExecutionStore other_exec(*other);
  SqlIncidentStore other_store(*other);
  std::vector<std::int64_t> a_runs, b_runs;
  for (int i = 0; i < 6; ++i) {
    a_runs.push_back(Run(alpha_, kT0 + i * 1000, "fp-race", "c1"));
    b_runs.push_back(Run(beta_, kT0 + i * 1000 + 500, "fp-race", "c1", FailureCategory::kTestFailure, "t::test_x",
                         &other_exec));
  }
  std::atomic<int> errors{0};
  auto evaluate_all = [&](const std::vector<std::int64_t>& runs, IncidentStore* store) {
    for (std::int64_t run : runs) {
      for (int attempt = 0; attempt < 5; ++attempt) {
        if (Evaluate(run, kT0 + 10 * kMin, store)) break;
        if (attempt == 4) errors++;
      }
    }
  };
  std::thread t1(evaluate_all, a_runs, store_.get());
  std::thread t2(evaluate_all, b_runs, &other_store);
  t1.join();
  t2.join();
  EXPECT_EQ(errors.load(), 0);
  auto list = All();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].runs, 12);  // every run landed on the one incident
  // And the same run evaluated by both at once is evaluated once.
  const std::int64_t run = Run(alpha_, kT0 + 20 * 1000, "fp-race", "c1");
  std::atomic<int> evaluated{0};
  std::thread u1([&] {
    auto r = Evaluate(run, kT0 + 11 * kMin);
    if (r && r->evaluated) evaluated++;
  });
  std::thread u2([&] {
    auto r = Evaluate(run, kT0 + 11 * kMin, &other_store);
    if (r && r->evaluated) evaluated++;
  });
  u1.join();
  u2.join();
  EXPECT_EQ(evaluated.load(), 1);
}

// Given a test that failed in three runs, we should open no flaky-test incident while the
// detector calls it consistently failing (whatever its score), open one once it is classified
// flaky, and fill that incident's impact and related runs from the test's own history.
TEST_P(IncidentStoreTest, FlakyTestIncidentsTripOnFlakyVerdictsOnlyAndTakeTheTestsHistory) {
  const std::string tid = "t::test_f";
  const std::int64_t r1 = Run(alpha_, kT0 + 1 * kMin, "fp-f", "c1", FailureCategory::kTestFailure, tid);
  const std::int64_t r2 = Run(alpha_, kT0 + 2 * kMin, "", "c1", FailureCategory::kTestFailure, tid);
  const std::int64_t r3 = Run(alpha_, kT0 + 3 * kMin, "fp-f", "c1", FailureCategory::kTestFailure, tid);
  auto norm = db_->Exec("SELECT norm_id FROM test_results WHERE run_id = $1", {r1});
  ASSERT_TRUE(norm && !norm->rows.empty());
  const std::string test = norm->rows[0].Text(0);
  // The verdicts are set by hand after each finish (which recomputes them from the history).
  auto verdict = [&](const char* classification, double score) {
    auto r = db_->Exec(
        "INSERT INTO test_flakiness (repo_id, test_id, window_size, runs, failures, score, classification, updated_at) "
        "VALUES ($1, $2, 30, 3, 2, $3, $4, 1) ON CONFLICT (repo_id, test_id) DO UPDATE SET score = excluded.score, "
        "classification = excluded.classification",
        {alpha_, test, score, std::string(classification)});
    EXPECT_TRUE(r) << r.error().message;
  };
  verdict("failing", 0.9);
  for (std::int64_t r : {r1, r2, r3}) ASSERT_TRUE(Evaluate(r, kT0 + 4 * kMin));
  for (const IncidentSummary& i : All()) EXPECT_NE(i.rule, "flaky_test") << i.incident.key;

  const std::int64_t r4 = Run(alpha_, kT0 + 5 * kMin, "fp-f", "c2", FailureCategory::kTestFailure, tid);
  verdict("flaky", 0.6);
  ASSERT_TRUE(Evaluate(r4, kT0 + 6 * kMin));
  std::optional<std::int64_t> id;
  for (const IncidentSummary& i : All())
    if (i.rule == "flaky_test") id = i.incident.id;
  ASSERT_TRUE(id.has_value());
  auto d = store_->Get(*id, kT0 + 7 * kMin);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->impact.runs, 3);  // r1, r3, r4: every run it failed in, not only the linked r4
  EXPECT_EQ(d->impact.failures, 3);
  EXPECT_EQ(d->impact.tests, 1);
  EXPECT_EQ(d->impact.test_ids, std::vector<std::string>{test});
  EXPECT_EQ(d->impact.repos, 1);
  EXPECT_EQ(d->impact.first_failure, kT0 + 1 * kMin + 2);
  EXPECT_EQ(d->impact.last_failure, kT0 + 5 * kMin + 2);
  std::vector<std::int64_t> related;
  for (const IncidentRun& r : d->related_runs) related.push_back(r.run_id);
  EXPECT_EQ(related, (std::vector<std::int64_t>{r4, r3, r1}));
  ASSERT_TRUE(d->suspects.has_value());
  EXPECT_EQ(d->suspects->first_bad_run_id, r1);

  // Its root cause is the verdict, even once its failures are flagged flaky (as Finish flags
  // the failures of a test classified flaky), with the cluster its failures fell in.
  ASSERT_TRUE(db_->Exec("UPDATE failures SET flaky = 1"));
  auto f = store_->Get(*id, kT0 + 7 * kMin);
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_TRUE(f->root_cause.has_value());
  EXPECT_NE(f->root_cause->title.find("test " + test + " is flaky"), std::string::npos) << f->root_cause->title;
  ASSERT_TRUE(f->root_cause->cluster_id.has_value());
  auto cluster = db_->Exec("SELECT title, fingerprint FROM clusters WHERE id = $1", {*f->root_cause->cluster_id});
  ASSERT_TRUE(cluster && !cluster->rows.empty());
  EXPECT_EQ(cluster->rows[0].Text(1), "fp-f");
  EXPECT_NE(f->root_cause->title.find("it fails with: " + cluster->rows[0].Text(0)), std::string::npos)
      << f->root_cause->title;
  EXPECT_NE(f->root_cause->hint.find("classified flaky"), std::string::npos) << f->root_cause->hint;
  EXPECT_DOUBLE_EQ(f->root_cause->confidence, 0.6);
  EXPECT_EQ(f->root_cause->category, "test_failure");
  EXPECT_FALSE(f->root_cause->remediation.empty());
}

// Given a store built with an outbox, we should queue incident_opened when the cluster rule
// trips, incident_escalated when its severity rises, incident_resolved and (on reopen)
// incident_opened again when it is moved by hand: one row per transition, written with it,
// each with a notification_queued timeline entry.
TEST_P(IncidentStoreTest, TransitionsQueueTheirNotificationsWithThem) {
  std::vector<notify::Notification> seen;
  SqlIncidentStore notifying(*db_, [&](const notify::Notification& n) {
    seen.push_back(n);
    OutboxItem o;
    o.target = "chat";
    o.url = "http://127.0.0.1:9/hook";
    o.event = n.event;
    o.payload = "{}";
    o.incident_id = n.incident_id;
    return std::vector<OutboxItem>{o};
  });
  for (int i = 0; i < 6; ++i) {
    const std::int64_t run = Run(alpha_, kT0 + i * kMin, "fp-n", "c1");
    ASSERT_TRUE(Evaluate(run, kT0 + i * kMin + 10, &notifying));
  }
  auto rows = [&] {
    std::vector<std::string> out;
    auto r = db_->Exec("SELECT event FROM notifications ORDER BY id");
    EXPECT_TRUE(r);
    if (r)
      for (const SqlRow& row : r->rows) out.push_back(row.Text(0));
    return out;
  };
  EXPECT_EQ(rows(), (std::vector<std::string>{"incident_opened", "incident_escalated"}));
  ASSERT_EQ(seen.size(), 2u);
  ASSERT_TRUE(seen[0].incident_id.has_value());
  const std::int64_t id = *seen[0].incident_id;
  EXPECT_EQ(seen[0].severity, "minor");
  EXPECT_EQ(seen[1].severity, "major");
  EXPECT_NE(seen[0].impact.find("3 failed runs in 1 repository (alpha)"), std::string::npos) << seen[0].impact;
  EXPECT_NE(seen[0].root_cause.find("confidence 0.90"), std::string::npos) << seen[0].root_cause;
  EXPECT_NE(seen[1].impact.find("6 failed runs"), std::string::npos) << seen[1].impact;

  ASSERT_TRUE(notifying.Transition(id, IncidentStatus::kResolved, "fixed", kT0 + 10 * kMin));
  ASSERT_TRUE(notifying.Transition(id, IncidentStatus::kOpen, "not fixed", kT0 + 11 * kMin));
  EXPECT_EQ(rows(), (std::vector<std::string>{"incident_opened", "incident_escalated", "incident_resolved",
                                              "incident_opened"}));
  EXPECT_NE(seen.back().title.find("(reopened)"), std::string::npos) << seen.back().title;
  auto queued = db_->Exec("SELECT COUNT(*) FROM incident_events WHERE incident_id = $1 AND kind = 'notification_queued'",
                          {id});
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->rows[0].Int(0), 4);
  // A move the lifecycle forbids queues nothing.
  EXPECT_FALSE(notifying.Transition(id, IncidentStatus::kOpen, "", kT0 + 12 * kMin));
  EXPECT_EQ(rows().size(), 4u);
}

TEST_P(IncidentStoreTest, OverviewFiguresComeFromAggregates) {
  SqlOverviewStore overview(*db_);
  const EpochMs day = 86'400'000;
  // alpha: fail at +1m, fail at +2m, success at +5m -> one recovery of (5m+2) - (1m+2) = 4m.
  Run(alpha_, kT0 + 1 * kMin, "fp-a", "c1");
  Run(alpha_, kT0 + 2 * kMin, "fp-a", "c1");
  Run(alpha_, kT0 + 5 * kMin, "", "c2");
  Run(beta_, kT0 + 1 * kMin, "", "c1");
  ASSERT_TRUE(runs_->Create(sentinel::NewRun{beta_, "", ""}, kT0 + 6 * kMin));  // queued
  auto f = overview.Figures(kT0 - day, kT0);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->runs_by_status.at("succeeded"), 2);
  EXPECT_EQ(f->runs_by_status.at("failed"), 2);
  EXPECT_EQ(f->runs_by_status.at("queued"), 1);
  EXPECT_EQ(f->queue_depth, 1);
  EXPECT_EQ(f->finished_in_window, 4);
  EXPECT_EQ(f->succeeded_in_window, 2);
  EXPECT_EQ(f->recoveries, 1);
  ASSERT_TRUE(f->mttr_ms.has_value());
  EXPECT_DOUBLE_EQ(*f->mttr_ms, 4.0 * kMin);
  EXPECT_EQ(f->failures_in_window, 2);
  EXPECT_EQ(f->failures_explained, 2);
  ASSERT_EQ(f->top_clusters.size(), 1u);
  EXPECT_EQ(f->top_clusters[0].occurrences, 2);
  EXPECT_EQ(f->flaky_tests, 0);
  EXPECT_EQ(f->open_incidents_by_severity.at("major"), 0);
  ASSERT_FALSE(f->trend.empty());
}

// Given interleaved failures and successes in two repositories, we should count every
// recovery once (first failure after a success -> the next success) and agree with the
// same figures recomputed from the runs (the ranking query the overview used before 0006).
TEST_P(IncidentStoreTest, RunningOverviewFiguresAgreeWithTheRunsTheyCount) {
  SqlOverviewStore overview(*db_);
  const std::string alpha = "FFSSFSFFFSF";  // recoveries: FFS, FS, FFFS; the last F is still failing
  const std::string beta = "SFSFFS";        // recoveries: FS, FFS
  EpochMs at = kT0;
  for (size_t i = 0; i < alpha.size() || i < beta.size(); ++i) {
    if (i < alpha.size()) Run(alpha_, at += kMin, alpha[i] == 'F' ? "fp-a" : "", "c");
    if (i < beta.size()) Run(beta_, at += kMin, beta[i] == 'F' ? "fp-b" : "", "c");
  }
  auto want = db_->Exec(
      "SELECT COUNT(*), AVG(rec - fail) FROM (SELECT repo_id, grp, "
      "MIN(CASE WHEN status <> 'succeeded' THEN finished_at END) AS fail, "
      "MAX(CASE WHEN status = 'succeeded' THEN finished_at END) AS rec FROM ("
      "SELECT repo_id, status, finished_at, COALESCE(SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) OVER ("
      "PARTITION BY repo_id ORDER BY finished_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp "
      "FROM runs WHERE finished_at IS NOT NULL) x GROUP BY repo_id, grp) g WHERE fail IS NOT NULL AND rec IS NOT NULL");
  ASSERT_TRUE(want) << want.error().message;
  auto f = overview.Figures(kT0 - 86'400'000, kT0);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->recoveries, 5);
  EXPECT_EQ(f->recoveries, want->rows[0].Int(0));
  ASSERT_TRUE(f->mttr_ms.has_value());
  EXPECT_NEAR(*f->mttr_ms, want->rows[0].Real(1), 1e-6);
  EXPECT_EQ(f->finished_in_window, static_cast<std::int64_t>(alpha.size() + beta.size()));
  EXPECT_EQ(f->succeeded_in_window, 7);
  auto failing = db_->Exec("SELECT repo_id FROM repo_health WHERE failing_since IS NOT NULL");
  ASSERT_TRUE(failing);
  ASSERT_EQ(failing->rows.size(), 1u);
  EXPECT_EQ(failing->rows[0].Int(0), alpha_);
  // A window starting after the first recoveries leaves them out.
  auto later = overview.Figures(kT0 + 86'400'000, kT0);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->recoveries, 0);
  EXPECT_EQ(later->finished_in_window, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, IncidentStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& i) {
                           return i.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace sentinel::sqlstore
