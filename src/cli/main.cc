// sentinel: the one binary. Parses the command line and hands over to a subcommand.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/client_commands.h"
#include "cli/commands.h"

#ifndef SENTINEL_VERSION
#define SENTINEL_VERSION "dev"
#endif

int main(int argc, char** argv) {
  CLI::App app{"Sentinel Pipeline: CI runs, failure triage, flaky tests and incidents"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", SENTINEL_VERSION);
  int exit_code = 0;

  CLI::App* version = app.add_subcommand("version", "print the version");
  version->callback([] { std::cout << "sentinel " << SENTINEL_VERSION << "\n"; });

  sentinel::cli::RegisterJUnitCommand(app, &exit_code);
  sentinel::cli::RegisterMigrateCommand(app, &exit_code);
  sentinel::cli::RegisterApiCommand(app, &exit_code);
  sentinel::cli::RegisterSeedCommand(app, &exit_code);
  sentinel::cli::RegisterDemoCommand(app, &exit_code);
  sentinel::cli::RegisterFingerprintCommand(app, &exit_code);
  sentinel::cli::RegisterTriageCommand(app, &exit_code);
  sentinel::cli::RegisterFlakyCommand(app, &exit_code);
  sentinel::cli::RegisterRulesCommand(app, &exit_code);
  sentinel::cli::RegisterWorkerCommand(app, &exit_code);
  sentinel::cli::RegisterUpCommand(app, &exit_code);
  sentinel::cli::RegisterReclassifyCommand(app, &exit_code);
  sentinel::cli::RegisterGcCommand(app, &exit_code);
  sentinel::cli::RegisterClientCommands(app, &exit_code, sentinel::cli::StdClientIo());
  sentinel::cli::RegisterStubCommands(app, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return 2;
  }
  return exit_code;
}
