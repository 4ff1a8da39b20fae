#include "core/incidents/incident_rules.h"

#include <gtest/gtest.h>

namespace sentinel::incidents {
namespace {

constexpr EpochMs kNow = 1'800'000'000'000;
constexpr EpochMs kHour = 3600'000;

RunFacts FailedRun(std::int64_t run, std::int64_t repo, std::int64_t cluster,
                   FailureCategory cat = FailureCategory::kTestFailure, bool flaky = false) {
  RunFacts r;
  r.run_id = run;
  r.repo_id = repo;
  r.repo_name = "repo" + std::to_string(repo);
  r.status = RunStatus::kFailed;
  r.category = cat;
  r.finished_at = kNow;
  r.failures.push_back(FailureFact{cluster, cat, flaky, "sig", "title"});
  return r;
}

RunFacts CleanRun(std::int64_t run, std::int64_t repo) {
  RunFacts r;
  r.run_id = run;
  r.repo_id = repo;
  r.repo_name = "repo" + std::to_string(repo);
  r.status = RunStatus::kSucceeded;
  r.finished_at = kNow;
  return r;
}

ClusterFacts ClusterWith(std::int64_t cluster, int runs, FailureCategory cat = FailureCategory::kTestFailure) {
  ClusterFacts c;
  c.cluster_id = cluster;
  c.category = cat;
  c.title = "Test failure: test_x";
  for (int i = 0; i < runs; ++i) c.runs_in_window.push_back({100 + i, kNow - (runs - i) * 1000});
  c.repos_in_window = 1;
  return c;
}

IncidentState State(std::int64_t id, const std::string& key, IncidentStatus status, int streak = 0) {
  IncidentState s;
  s.id = id;
  s.key = key;
  s.status = status;
  s.clean_streak = streak;
  s.repos = {1};
  s.runs = 3;
  if (status == IncidentStatus::kResolved) s.resolved_at = kNow - kHour;
  return s;
}

const IncidentChange* Find(const Decision& d, const std::string& key) {
  for (const IncidentChange& c : d.changes)
    if (c.key == key) return &c;
  return nullptr;
}

bool HasEntry(const IncidentChange& c, const std::string& kind) {
  for (const TimelineEntry& e : c.timeline)
    if (e.kind == kind) return true;
  return false;
}

// ---- cluster recurrence

class ClusterBoundaryTest : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(ClusterBoundaryTest, OpensAtTheThresholdNotBelow) {
  const auto [runs, opens] = GetParam();
  Thresholds t;  // threshold 3
  Context c;
  c.run = FailedRun(100 + runs - 1, 1, 7);
  c.clusters.push_back(ClusterWith(7, runs));
  c.repo.recent_failed = std::vector<bool>(static_cast<size_t>(runs), true);
  Decision d = Evaluate(c, t, kNow);
  const IncidentChange* ch = Find(d, "cluster:7");
  EXPECT_EQ(ch != nullptr, opens) << runs << " runs";
  if (ch != nullptr) {
    ASSERT_TRUE(ch->open.has_value());
    EXPECT_EQ(ch->open->cluster_id, 7);
    EXPECT_EQ(ch->incident_id, 0);
    EXPECT_EQ(ch->link_runs.size(), static_cast<size_t>(runs));  // every failing run of the window
    EXPECT_TRUE(HasEntry(*ch, "opened"));
    EXPECT_NE(ch->timeline.front().message.find("threshold 3"), std::string::npos);
  }
}
INSTANTIATE_TEST_SUITE_P(BelowAtAbove, ClusterBoundaryTest,
                         ::testing::Values(std::make_tuple(2, false), std::make_tuple(3, true),
                                           std::make_tuple(4, true)));

TEST(IncidentRulesTest, FlakyFailuresNeverCountTowardRegressionRules) {
  RunFacts r = FailedRun(10, 1, 7, FailureCategory::kTestFailure, /*flaky=*/true);
  EXPECT_TRUE(RegressionClusters(r).empty());
  EXPECT_FALSE(CountsAsFailed(r));
  Context c;
  c.run = r;
  c.repo.recent_failed = {false, false, false, false, false};
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_TRUE(d.changes.empty());
}

TEST(IncidentRulesTest, ExistingOpenIncidentIsExtendedNotDuplicated) {
  Context c;
  c.run = FailedRun(200, 1, 7);
  c.clusters.push_back(ClusterWith(7, 5));
  c.by_key["cluster:7"] = State(42, "cluster:7", IncidentStatus::kOpen, 2);
  Decision d = Evaluate(c, Thresholds{}, kNow);
  ASSERT_EQ(d.changes.size(), 1u);
  const IncidentChange& ch = d.changes[0];
  EXPECT_EQ(ch.incident_id, 42);
  EXPECT_FALSE(ch.open.has_value());
  EXPECT_EQ(ch.link_runs, std::vector<std::int64_t>{200});
  EXPECT_EQ(ch.clean_streak, 0);  // the streak restarts
  EXPECT_TRUE(HasEntry(ch, "occurrence"));
}

TEST(IncidentRulesTest, RecurrenceWhileMitigatingGoesBackToOpen) {
  Context c;
  c.run = FailedRun(200, 1, 7);
  c.clusters.push_back(ClusterWith(7, 1));
  c.by_key["cluster:7"] = State(42, "cluster:7", IncidentStatus::kMitigating, 1);
  Decision d = Evaluate(c, Thresholds{}, kNow);
  const IncidentChange* ch = Find(d, "cluster:7");
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->status, IncidentStatus::kOpen);
  EXPECT_TRUE(HasEntry(*ch, "status_changed"));
}

TEST(IncidentRulesTest, RecurrenceInsideTheReopenWindowReopensTheSameIncident) {
  Thresholds t;
  t.reopen_window_ms = 2 * kHour;
  Context c;
  c.run = FailedRun(300, 1, 7);
  c.clusters.push_back(ClusterWith(7, 1));  // one occurrence is enough inside the window
  c.by_key["cluster:7"] = State(42, "cluster:7", IncidentStatus::kResolved);  // resolved an hour ago
  Decision d = Evaluate(c, t, kNow);
  const IncidentChange* ch = Find(d, "cluster:7");
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->incident_id, 42);
  EXPECT_EQ(ch->status, IncidentStatus::kOpen);
  EXPECT_TRUE(HasEntry(*ch, "reopened"));
}

TEST(IncidentRulesTest, RecurrenceOutsideTheReopenWindowNeedsTheRuleAgain) {
  Thresholds t;
  t.reopen_window_ms = kHour / 2;  // resolved an hour ago: outside
  Context c;
  c.run = FailedRun(300, 1, 7);
  c.clusters.push_back(ClusterWith(7, 1));
  c.by_key["cluster:7"] = State(42, "cluster:7", IncidentStatus::kResolved);
  EXPECT_EQ(Find(Evaluate(c, t, kNow), "cluster:7"), nullptr);  // one run: below the threshold
  c.clusters[0] = ClusterWith(7, 3);
  Decision d = Evaluate(c, t, kNow);
  const IncidentChange* ch = Find(d, "cluster:7");
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->incident_id, 0);  // a new incident
  EXPECT_TRUE(ch->open.has_value());
}

// ---- repository failure rate

struct RepoCase {
  int failed;
  int sample;
  bool opens;
};
class RepoRateTest : public ::testing::TestWithParam<RepoCase> {};

TEST_P(RepoRateTest, OpensAtTheRateWithTheMinimumSample) {
  const RepoCase rc = GetParam();
  Thresholds t;  // last 10, min 5, rate 0.5
  Context c;
  c.run = FailedRun(50, 1, 9);  // cluster 9 is under its own threshold: the repo rule is what is left
  c.clusters.push_back(ClusterWith(9, 1));
  for (int i = 0; i < rc.sample; ++i) c.repo.recent_failed.push_back(i < rc.failed);
  Decision d = Evaluate(c, t, kNow);
  const IncidentChange* ch = Find(d, "repo:1");
  EXPECT_EQ(ch != nullptr, rc.opens) << rc.failed << "/" << rc.sample;
  if (ch != nullptr) {
    EXPECT_EQ(ch->open->repo_id, 1);
  }
}
INSTANTIATE_TEST_SUITE_P(Boundaries, RepoRateTest,
                         ::testing::Values(RepoCase{4, 10, false}, RepoCase{5, 10, true}, RepoCase{6, 10, true},
                                           RepoCase{4, 4, false},  // under the minimum sample
                                           RepoCase{3, 5, true}, RepoCase{2, 5, false}));

TEST(IncidentRulesTest, RepoRuleLeavesFailuresAClusterIncidentOwns) {
  Context c;
  c.run = FailedRun(50, 1, 7);
  c.clusters.push_back(ClusterWith(7, 3));  // the cluster incident opens
  c.repo.recent_failed = std::vector<bool>(10, true);
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_NE(Find(d, "cluster:7"), nullptr);
  EXPECT_EQ(Find(d, "repo:1"), nullptr);
}

// ---- infrastructure and inhibition

InfraFacts Infra(FailureCategory cat, std::set<std::int64_t> repos) {
  InfraFacts f;
  f.category = cat;
  f.repos = repos;
  std::int64_t id = 500;
  for (auto repo : repos) f.runs_in_window.push_back({id++ + repo, kNow - 1000});
  return f;
}

TEST(IncidentRulesTest, InfraFailuresInOneRepositoryOpenNoInfraIncident) {
  Context c;
  c.run = FailedRun(60, 1, 11, FailureCategory::kNetworkDns);
  c.clusters.push_back(ClusterWith(11, 1, FailureCategory::kNetworkDns));
  c.infra.push_back(Infra(FailureCategory::kNetworkDns, {1}));
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_EQ(Find(d, "infra:network_dns"), nullptr);
}

TEST(IncidentRulesTest, InfraFailuresInTwoRepositoriesOpenOneInfraIncidentThatInhibitsTheCluster) {
  Context c;
  c.run = FailedRun(60, 2, 11, FailureCategory::kNetworkDns);
  c.clusters.push_back(ClusterWith(11, 3, FailureCategory::kNetworkDns));  // would trip on its own
  c.infra.push_back(Infra(FailureCategory::kNetworkDns, {1, 2}));
  c.repo.recent_failed = std::vector<bool>(10, true);
  Decision d = Evaluate(c, Thresholds{}, kNow);
  const IncidentChange* infra = Find(d, "infra:network_dns");
  ASSERT_NE(infra, nullptr);
  ASSERT_TRUE(infra->open.has_value());
  EXPECT_EQ(infra->open->rule, Rule::kInfrastructure);
  EXPECT_EQ(infra->link_runs.size(), 2u);
  EXPECT_TRUE(HasEntry(*infra, "attached"));  // the cluster's occurrence is attached to it
  EXPECT_EQ(Find(d, "cluster:11"), nullptr);
  EXPECT_EQ(Find(d, "repo:2"), nullptr);
  EXPECT_EQ(d.changes.size(), 1u);
}

TEST(IncidentRulesTest, ActiveInfraIncidentAbsorbsLaterInfraFailures) {
  Context c;
  c.run = FailedRun(61, 3, 11, FailureCategory::kNetworkDns);
  c.clusters.push_back(ClusterWith(11, 5, FailureCategory::kNetworkDns));
  c.infra.push_back(Infra(FailureCategory::kNetworkDns, {3}));  // alone in the window now
  IncidentState st = State(9, "infra:network_dns", IncidentStatus::kOpen);
  st.repos = {1, 2};
  st.severity = Severity::kMajor;
  c.by_key[st.key] = st;
  Decision d = Evaluate(c, Thresholds{}, kNow);
  const IncidentChange* infra = Find(d, "infra:network_dns");
  ASSERT_NE(infra, nullptr);
  EXPECT_EQ(infra->incident_id, 9);
  EXPECT_EQ(infra->severity, Severity::kCritical);  // a third repository: severity rises
  EXPECT_EQ(Find(d, "cluster:11"), nullptr);
}

TEST(IncidentRulesTest, LostWorkerCountsAsInfrastructure) {
  RunFacts r = CleanRun(70, 1);
  r.status = RunStatus::kErrored;
  r.category = FailureCategory::kInfrastructure;
  r.reason = "worker_lost";
  EXPECT_EQ(InfraCategories(r), std::set<FailureCategory>{FailureCategory::kInfrastructure});
  EXPECT_TRUE(IsInfrastructureFailure(FailureCategory::kOutOfMemory));
  EXPECT_FALSE(IsInfrastructureFailure(FailureCategory::kTestFailure));
}

// ---- silences

TEST(IncidentRulesTest, SilencedMatchIsRecordedAndOpensNothing) {
  Context c;
  c.run = FailedRun(80, 1, 7);
  c.clusters.push_back(ClusterWith(7, 3));
  c.silences.push_back(Silence{5, std::nullopt, 7, kNow - kHour, kNow + kHour, "known, fix in progress"});
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_EQ(Find(d, "cluster:7"), nullptr);
  ASSERT_EQ(d.silenced.size(), 1u);
  EXPECT_EQ(d.silenced[0].silence_id, 5);
  EXPECT_NE(d.silenced[0].message.find("known, fix in progress"), std::string::npos);
}

TEST(IncidentRulesTest, ExpiredOrOtherSilencesDoNotApply) {
  Context c;
  c.run = FailedRun(80, 1, 7);
  c.clusters.push_back(ClusterWith(7, 3));
  c.silences.push_back(Silence{5, std::nullopt, 7, kNow - 2 * kHour, kNow, "expired at now"});
  c.silences.push_back(Silence{6, 2, std::nullopt, kNow - kHour, kNow + kHour, "another repo"});
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_NE(Find(d, "cluster:7"), nullptr);
  EXPECT_TRUE(d.silenced.empty());
}

TEST(IncidentRulesTest, RepositorySilenceCoversItsClusters) {
  Context c;
  c.run = FailedRun(80, 1, 7);
  c.clusters.push_back(ClusterWith(7, 3));
  c.silences.push_back(Silence{6, 1, std::nullopt, kNow - kHour, kNow + kHour, "migration"});
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_EQ(Find(d, "cluster:7"), nullptr);
  EXPECT_EQ(d.silenced.size(), 1u);
}

// ---- clean runs: mitigating, resolved

TEST(IncidentRulesTest, CleanRunMitigatesWhenTheRecentRateFallsUnderTheThreshold) {
  IncidentState st = State(42, "cluster:7", IncidentStatus::kOpen, 0);
  st.recent_total = 7;
  st.recent_linked = 3;  // 43% < 50%
  Context c;
  c.run = CleanRun(90, 1);
  c.affecting.push_back(st);
  Decision d = Evaluate(c, Thresholds{}, kNow);
  const IncidentChange* ch = Find(d, "cluster:7");
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->status, IncidentStatus::kMitigating);
  EXPECT_EQ(ch->clean_streak, 1);

  st.recent_total = 6;  // 50%: not under
  c.affecting = {st};
  d = Evaluate(c, Thresholds{}, kNow);
  ch = Find(d, "cluster:7");
  ASSERT_NE(ch, nullptr);
  EXPECT_FALSE(ch->status.has_value());
  EXPECT_EQ(ch->clean_streak, 1);
}

TEST(IncidentRulesTest, ResolvedAfterKConsecutiveCleanRunsNotBefore) {
  Thresholds t;  // K = 3
  for (int streak_before : {1, 2}) {
    IncidentState st = State(42, "cluster:7", IncidentStatus::kMitigating, streak_before);
    Context c;
    c.run = CleanRun(90, 1);
    c.affecting.push_back(st);
    Decision d = Evaluate(c, t, kNow);
    const IncidentChange* ch = Find(d, "cluster:7");
    ASSERT_NE(ch, nullptr);
    EXPECT_EQ(ch->clean_streak, streak_before + 1);
    EXPECT_EQ(ch->status == std::optional(IncidentStatus::kResolved), streak_before + 1 >= 3) << streak_before;
  }
}

TEST(IncidentRulesTest, FailedRunForAnotherReasonIsNeitherCleanNorAnOccurrence) {
  IncidentState st = State(42, "cluster:7", IncidentStatus::kMitigating, 2);
  Context c;
  c.run = FailedRun(91, 1, 8);
  c.clusters.push_back(ClusterWith(8, 1));
  c.affecting.push_back(st);
  c.by_key["cluster:7"] = st;
  Decision d = Evaluate(c, Thresholds{}, kNow);
  EXPECT_EQ(Find(d, "cluster:7"), nullptr);
}

// Hysteresis: a cluster that fails every other run, around the threshold, for a long
// time makes one incident that goes open <-> mitigating, never a second one.
TEST(IncidentRulesTest, AlternatingSequenceOpensOneIncident) {
  Thresholds t;
  t.resolve_after = 3;
  std::optional<IncidentState> incident;  // what a store would hold
  int opened = 0;
  std::vector<RunRef> window;
  for (int i = 0; i < 40; ++i) {
    const EpochMs now = kNow + i * 60'000;
    Context c;
    const bool fails = i % 2 == 0;
    c.run = fails ? FailedRun(1000 + i, 1, 7) : CleanRun(1000 + i, 1);
    if (fails) {
      window.push_back({c.run.run_id, now});
      ClusterFacts cf = ClusterWith(7, 0);
      cf.runs_in_window = window;
      c.clusters.push_back(cf);
    }
    if (incident) {
      incident->recent_total = std::min(i + 1, 10);
      incident->recent_linked = (incident->recent_total + 1) / 2;
      c.by_key[incident->key] = *incident;
      if (incident->status != IncidentStatus::kResolved) c.affecting.push_back(*incident);
    }
    Decision d = Evaluate(c, t, now);
    for (const IncidentChange& ch : d.changes) {
      if (ch.open) {
        ++opened;
        incident = IncidentState{};
        incident->id = 1;
        incident->key = ch.key;
        incident->repos = {1};
      }
      if (ch.status) incident->status = *ch.status;
      if (ch.clean_streak) incident->clean_streak = *ch.clean_streak;
      incident->runs += static_cast<int>(ch.link_runs.size());
      if (ch.status == IncidentStatus::kResolved) incident->resolved_at = now;
    }
  }
  EXPECT_EQ(opened, 1);
  ASSERT_TRUE(incident.has_value());
  EXPECT_NE(incident->status, IncidentStatus::kResolved);  // never K clean runs in a row
}

TEST(IncidentRulesTest, QuietOpenIncidentMitigatesAfterItsWindow) {
  Thresholds t;
  IncidentState st = State(1, "cluster:7", IncidentStatus::kOpen);
  EXPECT_FALSE(QuietCheck(st, kNow - t.cluster_window_ms, t, kNow).has_value());  // at the edge: inside
  auto ch = QuietCheck(st, kNow - t.cluster_window_ms - 1, t, kNow);
  ASSERT_TRUE(ch.has_value());
  EXPECT_EQ(ch->status, IncidentStatus::kMitigating);
  st.status = IncidentStatus::kMitigating;
  EXPECT_FALSE(QuietCheck(st, 0, t, kNow).has_value());
}

// ---- flaky tests

TEST(IncidentRulesTest, FlakyTestAtTheScoreOpensAndBelowDoesNot) {
  Thresholds t;  // 0.5
  for (auto [score, opens] : {std::pair{0.49, false}, std::pair{0.5, true}, std::pair{0.7, true}}) {
    Context c;
    c.run = CleanRun(95, 1);
    c.run.tests = {{"suite::test_flaky", false}};
    c.flaky.push_back(FlakyVerdict{1, "suite::test_flaky", score, "flaky"});
    Decision d = Evaluate(c, t, kNow);
    const IncidentChange* ch = Find(d, "flaky:1:suite::test_flaky");
    EXPECT_EQ(ch != nullptr, opens) << score;
    if (ch) {
      EXPECT_EQ(ch->open->rule, Rule::kFlakyTest);
    }
  }
  Context c;
  c.run = CleanRun(95, 1);
  c.flaky.push_back(FlakyVerdict{1, "t", 0.9, "failing"});  // failing is not flaky
  EXPECT_TRUE(Evaluate(c, t, kNow).changes.empty());
}

// ---- transitions

TEST(IncidentLifecycleTest, AllowedAndForbiddenTransitions) {
  using S = IncidentStatus;
  struct Case {
    S from, to;
    bool ok;
  };
  for (Case k : {Case{S::kOpen, S::kMitigating, true}, Case{S::kOpen, S::kResolved, true},
                 Case{S::kMitigating, S::kResolved, true}, Case{S::kMitigating, S::kOpen, true},
                 Case{S::kResolved, S::kOpen, true}, Case{S::kResolved, S::kMitigating, false},
                 Case{S::kOpen, S::kOpen, false}, Case{S::kMitigating, S::kMitigating, false},
                 Case{S::kResolved, S::kResolved, false}}) {
    Status st = CheckTransition(k.from, k.to);
    EXPECT_EQ(st.has_value(), k.ok) << Name(k.from) << " -> " << Name(k.to);
    if (!st) {
      EXPECT_EQ(st.error().code, ErrorCode::kFailedPrecondition);
      EXPECT_NE(st.error().message.find("is " + std::string(Name(k.from))), std::string::npos) << st.error().message;
    }
  }
}

TEST(IncidentLifecycleTest, SeverityRisesWithImpact) {
  Thresholds t;
  EXPECT_EQ(SeverityFor(Rule::kCluster, 3, 1, 0, t), Severity::kMinor);
  EXPECT_EQ(SeverityFor(Rule::kCluster, 6, 1, 0, t), Severity::kMajor);
  EXPECT_EQ(SeverityFor(Rule::kCluster, 3, 2, 0, t), Severity::kMajor);
  EXPECT_EQ(SeverityFor(Rule::kCluster, 9, 3, 0, t), Severity::kCritical);
  EXPECT_EQ(SeverityFor(Rule::kInfrastructure, 2, 2, 0, t), Severity::kMajor);
  EXPECT_EQ(SeverityFor(Rule::kInfrastructure, 3, 3, 0, t), Severity::kCritical);
  EXPECT_EQ(ParseSeverity("major"), Severity::kMajor);
  EXPECT_FALSE(ParseSeverity("huge").has_value());
}

TEST(IncidentLifecycleTest, ThresholdsComeFromTheSettings) {
  Settings s;
  s.incident_threshold = 4;
  s.incident_resolve_after = 7;
  Thresholds t = ThresholdsFrom(s);
  EXPECT_EQ(t.cluster_runs, 4);
  EXPECT_EQ(t.resolve_after, 7);
  EXPECT_EQ(FormatDuration(24 * kHour), "24h");
  EXPECT_EQ(FormatDuration(90'000), "90s");
}

}  // namespace
}  // namespace sentinel::incidents
