// `sentinel migrate [--database-url URL]`: applies the pending schema migrations
// and says what it did. Exit 0 when the schema is current afterwards.
#include <iostream>
#include <memory>
#include <string>

#include "adapters/sqlstore/migrate.h"
#include "cli/commands.h"
#include "cli/db_factory.h"
#include "ports/clock.h"

namespace sentinel::cli {

void RegisterMigrateCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("migrate", "apply database migrations (idempotent)");
  auto url = std::make_shared<std::string>();
  sub->add_option("--database-url", *url,
                  "database URL (default: $SENTINEL_DATABASE_URL, else " + std::string(kDefaultDatabaseUrl) + ")");
  sub->callback([url, exit_code] {
    const std::string resolved = ResolveDatabaseUrl(*url);
    const std::string shown = RedactDatabaseUrl(resolved);
    auto db = OpenDatabase(resolved);
    if (!db) {
      std::cerr << "sentinel migrate: " << db.error().message << "\n";
      *exit_code = 1;
      return;
    }
    auto applied = sqlstore::ApplyMigrations(**db, SystemClock().Now());
    if (!applied) {
      const std::string& why = applied.error().message;
      std::cerr << "sentinel migrate: " << (why.find(shown) == std::string::npos ? shown + ": " : "") << why << "\n";
      *exit_code = 1;
      return;
    }
    auto version = sqlstore::SchemaVersion(**db);
    std::string at = version ? std::to_string(*version) : "?";
    for (const sqlstore::Migration& m : *applied) {
      std::cout << "applied migration " << m.version << " (" << m.name << ")\n";
    }
    if (applied->empty()) {
      std::cout << "schema is up to date at version " << at << " (" << shown << ")\n";
    } else {
      std::cout << "schema now at version " << at << " (" << shown << ")\n";
    }
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
