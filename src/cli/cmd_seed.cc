// `sentinel seed [--history]`: registers the sample repositories (and queues the demo history).
#include <iostream>
#include <memory>
#include <string>

#include "adapters/sqlstore/migrate.h"
#include "cli/commands.h"
#include "cli/db_factory.h"
#include "cli/seeding.h"
#include "ports/clock.h"

namespace sentinel::cli {

void RegisterSeedCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("seed", "register the sample repositories (--history: queue the demo history)");
  struct Flags {
    std::string database_url, data_dir, samples;
    bool history = false;
  };
  auto f = std::make_shared<Flags>();
  sub->add_option("--database-url", f->database_url, "database URL (default: $SENTINEL_DATABASE_URL, else sqlite)");
  sub->add_option("--data-dir", f->data_dir, "data dir (default: $SENTINEL_DATA_DIR, else data)");
  sub->add_option("--samples", f->samples, "folder holding the sample projects (default: ./sample_repos)");
  sub->add_flag("--history", f->history, "also queue a mixed history of demo runs (once: not when runs exist)");
  sub->callback([f, exit_code] {
    std::string data_dir = f->data_dir;
    if (data_dir.empty()) data_dir = std::getenv("SENTINEL_DATA_DIR") ? std::getenv("SENTINEL_DATA_DIR") : "data";
    auto db = OpenDatabase(ResolveDatabaseUrl(f->database_url));
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
