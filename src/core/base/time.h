#pragma once
// Time as integer epoch milliseconds (UTC) everywhere: in the domain, in both
// stores and on the wire (formatted as RFC 3339). Pure: no clock is read here;
// the current time is passed in (ports/clock.h).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sentinel {

using EpochMs = std::int64_t;

// "2026-11-27T22:13:48.123Z" (milliseconds always present).
std::string FormatRfc3339(EpochMs ms);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]" and a plain "YYYY-MM-DD".
std::optional<EpochMs> ParseRfc3339(std::string_view text);

// "90s", "5m", "2h", "1500ms", or a bare number of seconds. nullopt on anything else
// (negative values included).
std::optional<EpochMs> ParseDurationMs(std::string_view text);

}  // namespace sentinel
