#include "core/flaky/flaky.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <re2/re2.h>

#include "core/config/settings.h"
#include "core/triage/fingerprint.h"
#include "core/triage/normalize.h"

namespace sentinel::flaky {
namespace {

// Built once, immutable afterwards (RE2 is thread-safe for matching).
struct IdPatterns {
  RE2 retry_bracketed{R"((?i)\s*[\(\[]\s*(?:retry|rerun|re-run|attempt)\s*#?\s*\d+(?:\s*(?:of|/)\s*\d+)?\s*[\)\]]\s*$)"};
  RE2 retry_bare{R"((?i)\s+(?:-\s*)?(?:retry|rerun|re-run|attempt)\s*#?\s*\d+\s*$)"};
  RE2 repetition{R"((?i)\s*[\(\[]?\s*repetition\s+\d+\s+of\s+\d+\s*[\)\]]?)"};
  RE2 address{R"(0x[0-9a-fA-F]{4,})"};
  RE2 uuid{R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"};
};

const IdPatterns& Patterns() {
  static const IdPatterns p;
  return p;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string NormalizePart(std::string_view part, bool is_name) {
  std::string s(part);
  const IdPatterns& p = Patterns();
  if (is_name) {
    // Retry suffixes may stack ("x (retry 1) [attempt 2]"): strip until none is left.
    while (RE2::Replace(&s, p.retry_bracketed, "") || RE2::Replace(&s, p.retry_bare, "")) {
    }
    RE2::GlobalReplace(&s, p.repetition, "");
    if (CollapseSpaces(s).empty()) s = "repetition";  // JUnit 5 names a @RepeatedTest's runs only so
  }
  RE2::GlobalReplace(&s, p.address, "0x?");
  RE2::GlobalReplace(&s, p.uuid, "<uuid>");
  return CollapseSpaces(s);
}

double LogBetaFn(double a, double b) {
  int sign = 0;
  return ::lgamma_r(a, &sign) + ::lgamma_r(b, &sign) - ::lgamma_r(a + b, &sign);
}

// Continued fraction of the incomplete beta (modified Lentz), as in Numerical Recipes 6.4.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 500;
  constexpr double kEps = 1e-15, kTiny = 1e-300;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

std::string Plural(int n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string Short(const std::string& commit) { return commit.empty() ? "?" : commit.substr(0, 10); }

std::string Percent(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", r * 100);
  return buf;
}

}  // namespace

std::string_view Name(Classification c) {
  switch (c) {
    case Classification::kFlaky:
      return "flaky";
    case Classification::kFailing:
      return "failing";
    case Classification::kStable:
      return "stable";
    case Classification::kInsufficient:
      return "insufficient";
  }
  return "insufficient";
}

std::optional<Classification> ParseClassification(std::string_view s) {
  for (Classification c :
       {Classification::kFlaky, Classification::kFailing, Classification::kStable, Classification::kInsufficient})
    if (Name(c) == s) return c;
  return std::nullopt;
}

FlakyConfig ConfigFromSettings(const Settings& s) {
  FlakyConfig c;
  c.window = s.flaky_window_runs;
  c.min_runs = s.flaky_min_runs;
  c.min_ratio = s.flaky_min_ratio;
  c.failing_ratio = s.failing_ratio;
  c.min_flips = s.flaky_min_flips;
  c.min_failures = s.flaky_min_failures;
  c.failing_streak = s.flaky_failing_streak;
  c.mass_failure_ratio = s.flaky_mass_failure_ratio;
  c.mass_failure_min_tests = s.flaky_mass_failure_min_tests;
  c.auto_quarantine_score = s.flaky_auto_quarantine;
  c.release_after = s.flaky_release_after;
  return c;
}

bool IsInfrastructureCategory(FailureCategory c) {
  switch (c) {
    case FailureCategory::kNetworkDns:
    case FailureCategory::kNetworkError:
    case FailureCategory::kDiskFull:
    case FailureCategory::kOutOfMemory:
    case FailureCategory::kInfrastructure:
    case FailureCategory::kTimeout:
      return true;
    default:
      return false;
  }
}

std::string NormalizeTestId(std::string_view suite, std::string_view class_name, std::string_view name) {
  std::string out;
  for (const std::string& part :
       {NormalizePart(suite, false), NormalizePart(class_name, false), NormalizePart(name, true)}) {
    if (part.empty()) continue;
    if (!out.empty()) out += "::";
    out += part;
  }
  return out;
}

std::string NormalizeTestId(const TestCaseResult& t) { return NormalizeTestId(t.suite, t.class_name, t.name); }

std::string TestFailureSignature(const TestCaseResult& t) {
  const bool failed = t.outcome == TestOutcome::kFailed || t.outcome == TestOutcome::kError;
  std::string_view m = t.message;
  // The first non-blank line carries the assertion; later lines are stack frames.
  while (!m.empty()) {
    const std::size_t nl = m.find('\n');
    std::string_view line = m.substr(0, nl);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      return triage::FingerprintHex(triage::NormalizeLine(line));
    }
    if (nl == std::string_view::npos) break;
    m.remove_prefix(nl + 1);
  }
  return failed || t.attempts > 1 ? "no-message" : "";
}

void FoldAttempt(RunResult& r, bool failed, int attempts, const std::string& signature, FailureCategory category) {
  const bool had_failure = r.failed || r.passed_on_retry;
  if (failed) {
    if (!had_failure) {
      r.signature = signature;
      r.category = category;
    }
    r.failed = true;
  } else if (r.failed) {
    r.failed = false;
    r.passed_on_retry = true;
  }
  r.attempts += std::max(1, attempts);
}

bool IsMassFailure(int failed, int total, const FlakyConfig& config) {
  return total >= config.mass_failure_min_tests && failed > config.mass_failure_ratio * total;
}

WindowStats ComputeStats(const std::vector<RunResult>& all, const FlakyConfig& config) {
  WindowStats st;
  st.window = config.window;
  const std::size_t start = all.size() > static_cast<std::size_t>(config.window) ? all.size() - config.window : 0;
  std::vector<const RunResult*> counted;
  std::map<std::string, std::pair<bool, bool>> by_commit;  // commit -> (passed, failed)
  std::vector<std::string> commit_order;
  std::set<std::string> seen_commits;
  for (std::size_t i = start; i < all.size(); ++i) {
    const RunResult& r = all[i];
    if (seen_commits.insert(r.commit).second) st.commits.push_back(r.commit);
    if (r.Excluded()) {
      ++st.infrastructure_failures;
      st.infrastructure_runs.push_back(r.run);
      continue;
    }
    if (!counted.empty() && counted.back()->failed != r.failed) ++st.flips;
    counted.push_back(&r);
    ++st.runs;
    auto& [passed, failed] = by_commit[r.commit];
    if (!passed && !failed) commit_order.push_back(r.commit);
    if (r.failed) {
      ++st.failures;
      failed = true;
      st.failing_runs.push_back(r.run);
      st.last_failing_run = r.run;
    } else {
      ++st.passes;
      passed = true;
      if (r.passed_on_retry) {
        ++st.retry_passes;
        st.retry_pass_runs.push_back(r.run);
        st.last_failing_run = r.run;
      }
    }
  }
  for (const std::string& c : commit_order) {
    const auto& [passed, failed] = by_commit[c];
    if (passed && failed) st.both_outcome_commits.push_back(c);
  }
  st.failure_ratio = st.runs == 0 ? 0 : static_cast<double>(st.failures) / st.runs;

  std::size_t k = counted.size();
  while (k > 0 && counted[k - 1]->failed) --k;
  Streak& s = st.streak;
  s.length = static_cast<int>(counted.size() - k);
  if (s.length > 0) {
    s.first_failing_run = counted[k]->run;
    s.first_failing_commit = counted[k]->commit;
    if (k > 0) {
      s.last_passing_run = counted[k - 1]->run;
      s.last_passing_commit = counted[k - 1]->commit;
      s.regression = true;
      for (std::size_t i = k; i < counted.size() && s.regression; ++i)
        if (by_commit[counted[i]->commit].first) s.regression = false;
    }
  }
  return st;
}

Posterior JeffreysPosterior(int events, int trials) {
  const double a = events + 0.5, b = trials - events + 0.5;
  return {a / (a + b), InverseIncompleteBeta(a, b, 0.025), InverseIncompleteBeta(a, b, 0.975)};
}

double IncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(a * std::log(x) + b * std::log1p(-x) - LogBetaFn(a, b));
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

double InverseIncompleteBeta(double a, double b, double p) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    if (IncompleteBeta(a, b, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

Verdict Classify(const WindowStats& st, const FlakyConfig& config) {
  Verdict v;
  v.stats = st;
  const int events = st.failures + st.retry_passes;
  const Posterior post = JeffreysPosterior(events, st.runs);
  v.score = post.mean;
  v.interval_low = post.low;
  v.interval_high = post.high;
  const Streak& s = st.streak;
  auto since = [&] {
    std::string m = " since commit " + Short(s.first_failing_commit) + " (run " + s.first_failing_run + ")";
    if (!s.last_passing_commit.empty())
      m += "; last passed on commit " + Short(s.last_passing_commit) + " (run " + s.last_passing_run + ")";
    return m;
  };
  if (s.length >= config.failing_streak) {
    v.classification = Classification::kFailing;
    v.reason = "failed the last " + Plural(s.length, "run") + " in a row" + since();
    return v;
  }
  if (st.runs < config.min_runs) {
    v.classification = Classification::kInsufficient;
    v.reason = Plural(st.runs, "counted run") + ", fewer than flaky.min_runs = " + std::to_string(config.min_runs);
    return v;
  }
  if (st.failure_ratio >= config.failing_ratio) {
    v.classification = Classification::kFailing;
    v.reason = "failed " + Percent(st.failure_ratio) + " of " + Plural(st.runs, "run") +
               ", at or above flaky.failing_ratio";
    return v;
  }
  if (s.regression) {
    v.classification = Classification::kFailing;
    v.reason = "regression: failed on every run" + since();
    return v;
  }
  std::vector<std::string> why;
  if (!st.both_outcome_commits.empty())
    why.push_back("passed and failed on the same commit " + Short(st.both_outcome_commits.front()) +
                  (st.both_outcome_commits.size() > 1
                       ? " (and " + std::to_string(st.both_outcome_commits.size() - 1) + " more)"
                       : ""));
  if (st.retry_passes > 0) why.push_back("passed on retry in " + Plural(st.retry_passes, "run"));
  if (st.flips >= config.min_flips && st.failure_ratio > config.min_ratio && st.failure_ratio < config.failing_ratio)
    why.push_back(Plural(st.flips, "flip") + " with a failure ratio of " + Percent(st.failure_ratio));
  if (events >= config.min_failures && !why.empty()) {
    v.classification = Classification::kFlaky;
    v.reason = why.front();
    for (std::size_t i = 1; i < why.size(); ++i) v.reason += "; " + why[i];
    return v;
  }
  v.classification = Classification::kStable;
  if (events == 0) v.reason = "passed all " + Plural(st.runs, "counted run");
  else if (!why.empty())
    v.reason = Plural(events, "failure") + ", fewer than flaky.min_failures = " + std::to_string(config.min_failures);
  else v.reason = Plural(events, "failure") + " without evidence of flakiness";
  return v;
}

TestVerdict ClassifyTest(const std::vector<RunResult>& all, const FlakyConfig& config) {
  TestVerdict out;
  const std::size_t start = all.size() > static_cast<std::size_t>(config.window) ? all.size() - config.window : 0;
  const std::vector<RunResult> window(all.begin() + static_cast<std::ptrdiff_t>(start), all.end());
  out.test = Classify(ComputeStats(window, config), config);
  std::map<std::string, int> counts;
  for (const RunResult& r : window)
    if ((r.failed || r.passed_on_retry) && !r.Excluded()) ++counts[r.signature];
  std::vector<std::pair<std::string, int>> sigs(counts.begin(), counts.end());
  std::stable_sort(sigs.begin(), sigs.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [sig, n] : sigs) {
    std::vector<RunResult> filtered;
    filtered.reserve(window.size());
    for (const RunResult& r : window) {
      if (r.Excluded()) continue;
      if (!r.failed && !r.passed_on_retry) {
        filtered.push_back(r);
      } else if (r.signature == sig) {
        filtered.push_back(r);
      } else if (!r.failed) {
        RunResult clean = r;  // passed in the end; its retried failure was another signature's
        clean.passed_on_retry = false;
        filtered.push_back(std::move(clean));
      }
    }
    Verdict v = Classify(ComputeStats(filtered, config), config);
    // A signature seen once, on the newest run, is a new failure: deterministic until it recurs.
    if (n == 1 && v.classification != Classification::kFailing && !filtered.empty() && filtered.back().failed &&
        filtered.back().signature == sig) {
      v.classification = Classification::kFailing;
      v.reason = "new failure signature, first seen in run " + filtered.back().run;
    }
    out.signatures.push_back({sig, std::move(v)});
  }
  return out;
}

const Verdict* TestVerdict::ForSignature(std::string_view signature) const {
  for (const SignatureVerdict& s : signatures)
    if (s.signature == signature) return &s.verdict;
  return nullptr;
}

bool TestVerdict::IsFlakyFor(std::string_view signature) const {
  const Verdict* v = ForSignature(signature);
  return v != nullptr && v->classification == Classification::kFlaky;
}

void TestWindow::Add(RunResult r) {
  if (!runs_.empty() && runs_.back().run == r.run) {
    FoldAttempt(runs_.back(), r.failed, r.attempts, r.signature, r.category);
    if (r.passed_on_retry) runs_.back().passed_on_retry = !runs_.back().failed;
    runs_.back().mass_failure = runs_.back().mass_failure || r.mass_failure;
    return;
  }
  runs_.push_back(std::move(r));
  while (runs_.size() > static_cast<std::size_t>(window_)) runs_.pop_front();
}

}  // namespace sentinel::flaky
