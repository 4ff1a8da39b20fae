#pragma once
// Evidence: the few log lines that prove a classification, ranked and capped,
// with 1-based line numbers into the step log. Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.h"
#include "core/triage/classifier.h"

namespace sentinel::triage {

inline constexpr std::size_t kMaxEvidenceLines = 12;
inline constexpr std::size_t kMaxEvidenceChars = 400;  // per line, cut on a UTF-8 boundary

// Ranked evidence for scan.winner: the winner's first hit (the root error),
// then the line after it (context: the caret, the assertion detail), then the
// winner's later hits, then first hits of other non-cascade signatures of the
// same category, then cascade lines (make/ninja/ld follow-ons) last. At most
// kMaxEvidenceLines, each line once.
std::vector<EvidenceLine> ExtractEvidence(const Kb& kb, std::string_view log, const ScanResult& scan);

// For a log no signature explains: the last error-looking lines (error, fail,
// fatal, exception, panic, denied, ...) of the log's tail, topped up to
// max_lines with its last non-blank lines, in log order. Reads at most the
// last 1 MiB, so it is cheap on any log.
std::vector<EvidenceLine> TailEvidence(std::string_view log, int total_lines, std::size_t max_lines = 5);

// The log with ANSI escape sequences removed. Newlines are kept, so line
// numbers into the result are line numbers into the original.
std::string StripAnsi(std::string_view log);

// The log as signatures see it: ReadLog (reader.h): colours, redraws,
// timestamps and fold markers removed line by line. Newlines are kept: line
// numbers are unchanged. Returns false (and leaves *out empty) when there is
// nothing to remove, so the common case costs one scan and no copy.
bool CleanForMatching(std::string_view log, std::string* out);

// A line as shown to users: ANSI escape sequences removed, trailing
// whitespace trimmed, cut to kMaxEvidenceChars on a UTF-8 boundary.
std::string DisplayText(std::string_view line);

}  // namespace sentinel::triage
