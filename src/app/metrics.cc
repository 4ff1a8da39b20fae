#include "app/metrics.h"

#include "core/model/vocab.h"

namespace sentinel::app {
namespace {

using metrics::Family;
using metrics::Type;

Family Gauge(std::string name, std::string help) { return Family{std::move(name), std::move(help), Type::kGauge, {}, {}}; }
Family Counter(std::string name, std::string help) {
  return Family{std::move(name), std::move(help), Type::kCounter, {}, {}};
}

void AddByLabel(Family& f, const std::string& label, const std::map<std::string, std::int64_t>& values) {
  for (const auto& [k, v] : values) f.samples.push_back({{{label, k}}, static_cast<double>(v)});
}

std::map<std::string, std::int64_t> WithZeros(std::map<std::string, std::int64_t> values,
                                              const std::vector<std::string>& names) {
  for (const std::string& n : names) values.emplace(n, 0);
  return values;
}

std::vector<std::string> RunStatusNames() {
  std::vector<std::string> out;
  for (int i = 0; i <= static_cast<int>(RunStatus::kCancelled); ++i)
    out.emplace_back(Name(static_cast<RunStatus>(i)));
  return out;
}

}  // namespace

StoreMetrics::StoreMetrics(MetricsStore& store, const Clock& clock, StoreMetricsOptions options)
    : store_(store), clock_(clock), options_(options) {}

void StoreMetrics::Fold(EpochMs now) {
  for (int b = 0; b < options_.max_batches; ++b) {
    auto events = store_.RunEventsAfter(event_watermark_, options_.batch);
    if (!events) return;
    bool settled_all = true;
    for (const RunEventFact& e : *events) {
      if (e.at > now - options_.settle_ms) {
        settled_all = false;
        break;
      }
      event_watermark_ = e.id;
      if (e.kind == "queued") {
        ++submitted_;
      } else if (e.kind == "finished") {
        ++finished_by_status_[e.run_status];
        if (e.run_duration_ms) {
          auto [it, _] = run_durations_.try_emplace(e.run_status, metrics::RunDurationBuckets());
          it->second.Observe(static_cast<double>(*e.run_duration_ms) / 1000.0);
        }
        for (const auto& [status, ms] : e.step_durations) {
          auto [it, _] = step_durations_.try_emplace(status, metrics::StepDurationBuckets());
          it->second.Observe(static_cast<double>(ms) / 1000.0);
        }
      } else if (e.kind == "step_retried") {
        ++step_retries_;
      } else if (e.kind == "retried") {
        ++run_retries_;
      } else if (e.kind == "worker_lost") {
        // The reconciler's event for an expired lease: requeued, or errored once retries are exhausted.
        if (e.message.find("requeued") != std::string::npos) ++requeues_by_reason_["lease_expired"];
      } else if (e.kind == "released") {
        ++requeues_by_reason_["released"];
      }
    }
    if (!settled_all || static_cast<int>(events->size()) < options_.batch) break;
  }
  for (int b = 0; b < options_.max_batches; ++b) {
    auto failures = store_.FailuresAfter(failure_watermark_, options_.batch);
    if (!failures) return;
    for (const FailureFact& f : *failures) {
      failure_watermark_ = f.id;
      ++failures_by_category_[f.category];
    }
    if (static_cast<int>(failures->size()) < options_.batch) break;
  }
}

std::vector<metrics::Family> StoreMetrics::Collect() {
  const EpochMs now = clock_.Now();
  auto gauges = store_.Gauges(now - options_.live_worker_ms);
  std::lock_guard lock(mu_);
  Fold(now);

  std::vector<Family> out;
  Family up = Gauge("sentinel_store_up", "1 when the store answered this scrape's queries, else 0.");
  up.samples.push_back({{}, gauges ? 1.0 : 0.0});
  out.push_back(std::move(up));

  Family runs = Gauge("sentinel_runs", "Runs in the store by status.");
  Family depth = Gauge("sentinel_queue_depth", "Runs queued and waiting for a worker.");
  Family live = Gauge("sentinel_workers_live", "Workers that heartbeated recently.");
  Family busy = Gauge("sentinel_workers_busy", "Live workers running a run.");
  Family incidents = Gauge("sentinel_open_incidents", "Incidents open or mitigating, by severity.");
  Family flaky = Gauge("sentinel_flaky_tests", "Tests currently classified flaky.");
  Family stale = Counter("sentinel_stale_writes_rejected_total",
                         "Worker writes rejected by the fencing token (a worker that lost its lease came back).");
  if (gauges) {
    AddByLabel(runs, "status", WithZeros(gauges->runs_by_status, RunStatusNames()));
    auto q = gauges->runs_by_status.find("queued");
    depth.samples.push_back({{}, static_cast<double>(q == gauges->runs_by_status.end() ? 0 : q->second)});
    std::int64_t total = 0;
    for (const auto& [state, n] : gauges->workers_by_state) total += n;
    auto b = gauges->workers_by_state.find("busy");
    live.samples.push_back({{}, static_cast<double>(total)});
    busy.samples.push_back({{}, static_cast<double>(b == gauges->workers_by_state.end() ? 0 : b->second)});
    AddByLabel(incidents, "severity", WithZeros(gauges->open_incidents_by_severity, {"minor", "major", "critical"}));
    flaky.samples.push_back({{}, static_cast<double>(gauges->flaky_tests)});
    stale.samples.push_back({{}, static_cast<double>(gauges->stale_writes)});
  }
  for (Family* f : {&runs, &depth, &live, &busy}) out.push_back(std::move(*f));

  Family submitted = Counter("sentinel_runs_submitted_total", "Runs queued (new runs and re-runs).");
  submitted.samples.push_back({{}, static_cast<double>(submitted_)});
  Family finished = Counter("sentinel_runs_finished_total", "Runs a worker finished, by final status.");
  AddByLabel(finished, "status", finished_by_status_);
  Family run_hist{"sentinel_run_duration_seconds", "Run duration from claim to finish, by final status.",
                  Type::kHistogram, {}, {}};
  for (const auto& [status, h] : run_durations_) run_hist.histograms.push_back({{{"status", status}}, h});
  Family step_hist{"sentinel_step_duration_seconds", "Step duration (all attempts), by step status.",
                   Type::kHistogram, {}, {}};
  for (const auto& [status, h] : step_durations_) step_hist.histograms.push_back({{{"status", status}}, h});
  Family step_retries = Counter("sentinel_step_retries_total",
                                "Step re-runs after an infrastructure-class failure (the step's retries).");
  step_retries.samples.push_back({{}, static_cast<double>(step_retries_)});
  Family run_retries = Counter("sentinel_run_retries_total", "Finished runs re-run on request (POST /runs/{id}/retry).");
  run_retries.samples.push_back({{}, static_cast<double>(run_retries_)});
  Family requeues = Counter("sentinel_run_requeues_total",
                            "Running runs put back in the queue: lease_expired (worker lost) or released (shutdown).");
  AddByLabel(requeues, "reason", WithZeros(requeues_by_reason_, {"lease_expired", "released"}));
  Family failures = Counter("sentinel_failures_total", "Triaged failures recorded, by category.");
  AddByLabel(failures, "category", failures_by_category_);
  for (Family* f : {&submitted, &finished, &run_hist, &step_hist, &step_retries, &run_retries, &requeues, &stale,
                    &failures, &incidents, &flaky})
    out.push_back(std::move(*f));
  return out;
}

}  // namespace sentinel::app
