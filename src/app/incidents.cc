#include "app/incidents.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "app/repos.h"
#include "app/runs.h"

namespace sentinel::app {
namespace {

constexpr int kEvaluationAttempts = 4;
constexpr int kPendingBatch = 200;

// A repository given as an id or a name.
Result<std::int64_t> ResolveRepo(RepoStore& repos, const std::string& text, const std::string& field) {
  const bool numeric = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  if (numeric) {
    auto id = ParseId(text, field);
    if (!id) return Fail(id.error());
    auto repo = repos.Get(*id);
    if (!repo) {
      if (repo.error().code == ErrorCode::kNotFound)
        return Fail(ErrorCode::kNotFound, "no repository with id " + text, field);
      return Fail(repo.error());
    }
    return repo->id;
  }
  auto repo = repos.GetByName(text);
  if (!repo) {
    if (repo.error().code == ErrorCode::kNotFound)
      return Fail(ErrorCode::kNotFound, "no repository named '" + text + "'", field);
    return Fail(repo.error());
  }
  return repo->id;
}

std::string Time(std::optional<EpochMs> t) { return t ? FormatRfc3339(*t) : std::string("-"); }

std::string Short(const std::string& sha) { return sha.empty() ? std::string("(unknown)") : sha.substr(0, 12); }

std::string Minutes(EpochMs ms) {
  char buf[32];
  if (ms < 60'000) std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
  else if (ms < 3600'000) std::snprintf(buf, sizeof buf, "%lldm", static_cast<long long>(ms / 60'000));
  else std::snprintf(buf, sizeof buf, "%lldh %lldm", static_cast<long long>(ms / 3600'000),
                     static_cast<long long>((ms % 3600'000) / 60'000));
  return buf;
}

}  // namespace

IncidentEvaluator::IncidentEvaluator(IncidentStore& store, const Clock& clock, incidents::Thresholds thresholds,
                                     LogFn log)
    : store_(store), clock_(clock), thresholds_(thresholds), log_(std::move(log)) {}

Result<bool> IncidentEvaluator::EvaluateRun(std::int64_t run_id) {
  Error last;
  for (int attempt = 0; attempt < kEvaluationAttempts; ++attempt) {
    const EpochMs now = clock_.Now();
    const incidents::Thresholds t = thresholds_;
    auto r = store_.EvaluateRun(
        run_id, t, [&](const incidents::Context& c) { return incidents::Evaluate(c, t, now); }, now);
    if (r) {
      if (log_ && r->evaluated) {
        for (size_t i = 0; i < r->decision.changes.size(); ++i) {
          const auto& ch = r->decision.changes[i];
          if (ch.open || ch.status) {
            log_("incidents: run " + std::to_string(run_id) + ": incident " + std::to_string(r->incident_ids[i]) + " (" +
                 ch.key + ")" + (ch.open ? " opened" : " now " + std::string(Name(*ch.status))));
          }
        }
      }
      return r->evaluated;
    }
    last = r.error();
    // A lost race (unique index, deadlock, serialization) is retried with fresh facts.
    if (last.code == ErrorCode::kNotFound || last.code == ErrorCode::kFailedPrecondition ||
        last.code == ErrorCode::kInvalidArgument)
      break;
  }
  return Fail(last);
}

Result<int> IncidentEvaluator::Pass() {
  auto pending = store_.PendingRuns(kPendingBatch);
  if (!pending) return Fail(pending.error());
  int evaluated = 0;
  for (std::int64_t run : *pending) {
    auto r = EvaluateRun(run);
    if (!r) {
      if (log_) log_("incidents: evaluating run " + std::to_string(run) + ": " + r.error().message);
      continue;
    }
    if (*r) ++evaluated;
  }
  const incidents::Thresholds t = thresholds_;
  const EpochMs now = clock_.Now();
  auto quiet = store_.ApplyQuiet(
      [&](const incidents::IncidentState& st, EpochMs last) { return incidents::QuietCheck(st, last, t, now); }, now);
  if (!quiet) return Fail(quiet.error());
  return evaluated;
}

Result<Page<IncidentSummary>> ListIncidents(RepoStore& repos, IncidentStore& incidents,
                                            const ListIncidentsRequest& request) {
  if (Status st = ValidatePage(request.page); !st) return Fail(st.error());
  IncidentFilter filter;
  filter.page = request.page;
  if (request.status) {
    filter.status = ParseIncidentStatus(*request.status);
    if (!filter.status)
      return Fail(ErrorCode::kInvalidArgument,
                  "status '" + *request.status + "' is not one of open, mitigating, resolved", "status");
  }
  if (request.severity) {
    if (!incidents::ParseSeverity(*request.severity))
      return Fail(ErrorCode::kInvalidArgument,
                  "severity '" + *request.severity + "' is not one of critical, major, minor", "severity");
    filter.severity = *request.severity;
  }
  if (request.repo) {
    auto id = ResolveRepo(repos, *request.repo, "repo");
    if (!id) return Fail(id.error());
    filter.repo_id = *id;
  }
  return incidents.List(filter);
}

Result<IncidentDetail> GetIncident(IncidentStore& incidents, const Clock& clock, std::int64_t id) {
  return incidents.Get(id, clock.Now());
}

Result<IncidentDetail> ChangeIncidentStatus(IncidentStore& incidents, const Clock& clock, std::int64_t id,
                                            const std::string& status, const std::string& note) {
  auto to = ParseIncidentStatus(status);
  if (!to)
    return Fail(ErrorCode::kInvalidArgument, "status '" + status + "' is not one of open, mitigating, resolved",
                "status");
  if (note.size() > 4000) return Fail(ErrorCode::kInvalidArgument, "note must be at most 4000 characters", "note");
  auto moved = incidents.Transition(id, *to, note, clock.Now());
  if (!moved) return Fail(moved.error());
  return incidents.Get(id, clock.Now());
}

std::string RenderPostmortem(const IncidentDetail& d, EpochMs now) {
  const Incident& i = d.summary.incident;
  std::string md;
  md += "# Postmortem: incident #" + std::to_string(i.id) + " — " + i.title + "\n\n";
  md += "## Summary\n\n";
  md += "- Status: **" + std::string(Name(i.status)) + "**, severity **" + i.severity + "**\n";
  md += "- Rule: " + (d.summary.rule.empty() ? std::string("-") : d.summary.rule) + " (key `" + i.key + "`)\n";
  if (!d.summary.repo_name.empty()) md += "- Repository: " + d.summary.repo_name + "\n";
  md += "- Opened: " + FormatRfc3339(i.opened_at) + "\n";
  md += "- Resolved: " + Time(i.resolved_at) + "\n";
  md += "- Duration: " + Minutes(i.resolved_at.value_or(now) - i.opened_at) + (i.resolved_at ? "" : " (ongoing)") + "\n\n";

  md += "## Impact\n\n";
  md += "- Runs affected: " + std::to_string(d.impact.runs) + "\n";
  md += "- Repositories affected: " + std::to_string(d.impact.repos);
  if (!d.impact.repo_names.empty()) {
    md += " (";
    for (size_t k = 0; k < d.impact.repo_names.size(); ++k) md += (k ? ", " : "") + d.impact.repo_names[k];
    md += ")";
  }
  md += "\n- Tests affected: " + std::to_string(d.impact.tests);
  if (!d.impact.test_ids.empty()) {
    md += " (";
    for (size_t k = 0; k < d.impact.test_ids.size() && k < 10; ++k) md += (k ? ", " : "") + ("`" + d.impact.test_ids[k] + "`");
    md += d.impact.test_ids.size() > 10 ? ", ...)" : ")";
  }
  md += "\n- Failures: " + std::to_string(d.impact.failures) + "\n";
  md += "- First failure: " + Time(d.impact.first_failure) + "; last failure: " + Time(d.impact.last_failure) + "\n\n";

  md += "## Timeline\n\n";
  if (d.timeline.empty()) md += "_No entries._\n";
  for (const IncidentEvent& e : d.timeline) {
    md += "- " + FormatRfc3339(e.at) + " **" + e.kind + "**";
    if (e.run_id) md += " (run " + std::to_string(*e.run_id) + ")";
    md += ": " + e.message + "\n";
  }
  md += "\n## Root cause\n\n";
  if (d.root_cause) {
    const RootCause& rc = *d.root_cause;
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.2f", rc.confidence);
    md += "- Suspected: " + rc.title + "\n";
    md += "- Category: " + rc.category + (rc.signature.empty() ? "" : ", signature `" + rc.signature + "`") + "\n";
    if (rc.cluster_id) md += "- Failure cluster: #" + std::to_string(*rc.cluster_id) + "\n";
    md += "- Confidence: " + std::string(conf) + "\n";
    if (!rc.hint.empty()) md += "- Hint: " + rc.hint + "\n";
  } else {
    md += "_No triaged failure is linked to this incident yet._\n";
  }
  md += "\n## Suspect commits\n\n";
  if (d.suspects) {
    const SuspectCommits& s = *d.suspects;
    md += "- Scope: " + s.scope + "\n";
    md += "- Last passing: " + (s.last_good_run_id ? Short(s.last_good_commit) + " (run " + std::to_string(*s.last_good_run_id) + ")"
                                                   : std::string("none recorded")) + "\n";
    md += "- First failing: " + Short(s.first_bad_commit) +
          (s.first_bad_run_id ? " (run " + std::to_string(*s.first_bad_run_id) + ")" : "") + "\n";
    if (s.last_good_run_id && !s.last_good_commit.empty() && !s.first_bad_commit.empty()) {
      if (s.last_good_commit == s.first_bad_commit)
        md += "- Same commit passed and failed: the cause is outside the code (environment, infrastructure or a flaky test).\n";
      else
        md += "- Range to inspect: `git log " + Short(s.last_good_commit) + ".." + Short(s.first_bad_commit) + "`\n";
    }
  } else {
    md += "_No failing run is linked yet._\n";
  }
  md += "\n## Remediation\n\n";
  if (d.root_cause && !d.root_cause->remediation.empty()) {
    for (const std::string& r : d.root_cause->remediation) md += "- " + r + "\n";
  } else if (d.root_cause && !d.root_cause->hint.empty()) {
    md += "- " + d.root_cause->hint + "\n";
  } else {
    md += "_None recorded._\n";
  }
  md += "\n## Follow-ups\n\n";
  md += "- [ ] Confirm the root cause against the suspect commit range and the evidence of run " +
        (d.suspects && d.suspects->first_bad_run_id ? std::to_string(*d.suspects->first_bad_run_id) : std::string("-")) + "\n";
  md += "- [ ] Add a regression test or a guard so this failure is caught earlier\n";
  if (d.summary.rule == "infrastructure")
    md += "- [ ] Review the infrastructure dependency (retries, caching, capacity) that failed\n";
  if (d.summary.rule == "flaky_test") md += "- [ ] Fix or quarantine the flaky test\n";
  if (i.status != IncidentStatus::kResolved) md += "- [ ] Resolve the incident once the fix is verified\n";
  return md;
}

Result<SilenceRecord> CreateSilence(RepoStore& repos, IncidentStore& incidents, const Clock& clock,
                                    const CreateSilenceRequest& request) {
  NewSilence s;
  if (request.repo) {
    auto id = ResolveRepo(repos, *request.repo, "repo");
    if (!id) return Fail(id.error());
    s.repo_id = *id;
  }
  if (request.cluster_id) {
    if (*request.cluster_id <= 0)
      return Fail(ErrorCode::kInvalidArgument, "cluster_id must be a positive id", "cluster_id");
    s.cluster_id = request.cluster_id;
  }
  if (!s.repo_id && !s.cluster_id)
    return Fail(ErrorCode::kInvalidArgument, "a silence needs repo (id or name) or cluster_id", "repo");
  if (request.reason.empty() || request.reason.size() > 2000)
    return Fail(ErrorCode::kInvalidArgument, "reason is required (at most 2000 characters)", "reason");
  s.reason = request.reason;
  const EpochMs now = clock.Now();
  s.starts_at = now;
  if (request.starts_at) {
    auto t = ParseRfc3339(*request.starts_at);
    if (!t) return Fail(ErrorCode::kInvalidArgument, "starts_at '" + *request.starts_at + "' is not an RFC 3339 time", "starts_at");
    s.starts_at = *t;
  }
  if (request.ends_at && request.duration)
    return Fail(ErrorCode::kInvalidArgument, "give either ends_at or duration, not both", "duration");
  if (request.ends_at) {
    auto t = ParseRfc3339(*request.ends_at);
    if (!t) return Fail(ErrorCode::kInvalidArgument, "ends_at '" + *request.ends_at + "' is not an RFC 3339 time", "ends_at");
    s.ends_at = *t;
  } else {
    EpochMs d = 3600'000;
    if (request.duration) {
      auto ms = ParseDurationMs(*request.duration);
      if (!ms || *ms <= 0)
        return Fail(ErrorCode::kInvalidArgument, "duration '" + *request.duration + "' is not a duration (e.g. 30m, 2h)",
                    "duration");
      d = *ms;
    }
    if (d > 90LL * 24 * 3600'000)
      return Fail(ErrorCode::kInvalidArgument, "a silence is time-boxed: at most 90 days", "duration");
    s.ends_at = s.starts_at + d;
  }
  if (s.ends_at <= s.starts_at) return Fail(ErrorCode::kInvalidArgument, "ends_at must be after starts_at", "ends_at");
  if (s.ends_at <= now) return Fail(ErrorCode::kInvalidArgument, "the silence would already be over", "ends_at");
  return incidents.CreateSilence(s, now);
}

Result<Overview> GetOverview(OverviewStore& store, const Clock& clock, int days) {
  if (days < 1 || days > 365) return Fail(ErrorCode::kInvalidArgument, "days must be between 1 and 365", "days");
  Overview o;
  const EpochMs now = clock.Now();
  o.days = days;
  // Whole UTC days: the trend's first bucket is complete.
  o.since = (now / 86400000 - (days - 1)) * 86400000;
  auto f = store.Figures(o.since, now - 120'000);
  if (!f) return Fail(f.error());
  o.figures = std::move(*f);
  for (const auto& [severity, n] : o.figures.open_incidents_by_severity) o.open_incidents += n;
  if (o.figures.finished_in_window > 0)
    o.success_rate = static_cast<double>(o.figures.succeeded_in_window) / o.figures.finished_in_window;
  if (o.figures.failures_in_window > 0)
    o.explained_share = static_cast<double>(o.figures.failures_explained) / o.figures.failures_in_window;
  return o;
}

}  // namespace sentinel::app
