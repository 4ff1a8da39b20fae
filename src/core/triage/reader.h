#pragma once
// The reader: a CI log as a person reads it. CI runners write colour codes,
// `\r` progress redraws, a timestamp before every line (GitHub Actions:
// "2024-01-01T00:00:00.0000000Z "), fold and group markers (travis_fold,
// travis_time, ##[group], ::group::) and sometimes very long or binary lines.
// ReadLog cleans every line and keeps the line count: line N of the clean text
// is raw line N, so evidence found in the clean text carries raw 1-based line
// numbers. Pure; thread-safe.

#include <string>
#include <string_view>

namespace sentinel::triage {

// Lines longer than this are cut (matching and evidence never need more).
inline constexpr std::size_t kMaxCleanLineBytes = 4096;

// One raw line (no '\n') cleaned:
// - trailing '\r's removed; a line redrawn with '\r' keeps its last non-blank frame;
// - ANSI escape sequences (CSI, OSC, two-byte) removed;
// - a leading ISO-8601 timestamp ("2024-01-01T00:00:00.1234567Z ") removed, and
//   with `strip_short_timestamps` also "[10:00:01] " / "2024-01-01 10:00:01,123 ";
// - travis_fold/travis_time markers removed; "##[group]X" and "::group::X" give X;
//   "##[endgroup]" and "::endgroup::" give an empty line;
// - other control bytes (but tab) removed; a line that is mostly binary is emptied;
// - cut to kMaxCleanLineBytes on a UTF-8 boundary.
std::string CleanLine(std::string_view raw_line, bool strip_short_timestamps = false);

// The whole log cleaned line by line, with exactly as many '\n' as `raw`.
// Returns false and leaves *out empty when no line needs cleaning (the common
// case for a plain log costs one scan and no copy).
bool ReadLog(std::string_view raw, std::string* out);

}  // namespace sentinel::triage
