// `sentinel gc [common flags] [--dry-run]`: one retention sweep (app/retention.h):
// step logs, workspaces and run history older than sentinel.yml's retention.*
// limits, never what is still referenced. Prints what went (or would go).
// Exit 0 on success, 1 on an error, 2 on bad settings.
#include <iostream>
#include <memory>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_retention_store.h"
#include "app/retention.h"
#include "cli/commands.h"
#include "cli/config_loader.h"
#include "cli/db_factory.h"
#include "ports/clock.h"

namespace sentinel::cli {

app::RetentionPolicy RetentionPolicyFrom(const Settings& settings) {
  constexpr EpochMs kDay = 24LL * 3600 * 1000;
  app::RetentionPolicy p;
  p.log_ms = settings.retention_log_days * kDay;
  p.run_ms = settings.retention_run_days * kDay;
  p.workspace_ms = settings.retention_workspace_days * kDay;
  return p;
}

void RegisterGcCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand(
      "gc", "remove logs, workspaces and run history older than the retention limits (never referenced data)");
  struct Flags {
    CommonFlags common;
    bool dry_run = false;
  };
  auto f = std::make_shared<Flags>();
  AddCommonFlags(sub, &f->common);
  sub->add_flag("--dry-run", f->dry_run, "print what would be removed and remove nothing");
  sub->callback([f, exit_code] {
    auto settings = LoadSettings(f->common);
    if (!settings) {
      std::cerr << "sentinel gc: " << settings.error().message << "\n";
      *exit_code = 2;
      return;
    }
    auto db = OpenDatabase(settings->database_url);
    if (!db) {
      std::cerr << "sentinel gc: " << db.error().message << "\n";
      *exit_code = 1;
      return;
    }
    if (Status st = sqlstore::Migrate(**db, SystemClock().Now()); !st) {
      std::cerr << "sentinel gc: migrating: " << st.error().message << "\n";
      *exit_code = 1;
      return;
    }
    sqlstore::SqlRetentionStore store(**db);
    app::RetentionPolicy policy = RetentionPolicyFrom(*settings);
    policy.dry_run = f->dry_run;
    auto report = app::CollectGarbage(store, settings->data_dir, SystemClock(), policy);
    if (!report) {
      std::cerr << "sentinel gc: " << report.error().message << "\n";
      *exit_code = 1;
      return;
    }
    const char* verb = f->dry_run ? "would remove" : "removed";
    std::cout << "sentinel gc: " << verb << " " << report->runs_deleted << " run(s) older than "
              << settings->retention_run_days << " days, " << report->log_dirs_removed << " log folder(s), "
              << report->workspaces_removed << " workspace(s); " << report->bytes_freed << " bytes; kept "
              << report->kept_referenced << " old log folder(s) still referenced\n";
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
