#include "core/triage/block_classifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/triage/context_guard.h"
#include "core/triage/normalize.h"

namespace sentinel::triage {
namespace {

using C = FailureCategory;

// Causes that explain a failed test run (root cause over symptom).
int CauseRank(C c) {
  switch (c) {
    case C::kOutOfMemory: return 9;
    case C::kDiskFull: return 9;
    case C::kNetworkDns: return 7;
    case C::kTimeout: return 7;
    case C::kDependencyError: return 6;
    case C::kCrash: return 6;
    case C::kNetworkError: return 5;
    default: return 0;
  }
}

// The block lexicon: what interpreters, compilers, runtimes and package
// managers of many ecosystems print for a kind of failure, in words the
// locator's line shapes leave without a category (its weak error lines and
// plain lines). It only names the category of lines already in the block; it
// never makes a line evidence. Each entry is a message template that several
// tools share or a well-known runtime's own wording, never one project's text.
struct LexiconEntry {
  const char* pattern;
  C category;
};
// clang-format off
const LexiconEntry kLexicon[] = {
  // interpreters' and parsers' syntax errors (Ruby, Perl, PHP, Lua, Haskell, shells, YAML/JSON readers)
  {R"((?i)\bsyntax error\b|\bparse error\b|\bunexpected (?:token|end of (?:file|input)|end-of-input|\$end|EOF|keyword|identifier|indentation)\b|(?:'[^']{1,20}'|<eof>) expected near\b)", C::kCompilationError},
  // a module or library that cannot be found or loaded (Perl, Lua, Go, the JVM's linkage errors, mix, luarocks)
  {R"(Can't locate \S+ in @INC|\bmodule '[^']+' not found|(?i:\bcannot find package\b)|no required module provides package|missing go\.sum entry|\bNoClassDefFoundError\b|\bNoSuchMethodError\b|\bNoSuchFieldError\b|\bIncompatibleClassChangeError\b|\bUnsatisfiedLinkError\b|(?i:\bunchecked dependencies\b|\bcould not satisfy dependency\b|\bdependency .{1,80} is not available\b))", C::kDependencyError},
  // the same in general words: a module, package, library, gem, crate or dependency that
  // is not found or cannot be loaded (the shapes of Node's "Cannot find module", javac's
  // "package x does not exist", Meson's "Dependency x not found", pkg-config's "No package")
  {R"((?i)\b(?:module|package|library|gem|crate|dependency|dependencies)\b[^.;]{0,60}?\b(?:not found|not installed|not available|could not be (?:found|resolved|loaded|located)|cannot be (?:found|resolved|loaded)|is missing|are missing)\b|\b(?:could not|cannot|can't|unable to|failed to) (?:find|load|locate|resolve|import) (?:the |required )?(?:module|package|library|gem|crate|dependency|dependencies)\b)", C::kDependencyError},
  // memory exhausted (bison/gcc, GHC, PHP, Ruby, Lua, Go, C++, the kernel's OOM killer)
  {R"((?i:\bmemory exhausted\b|\bheap (?:overflow|exhausted)\b|\bfailed to allocate memory\b|\bnot enough memory\b)|Allowed memory size of \d+ bytes exhausted|Cannot allocate \d+ bytes|std::bad_alloc|\bNoMemoryError\b|runtime: out of memory|Killed process \d+|\boom-kill)", C::kOutOfMemory},
  // an uncaught error that ended the process (PHP, .NET, Node, Elixir/Erlang, Ruby's [BUG])
  {R"(\bUnhandled exception\b|\b[Uu]ncaught exception\b|Fatal error: Uncaught|\*\* \(EXIT\b|Crash dump is being written|^\[BUG\] |\bAborted \(core dumped\))", C::kCrash},
  // a configuration that is wrong or missing, in general words (ESLint's "couldn't find a
  // configuration file", Cargo's "failed to parse manifest", tsc's "Unknown compiler option")
  {R"((?i)\b(?:invalid|unknown|unsupported|unrecognized|malformed) (?:config(?:uration)? )?(?:key|property|setting|option)s? (?:in|for) (?:the )?config|\bconfig(?:uration)? file\b.{0,40}\b(?:not found|is invalid|is missing|could not be (?:read|parsed|loaded)|does not exist)|\b(?:failed to|could not|cannot|unable to) (?:parse|load|read|find) (?:the |a )?(?:config(?:uration)?(?: file)?|settings file|manifest)\b)", C::kConfigError},
  // the build asks for what is not there: a flag, a command, a task (Go's flag package, cabal, mix, rake)
  {R"((?i)\bunrecogni[sz]ed (?:option|command|argument|flag|field)|\bflag provided but not defined\b|\bunknown (?:sub)?command\b|\bunknown (?:shorthand )?flag\b|\binvalid option\b|\bThe task \S+ could not be found\b|\bcould not find (?:a )?task\b|\bis not a task\b|Can't open perl script)", C::kConfigError},
};
// clang-format on

struct Lexicon {
  std::unique_ptr<RE2::Set> set;
};

const Lexicon& TheLexicon() {
  static const Lexicon* lex = [] {
    auto* l = new Lexicon;
    RE2::Options o;
    o.set_never_nl(true);
    o.set_log_errors(false);
    l->set = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
    for (const LexiconEntry& e : kLexicon) {
      std::string err;
      if (l->set->Add(e.pattern, &err) < 0) std::abort();  // a bad built-in entry is a programming error
    }
    if (!l->set->Compile()) std::abort();
    return l;
  }();
  return *lex;
}

// The last resort of a block without any failure shape or lexicon line: an
// uncaught exception's header or trailer as runtimes print it (Node's "Node.js
// v20.1.0" trailer, the throw statement it quotes and its promise rejection, Groovy's "Caught:", Clojure's
// "Execution error (X) at", OCaml's toplevel "Exception:", a qualified exception
// class heading a line, "unhandled"/"uncaught", an exception raised or thrown, a
// "runtime error" in any case, a stack trace's header): the process died of it. Never a cause of failing tests
// (a test's NullPointerException is the test's failure).
const RE2& UncaughtException() {
  static const RE2* re = [] {
    RE2::Options o;
    o.set_never_nl(true);
    return new RE2(R"(^Node\.js v\d+\.\d+|^\s*throw\s|\btriggerUncaughtException\b|^\s*\[?UnhandledPromiseRejection\b|^Caught: [\w.$]+(?:Exception|Error)\b|^Execution error \(\w+\) at |^Exception: \S|^(?:Uncaught )?(?:[a-z_][\w$]*\.)*[A-Z]\w*(?:Exception|Error)(?: \[\w+\])?: \S|(?i:\bun(?:handled|caught)\b|\b(?:raised|thrown|threw)\b.*\b(?:exception|error)|\b(?:exception|error)\b.*\b(?:raised|thrown)\b|\bruntime error\b|^\s*(?:stack )?(?:back)?trace(?:back)?(?: \(most recent call (?:last|first)\))?:\s*$))", o);
  }();
  return *re;
}

// A stack frame as runtimes print them (the locator's follow-on shapes less
// carets, diffs and code excerpts).
const RE2& StackFrame() {
  static const RE2* re = [] {
    RE2::Options o;
    o.set_never_nl(true);
    return new RE2(R"(^\s+at [\w$.<>\[\]/ ]+[(:]|^\s+at [\w$./<>-]+$|^\s*#\d+\s+0x[0-9a-f]+|^\s+File ".*", line \d+|^\s+from \S+:\d+|:\d+:in [`']|^\s+\d+: +0x[0-9a-f]+|^\s*(?:Raised at|Called from|Re-raised at) )", o);
  }();
  return *re;
}

// A diagnostic that says a name could not be resolved or found.
bool UnresolvedName(std::string_view line) {
  static const RE2* re = [] {
    RE2::Options o;
    o.set_never_nl(true);
    o.set_case_sensitive(false);
    return new RE2(R"(unresolved|cannot find|can't find|could not find|not found|does not exist|unknown (?:module|package|import|type|class)|undefined|no such|unbound|cannot resolve|could not resolve|failed to resolve|could not load|cannot load)", o);
  }();
  return RE2::PartialMatch(line, *re);
}

// A source line quoted under a diagnostic that imports a module: "import x",
// "from x import y", "use x::y", "#include <x>", "open X", "require 'x'",
// "const x = require('x')", optionally behind a gutter ("3 | ").
bool ImportStatement(std::string_view line) {
  static const RE2* re = [] {
    RE2::Options o;
    o.set_never_nl(true);
    return new RE2(R"(^\s*(?:\d+\s*\|\s*)?(?:import\s+(?:static\s+)?[\w.{*"']|from\s+[\w.]+\s+import\b|use\s+[\w:]+(?:::|;)|#\s*include\s*[<"]|#import\s*[<"]|@import\s|open\s+[A-Z]\w*|extern\s+crate\s|require(?:_relative)?\s*\(?\s*['"]|(?:const|let|var)\s+\S+\s*=\s*require\s*\())", o);
  }();
  return RE2::PartialMatch(line, *re);
}

}  // namespace

FailureCategory LexiconCategory(std::string_view line) {
  std::vector<int> hits;
  if (!TheLexicon().set->Match(line, &hits) || hits.empty()) return C::kUnknown;
  C best = C::kUnknown;
  for (int i : hits) {
    const C c = kLexicon[i].category;
    if (best == C::kUnknown || CauseRank(c) > CauseRank(best) || (best == C::kCrash && c != C::kCrash && CauseRank(c) >= CauseRank(best)))
      best = c;
  }
  return best;
}

BlockVerdict ClassifyBlock(const Location& loc, std::string_view log, FailureContext* context) {
  BlockVerdict v;
  auto from_exit = [&]() {
    if (!loc.exit_code) return false;
    switch (*loc.exit_code) {
      case 124: v.category = C::kTimeout; v.confidence = 0.6; break;
      case 137: v.category = C::kOutOfMemory; v.confidence = 0.4; break;
      case 127: v.category = C::kConfigError; v.confidence = 0.5; break;
      case 126: v.category = C::kPermissionDenied; v.confidence = 0.4; break;
      case 139: case 134: v.category = C::kCrash; v.confidence = 0.6; break;
      default: return false;
    }
    v.head_line = loc.anchor_line;
    v.reason = "exit-code";
    return true;
  };
  if (!loc.Found()) {
    from_exit();
    return v;
  }
  std::array<int, 16> weight{};
  std::array<int, 16> strong{};
  const LocatedLine* head = nullptr;
  const LocatedLine* cause = nullptr;
  // The block's lines with the lexicon's categories for lines whose shape names none.
  // Such a line explains failing tests as a cause, but heads the block only
  // when no line has a failure shape of its own (a linter's "Parse error" in
  // the document it lints is the linter's finding).
  std::vector<LocatedLine> lines = loc.block.lines;
  std::vector<bool> lexical(lines.size(), false);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    LocatedLine& l = lines[i];
    if (l.shape.category != C::kUnknown && ATestNameLine(TextOf(log, l))) {
      l.shape = {LineRole::kInfo, C::kUnknown, 0};  // a test's name or skip reason, not its failure
      continue;
    }
    if (l.shape.category != C::kUnknown) continue;
    if (l.shape.role != LineRole::kError && l.shape.role != LineRole::kPlain) continue;
    const C lc = LexiconCategory(TextOf(log, l));
    if (lc == C::kUnknown) continue;
    l.shape = {LineRole::kStrong, lc, 2};
    lexical[i] = true;
  }
  const LocatedLine* lexical_head = nullptr;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const LocatedLine& l = lines[i];
    const std::size_t c = static_cast<std::size_t>(l.shape.category);
    if (l.shape.category == C::kUnknown) continue;
    if (loc.used_baseline && l.in_baseline) continue;
    weight[c] += l.shape.weight;
    if (l.shape.role == LineRole::kStrong) {
      ++strong[c];
      if (lexical[i] && !lexical_head) lexical_head = &l;
      if (!lexical[i] && !head) head = &l;
      if (CauseRank(l.shape.category) > 0 && (!cause || CauseRank(l.shape.category) > CauseRank(cause->shape.category)))
        cause = &l;
    }
  }
  if (!head) head = lexical_head;
  if (!head) {
    // No strong shape: the summary or the tool named by a weak line.
    const LocatedLine* weak = nullptr;
    for (const LocatedLine& l : lines)
      if (l.shape.category != C::kUnknown && !(loc.used_baseline && l.in_baseline)) {
        weak = &l;
        break;
      }
    if (!weak) {  // a weak line that names the tool (a linter run, a test summary) says more
      // An error line with a stack trace under it: the program died of that
      // error (the frames' shapes are the locator's: "at f (x.js:3:5)", "File
      // \"x.py\", line 3", "from x.rb:3:in", "#0 0x4005d6 in main").
      int frames = 0;
      const LocatedLine* first_error = nullptr;
      for (const LocatedLine& l : lines) {
        if (loc.used_baseline && l.in_baseline) continue;
        if (l.shape.role == LineRole::kError && !first_error) first_error = &l;
        if (first_error && l.shape.role == LineRole::kFollow && RE2::PartialMatch(TextOf(log, l), StackFrame())) ++frames;
      }
      auto survived = [&](const LocatedLine& l) { return context && context->Guarded(l.begin, l.end, C::kCrash); };
      const LocatedLine* uncaught = first_error && frames >= 2 && !survived(*first_error) ? first_error : nullptr;
      for (const LocatedLine& l : lines) {
        if (uncaught) break;
        if (loc.used_baseline && l.in_baseline) continue;
        if (l.shape.role == LineRole::kInfo || l.shape.role == LineRole::kBlank) continue;
        if (RE2::PartialMatch(TextOf(log, l), UncaughtException()) && !survived(l)) uncaught = &l;
      }
      if (uncaught) {
        v.category = C::kCrash;
        v.head_line = uncaught->line;
        v.head_text = std::string(TextOf(log, *uncaught));
        v.confidence = 0.5;  // a last resort: any signature that matched in the block says more
        v.reason = "uncaught";
        return v;
      }
    }
    if (from_exit()) return v;
    if (!weak) return v;
    v.category = weak->shape.category;
    v.head_line = weak->line;
    v.head_text = std::string(TextOf(log, *weak));
    v.confidence = weak->shape.role == LineRole::kSummary ? 0.6 : 0.45;
    v.reason = "weak";
    return v;
  }
  const LocatedLine* decider = head;
  C decided = head->shape.category;
  v.reason = "head";
  // The shell's report that a signal killed the process says what happened to
  // it, whatever the process printed first.
  const LocatedLine* killed = nullptr;
  for (const LocatedLine& l : lines)
    if (l.shape.decisive && !(loc.used_baseline && l.in_baseline)) {
      killed = &l;
      break;
    }
  if (killed && killed != head && CauseRank(head->shape.category) < CauseRank(killed->shape.category)) {
    decider = killed;
    decided = killed->shape.category;
    v.reason = "root-cause";
  } else if (cause && cause != head && (head->shape.category == C::kTestFailure || head->shape.category == C::kUnknown)) {
    decider = cause;
    decided = cause->shape.category;
    v.reason = "root-cause";
  } else if (head->shape.category == C::kCompilationError) {
    // A compiler's diagnostic names its cause in its own detail lines (rustc's
    // "use of unresolved module or unlinked crate `x`" under "unresolved
    // import"), or points at an import statement it cannot resolve (Kotlin's
    // "unresolved reference: okhttp3" over "import okhttp3.OkHttpClient"): a
    // dependency that is not there.
    std::size_t h = 0;
    while (h < lines.size() && &lines[h] != head) ++h;
    for (std::size_t j = h + 1; j < lines.size() && j <= h + 10; ++j) {
      const LocatedLine& l = lines[j];
      if (l.shape.role == LineRole::kStrong && l.shape.category == C::kDependencyError) {
        decider = &l;
        decided = C::kDependencyError;
        v.reason = "root-cause";
        break;
      }
      if (l.shape.role == LineRole::kStrong || l.shape.role == LineRole::kSummary) break;  // the next diagnostic
      if (j <= h + 3 && UnresolvedName(TextOf(log, *head)) && ImportStatement(TextOf(log, l))) {
        decided = C::kDependencyError;
        v.reason = "root-cause";
        break;
      }
    }
  }
  if (loc.exit_code && *loc.exit_code == 124 && decided != C::kTimeout) {
    v.category = C::kTimeout;
    v.head_line = decider->line;
    v.head_text = std::string(TextOf(log, *decider));
    v.confidence = 0.7;
    v.reason = "exit-code";
    return v;
  }
  v.category = decided;
  v.head_line = decider->line;
  v.head_text = std::string(TextOf(log, *decider));
  const std::size_t c = static_cast<std::size_t>(v.category);
  // Evidence quality: strong lines of the decided kind, agreement of the rest.
  int total_strong = 0;
  for (int s : strong) total_strong += s;
  double conf = 0.55;
  if (strong[c] >= 2) conf += 0.12;
  if (strong[c] >= 4) conf += 0.05;
  if (weight[c] * 2 >= [&] {
        int t = 0;
        for (int w : weight) t += w;
        return t;
      }())
    conf += 0.08;  // the kind carries most of the block's weight
  if (total_strong > strong[c] && v.reason == "head") conf -= 0.08;  // other kinds disagree
  if (loc.anchor_line > 0) conf += 0.05;                             // a failed command ends the block's region
  if (loc.used_baseline && loc.block.new_lines > 0) conf += 0.03;
  v.confidence = std::clamp(conf, 0.3, kMaxShapeConfidence);
  return v;
}

bool AWarning(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  line.remove_prefix(i);
  auto starts = [&](std::string_view p) { return line.substr(0, p.size()) == p; };
  if (starts("W: ") || starts("npm WARN") || starts("npm warn")) return true;
  if (!line.empty() && line.front() == '[') line.remove_prefix(1);
  for (std::string_view w : {"WARNING", "WARN", "Warning", "warning", "warn"}) {
    if (!starts(w)) continue;
    const std::string_view rest = line.substr(w.size());
    return rest.empty() || rest.front() == ':' || rest.front() == ']' || rest.front() == ' ';
  }
  return false;
}

bool ATestNameLine(std::string_view line) {
  static const RE2* re = [] {
    RE2::Options o;
    o.set_never_nl(true);
    return new RE2(R"(^\s*# Subtest: |\S::\S+ (?:SKIPPED|XFAIL|XPASS|PASSED)\b|\s(?:SKIPPED|XFAIL|XPASS)(?:\s+\(|\s*$))", o);
  }();
  return RE2::PartialMatch(line, *re);
}

std::string ShapeKey(std::string_view line) {
  const std::string tmpl = NormalizeLine(line);
  std::string out;
  bool last_star = false;
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < tmpl.size() && tmpl[j] != ' ') ++j;
    std::string_view tok(tmpl.data() + i, j - i);
    i = j;
    // Trailing punctuation stays with the tool's words ("context:" -> "context" ":").
    std::string_view core = tok;
    std::string_view tail;
    while (!core.empty() && (core.back() == ':' || core.back() == ',' || core.back() == ';')) {
      tail = tok.substr(core.size() - 1);
      core.remove_suffix(1);
    }
    bool ident = false;
    bool lower = false;
    for (std::size_t k = 0; k < core.size(); ++k) {
      const unsigned char ch = static_cast<unsigned char>(core[k]);
      if (ch == '.' || ch == '/' || ch == '\\' || ch == '_' || ch == '<' || ch == '\'' || ch == '"' || ch == '`' ||
          ch == '(' || ch == '$' || ch == '@' || ch == '=' || std::isdigit(ch) || ch >= 0x80)
        ident = true;
      if (ch == ':' && k + 1 < core.size()) ident = true;  // Mod::fn, file:line
      if (std::islower(ch)) lower = true;
      if (std::isupper(ch) && lower) ident = true;  // camelCase
    }
    // A word of letters and simple punctuation is the tool's; brackets and
    // markers ("[FAIL]", "***", "--") too.
    if (core.empty() || !ident) {
      out += std::string(core) + std::string(tail) + " ";
      last_star = false;
    } else if (!last_star) {
      out += "* ";
      last_star = true;
    }
  }
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace sentinel::triage
