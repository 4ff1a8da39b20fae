#include "http/flaky_json.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/time.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

// Four decimals: scores and ratios are estimates, not exact values.
double Round4(double x) { return std::round(x * 10000) / 10000; }

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// The latest results, oldest first: what the dashboard draws as outcome squares.
json OutcomesJson(const std::vector<TestRunOutcome>& results) {
  json out = json::array();
  for (const TestRunOutcome& o : results)
    out.push_back({{"run_id", o.run_id}, {"commit", OrNull(o.commit)}, {"outcome", Name(o.outcome)},
                   {"attempts", o.attempts}});
  return out;
}

}  // namespace

json VerdictFields(const flaky::Verdict& v) {
  const flaky::WindowStats& s = v.stats;
  return {{"classification", flaky::Name(v.classification)},
          {"score", Round4(v.score)},
          {"interval", json::array({Round4(v.interval_low), Round4(v.interval_high)})},
          {"window", s.window},
          {"runs", s.runs},
          {"failures", s.failures},
          {"failure_ratio", Round4(s.failure_ratio)},
          {"flips", s.flips}};
}

json EvidenceJson(const flaky::Verdict& v) {
  const flaky::WindowStats& s = v.stats;
  return {{"reason", v.reason},
          {"passes", s.passes},
          {"retry_passes", s.retry_passes},
          {"both_outcomes_commits", s.both_outcome_commits},
          {"pass_on_retry_runs", s.retry_pass_runs},
          {"failing_runs", s.failing_runs},
          {"commits", s.commits},
          {"streak",
           {{"length", s.streak.length},
            {"first_failing_run", OrNull(s.streak.first_failing_run)},
            {"first_failing_commit", OrNull(s.streak.first_failing_commit)},
            {"last_passing_run", OrNull(s.streak.last_passing_run)},
            {"last_passing_commit", OrNull(s.streak.last_passing_commit)},
            {"regression", s.streak.regression}}},
          {"infrastructure_failures", s.infrastructure_failures},
          {"infrastructure_runs", s.infrastructure_runs},
          {"last_failing_run", s.last_failing_run ? json(*s.last_failing_run) : json(nullptr)}};
}

json TestVerdictJson(const flaky::TestVerdict& v) {
  json out = VerdictFields(v.test);
  json evidence = EvidenceJson(v.test);
  json sigs = json::array();
  for (const flaky::SignatureVerdict& s : v.signatures) {
    json one = VerdictFields(s.verdict);
    one["signature"] = s.signature;
    one["reason"] = s.verdict.reason;
    sigs.push_back(std::move(one));
  }
  evidence["signatures"] = std::move(sigs);
  out["evidence"] = std::move(evidence);
  return out;
}

json ToJson(const StoredVerdict& v) {
  json out = {{"id", v.id}, {"repo_id", v.repo_id}, {"repo", v.repo_name}, {"test_id", v.test_id}};
  out.update(VerdictFields(v.verdict));
  out["reason"] = v.verdict.reason;
  out["last_failing_run"] = v.last_failing_run_id ? json(*v.last_failing_run_id) : json(nullptr);
  out["last_run"] = v.last_run_id ? json(*v.last_run_id) : json(nullptr);
  out["updated_at"] = FormatRfc3339(v.updated_at);
  out["outcomes"] = OutcomesJson(v.recent);
  return out;
}

json ToJson(const TestDetail& d) {
  json out = ToJson(d.verdict);
  json evidence = EvidenceJson(d.verdict.verdict);
  json sigs = json::array();
  for (const flaky::SignatureVerdict& s : d.verdict.signatures) {
    sigs.push_back({{"signature", s.signature},
                    {"classification", flaky::Name(s.verdict.classification)},
                    {"score", Round4(s.verdict.score)},
                    {"interval", json::array({Round4(s.verdict.interval_low), Round4(s.verdict.interval_high)})},
                    {"runs", s.verdict.stats.runs},
                    {"failures", s.verdict.stats.failures},
                    {"reason", s.verdict.reason}});
  }
  evidence["signatures"] = std::move(sigs);
  out["evidence"] = std::move(evidence);

  json commits = json::array();
  std::map<std::string, std::size_t> at;
  for (const TestRunOutcome& o : d.window) {
    auto [it, inserted] = at.try_emplace(o.commit, commits.size());
    if (inserted) commits.push_back({{"commit", o.commit}, {"passes", 0}, {"failures", 0}, {"runs", json::array()}});
    json& c = commits[it->second];
    const bool failed = o.outcome == TestOutcome::kFailed || o.outcome == TestOutcome::kError;
    c[failed ? "failures" : "passes"] = c[failed ? "failures" : "passes"].get<int>() + 1;
    std::string first_line = o.message.substr(0, o.message.find('\n'));
    if (first_line.size() > 300) first_line.resize(300);
    c["runs"].push_back({{"run_id", o.run_id},
                         {"outcome", Name(o.outcome)},
                         {"attempts", o.attempts},
                         {"signature", OrNull(o.signature)},
                         {"category", OrNull(o.category)},
                         {"flaky", o.flaky},
                         {"quarantined", o.quarantined},
                         {"mass_failure", o.mass_failure},
                         {"message", OrNull(first_line)},
                         {"finished_at", o.finished_at ? json(FormatRfc3339(*o.finished_at)) : json(nullptr)}});
  }
  out["commits"] = std::move(commits);
  const size_t recent = std::min(d.window.size(), static_cast<size_t>(kRecentOutcomes));
  out["outcomes"] = OutcomesJson({d.window.end() - static_cast<std::ptrdiff_t>(recent), d.window.end()});

  json active = json::array();
  for (const Quarantine& q : d.quarantines)
    active.push_back({{"signature", q.signature},
                      {"all_signatures", q.signature == kAllSignatures},
                      {"who", q.who},
                      {"reason", q.reason},
                      {"automatic", q.automatic},
                      {"since", FormatRfc3339(q.since)},
                      {"clean_runs", q.clean_runs}});
  json history = json::array();
  for (const QuarantineEvent& e : d.history)
    history.push_back({{"signature", e.signature},
                       {"action", e.action},
                       {"who", e.who},
                       {"reason", e.reason},
                       {"at", FormatRfc3339(e.at)},
                       {"run_id", e.run_id ? json(*e.run_id) : json(nullptr)}});
  out["quarantine"] = {{"active", !d.quarantines.empty()},
                       {"quarantines", std::move(active)},
                       {"history", std::move(history)}};
  return out;
}

}  // namespace sentinel::http
