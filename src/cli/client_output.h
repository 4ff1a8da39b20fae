#pragma once
// Human output of the client commands: aligned tables, durations, times and
// status colours (ANSI, only when asked: the caller decides whether the stream
// is a terminal). Pure formatting over strings; thread-safe.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sentinel::cli {

struct Cell {
  Cell(std::string t = {}, std::string c = {}) : text(std::move(t)), color(std::move(c)) {}  // NOLINT: implicit
  std::string text;
  std::string color;  // an ANSI SGR code ("31", "1;32") or "" for none
};

// Prints headers and rows as left-aligned columns separated by two spaces.
// Widths count UTF-8 code points; cells longer than max_width are cut with "…".
void PrintTable(std::ostream& out, const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows,
                bool color, std::size_t max_width = 72);

// text wrapped in the SGR code when color is on.
std::string Paint(const std::string& text, const std::string& code, bool color);

// The colour of a run/step/incident status or severity ("" for none).
std::string StatusColor(const std::string& status);

// "850ms", "3.2s", "4m05s", "2h03m".
std::string FormatDurationMs(std::int64_t ms);

// "2026-12-05T19:12:58.123Z" -> "2026-12-05 19:12:58"; other text unchanged; null -> "-".
std::string ShortTime(const nlohmann::json& value);

// A JSON value as table text: strings bare, null "-", numbers as written (doubles to 2 places).
std::string CellText(const nlohmann::json& value);

// The first of `keys` present (and not null) in object, else null.
nlohmann::json FirstOf(const nlohmann::json& object, const std::vector<std::string>& keys);

}  // namespace sentinel::cli
