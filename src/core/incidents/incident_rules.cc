#include "core/incidents/incident_rules.h"

#include <algorithm>
#include <cstdio>

namespace sentinel::incidents {
namespace {

std::string Percent(double ratio) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", ratio * 100);
  return buf;
}

std::string Fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string RunName(const RunFacts& r) { return "run " + std::to_string(r.run_id) + " (" + r.repo_name + ")"; }

Rule RuleOfKey(std::string_view key) {
  if (key.starts_with("repo:")) return Rule::kRepository;
  if (key.starts_with("infra:")) return Rule::kInfrastructure;
  if (key.starts_with("flaky:")) return Rule::kFlakyTest;
  return Rule::kCluster;
}

bool Failed(RunStatus s) { return s == RunStatus::kFailed || s == RunStatus::kTimedOut || s == RunStatus::kErrored; }

// The decision under construction: one change per incident (existing by id, new by key).
class Builder {
 public:
  Builder(const Context& c, const Thresholds& t, EpochMs now) : c_(c), t_(t), now_(now) {}

  IncidentChange& For(const std::string& key, std::int64_t id) {
    for (IncidentChange& ch : d_.changes)
      if (ch.key == key && ch.incident_id == id) return ch;
    d_.changes.push_back(IncidentChange{});
    d_.changes.back().key = key;
    d_.changes.back().incident_id = id;
    return d_.changes.back();
  }

  const IncidentState* Latest(const std::string& key) const {
    auto it = c_.by_key.find(key);
    return it == c_.by_key.end() ? nullptr : &it->second;
  }
  const IncidentState* Active(const std::string& key) const {
    const IncidentState* s = Latest(key);
    return s != nullptr && s->status != IncidentStatus::kResolved ? s : nullptr;
  }
  const IncidentState* RecentlyResolved(const std::string& key) const {
    const IncidentState* s = Latest(key);
    if (s == nullptr || s->status != IncidentStatus::kResolved || !s->resolved_at) return nullptr;
    return now_ - *s->resolved_at <= t_.reopen_window_ms ? s : nullptr;
  }

  const Silence* SilenceFor(std::optional<std::int64_t> repo, std::optional<std::int64_t> cluster) const {
    for (const Silence& s : c_.silences) {
      if (now_ < s.starts_at || now_ >= s.ends_at) continue;
      if ((s.repo_id && repo && *s.repo_id == *repo) || (s.cluster_id && cluster && *s.cluster_id == *cluster)) return &s;
    }
    return nullptr;
  }

  // The run is one more occurrence of an active incident: link it, note it,
  // reset the clean streak, bring a mitigating incident back to open, raise severity.
  void Occurrence(const IncidentState& st, const std::string& what, double rate) {
    IncidentChange& ch = For(st.key, st.id);
    const RunFacts& r = c_.run;
    ch.link_runs.push_back(r.run_id);
    ch.timeline.push_back({"occurrence", what, r.run_id, now_});
    if (st.clean_streak != 0) ch.clean_streak = 0;
    if (st.status == IncidentStatus::kMitigating) {
      ch.status = IncidentStatus::kOpen;
      ch.timeline.push_back({"status_changed", "mitigating -> open: it recurred in " + RunName(r), r.run_id, now_});
    }
    Raise(st, ch, rate);
    touched_.insert(st.id);
  }

  // A recurrence within the reopen window after resolution: the same incident opens again.
  void Reopen(const IncidentState& st, const std::string& what, double rate) {
    IncidentChange& ch = For(st.key, st.id);
    const RunFacts& r = c_.run;
    ch.status = IncidentStatus::kOpen;
    ch.clean_streak = 0;
    ch.link_runs.push_back(r.run_id);
    ch.timeline.push_back({"reopened",
                           "resolved -> open: recurred within the reopen window (" +
                               FormatDuration(t_.reopen_window_ms) + " after resolution): " + what,
                           r.run_id, now_});
    Raise(st, ch, rate);
    touched_.insert(st.id);
  }

  void Open(const std::string& key, IncidentDraft draft, const std::vector<RunRef>& runs, const std::string& rule_text,
            Severity severity) {
    IncidentChange& ch = For(key, 0);
    ch.status = IncidentStatus::kOpen;
    ch.severity = severity;
    ch.clean_streak = 0;
    ch.open = std::move(draft);
    ch.timeline.push_back({"opened", rule_text, c_.run.run_id, now_});
    for (const RunRef& ref : runs) {
      ch.link_runs.push_back(ref.run_id);
      if (ref.run_id != c_.run.run_id)
        ch.timeline.push_back({"occurrence", "failed in run " + std::to_string(ref.run_id), ref.run_id, ref.at});
    }
    if (std::find_if(runs.begin(), runs.end(), [&](const RunRef& x) { return x.run_id == c_.run.run_id; }) !=
        runs.end()) {
      ch.timeline.push_back({"occurrence", "failed in " + RunName(c_.run), c_.run.run_id, now_});
    }
  }

  void Silenced(const Silence& s, const std::string& key, const std::string& what) {
    d_.silenced.push_back({s.id, key, what + " (silenced: " + s.reason + ")"});
  }

  bool Touched(std::int64_t id) const { return touched_.count(id) != 0; }
  Decision Take() { return std::move(d_); }

 private:
  void Raise(const IncidentState& st, IncidentChange& ch, double rate) {
    std::set<std::int64_t> repos = st.repos;
    repos.insert(c_.run.repo_id);
    const Severity now_sev =
        SeverityFor(RuleOfKey(st.key), st.runs + 1, static_cast<int>(repos.size()), rate, t_);
    const Severity current = ch.severity.value_or(st.severity);
    if (now_sev > current) {
      ch.severity = now_sev;
      ch.timeline.push_back({"severity_changed",
                             std::string(Name(current)) + " -> " + std::string(Name(now_sev)) + ": " +
                                 std::to_string(st.runs + 1) + " runs in " + std::to_string(repos.size()) +
                                 (repos.size() == 1 ? " repository" : " repositories"),
                             c_.run.run_id, now_});
    }
  }

  const Context& c_;
  const Thresholds& t_;
  EpochMs now_;
  Decision d_;
  std::set<std::int64_t> touched_;
};

}  // namespace

std::string_view Name(Severity s) {
  switch (s) {
    case Severity::kMinor: return "minor";
    case Severity::kMajor: return "major";
    case Severity::kCritical: return "critical";
  }
  return "minor";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  if (s == "minor") return Severity::kMinor;
  if (s == "major") return Severity::kMajor;
  if (s == "critical") return Severity::kCritical;
  return std::nullopt;
}

std::string_view Name(Rule r) {
  switch (r) {
    case Rule::kCluster: return "cluster_recurrence";
    case Rule::kRepository: return "repo_failure_rate";
    case Rule::kInfrastructure: return "infrastructure";
    case Rule::kFlakyTest: return "flaky_test";
  }
  return "cluster_recurrence";
}

Thresholds ThresholdsFrom(const Settings& s) {
  Thresholds t;
  t.cluster_runs = s.incident_threshold;
  t.cluster_window_ms = s.incident_window_ms;
  t.repo_runs = s.incident_repo_runs;
  t.repo_min_runs = s.incident_repo_min_runs;
  t.repo_failure_rate = s.incident_repo_failure_rate;
  t.infra_repos = s.incident_infra_repos;
  t.infra_window_ms = s.incident_infra_window_ms;
  t.flaky_score = s.incident_flaky_score;
  t.mitigate_below = s.incident_mitigate_below;
  t.resolve_after = s.incident_resolve_after;
  t.reopen_window_ms = s.incident_reopen_window_ms;
  return t;
}

bool IsInfrastructureFailure(FailureCategory c) {
  return c == FailureCategory::kNetworkDns || c == FailureCategory::kNetworkError || c == FailureCategory::kDiskFull ||
         c == FailureCategory::kOutOfMemory || c == FailureCategory::kInfrastructure;
}

std::string FormatDuration(EpochMs ms) {
  if (ms % 3600'000 == 0) return std::to_string(ms / 3600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::set<std::int64_t> RegressionClusters(const RunFacts& run) {
  std::set<std::int64_t> out;
  for (const FailureFact& f : run.failures)
    if (!f.flaky && f.cluster_id) out.insert(*f.cluster_id);
  return out;
}

std::set<FailureCategory> InfraCategories(const RunFacts& run) {
  std::set<FailureCategory> out;
  if (!Failed(run.status)) return out;
  bool any_regression = false;
  for (const FailureFact& f : run.failures) {
    if (f.flaky) continue;
    any_regression = true;
    if (IsInfrastructureFailure(f.category)) out.insert(f.category);
  }
  // A run without triaged failures (a lost worker, a queue timeout) has only its own category.
  if (!any_regression && run.failures.empty() && IsInfrastructureFailure(run.category)) out.insert(run.category);
  return out;
}

bool CountsAsFailed(const RunFacts& run) {
  if (!Failed(run.status)) return false;
  if (run.failures.empty()) return true;
  return std::any_of(run.failures.begin(), run.failures.end(), [](const FailureFact& f) { return !f.flaky; });
}

Severity SeverityFor(Rule rule, int runs, int repos, double rate, const Thresholds& t) {
  switch (rule) {
    case Rule::kCluster:
      if (repos >= 3 && runs >= 3 * t.cluster_runs) return Severity::kCritical;
      if (repos >= 2 || runs >= 2 * t.cluster_runs) return Severity::kMajor;
      return Severity::kMinor;
    case Rule::kRepository:
      if (rate >= 0.999 && runs >= t.repo_runs) return Severity::kCritical;
      if (rate >= 0.8) return Severity::kMajor;
      return Severity::kMinor;
    case Rule::kInfrastructure:
      return repos > t.infra_repos ? Severity::kCritical : Severity::kMajor;
    case Rule::kFlakyTest:
      return rate >= 0.8 ? Severity::kMajor : Severity::kMinor;
  }
  return Severity::kMinor;
}

Decision Evaluate(const Context& c, const Thresholds& t, EpochMs now) {
  Builder b(c, t, now);
  const RunFacts& r = c.run;

  // 1. Infrastructure: across repositories; while active, it explains (inhibits) the clusters of its category.
  std::map<FailureCategory, std::int64_t> inhibitor;  // category -> infra incident id (0: opened now)
  for (const InfraFacts& inf : c.infra) {
    const std::string key = "infra:" + std::string(Name(inf.category));
    const std::string what = std::string(Name(inf.category)) + " failure in " + RunName(r);
    const double repos = static_cast<double>(inf.repos.size());
    if (const IncidentState* st = b.Active(key)) {
      b.Occurrence(*st, what, repos);
      inhibitor[inf.category] = st->id;
    } else if (const IncidentState* old = b.RecentlyResolved(key)) {
      b.Reopen(*old, what, repos);
      inhibitor[inf.category] = old->id;
    } else if (static_cast<int>(inf.repos.size()) >= t.infra_repos) {
      IncidentDraft draft{Rule::kInfrastructure,
                          "Infrastructure: " + std::string(Name(inf.category)) + " failures across " +
                              std::to_string(inf.repos.size()) + " repositories",
                          std::nullopt, std::nullopt, inf.category};
      b.Open(key, std::move(draft), inf.runs_in_window,
             "rule infrastructure: " + std::string(Name(inf.category)) + " failures in " +
                 std::to_string(inf.repos.size()) + " repositories (" + std::to_string(inf.runs_in_window.size()) +
                 " runs) within " + FormatDuration(t.infra_window_ms) + " (threshold " + std::to_string(t.infra_repos) +
                 " repositories)",
             SeverityFor(Rule::kInfrastructure, static_cast<int>(inf.runs_in_window.size()),
                         static_cast<int>(inf.repos.size()), 0, t));
      inhibitor[inf.category] = 0;
    }
  }

  // 2. Cluster recurrence.
  std::set<std::int64_t> covered_clusters;
  for (const ClusterFacts& cf : c.clusters) {
    const std::string key = "cluster:" + std::to_string(cf.cluster_id);
    if (auto inh = inhibitor.find(cf.category); inh != inhibitor.end()) {
      IncidentChange& ch = b.For("infra:" + std::string(Name(cf.category)), inh->second);
      ch.timeline.push_back({"attached",
                             "cluster #" + std::to_string(cf.cluster_id) + " (" + cf.title + ") in " + RunName(r) +
                                 " is explained by this infrastructure incident; no per-cluster incident",
                             r.run_id, now});
      covered_clusters.insert(cf.cluster_id);
      continue;
    }
    const std::string what = "cluster #" + std::to_string(cf.cluster_id) + " failed again in " + RunName(r);
    const double runs = static_cast<double>(cf.runs_in_window.size());
    if (const IncidentState* st = b.Active(key)) {
      b.Occurrence(*st, what, runs);
      covered_clusters.insert(cf.cluster_id);
    } else if (const IncidentState* old = b.RecentlyResolved(key)) {
      if (const Silence* s = b.SilenceFor(r.repo_id, cf.cluster_id)) {
        b.Silenced(*s, key, what);
      } else {
        b.Reopen(*old, what, runs);
      }
      covered_clusters.insert(cf.cluster_id);
    } else if (static_cast<int>(cf.runs_in_window.size()) >= t.cluster_runs) {
      const std::string rule_text = "rule cluster_recurrence: cluster #" + std::to_string(cf.cluster_id) + " (" +
                                    std::string(Name(cf.category)) + ") failed in " +
                                    std::to_string(cf.runs_in_window.size()) + " runs within " +
                                    FormatDuration(t.cluster_window_ms) + " (threshold " +
                                    std::to_string(t.cluster_runs) + ")";
      covered_clusters.insert(cf.cluster_id);
      if (const Silence* s = b.SilenceFor(r.repo_id, cf.cluster_id)) {
        b.Silenced(*s, key, rule_text);
        continue;
      }
      IncidentDraft draft{Rule::kCluster, "Recurring failure: " + cf.title, cf.cluster_id,
                          cf.repos_in_window <= 1 ? std::optional<std::int64_t>(r.repo_id) : std::nullopt,
                          cf.category};
      b.Open(key, std::move(draft), cf.runs_in_window, rule_text,
             SeverityFor(Rule::kCluster, static_cast<int>(cf.runs_in_window.size()), cf.repos_in_window, 0, t));
    }
  }

  // 3. Repository failure rate, for failures no cluster or infrastructure incident already owns.
  if (CountsAsFailed(r)) {
    bool covered = true;
    bool any = false;
    for (const FailureFact& f : r.failures) {
      if (f.flaky) continue;
      any = true;
      const bool owned = (f.cluster_id && covered_clusters.count(*f.cluster_id) != 0) || inhibitor.count(f.category) != 0;
      covered = covered && owned;
    }
    if (!any) covered = inhibitor.count(r.category) != 0;
    const std::string key = "repo:" + std::to_string(r.repo_id);
    const int sample = static_cast<int>(c.repo.recent_failed.size());
    const int fails = static_cast<int>(std::count(c.repo.recent_failed.begin(), c.repo.recent_failed.end(), true));
    const double rate = sample > 0 ? static_cast<double>(fails) / sample : 0;
    const std::string what = std::string(Name(r.status)) + " " + RunName(r) + "; " + std::to_string(fails) + " of the last " +
                             std::to_string(sample) + " runs failed";
    if (const IncidentState* st = b.Active(key)) {
      b.Occurrence(*st, what, rate);
    } else if (!covered) {
      const bool trips = sample >= t.repo_min_runs && rate >= t.repo_failure_rate;
      const IncidentState* old = b.RecentlyResolved(key);
      if (old != nullptr || trips) {
        if (const Silence* s = b.SilenceFor(r.repo_id, std::nullopt)) {
          b.Silenced(*s, key, what);
        } else if (old != nullptr) {
          b.Reopen(*old, what, rate);
        } else {
          IncidentDraft draft{Rule::kRepository,
                              "Repository " + r.repo_name + " failing: " + std::to_string(fails) + " of the last " +
                                  std::to_string(sample) + " runs",
                              std::nullopt, r.repo_id, r.category};
          b.Open(key, std::move(draft), {RunRef{r.run_id, now}},
                 "rule repo_failure_rate: " + std::to_string(fails) + " of the last " + std::to_string(sample) +
                     " finished runs failed (" + Percent(rate) + " >= " + Percent(t.repo_failure_rate) +
                     ", minimum sample " + std::to_string(t.repo_min_runs) + ")",
                 SeverityFor(Rule::kRepository, sample, 1, rate, t));
        }
      }
    }
  }

  // 4. Flaky tests.
  for (const FlakyVerdict& v : c.flaky) {
    const std::string key = "flaky:" + std::to_string(v.repo_id) + ":" + v.test_id;
    const bool trips = v.classification == "flaky" && v.score >= t.flaky_score;
    auto test = r.tests.find(v.test_id);
    const bool failed_here = test != r.tests.end() && !test->second;
    const std::string what = "test " + v.test_id + " failed in " + RunName(r) + " (flakiness score " + Fixed2(v.score) + ")";
    if (const IncidentState* st = b.Active(key)) {
      if (failed_here) b.Occurrence(*st, what, v.score);
    } else if (const IncidentState* old = b.RecentlyResolved(key); old != nullptr && trips && failed_here) {
      b.Reopen(*old, what, v.score);
    } else if (trips) {
      if (const Silence* s = b.SilenceFor(v.repo_id, std::nullopt)) {
        b.Silenced(*s, key, what);
        continue;
      }
      IncidentDraft draft{Rule::kFlakyTest, "Flaky test " + v.test_id + " in " + r.repo_name, std::nullopt, v.repo_id,
                          FailureCategory::kTestFailure};
      std::vector<RunRef> runs;
      if (failed_here) runs.push_back({r.run_id, now});
      b.Open(key, std::move(draft), runs,
             "rule flaky_test: " + v.test_id + " has flakiness score " + Fixed2(v.score) + " >= " +
                 Fixed2(t.flaky_score) + " (classification " + v.classification + ")",
             SeverityFor(Rule::kFlakyTest, 1, 1, v.score, t));
    }
  }

  // 5. Clean runs of what active incidents affect: mitigate, then resolve after K in a row.
  for (const IncidentState& st : c.affecting) {
    if (st.status == IncidentStatus::kResolved || b.Touched(st.id)) continue;
    const Rule rule = RuleOfKey(st.key);
    bool clean = r.status == RunStatus::kSucceeded;
    std::optional<double> score;
    if (rule == Rule::kFlakyTest) {
      const std::string test_id = st.key.substr(st.key.find(':', 6) + 1);
      auto test = r.tests.find(test_id);
      if (test == r.tests.end()) continue;  // the run did not run the test: says nothing
      clean = test->second;
      for (const FlakyVerdict& v : c.flaky)
        if (v.test_id == test_id && v.repo_id == r.repo_id) score = v.score;
    }
    if (!clean) continue;
    IncidentChange& ch = b.For(st.key, st.id);
    const int streak = st.clean_streak + 1;
    ch.clean_streak = streak;
    IncidentStatus status = st.status;
    const double rate = st.recent_total > 0 ? static_cast<double>(st.recent_linked) / st.recent_total : 0;
    const bool under = rule == Rule::kFlakyTest ? (!score || *score < t.flaky_score) : rate < t.mitigate_below;
    if (status == IncidentStatus::kOpen && (under || streak >= t.resolve_after)) {
      status = IncidentStatus::kMitigating;
      ch.status = status;
      const std::string why =
          rule == Rule::kFlakyTest
              ? (score ? "flakiness score " + Fixed2(*score) + " under " + Fixed2(t.flaky_score) : "no flaky verdict")
              : "failure rate " + std::to_string(st.recent_linked) + "/" + std::to_string(st.recent_total) + " (" +
                    Percent(rate) + ") of the recent runs" + (under ? " under " + Percent(t.mitigate_below) : "");
      ch.timeline.push_back({"status_changed", "open -> mitigating: " + why + " after clean " + RunName(r), r.run_id, now});
    }
    // Resolution needs a clean run while already mitigating: the two moves never share a run.
    const bool resolvable = (rule != Rule::kFlakyTest || under) && st.status == IncidentStatus::kMitigating;
    if (status == IncidentStatus::kMitigating && streak >= t.resolve_after && resolvable) {
      ch.status = IncidentStatus::kResolved;
      ch.timeline.push_back({"resolved",
                             "mitigating -> resolved: " + std::to_string(streak) + " consecutive clean runs (last: " +
                                 RunName(r) + ")",
                             r.run_id, now});
    }
  }
  return b.Take();
}

std::optional<IncidentChange> QuietCheck(const IncidentState& st, EpochMs last_occurrence, const Thresholds& t,
                                         EpochMs now) {
  if (st.status != IncidentStatus::kOpen) return std::nullopt;
  const Rule rule = RuleOfKey(st.key);
  if (rule == Rule::kFlakyTest) return std::nullopt;
  const EpochMs window = rule == Rule::kInfrastructure ? t.infra_window_ms : t.cluster_window_ms;
  if (now - last_occurrence <= window) return std::nullopt;
  IncidentChange ch;
  ch.key = st.key;
  ch.incident_id = st.id;
  ch.status = IncidentStatus::kMitigating;
  ch.timeline.push_back({"status_changed",
                         "open -> mitigating: no occurrence for " + FormatDuration(window) +
                             ", the failure rate in the window is 0",
                         std::nullopt, now});
  return ch;
}

Status CheckTransition(IncidentStatus from, IncidentStatus to) {
  const bool ok = (from == IncidentStatus::kOpen && to != IncidentStatus::kOpen) ||
                  (from == IncidentStatus::kMitigating && to != IncidentStatus::kMitigating) ||
                  (from == IncidentStatus::kResolved && to == IncidentStatus::kOpen);
  if (ok) return Ok();
  std::string allowed = from == IncidentStatus::kOpen         ? "mitigating or resolved"
                        : from == IncidentStatus::kMitigating ? "open or resolved"
                                                              : "open (reopen)";
  return Fail(ErrorCode::kFailedPrecondition,
              "the incident is " + std::string(Name(from)) + "; it cannot move to " + std::string(Name(to)) +
                  " (from " + std::string(Name(from)) + " it can move to " + allowed + ")",
              "status");
}

}  // namespace sentinel::incidents
