#pragma once
// Subcommands of the `sentinel` binary. Each Register* adds one subcommand to
// the app; its callback stores the process exit code in *exit_code.

#include <CLI/CLI.hpp>

#include "app/retention.h"
#include "core/config/settings.h"

namespace sentinel::cli {

// The retention limits of the settings (retention.*), for gc and the periodic sweep.
app::RetentionPolicy RetentionPolicyFrom(const Settings& settings);

// sentinel junit FILE... (cmd_junit.cc)
void RegisterJUnitCommand(CLI::App& app, int* exit_code);
// sentinel migrate [--database-url URL] (cmd_migrate.cc)
void RegisterMigrateCommand(CLI::App& app, int* exit_code);
// sentinel api [--config PATH] [common flags] (cmd_api.cc)
void RegisterApiCommand(CLI::App& app, int* exit_code);
// sentinel seed [--history] (cmd_seed.cc)
void RegisterSeedCommand(CLI::App& app, int* exit_code);
// sentinel demo SCENARIO (cmd_demo.cc)
void RegisterDemoCommand(CLI::App& app, int* exit_code);
// sentinel fingerprint (cmd_fingerprint.cc)
void RegisterFingerprintCommand(CLI::App& app, int* exit_code);
// sentinel flaky HISTORY [--config PATH] [--set KEY=VALUE]... (cmd_flaky.cc)
void RegisterFlakyCommand(CLI::App& app, int* exit_code);
// sentinel triage FILE [--junit XML]... (cmd_triage.cc)
void RegisterTriageCommand(CLI::App& app, int* exit_code);
// sentinel rules check [--corpus DIR] [--green DIR] [--write FILE] (cmd_rules.cc)
void RegisterRulesCommand(CLI::App& app, int* exit_code);
// sentinel worker [--concurrency N] (cmd_worker.cc)
void RegisterWorkerCommand(CLI::App& app, int* exit_code);
// sentinel up [common flags] [--no-seed] (cmd_up.cc)
void RegisterUpCommand(CLI::App& app, int* exit_code);
// sentinel reclassify [common flags] [--all] [--dry-run] (cmd_reclassify.cc)
void RegisterReclassifyCommand(CLI::App& app, int* exit_code);
// sentinel gc [common flags] [--dry-run] (cmd_gc.cc)
void RegisterGcCommand(CLI::App& app, int* exit_code);
// Subcommands not built yet: say so and fail.
void RegisterStubCommands(CLI::App& app, int* exit_code);

}  // namespace sentinel::cli
