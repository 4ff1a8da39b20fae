#pragma once
// Subcommands of the `sentinel` binary. Each Register* adds one subcommand to
// the app; its callback stores the process exit code in *exit_code.

#include <CLI/CLI.hpp>

namespace sentinel::cli {

void RegisterJUnitCommand(CLI::App& app, int* exit_code);
// sentinel migrate [--database-url URL] (cmd_migrate.cc)
void RegisterMigrateCommand(CLI::App& app, int* exit_code);

// sentinel api [--config PATH] [common flags] (cmd_api.cc)
void RegisterApiCommand(CLI::App& app, int* exit_code);

// sentinel seed [--history] (cmd_seed.cc)
void RegisterSeedCommand(CLI::App& app, int* exit_code);

// sentinel demo SCENARIO (cmd_demo.cc)
void RegisterDemoCommand(CLI::App& app, int* exit_code);

void RegisterFingerprintCommand(CLI::App& app, int* exit_code);
void RegisterStubCommands(CLI::App& app, int* exit_code);

}  // namespace sentinel::cli
