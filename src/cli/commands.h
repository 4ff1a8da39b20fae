#pragma once
// Subcommands of the `sentinel` binary. Each Register* adds one subcommand to
// the app; its callback stores the process exit code in *exit_code.

#include <CLI/CLI.hpp>

namespace sentinel::cli {

void RegisterFingerprintCommand(CLI::App& app, int* exit_code);
void RegisterJUnitCommand(CLI::App& app, int* exit_code);
// sentinel triage FILE [--junit XML]... (cmd_triage.cc)
void RegisterTriageCommand(CLI::App& app, int* exit_code);
// sentinel rules check [--corpus DIR] [--green DIR] [--write FILE] (cmd_rules.cc)
void RegisterRulesCommand(CLI::App& app, int* exit_code);
void RegisterStubCommands(CLI::App& app, int* exit_code);

}  // namespace sentinel::cli
