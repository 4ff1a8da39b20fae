// Subcommands that later work fills in. They say so and fail: never pretend.
#include <iostream>
#include <string>

#include "cli/commands.h"

namespace sentinel::cli {

void RegisterStubCommands(CLI::App& app, int* exit_code) {
  struct Stub {
    const char* name;
    const char* help;
  };
  static const Stub kStubs[] = {
      {"up", "run everything in one process: API, UI, workers, migrations, seeding"},
      {"api", "run the API server"},
      {"worker", "run a worker process"},
      {"migrate", "apply database migrations"},
      {"seed", "register the sample repositories"},
      {"demo", "trigger a demo scenario against the running system"},
      {"triage", "offline triage of one log file"},
      {"fingerprint", "fingerprint log lines from stdin"},
      {"junit", "parse JUnit XML test reports"},
  };
  for (const Stub& s : kStubs) {
    bool taken = false;
    for (const CLI::App* existing : app.get_subcommands([](CLI::App*) { return true; }))
      taken = taken || existing->get_name() == s.name;
    if (taken) continue;
    CLI::App* sub = app.add_subcommand(s.name, s.help);
    sub->allow_extras();
    std::string name = s.name;
    sub->callback([name, exit_code] {
      std::cerr << "sentinel " << name << ": not available yet in this build\n";
      *exit_code = 2;
    });
  }
}

}  // namespace sentinel::cli
