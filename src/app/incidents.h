#pragma once
// Incident use cases: evaluating the rules when a run finishes (the worker's
// hook) and in the reconciler's pass (runs a crash left unevaluated, quiet
// incidents), and what the API and CLI ask: list, detail, postmortem, status
// changes, silences, the overview. Thin over IncidentStore/OverviewStore and
// core/incidents; thread-safe as the stores are.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/incidents/incident_rules.h"
#include "ports/clock.h"
#include "ports/incident_store.h"
#include "ports/overview_store.h"
#include "ports/repo_store.h"

namespace sentinel::app {

class IncidentEvaluator {
 public:
  using LogFn = std::function<void(std::string_view)>;
  // store and clock must outlive it.
  IncidentEvaluator(IncidentStore& store, const Clock& clock, incidents::Thresholds thresholds, LogFn log = {});

  // Evaluates the rules for finished run `run_id` once (a second call is a
  // no-op: false). Retries a lost race (another evaluator touched the same
  // incident) a few times.
  [[nodiscard]] Result<bool> EvaluateRun(std::int64_t run_id);

  // The reconciler's pass: evaluates every run still pending (a worker died
  // between finish and evaluation, a lost or timed-out run), then the
  // time-based moves (quiet open incidents mitigate). Returns runs evaluated.
  [[nodiscard]] Result<int> Pass();

  const incidents::Thresholds& thresholds() const { return thresholds_; }

 private:
  IncidentStore& store_;
  const Clock& clock_;
  incidents::Thresholds thresholds_;
  LogFn log_;
};

struct ListIncidentsRequest {
  std::optional<std::string> status;    // open, mitigating, resolved
  std::optional<std::string> severity;  // minor, major, critical
  std::optional<std::string> repo;      // a repository id or name
  ListQuery page;
};

// Newest first. kInvalidArgument naming the field for a bad filter; kNotFound (field "repo") for an unknown repo.
[[nodiscard]] Result<Page<IncidentSummary>> ListIncidents(RepoStore& repos, IncidentStore& incidents,
                                                          const ListIncidentsRequest& request);

[[nodiscard]] Result<IncidentDetail> GetIncident(IncidentStore& incidents, const Clock& clock, std::int64_t id);

// status: open, mitigating or resolved (kInvalidArgument, field "status", otherwise);
// kFailedPrecondition (422) naming the current state for a forbidden move.
[[nodiscard]] Result<IncidentDetail> ChangeIncidentStatus(IncidentStore& incidents, const Clock& clock, std::int64_t id,
                                                          const std::string& status, const std::string& note);

// The postmortem document: summary, impact, timeline, root cause, suspect commits, remediation, follow-ups.
std::string RenderPostmortem(const IncidentDetail& detail, EpochMs now);

struct CreateSilenceRequest {
  std::optional<std::string> repo;      // id or name
  std::optional<std::int64_t> cluster_id;
  std::string reason;
  std::optional<std::string> duration;  // "2h" (default 1h) ...
  std::optional<std::string> ends_at;   // ... or an RFC 3339 end
  std::optional<std::string> starts_at; // default now
};

[[nodiscard]] Result<SilenceRecord> CreateSilence(RepoStore& repos, IncidentStore& incidents, const Clock& clock,
                                                  const CreateSilenceRequest& request);

// The dashboard's figures over the last `days` days (1..365; kInvalidArgument, field "days").
struct Overview {
  OverviewFigures figures;
  EpochMs since = 0;
  int days = 30;
  std::int64_t open_incidents = 0;
  std::optional<double> success_rate;   // in the window
  std::optional<double> explained_share;
};
[[nodiscard]] Result<Overview> GetOverview(OverviewStore& store, const Clock& clock, int days);

}  // namespace sentinel::app
