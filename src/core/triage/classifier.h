#pragma once
// Matching a log against the knowledge base and choosing the signature that
// explains it. One RE2::Set pass over the log (block by block) finds which
// patterns occur in each block; only those patterns are then searched, inside
// that block, for their first hit, so the cost is about one DFA pass however
// many signatures there are. Pure; thread-safe given a shared const Kb.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/triage/signature_kb.h"

namespace sentinel::triage {

// The most hits kept per pattern (the rest are only known to exist).
inline constexpr int kMaxHitsPerPattern = 6;
// The Set pass runs over blocks of about this many bytes (whole lines).
inline constexpr std::size_t kScanBlockBytes = 64 << 10;

struct Hit {
  int line = 0;  // 1-based
  std::size_t line_begin = 0, line_end = 0;    // the line's bytes in the log (no '\n')
  std::size_t match_begin = 0, match_end = 0;  // the match's bytes
  int pattern = 0;
  int signature = 0;
};

struct SignatureMatch {
  int signature = 0;
  std::vector<Hit> hits;  // in log order; the first hit of every matching pattern, plus more for the winner
  int distinct_patterns = 0;
  const Hit& first() const { return hits.front(); }
};

struct ScanResult {
  std::vector<SignatureMatch> matches;  // every signature that matched, by first hit
  int winner = -1;                      // index into matches, -1 when nothing matched
  int total_lines = 0;
  bool used_line_fallback = false;      // the Set ran out of DFA memory; matched line by line
};

// Scans `log` and chooses the winner: the non-cascade signature with the
// highest priority, ties to the earliest first hit; cascade signatures win only
// when nothing else matched. The winner's hits are extended to
// kMaxHitsPerPattern per pattern.
//
// `guard` (optional): a context guard (context_guard.h), called with a hit's
// line [line_begin, line_end) in `log` (no '\n'); a hit on a line for which it
// returns true is not a failure (a passing or skipped test's line, a test's
// name, a DEBUG line, output of a test that then passed, an error the program
// retried) and is skipped, the search going on from the next line.
// The guard is also given the category of the hit's signature.
using HitGuard = std::function<bool(std::size_t line_begin, std::size_t line_end, FailureCategory category)>;
ScanResult Scan(const Kb& kb, std::string_view log, const HitGuard& guard = nullptr);

// The named captures of pattern `hit.pattern` on the hit's line.
std::map<std::string, std::string> Captures(const Kb& kb, std::string_view log, const Hit& hit);

// The number of '\n' bytes in `text` (a word-at-a-time count: line numbering
// and line totals walk whole logs).
std::size_t CountNewlines(std::string_view text);

// The end of the line holding byte `pos`: its '\n', or the log's end.
std::size_t LineEnd(std::string_view log, std::size_t pos);

// The text of line [begin, end) without a trailing '\r'.
std::string_view LineText(std::string_view log, std::size_t begin, std::size_t end);

// The line [begin, end) that heads the indented report holding the line at
// byte `begin`: walking back over blank and indented lines (at most
// `max_lines`), the first line at the left margin; nullopt when there is none
// within reach. A runner's failure verdict heads the report under it.
std::optional<std::pair<std::size_t, std::size_t>> MarginLineBefore(std::string_view log, std::size_t begin,
                                                                    int max_lines);

}  // namespace sentinel::triage
