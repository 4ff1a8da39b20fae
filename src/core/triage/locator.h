#pragma once
// The tool-agnostic failure locator: finds the block of a (clean, reader.h)
// log that explains why the build failed, without knowing the tool.
//
// 1. The anchor: the failing command and its exit ("The command "x" exited
//    with 1.", "##[error]Process completed with exit code 1.", "ERROR: script
//    returned exit code 2", "ERROR: Job failed: exit code 1", ...); the first
//    non-zero one, else the end of the build ("Done. Your build exited with 1."),
//    else the end of the log. Cleanup after it (cache uploads, after_failure
//    dumps) is never evidence.
// 2. The region: the lines of that command, back to the previous command's exit
//    (bounded in lines and bytes).
// 3. Every region line gets a shape (ShapeOf): strong failure shapes (compiler
//    diagnostics, per-test failure markers, assertion diffs, tracebacks and
//    panics, linter findings, package-manager errors, ...), weak error words,
//    follow-on lines (stack frames, carets, diff lines), cascade lines ("make:
//    *** Error 2", npm's ERR! trailer), and informational lines that are never
//    evidence (passing/skipped test lines, test names, DEBUG/INFO lines,
//    feature lists, echoed commands, CI chatter).
// 4. Blocks: runs of error-bearing lines with their follow-on lines; the block
//    that explains the failure is the last substantive one before the anchor
//    (a summary points back to the detail it summarises; repeated failures of
//    one shape go back to the first).
// With a baseline (the last green log of the same job), lines whose template
// also occurs there are demoted and new ones promoted.
// Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/model/vocab.h"

namespace sentinel::triage {

inline constexpr int kMaxRegionLines = 10000;
inline constexpr std::size_t kMaxRegionBytes = 2 << 20;
inline constexpr std::size_t kMaxBlockEvidence = 12;

enum class LineRole : std::uint8_t {
  kPlain,     // nothing known
  kBlank,
  kInfo,      // passing/skipped test, test name, DEBUG/INFO, feature list, echo, CI chatter
  kCascade,   // follow-on of a failure already shown (make ***, npm ERR! trailer)
  kFollow,    // stack frame, caret, diff or code excerpt line
  kSummary,   // a test runner's or linter's totals with failures in them
  kError,     // a weak error word
  kStrong,    // a failure shape
  kExit,      // a command's exit marker
};

struct LineShape {
  LineRole role = LineRole::kPlain;
  FailureCategory category = FailureCategory::kUnknown;  // the shape's category, kUnknown if none
  int weight = 0;                                        // 0..3
  // For a strong line: the first failure-shape rule it matched (a runner's
  // per-test marker, a compiler's diagnostic, ...): two lines of one rule are
  // repeats of one kind of failure. -1 otherwise.
  int rule = -1;
  // The shell's report of a process killed by a signal: the block's category
  // whatever shape its first line has (a program's own "file:line: fatal:" message
  // before it, a test runner's header).
  bool decisive = false;
};

// The shape of one clean line (exposed for tests and for the green-log gate).
LineShape ShapeOf(std::string_view line);

// The first kind of context guard (context_guard.h): the line is informational (a
// passing or skipped test, a test's name, a log level below warning, a feature
// list, an echoed command), so a match on it is not a failure.
bool NotAFailureLine(std::string_view line);

// The exit code an exit marker line names ("exited with 2", "exit code 1"), if any.
std::optional<int> ExitCodeOf(std::string_view line);

// The marker a test runner prints before each failing item, whatever the
// item's name ("not ok 3 ", "✖ ", "1) ", "[-] "), empty when the line starts
// with a word or a path. Failures of one marker in a region are one kind:
// the first is the block.
std::string FailureMarker(std::string_view line);

// A normalised key of a line for the baseline diff: digits, hex runs and
// paths' run-specific prefixes do not count. Cheap (no regex).
std::uint64_t BaselineKey(std::string_view line);

// The keys of every line of a (clean) baseline log.
struct BaselineIndex {
  std::unordered_set<std::uint64_t> keys;
  bool empty() const { return keys.empty(); }
};
BaselineIndex IndexBaseline(std::string_view clean_baseline);

struct LocatedLine {
  int line = 0;  // 1-based
  std::size_t begin = 0, end = 0;
  LineShape shape;
  bool in_baseline = false;
};

// The text of a located line of `log` (the log it was located in).
inline std::string_view TextOf(std::string_view log, const LocatedLine& l) { return log.substr(l.begin, l.end - l.begin); }

struct FailureBlock {
  int first_line = 0, last_line = 0;  // inclusive, 1-based; 0 when no block
  std::vector<LocatedLine> lines;     // the block's non-blank lines, in log order
  double score = 0;
  int strong = 0;       // strong lines in it
  int new_lines = 0;    // error-bearing lines not in the baseline (0 without one)
  bool summary_only = false;
};

struct Location {
  int anchor_line = 0;              // the failing command's exit marker, 0 if none
  std::optional<int> exit_code;     // its code, when it says
  std::string command;              // the failing command, when the marker names it
  int region_first = 1, region_last = 0;  // lines searched
  FailureBlock block;               // the block that explains the failure (may be empty)
  bool used_baseline = false;
  int demoted = 0;                  // region error lines that also occur in the baseline
  int total_lines = 0;
  bool Found() const { return block.first_line > 0; }
  bool InBlock(int line, int slack = 0) const {
    return Found() && line >= block.first_line - slack && line <= block.last_line + slack;
  }
};

class FailureContext;

// Locates the failure block of `clean_log`. `baseline` may be null. A line
// whose failure shape names a cause (a crash, a refused connection, a full
// disk, ...) is informational when its context says it is not a failure
// (context_guard.h: output of a test that then passed, an error the program
// retried); `context` (over `clean_log`) may be null: one is made.
Location Locate(std::string_view clean_log, const BaselineIndex* baseline = nullptr, FailureContext* context = nullptr);

}  // namespace sentinel::triage
