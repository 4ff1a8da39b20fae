// `sentinel up [common flags] [--no-seed] [--no-ui]`: everything in one process: migrations,
// the API, the dashboard (the built ui/dist on ui_port), the reconciler,
// SENTINEL_WORKERS worker threads on the queue the settings name (the embedded
// in-process queue by default), and the seeding of the sample repositories with
// a demo history. SIGINT/SIGTERM: the workers
// stop leasing and get a grace period, then the API stops.
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "adapters/sqlstore/sql_execution_store.h"
#include "cli/api_runtime.h"
#include "cli/commands.h"
#include "cli/config_loader.h"
#include "cli/dashboard.h"
#include "cli/engine_runtime.h"
#include "cli/logging.h"
#include "cli/seeding.h"
#include "ports/clock.h"

namespace sentinel::cli {
void RegisterUpCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("up", "run everything in one process: API, workers, reconciler, migrations, seeding");
  struct Flags {
    CommonFlags common;
    bool no_seed = false;
    bool no_history = false;
    bool no_ui = false;
    std::string samples;
    double grace_s = 10;
  };
  auto f = std::make_shared<Flags>();
  AddCommonFlags(sub, &f->common);
  sub->add_flag("--no-seed", f->no_seed, "do not register the sample repositories");
  sub->add_flag("--no-history", f->no_history, "register the sample repositories but queue no demo history");
  sub->add_flag("--no-ui", f->no_ui, "do not serve the dashboard on the UI port");
  sub->add_option("--samples", f->samples, "folder holding the sample projects (default: ./sample_repos)");
  sub->add_option("--grace-seconds", f->grace_s, "on SIGTERM, how long running runs may take to finish");
  sub->callback([f, exit_code] {
    *exit_code = 1;
    auto settings = LoadSettings(f->common);
    if (!settings) {
      std::cerr << "sentinel up: " << settings.error().message << "\n";
      *exit_code = 2;
      return;
    }
    ConfigureLogging(settings->log_format);
    BlockStopSignals();  // before any thread starts
    const EpochMs lease_ms = settings->lease_seconds * 1000LL;
    auto queue = OpenQueue(settings->queue_url, SystemClock(), lease_ms);
    if (!queue) {
      std::cerr << "sentinel up: " << queue.error().message << "\n";
      *exit_code = 2;
      return;
    }
    JobQueue* q = queue->get();
    // The registry is read through the API's database once it is open.
    auto registry = std::make_shared<std::unique_ptr<sqlstore::SqlWorkerRegistry>>();
    ApiHooks hooks;
    hooks.queue_health = [q] { return q->Ping(); };
    hooks.workers = [registry, hb = settings->heartbeat_seconds] {
      if (!*registry) return 0;
      auto live = (*registry)->List(SystemClock().Now() - 3LL * hb * 1000 - 5000);
      return live ? static_cast<int>(live->size()) : 0;
    };
    hooks.dispatch = [q](const Run& run) {
      Status st = q->Enqueue(Job{run.id, SystemClock().Now(), {}});
      if (!st) spdlog::warn("run {} stays queued for the reconciler: enqueue failed: {}", run.id, st.error().message);
      return st;
    };
    auto api = ApiRuntime::Start(*settings, hooks);
    if (!api) {
      std::cerr << "sentinel up: " << api.error().message << "\n";
      return;
    }
    // The dashboard: static files on ui_port from the same process; it calls the API (CORS).
    std::unique_ptr<Dashboard> dashboard;
    if (!f->no_ui) {
      auto started = Dashboard::Start(*settings, (*api)->port());
      if (!started) {
        std::cerr << "sentinel up: dashboard: " << started.error().message << " (set SENTINEL_UI_PORT or pass --no-ui)\n";
        return;
      }
      dashboard = std::move(*started);
    }
    Db& db = (*api)->db();
    *registry = std::make_unique<sqlstore::SqlWorkerRegistry>(db);

    EngineOptions o = EngineOptionsFrom(*settings);
    auto engine = EngineRuntime::Start(db, *q, o);
    if (!engine) {
      std::cerr << "sentinel up: " << engine.error().message << "\n";
      return;
    }
    if (!f->no_seed) {
      const std::string samples = ResolveSamplesDir(f->samples);
      if (samples.empty()) {
        spdlog::warn("sentinel up: no sample_repos folder found; nothing seeded (pass --samples)");
      } else if (auto s = SeedAll(db, settings->data_dir, samples, !f->no_history, std::cout); !s) {
        spdlog::warn("sentinel up: seeding: {}", s.error().message);
      }
    }
    std::cout << "sentinel up: API http://" << settings->bind << ":" << (*api)->port() << " — " << o.workers
              << " worker(s) on the " << (settings->queue_url == kEmbeddedQueue ? "embedded" : "redis")
              << " queue, database " << RedactUrl(settings->database_url) << ", data dir " << settings->data_dir
              << std::endl;
    if (dashboard)
      std::cout << "sentinel up: UI http://" << settings->bind << ":" << dashboard->port() << " (from " << dashboard->dir()
                << ")" << std::endl;
    const int sig = WaitForStopSignal();
    spdlog::info("sentinel up: signal {}: stopping (grace {}s)", sig, f->grace_s);
    (*engine)->Stop(static_cast<EpochMs>(f->grace_s * 1000));
    engine->reset();
    if (dashboard) dashboard->Stop();
    (*api)->Stop();
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
