#include "app/health.h"

namespace sentinel::app {

HealthReport CheckHealth(const HealthProbes& probes) {
  HealthReport report;
  report.version = probes.version;
  if (probes.db == nullptr) {
    report.database_error = "no database configured";
  } else if (Status st = probes.db->Ping(); st) {
    report.database_ok = true;
  } else {
    report.database_error = st.error().message;
  }
  if (!probes.queue) {
    report.queue_ok = true;
  } else if (Status st = probes.queue(); st) {
    report.queue_ok = true;
  } else {
    report.queue_error = st.error().message;
  }
  report.workers = probes.workers ? probes.workers() : 0;
  if (report.database_ok && probes.stale_writes) report.stale_writes = probes.stale_writes();
  return report;
}

HealthMonitor::HealthMonitor(HealthProbes probes, HealthMonitorOptions options, LogFn log)
    : probes_(std::move(probes)), options_(options), log_(std::move(log)) {
  Publish();
  db_thread_ = std::jthread([this](std::stop_token stop) { Loop(stop, true); });
  queue_thread_ = std::jthread([this](std::stop_token stop) { Loop(stop, false); });
  // The first answer should be a real one: wait (bounded) for both first probes.
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, options_.stale_after, [this] { return db_.answered && queue_.answered; });
}

HealthMonitor::~HealthMonitor() {
  db_thread_.request_stop();
  queue_thread_.request_stop();
  cv_.notify_all();
}

void HealthMonitor::Loop(std::stop_token stop, bool database) {
  while (!stop.stop_requested()) {
    {
      std::lock_guard lock(mu_);
      (database ? db_ : queue_).in_flight_since = std::chrono::steady_clock::now();
    }
    Probe result;
    Status st = Ok();
    if (database) {
      st = probes_.db == nullptr ? Status(Fail(ErrorCode::kFailedPrecondition, "no database configured"))
                                 : probes_.db->Ping();
      if (st && probes_.stale_writes) result.count = probes_.stale_writes();
    } else {
      if (probes_.queue) st = probes_.queue();
      if (probes_.workers) result.count = probes_.workers();
    }
    result.ok = static_cast<bool>(st);
    result.answered = true;
    if (!st) result.error = st.error().message;
    {
      std::unique_lock lock(mu_);
      Probe& slot = database ? db_ : queue_;
      const bool was_ok = slot.ok, first = !slot.answered;
      slot = std::move(result);
      Publish();
      if (log_ && slot.ok != was_ok && !(first && slot.ok)) {
        const std::string what = database ? "database" : "queue";
        log_(slot.ok ? what + " is reachable again" : what + " is down: " + slot.error);
      }
      cv_.notify_all();
      cv_.wait_for(lock, stop, options_.interval, [] { return false; });
    }
  }
}

void HealthMonitor::Publish() {
  auto report = std::make_shared<HealthReport>();
  report->version = probes_.version;
  report->database_ok = db_.ok;
  report->database_error = db_.answered ? db_.error : "not probed yet";
  report->stale_writes = db_.count;
  report->queue_ok = queue_.ok;
  report->queue_error = queue_.answered ? queue_.error : "not probed yet";
  report->workers = static_cast<int>(queue_.count);
  snapshot_ = std::move(report);
}

std::shared_ptr<const HealthReport> HealthMonitor::Current() const {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  auto hung = [&](const Probe& p) { return p.in_flight_since && now - *p.in_flight_since > options_.stale_after; };
  const bool db_hung = hung(db_), queue_hung = hung(queue_);
  if (!db_hung && !queue_hung) return snapshot_;
  auto report = std::make_shared<HealthReport>(*snapshot_);
  const std::string late = "no answer within " + std::to_string(options_.stale_after.count()) + " ms";
  if (db_hung) report->database_ok = false, report->database_error = late;
  if (queue_hung) report->queue_ok = false, report->queue_error = late;
  return report;
}

}  // namespace sentinel::app
