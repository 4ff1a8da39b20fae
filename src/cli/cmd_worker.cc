// `sentinel worker [common flags] [--concurrency N]`: a worker process. Leases
// jobs from the shared queue (queue_url: Redis), runs them, writes to the
// shared store (database_url). SIGTERM/SIGINT: stop leasing, let the runs in
// hand finish within the grace period, else hand them back to the queue.
#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "adapters/sqlstore/migrate.h"
#include "cli/api_runtime.h"
#include "cli/commands.h"
#include "cli/config_loader.h"
#include "cli/db_factory.h"
#include "cli/engine_runtime.h"
#include "cli/logging.h"
#include "cli/worker_health.h"
#include "ports/clock.h"

namespace sentinel::cli {

void RegisterWorkerCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("worker", "run a worker process (leases jobs from Redis, runs them)");
  struct Flags {
    CommonFlags common;
    int concurrency = 1;
    double lease_s = 0, heartbeat_s = 0, grace_s = 30;
    bool reconcile = false;
    bool healthcheck = false;
    std::string id_prefix;
  };
  auto f = std::make_shared<Flags>();
  AddCommonFlags(sub, &f->common);
  sub->add_option("--concurrency,-c", f->concurrency, "worker threads in this process (default 1)")
      ->check(CLI::Range(1, 64));
  sub->add_option("--lease-seconds", f->lease_s, "lease of a claimed run, overrides queue.lease_seconds (may be fractional)");
  sub->add_option("--heartbeat-seconds", f->heartbeat_s, "lease extension interval, overrides queue.heartbeat_seconds");
  sub->add_option("--grace-seconds", f->grace_s, "on SIGTERM, how long the runs in hand may take to finish (default 30)");
  sub->add_flag("--reconcile", f->reconcile, "also run the reconciler in this process (normally `sentinel api` does)");
  sub->add_option("--id-prefix", f->id_prefix, "worker id prefix (default hostname-pid)");
  sub->add_flag("--healthcheck", f->healthcheck,
                "run no worker: exit 0 when a worker of this host heartbeated in the workers table within 3 "
                "heartbeats + 5 s, else 1 (the worker container's health check)");
  sub->callback([f, exit_code] {
    *exit_code = 1;
    auto settings = LoadSettings(f->common);
    if (!settings) {
      std::cerr << "sentinel worker: " << settings.error().message << "\n";
      *exit_code = f->healthcheck ? 1 : 2;  // a health check exits 0 or 1 (Docker reserves 2)
      return;
    }
    if (f->healthcheck) {
      *exit_code = WorkerHealthcheck(*settings);
      return;
    }
    ConfigureLogging(settings->log_format);
    if (settings->queue_url == kEmbeddedQueue) {
      std::cerr << "sentinel worker: the queue is 'embedded', which only exists inside `sentinel up`; a separate "
                   "worker process needs a shared queue: set SENTINEL_QUEUE_URL (or --queue-url) to "
                   "redis://host:port/db\n";
      *exit_code = 2;
      return;
    }
    EngineOptions o = EngineOptionsFrom(*settings);
    o.workers = f->concurrency;
    o.reconcile = f->reconcile;
    o.worker_id_prefix = f->id_prefix;
    if (f->lease_s > 0) {
      o.worker.lease_ms = static_cast<EpochMs>(f->lease_s * 1000);
      if (f->heartbeat_s <= 0) o.worker.heartbeat_ms = o.worker.lease_ms / 3;
      o.reconcile_interval_ms = std::max<EpochMs>(200, o.worker.lease_ms / 3);
    }
    if (f->heartbeat_s > 0) o.worker.heartbeat_ms = static_cast<EpochMs>(f->heartbeat_s * 1000);

    BlockStopSignals();  // before any thread starts
    auto db = OpenDatabase(settings->database_url);
    if (!db) {
      std::cerr << "sentinel worker: " << db.error().message << "\n";
      return;
    }
    if (auto m = sqlstore::Migrate(**db, SystemClock().Now()); !m) {
      std::cerr << "sentinel worker: database " << RedactUrl(settings->database_url) << ": " << m.error().message
                << "\n";
      return;
    }
    auto queue = OpenQueue(settings->queue_url, SystemClock(), o.worker.lease_ms);
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
    spdlog::info("sentinel worker: {} worker(s) on {} / {}, data dir {}", o.workers, RedactUrl(settings->queue_url),
                 RedactUrl(settings->database_url), o.worker.data_dir);
    const int sig = WaitForStopSignal();
    spdlog::info("sentinel worker: signal {}: stopping (grace {}s)", sig, f->grace_s);
    (*engine)->Stop(static_cast<EpochMs>(f->grace_s * 1000));
    engine->reset();
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
