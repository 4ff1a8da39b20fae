#pragma once
// The store's figures for GET /metrics (Prometheus). Gauges are read from the
// store at every scrape (the truth, whichever API process is scraped).
// Counters and duration histograms are folded from the run events and
// failures appended since the previous scrape (by id), so they are the same
// on every API process and a scrape reads only what is new; a process that
// starts folds the history still in the store once (in batches), so after a
// restart its counters start from that history (Prometheus treats a drop as a
// counter reset). Events younger than `settle_ms` wait for the next scrape, so
// a transaction that took an id but commits a moment later is not skipped.
// Thread-safe: Collect() may be called from any number of threads.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/metrics/exposition.h"
#include "ports/clock.h"
#include "ports/metrics_store.h"

namespace sentinel::app {

struct StoreMetricsOptions {
  EpochMs live_worker_ms = 35'000;  // a worker that heartbeated this recently is live (3 heartbeats + slack)
  EpochMs settle_ms = 1'000;        // events younger than this are folded at a later scrape
  int batch = 5'000;                // rows per store read
  int max_batches = 20;             // per scrape; a long history is caught up over several scrapes
};

class StoreMetrics {
 public:
  StoreMetrics(MetricsStore& store, const Clock& clock, StoreMetricsOptions options = {});
  StoreMetrics(const StoreMetrics&) = delete;
  StoreMetrics& operator=(const StoreMetrics&) = delete;

  // Every store family (declared even when empty). When the store cannot be
  // read, sentinel_store_up is 0 and the gauges are left out; the counters
  // keep their last values.
  std::vector<metrics::Family> Collect();

 private:
  void Fold(EpochMs now);

  MetricsStore& store_;
  const Clock& clock_;
  StoreMetricsOptions options_;
  std::mutex mu_;
  // Folded state, guarded by mu_.
  std::int64_t event_watermark_ = 0;
  std::int64_t failure_watermark_ = 0;
  std::int64_t submitted_ = 0;
  std::int64_t step_retries_ = 0;
  std::int64_t run_retries_ = 0;
  std::map<std::string, std::int64_t> finished_by_status_;
  std::map<std::string, std::int64_t> requeues_by_reason_;
  std::map<std::string, std::int64_t> failures_by_category_;
  std::map<std::string, metrics::Histogram> run_durations_;   // by run status
  std::map<std::string, metrics::Histogram> step_durations_;  // by step status
};

}  // namespace sentinel::app
