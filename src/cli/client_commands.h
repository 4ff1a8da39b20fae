#pragma once
// The client commands of `sentinel`: a CLI over a running API (CONTRACT.md
// section 2): runs, run, logs, trigger, clusters, tests, incidents, incident.
// Each takes --api URL (else $SENTINEL_API, else http://127.0.0.1:$SENTINEL_API_PORT
// or :8000) and --json (the API's JSON instead of tables). Output streams are
// injected so tests can drive the real parser in process.

#include <ostream>

#include <CLI/CLI.hpp>

namespace sentinel::cli {

// Exit codes of the client commands (README "CLI client").
inline constexpr int kExitOk = 0;            // done; for trigger --wait: the run succeeded
inline constexpr int kExitRunFailed = 1;     // trigger --wait: the run failed
inline constexpr int kExitUsage = 2;         // bad flags
inline constexpr int kExitUnreachable = 3;   // no API answers at the URL
inline constexpr int kExitApiError = 4;      // the API answered an error (its message is printed)
inline constexpr int kExitWaitTimeout = 5;   // trigger --wait --timeout: still not finished
inline constexpr int kExitRunTimedOut = 6;   // trigger --wait: the run timed out
inline constexpr int kExitRunErrored = 7;    // trigger --wait: infrastructure error
inline constexpr int kExitRunCancelled = 8;  // trigger --wait: cancelled

struct ClientIo {
  std::ostream* out = nullptr;  // tables and JSON
  std::ostream* err = nullptr;  // errors and the progress line
  bool color = false;           // ANSI colours on out
  bool err_is_tty = false;      // the progress line rewrites itself in place
  int poll_ms = 500;            // how often --wait and --follow ask the API
};

// std::cout / std::cerr; colours when stdout is a terminal, $NO_COLOR is unset and $TERM is not "dumb".
ClientIo StdClientIo();

// The exit code a finished run's status maps to (kExitOk for "succeeded").
int ExitCodeForRun(const std::string& status);

void RegisterClientCommands(CLI::App& app, int* exit_code, ClientIo io);

}  // namespace sentinel::cli
