// `sentinel worker [--concurrency N]`: a worker process. Leases jobs from the
// shared queue (SENTINEL_QUEUE_URL, Redis), runs them, writes to the shared
// store (SENTINEL_DATABASE_URL). SIGTERM/SIGINT: stop leasing, let the runs in
// hand finish within the grace period, else hand them back.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "adapters/sqlstore/migrate.h"
#include "cli/commands.h"
#include "cli/db_factory.h"
#include "cli/engine_runtime.h"
#include "ports/clock.h"

namespace sentinel::cli {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

}  // namespace

void RegisterWorkerCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("worker", "run a worker process (leases jobs from Redis, runs them)");
  struct Flags {
    std::string database_url, queue_url, data_dir;
    int concurrency = 1;
    double lease_s = 0, heartbeat_s = 0, grace_s = 30;
    int max_retries = -1;
    bool reconcile = false;
    std::string id_prefix;
  };
  auto f = std::make_shared<Flags>();
  sub->add_option("--concurrency,-c", f->concurrency, "worker threads in this process (default 1)")
      ->check(CLI::Range(1, 64));
  sub->add_option("--database-url", f->database_url, "database URL (default: $SENTINEL_DATABASE_URL)");
  sub->add_option("--queue-url", f->queue_url, "queue URL, redis://host:port/db (default: $SENTINEL_QUEUE_URL)");
  sub->add_option("--data-dir", f->data_dir, "logs and workspaces go here (default: $SENTINEL_DATA_DIR, else data)");
  sub->add_option("--lease-seconds", f->lease_s, "lease of a claimed run (default 30)");
  sub->add_option("--heartbeat-seconds", f->heartbeat_s, "lease extension interval (default lease/3)");
  sub->add_option("--grace-seconds", f->grace_s, "on SIGTERM, how long the runs in hand may take to finish");
  sub->add_flag("--reconcile", f->reconcile, "also run the reconciler in this process");
  sub->add_option("--id-prefix", f->id_prefix, "worker id prefix (default hostname-pid)");
  sub->callback([f, exit_code] {
    *exit_code = 1;
    const std::string db_url = ResolveDatabaseUrl(f->database_url);
    const std::string queue_url = f->queue_url.empty() ? EnvOr("SENTINEL_QUEUE_URL", "embedded") : f->queue_url;
    if (queue_url == kEmbeddedQueue) {
      std::cerr << "sentinel worker: the queue is 'embedded', which only exists inside `sentinel up`; a separate "
                   "worker process needs a shared queue: set SENTINEL_QUEUE_URL (or --queue-url) to "
                   "redis://host:port/db\n";
      *exit_code = 2;
      return;
    }
    const double lease_s = f->lease_s > 0 ? f->lease_s : std::atof(EnvOr("SENTINEL_LEASE_SECONDS", "30").c_str());
    const double hb_s = f->heartbeat_s > 0 ? f->heartbeat_s : lease_s / 3;
    EngineOptions o;
    o.workers = f->concurrency;
    o.reconcile = f->reconcile;
    o.worker_id_prefix = f->id_prefix;
    o.worker.data_dir = f->data_dir.empty() ? EnvOr("SENTINEL_DATA_DIR", "data") : f->data_dir;
    o.worker.lease_ms = static_cast<EpochMs>(lease_s * 1000);
    o.worker.heartbeat_ms = static_cast<EpochMs>(hb_s * 1000);
    o.reconcile_interval_ms = std::max<EpochMs>(200, o.worker.lease_ms / 2);

    BlockTerminationSignals();
    auto db = OpenDatabase(db_url);
    if (!db) {
      std::cerr << "sentinel worker: " << db.error().message << "\n";
      return;
    }
    if (auto m = sqlstore::Migrate(**db, SystemClock().Now()); !m) {
      std::cerr << "sentinel worker: database " << RedactDatabaseUrl(db_url) << ": " << m.error().message << "\n";
      return;
    }
    auto queue = OpenQueue(queue_url, SystemClock(), o.worker.lease_ms);
    if (!queue) {
      std::cerr << "sentinel worker: " << queue.error().message << "\n";
      *exit_code = 2;
      return;
    }
    auto engine = EngineRuntime::Start(**db, **queue, o);
    if (!engine) {
      std::cerr << "sentinel worker: " << engine.error().message << "\n";
      return;
    }
    spdlog::info("sentinel worker: {} worker(s) on {} / {}, data dir {}", o.workers, queue_url,
                 RedactDatabaseUrl(db_url), o.worker.data_dir);
    int sig = WaitForTerminationSignal();
    spdlog::info("sentinel worker: signal {}: stopping (grace {}s)", sig, f->grace_s);
    (*engine)->Stop(static_cast<EpochMs>(f->grace_s * 1000));
    engine->reset();
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
