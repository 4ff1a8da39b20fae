#pragma once
// The incident aggregate: incidents, their timelines and runs, silences, and
// the once-per-run evaluation of the incident rules. The store gathers the
// facts around a run and applies the pure decision (core/incidents) in ONE
// transaction that also records the run as evaluated, so a run is evaluated
// at most once even with many workers and reconcilers, and a crash between a
// run's finish and its evaluation loses nothing (the finishing transaction
// queued it in incident_pending; the reconciler picks it up). At most one
// unresolved incident per key, enforced by the schema's unique index.
// Thread-safe.
//
// Notifiers: every state change is an incident event (opened, reopened,
// status_changed, severity_changed, resolved, ...); EventsAfter is a feed.
// Webhooks out: a store built with an OutboxFn (ports/notification_store.h)
// writes the outbox rows of each transition -- incident_opened (also on
// reopen), incident_escalated (severity rose), incident_resolved, and
// flaky_detected (a flaky-test incident opens) -- in the transaction of the
// transition itself, with a `notification_queued` timeline entry per row.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/incidents/incident_rules.h"
#include "core/model/model.h"
#include "ports/repo_store.h"

namespace sentinel {

struct IncidentSummary {
  Incident incident;
  std::string rule;  // cluster_recurrence, repo_failure_rate, infrastructure, flaky_test
  std::string category;  // failure category it is about, "" when none
  std::string repo_name;  // of repo_id, "" when none
  std::int64_t runs = 0;  // runs linked to it
  EpochMs updated_at = 0;
};

struct IncidentRun {
  std::int64_t run_id = 0;
  std::int64_t repo_id = 0;
  std::string repo_name;
  RunStatus status = RunStatus::kQueued;
  std::string commit;
  EpochMs created_at = 0;
  std::optional<EpochMs> finished_at;
};

struct IncidentImpact {
  std::int64_t runs = 0;
  std::int64_t repos = 0;
  std::vector<std::string> repo_names;
  std::int64_t tests = 0;               // distinct failed tests in its runs
  std::vector<std::string> test_ids;    // the first of them
  std::int64_t failures = 0;            // non-flaky failures in its runs
  std::optional<EpochMs> first_failure;
  std::optional<EpochMs> last_failure;
  EpochMs duration_ms = 0;              // opened -> resolved (or now)
};

struct RootCause {
  std::optional<std::int64_t> cluster_id;
  std::string category;
  std::string signature;
  std::string title;
  std::string hint;
  std::vector<std::string> remediation;
  double confidence = 0;
};

struct SuspectCommits {
  std::string scope;  // what passed then failed: "test X in repo" or "repository demo-cpp"
  std::optional<std::int64_t> last_good_run_id;
  std::string last_good_commit;  // "" when no earlier passing run is known
  std::optional<std::int64_t> first_bad_run_id;
  std::string first_bad_commit;
};

struct IncidentDetail {
  IncidentSummary summary;
  std::vector<IncidentEvent> timeline;        // oldest first; includes the queue's events of its runs
  std::vector<IncidentEvent> status_history;  // opened, status changes, reopen, resolution
  std::vector<IncidentRun> related_runs;      // newest first
  IncidentImpact impact;
  std::optional<RootCause> root_cause;
  std::optional<SuspectCommits> suspects;
};

struct IncidentFilter {
  std::optional<IncidentStatus> status;
  std::optional<std::string> severity;
  std::optional<std::int64_t> repo_id;  // incidents of that repository or with a run in it
  ListQuery page;
};

struct SilenceRecord {
  std::int64_t id = 0;
  std::optional<std::int64_t> repo_id;
  std::optional<std::int64_t> cluster_id;
  std::string reason;
  EpochMs starts_at = 0;
  EpochMs ends_at = 0;
  EpochMs created_at = 0;
  std::int64_t matches = 0;  // rule matches it held back
};

struct NewSilence {
  std::optional<std::int64_t> repo_id;
  std::optional<std::int64_t> cluster_id;
  std::string reason;
  EpochMs starts_at = 0;
  EpochMs ends_at = 0;
};

struct IncidentRef {
  std::int64_t id = 0;
  IncidentStatus status = IncidentStatus::kOpen;
};

// What EvaluateRun did.
struct EvaluationResult {
  bool evaluated = false;  // false: the run had been evaluated before (or is not finished)
  incidents::Decision decision;
  std::vector<std::int64_t> incident_ids;  // the incidents it touched, in decision order
};

using DecideFn = std::function<incidents::Decision(const incidents::Context&)>;
using QuietFn = std::function<std::optional<incidents::IncidentChange>(const incidents::IncidentState&,
                                                                       EpochMs last_occurrence)>;

class IncidentStore {
 public:
  virtual ~IncidentStore() = default;

  // ---- evaluation

  // Gathers the facts around finished run `run_id` (windows and sample sizes
  // from `t`), calls decide, applies its decision and records the run as
  // evaluated, in one transaction. A run evaluated before: evaluated=false,
  // nothing changes. kNotFound for no such run; kFailedPrecondition while it
  // is not finished. A lost race on the one-open-incident-per-key index is
  // resolved by extending the winner.
  [[nodiscard]] virtual Result<EvaluationResult> EvaluateRun(std::int64_t run_id, const incidents::Thresholds& t,
                                                             const DecideFn& decide, EpochMs now) = 0;
  // Finished runs waiting for evaluation (queued by their finishing transaction), oldest first.
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> PendingRuns(int limit) = 0;
  // Applies `quiet` to every open incident with its last occurrence; returns how many changed.
  [[nodiscard]] virtual Result<int> ApplyQuiet(const QuietFn& quiet, EpochMs now) = 0;

  // ---- reads

  // Newest first. kInvalidArgument for a bad cursor/limit.
  [[nodiscard]] virtual Result<Page<IncidentSummary>> List(const IncidentFilter& filter) = 0;
  // kNotFound (field "id") when absent.
  [[nodiscard]] virtual Result<IncidentDetail> Get(std::int64_t id, EpochMs now) = 0;
  // The latest incident of each cluster's key (an unresolved one first).
  [[nodiscard]] virtual Result<std::map<std::int64_t, IncidentRef>> ForClusters(
      const std::vector<std::int64_t>& cluster_ids) = 0;
  // Incident events with an id above after_id, oldest first (a notifier's feed).
  [[nodiscard]] virtual Result<std::vector<std::pair<std::int64_t, IncidentEvent>>> EventsAfter(std::int64_t after_id,
                                                                                                int limit) = 0;

  // ---- by people

  // Moves the incident to `to` with a note (timeline entry). kNotFound; kFailedPrecondition
  // naming the current state for a move the lifecycle forbids; kAlreadyExists when reopening
  // while another incident of its key is unresolved.
  [[nodiscard]] virtual Result<IncidentSummary> Transition(std::int64_t id, IncidentStatus to, const std::string& note,
                                                           EpochMs now) = 0;

  // ---- silences

  // kInvalidArgument for neither/unknown repo or cluster (field named).
  [[nodiscard]] virtual Result<SilenceRecord> CreateSilence(const NewSilence& silence, EpochMs now) = 0;
  // Newest first; active_at: only those active then.
  [[nodiscard]] virtual Result<Page<SilenceRecord>> ListSilences(const ListQuery& page,
                                                                 std::optional<EpochMs> active_at) = 0;
  // kNotFound when absent.
  [[nodiscard]] virtual Status DeleteSilence(std::int64_t id) = 0;
};

}  // namespace sentinel
