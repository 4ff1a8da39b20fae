#pragma once
// The generic classifier of a located failure block (locator.h): the shapes of
// its lines decide the category whatever the tool. Signatures stay the precise
// layer on top (triage.cc). Pure; thread-safe.
//
// Root cause over symptom: the category of the block's first failure shape
// (its head) wins, except that a test failure caused by something else takes
// that cause: a test that fails because a module cannot be imported is a
// dependency_error, a test killed at its time limit a timeout, a crash inside a
// test run a crash (and likewise OOM, disk, DNS, network).
//
// Confidence comes from the evidence's quality: several strong lines of one
// kind inside the block are worth more than one; a block of weak error words
// or of a summary only is worth less; a classification from shapes alone never
// reaches 0.9 (a signature that matches inside the block can).

#include <string>
#include <string_view>

#include "core/model/vocab.h"
#include "core/triage/locator.h"

namespace sentinel::triage {

inline constexpr double kMaxShapeConfidence = 0.85;

class FailureContext;

struct BlockVerdict {
  FailureCategory category = FailureCategory::kUnknown;
  double confidence = 0;
  int head_line = 0;        // the line whose shape decided it (1-based), 0 if none
  std::string head_text;    // that line, clean
  std::string reason;       // "head", "root-cause", "exit-code", "weak" (for hints and tests)
};

// `context` (optional, the log's context guards): the last resort's uncaught
// exception is no crash when its context says the program went on (a test that
// then passed, a handled error).
BlockVerdict ClassifyBlock(const Location& loc, std::string_view clean_log, FailureContext* context = nullptr);

// The block lexicon's category of a line (kUnknown if none): well-known
// messages of interpreters, runtimes and package managers (Perl's "Can't
// locate X in @INC", a parser's "syntax error", the JVM's linkage errors, PHP's
// "Allowed memory size ... exhausted") for lines the locator's shapes leave
// without a category. Exposed for tests.
FailureCategory LexiconCategory(std::string_view line);

// A line's shape key for fingerprints: its template (normalize.h) with
// identifiers (dotted, slashed, snake/camel case, quoted, numbered tokens)
// masked, so the same failure of another test, file or run keeps its key while
// the tool's own words stay ("* [FAIL]", "* failed on line *", "* error *: The
// name * does not exist in the current context").
std::string ShapeKey(std::string_view line);

// A line printed at warning level ("W: ", "WARNING ...", "warning: ", "[WARN]",
// "npm WARN"): the tool said so and went on, so the line does not explain a
// failure after it (apt's "W: Failed to fetch ... Could not connect").
bool AWarning(std::string_view line);

// A test runner's line that names a test or reports one that did not fail
// (TAP's "# Subtest: NAME", pytest's "path::test SKIPPED (reason)", "XFAIL",
// "XPASS"): a signature's keyword in it is the test's name or the skip reason,
// not a failure. Part of the first kind of context guard (context_guard.h),
// with locator.h's NotAFailureLine.
bool ATestNameLine(std::string_view line);

}  // namespace sentinel::triage
