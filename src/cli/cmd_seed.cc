// `sentinel seed [--history]`: registers the sample repositories (and queues the demo history).
#include <iostream>
#include <memory>
#include <string>

#include "adapters/sqlstore/migrate.h"
#include "cli/commands.h"
#include "cli/config_loader.h"
#include "cli/db_factory.h"
#include "cli/seeding.h"
#include "ports/clock.h"

namespace sentinel::cli {

void RegisterSeedCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("seed", "register the sample repositories (--history: queue the demo history)");
  struct Flags {
    CommonFlags common;
    std::string samples;
    bool history = false;
  };
  auto f = std::make_shared<Flags>();
  AddCommonFlags(sub, &f->common);
  sub->add_option("--samples", f->samples, "folder holding the sample projects (default: ./sample_repos)");
  sub->add_flag("--history", f->history, "also queue a mixed history of demo runs (once: not when runs exist)");
  sub->callback([f, exit_code] {
    auto settings = LoadSettings(f->common);
    if (!settings) {
      std::cerr << "sentinel seed: " << settings.error().message << "\n";
      *exit_code = 2;
      return;
    }
    const std::string& data_dir = settings->data_dir;
    auto db = OpenDatabase(settings->database_url);
    if (!db) {
      std::cerr << "sentinel seed: " << db.error().message << "\n";
      *exit_code = 1;
      return;
    }
    if (auto m = sqlstore::Migrate(**db, SystemClock().Now()); !m) {
      std::cerr << "sentinel seed: migrating: " << m.error().message << "\n";
      *exit_code = 1;
      return;
    }
    if (auto s = SeedAll(**db, data_dir, ResolveSamplesDir(f->samples), f->history, std::cout); !s) {
      std::cerr << "sentinel seed: " << s.error().message << "\n";
      *exit_code = 1;
      return;
    }
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
