// `sentinel api [common flags]`: the API server alone. Loads the settings,
// opens and migrates the database, serves until SIGINT/SIGTERM, then stops
// cleanly (in-flight requests finish). When ui.dir (SENTINEL_UI_DIR) is set it
// also serves that built dashboard on ui_port (the Compose stack's UI).
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/api_runtime.h"
#include "cli/commands.h"
#include "cli/config_loader.h"
#include "cli/dashboard.h"
#include "cli/engine_runtime.h"
#include "cli/logging.h"

namespace sentinel::cli {

void RegisterApiCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("api", "run the API server");
  auto flags = std::make_shared<CommonFlags>();
  AddCommonFlags(sub, flags.get());
  sub->callback([flags, exit_code] {
    auto settings = LoadSettings(*flags);
    if (!settings) {
      std::cerr << "sentinel api: " << settings.error().message << "\n";
      *exit_code = 2;
      return;
    }
    ConfigureLogging(settings->log_format);
    BlockStopSignals();  // before any thread starts
    auto api = ApiRuntime::Start(*settings);
    if (!api) {
      std::cerr << "sentinel api: " << api.error().message << "\n";
      *exit_code = 1;
      return;
    }
    spdlog::info("sentinel api serving http://{}:{} (database {})", settings->bind, (*api)->port(),
                 RedactUrl(settings->database_url));
    std::unique_ptr<Dashboard> dashboard;
    if (!settings->ui_dir.empty()) {
      auto started = Dashboard::Start(*settings, (*api)->port());
      if (!started) {
        std::cerr << "sentinel api: dashboard: " << started.error().message << " (ui.dir is set; SENTINEL_UI_PORT)\n";
        *exit_code = 1;
        return;
      }
      dashboard = std::move(*started);
      spdlog::info("sentinel api serving the dashboard on http://{}:{} (from {})", settings->bind, dashboard->port(),
                   dashboard->dir());
    }
    // With a shared (Redis) queue, this API also reconciles the queue with the store.
    std::unique_ptr<EngineRuntime> reconciler;
    if (JobQueue* queue = (*api)->queue(); queue != nullptr) {
      auto engine = EngineRuntime::Start((*api)->db(), *queue, ReconcilerOnly(*settings));
      if (!engine) {
        std::cerr << "sentinel api: " << engine.error().message << "\n";
        *exit_code = 1;
        return;
      }
      reconciler = std::move(*engine);
    }
    const int sig = WaitForStopSignal();
    spdlog::info("signal {} received, stopping", sig);
    reconciler.reset();
    if (dashboard) dashboard->Stop();
    (*api)->Stop();
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
