// `sentinel reclassify [common flags] [--all] [--dry-run]`: re-triages the
// stored failures made by another knowledge-base version (or all, --all) with
// the built-in KB, prints what changed and, unless --dry-run, stores it.
// Exit 0 on success (missing logs are reported, not errors), 1 on an error.
#include <iostream>
#include <memory>
#include <string>

#include "adapters/kb/embedded_kb.h"
#include "adapters/sqlstore/sql_failure_store.h"
#include "app/reclassify.h"
#include "app/triage_hooks.h"
#include "cli/commands.h"
#include "cli/config_loader.h"
#include "cli/db_factory.h"
#include "ports/clock.h"

namespace sentinel::cli {
namespace {

struct ReclassifyFlags {
  CommonFlags common;
  bool all = false;
  bool dry_run = false;
};

Status RunReclassify(const ReclassifyFlags& f) {
  auto settings = LoadSettings(f.common);
  if (!settings) return Fail(settings.error());
  auto kb = kb::LoadEmbeddedKb();
  if (!kb) return Fail(ErrorCode::kInternal, "the built-in knowledge base does not compile: " + kb.error().message);
  auto shared = std::make_shared<const triage::Kb>(std::move(*kb));
  auto db = OpenDatabase(settings->database_url);
  if (!db) return Fail(db.error());
  sqlstore::SqlFailureStore store(**db);
  app::ReclassifyOptions options;
  options.kb_version = shared->version();
  options.data_dir = settings->data_dir;
  options.all = f.all;
  options.dry_run = f.dry_run;
  auto report = app::Reclassify(
      store, [shared](std::int64_t run_id, const app::StepReport& step) {
        return app::TriageStoredStep(*shared, run_id, step);
      },
      options, SystemClock().Now());
  if (!report) return Fail(report.error());
  std::cout << "knowledge base " << options.kb_version << "\n";
  for (const std::string& line : app::FormatReclassifyReport(*report, f.dry_run)) std::cout << line << "\n";
  return Ok();
}

}  // namespace

void RegisterReclassifyCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("reclassify", "re-triage stored failures with the current knowledge base");
  auto f = std::make_shared<ReclassifyFlags>();
  AddCommonFlags(sub, &f->common);
  sub->add_flag("--all", f->all, "re-triage every stored failure, not only those of other KB versions");
  sub->add_flag("--dry-run", f->dry_run, "print what would change and change nothing");
  sub->callback([f, exit_code] {
    Status st = RunReclassify(*f);
    if (!st) {
      std::cerr << "sentinel reclassify: " << st.error().message << "\n";
      *exit_code = 1;
      return;
    }
    *exit_code = 0;
  });
}

}  // namespace sentinel::cli
