#pragma once
// The process's log format (log.format / --log-format / SENTINEL_LOG_FORMAT):
// "text" is spdlog's human pattern; "json" writes one JSON object per event:
// ts (RFC 3339 UTC), level, msg, and run_id, attempt, worker where the code
// that logged runs for a worker (app/log_fields.h), so the logs of many
// workers can be joined. "auto": text when stdout is a terminal, else json.
// Call once from main's thread before starting others.

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>

#include "app/log_fields.h"
#include "core/base/time.h"

namespace sentinel::cli {

void ConfigureLogging(const std::string& format);

// The formatter "json" installs (for any logger).
std::unique_ptr<spdlog::formatter> MakeJsonFormatter();

// "json" or "text": what "auto" resolves to for this stdout.
std::string ResolveLogFormat(const std::string& format, bool stdout_is_tty);

// One JSON log line (without the newline).
std::string JsonLogLine(EpochMs at, std::string_view level, std::string_view message, const app::LogFields& fields);

}  // namespace sentinel::cli
