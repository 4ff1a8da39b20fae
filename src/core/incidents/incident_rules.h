#pragma once
// The incident rules and lifecycle, pure: given the facts around one finished
// run (what it failed on, the recent history of its clusters and repository,
// infrastructure failures across repositories, flakiness verdicts, the
// incidents that exist for the keys involved, active silences), decide which
// incidents open, extend, reopen, mitigate or resolve. Time is passed in; no
// I/O. The store gathers the facts and applies the decision in one
// transaction (ports/incident_store.h). Thread-safe (values only).
//
// Keys: "cluster:<id>", "repo:<id>", "infra:<category>", "flaky:<repo id>:<test id>".
// One unresolved incident per key: a further occurrence extends it; a
// recurrence within the reopen window after resolution reopens it; after
// that window the rule must trip again and opens a new one.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"
#include "core/config/settings.h"
#include "core/model/model.h"

namespace sentinel::incidents {

enum class Severity { kMinor, kMajor, kCritical };
std::string_view Name(Severity s);
std::optional<Severity> ParseSeverity(std::string_view s);

enum class Rule { kCluster, kRepository, kInfrastructure, kFlakyTest };
std::string_view Name(Rule r);

// The thresholds of sentinel.yml `incidents.*` (core/config/settings.h documents them).
struct Thresholds {
  int cluster_runs = 3;                    // incidents.threshold
  EpochMs cluster_window_ms = 24 * 3600'000;  // incidents.window
  int repo_runs = 10;                      // incidents.repo_runs: the last M finished runs of a repository
  int repo_min_runs = 5;                   // incidents.repo_min_runs: fewer finished runs decide nothing
  double repo_failure_rate = 0.5;          // incidents.repo_failure_rate: share of failed runs that opens one
  int infra_repos = 2;                     // incidents.infra_repos: repositories with infra failures
  EpochMs infra_window_ms = 3600'000;      // incidents.infra_window
  double flaky_score = 0.5;                // incidents.flaky_score
  double mitigate_below = 0.5;             // incidents.mitigate_below: recent failure rate under which it mitigates
  int resolve_after = 3;                   // incidents.resolve_after: consecutive clean runs that resolve it
  EpochMs reopen_window_ms = 24 * 3600'000;  // incidents.reopen_window
};

// The thresholds the settings give.
Thresholds ThresholdsFrom(const Settings& s);

// Infrastructure-class failures: DNS, network, disk, OOM, infrastructure (lost workers).
bool IsInfrastructureFailure(FailureCategory c);

// ---- facts (gathered by the store for one run)

struct FailureFact {
  std::optional<std::int64_t> cluster_id;
  FailureCategory category = FailureCategory::kUnknown;
  bool flaky = false;  // never counts toward regression rules
  std::string signature;
  std::string title;
};

struct RunFacts {
  std::int64_t run_id = 0;
  std::int64_t repo_id = 0;
  std::string repo_name;
  RunStatus status = RunStatus::kSucceeded;
  FailureCategory category = FailureCategory::kUnknown;  // the run's, when it did not succeed
  std::string reason;                                    // e.g. worker_lost
  EpochMs finished_at = 0;
  std::vector<FailureFact> failures;
  std::map<std::string, bool> tests;  // test id -> passed (failed/error = false), for flaky incidents
};

struct RunRef {
  std::int64_t run_id = 0;
  EpochMs at = 0;  // when it failed
};

// A cluster's recent history: the distinct runs with a non-flaky failure in it within the window.
struct ClusterFacts {
  std::int64_t cluster_id = 0;
  FailureCategory category = FailureCategory::kUnknown;
  std::string title;
  std::vector<RunRef> runs_in_window;  // oldest first; includes this run
  int repos_in_window = 0;
};

// A repository's last finished runs (cancelled ones left out), newest first:
// true = counted as failed (a failure that is not only flaky).
struct RepoFacts {
  std::vector<bool> recent_failed;
};

// Infrastructure failures of one category across repositories within the infra window.
struct InfraFacts {
  FailureCategory category = FailureCategory::kUnknown;
  std::set<std::int64_t> repos;        // includes this run's
  std::vector<RunRef> runs_in_window;  // oldest first; includes this run
};

// A test's flakiness verdict (the flaky detector's, from test_flakiness).
struct FlakyVerdict {
  std::int64_t repo_id = 0;
  std::string test_id;
  double score = 0;
  std::string classification;  // flaky, failing, stable
};

// An incident as the rules need it: the latest one of its key (an active one
// if any, else the most recently resolved).
struct IncidentState {
  std::int64_t id = 0;
  std::string key;
  IncidentStatus status = IncidentStatus::kOpen;
  Severity severity = Severity::kMinor;
  std::optional<EpochMs> resolved_at;
  int clean_streak = 0;
  std::set<std::int64_t> repos;  // repositories of its runs
  int runs = 0;                  // runs linked to it
  // Among the last Thresholds::repo_runs finished runs of its repositories, how
  // many and how many are linked to it (its recent failure rate).
  int recent_total = 0;
  int recent_linked = 0;
};

struct Silence {
  std::int64_t id = 0;
  std::optional<std::int64_t> repo_id;
  std::optional<std::int64_t> cluster_id;
  EpochMs starts_at = 0;
  EpochMs ends_at = 0;
  std::string reason;
};

struct Context {
  RunFacts run;
  std::vector<ClusterFacts> clusters;  // one per cluster of the run's non-flaky failures
  RepoFacts repo;
  std::vector<InfraFacts> infra;       // one per infra-class category of the run
  std::vector<FlakyVerdict> flaky;     // verdicts of the tests this run ran
  std::map<std::string, IncidentState> by_key;  // the latest incident of each key involved
  std::vector<IncidentState> affecting;         // active incidents whose repositories include the run's
  std::vector<Silence> silences;                // active ones
};

// ---- the decision

struct TimelineEntry {
  std::string kind;  // opened, occurrence, attached, reopened, status_changed, severity_changed, resolved
  std::string message;
  std::optional<std::int64_t> run_id;
  EpochMs at = 0;
};

// What to create when an incident opens.
struct IncidentDraft {
  Rule rule = Rule::kCluster;
  std::string title;
  std::optional<std::int64_t> cluster_id;
  std::optional<std::int64_t> repo_id;
  FailureCategory category = FailureCategory::kUnknown;
};

// One incident to touch. incident_id == 0 with `open` set: create it (if the
// key turns out to have an active incident meanwhile, the store extends that
// one instead: the unique index decides).
struct IncidentChange {
  std::string key;
  std::int64_t incident_id = 0;
  std::optional<IncidentDraft> open;
  std::optional<IncidentStatus> status;  // new status
  std::optional<Severity> severity;      // new (higher) severity
  std::optional<int> clean_streak;       // new value
  std::vector<std::int64_t> link_runs;   // runs to link (incident_runs)
  std::vector<TimelineEntry> timeline;
};

struct SilencedMatch {
  std::int64_t silence_id = 0;
  std::string key;
  std::string message;
};

struct Decision {
  std::vector<IncidentChange> changes;
  std::vector<SilencedMatch> silenced;
};

// What the store must gather for a run: the clusters of its non-flaky
// failures, the infrastructure-class categories it failed with (a run lost
// with its worker counts as `infrastructure`), and whether it counts as a
// failure for the repository rule (failed, timed out or errored, and not only
// on flaky failures).
std::set<std::int64_t> RegressionClusters(const RunFacts& run);
std::set<FailureCategory> InfraCategories(const RunFacts& run);
bool CountsAsFailed(const RunFacts& run);

// The rules over one finished run. Deterministic: same context, same decision.
Decision Evaluate(const Context& context, const Thresholds& t, EpochMs now);

// Time-based move (the reconciler): an open incident whose last occurrence is
// older than the window it was opened under has a failure rate of zero now:
// it becomes mitigating. nullopt when nothing changes.
// Flaky-test incidents are left alone (their verdicts move them).
std::optional<IncidentChange> QuietCheck(const IncidentState& incident, EpochMs last_occurrence, const Thresholds& t,
                                         EpochMs now);

// "24h", "90m", "45s", "1500ms": for messages.
std::string FormatDuration(EpochMs ms);

// ---- lifecycle (PATCH /incidents/{id})

// open -> mitigating | resolved; mitigating -> open | resolved; resolved -> open.
// kFailedPrecondition naming the current state for any other move (including to the same state).
[[nodiscard]] Status CheckTransition(IncidentStatus from, IncidentStatus to);

// Severity from the rule and the measured impact.
Severity SeverityFor(Rule rule, int runs, int repos, double rate, const Thresholds& t);

}  // namespace sentinel::incidents
