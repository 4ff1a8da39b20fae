#include "cli/worker_health.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "adapters/sqlstore/sql_execution_store.h"
#include "cli/db_factory.h"
#include "ports/clock.h"

namespace sentinel::cli {

std::string WorkerHostname() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "worker");
  std::string h = host;
  // '-' separates the id's parts (hostname-pid-n).
  for (char& c : h) {
    if (c == '-' || c == '.') c = '_';
  }
  return h;
}

EpochMs LiveWorkerWindowMs(int heartbeat_seconds) { return 3LL * heartbeat_seconds * 1000 + 5000; }

Result<WorkerRecord> FreshestWorkerOf(WorkerRegistry& registry, std::string_view hostname, EpochMs now,
                                      EpochMs window_ms) {
  auto live = registry.List(now - window_ms);
  if (!live) return Fail(live.error());
  std::optional<WorkerRecord> best;
  for (WorkerRecord& w : *live) {
    if (w.hostname == hostname && (!best || w.heartbeat_at > best->heartbeat_at)) best = std::move(w);
  }
  if (!best) {
    return Fail(ErrorCode::kNotFound, "no worker of host '" + std::string(hostname) + "' heartbeated in the last " +
                                          std::to_string(window_ms / 1000) + " s");
  }
  return *best;
}

int WorkerHealthcheck(const Settings& settings) {
  auto db = OpenDatabase(settings.database_url);
  if (!db) {
    std::cerr << "unhealthy: " << db.error().message << "\n";
    return 1;
  }
  sqlstore::SqlWorkerRegistry registry(**db);
  const EpochMs now = SystemClock().Now();
  auto w = FreshestWorkerOf(registry, WorkerHostname(), now, LiveWorkerWindowMs(settings.heartbeat_seconds));
  if (!w) {
    std::cerr << "unhealthy: " << w.error().message << " (database " << RedactUrl(settings.database_url) << ")\n";
    return 1;
  }
  std::cout << "healthy: worker " << w->id << " (" << w->status << ") heartbeated " << (now - w->heartbeat_at) / 1000
            << " s ago\n";
  return 0;
}

}  // namespace sentinel::cli
