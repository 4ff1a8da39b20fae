#pragma once
// `sentinel worker --healthcheck`: the worker container's health check. Workers have no port;
// their liveness signal is the workers table: every worker loop re-registers there at each
// heartbeat (idle: its job loop; busy: its lease heartbeat, after extending the run's lease), so
// a row of this host newer than the live window (the API's: 3 heartbeats + 5 s) means a loop on
// this host is alive and reaches the store.

#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/base/time.h"
#include "core/config/settings.h"
#include "ports/worker_registry.h"

namespace sentinel::cli {

// This host's name as worker ids carry it ('-' and '.' become '_'): the workers table's hostname
// of a worker started without --id-prefix.
[[nodiscard]] std::string WorkerHostname();

// How recently a worker must have heartbeated to count as live (GET /health's `workers` too).
[[nodiscard]] EpochMs LiveWorkerWindowMs(int heartbeat_seconds);

// The most recent worker of `hostname` that heartbeated at or after now - window_ms.
// kNotFound naming the host and the window when there is none; the registry's error otherwise.
[[nodiscard]] Result<WorkerRecord> FreshestWorkerOf(WorkerRegistry& registry, std::string_view hostname,
                                                    EpochMs now, EpochMs window_ms);

// Opens the store of `settings` (no migration) and checks this host's workers; prints one line
// (stdout when healthy, stderr otherwise) and returns the exit code: 0 healthy, 1 not.
int WorkerHealthcheck(const Settings& settings);

}  // namespace sentinel::cli
