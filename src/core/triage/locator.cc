#include "core/triage/locator.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/triage/block_classifier.h"
#include "core/triage/classifier.h"
#include "core/triage/context_guard.h"
#include "core/triage/fingerprint.h"

namespace sentinel::triage {
namespace {

using C = FailureCategory;
using R = LineRole;

// One line shape. Shapes describe how tools of many ecosystems print a kind of
// line, never one project's text. `dominant` informational shapes win over
// every failure shape on the same line (a passing test whose name says
// "Permission denied" is a passing test); the others (log levels below
// warning) yield to strong failure shapes (sbt prints "[info] - x *** FAILED ***").
struct ShapeRule {
  const char* pattern;
  R role;
  C category;
  int weight;
  bool dominant = false;
  // An informational "key: value" line that yields to a follow-on shape
  // (an assertion's "expected: false" is not a feature list).
  bool yields_to_follow = false;
  // A message more specific than the generic diagnostic shape it shares a
  // line with ("file:line:col: error: ..." of compilers and type checkers, a
  // runner's marker): a build file's error, a missing module named by the
  // compiler. Wins over compilation_error and test_failure on the same line
  // (linters' rule ids always do).
  bool specific = false;
  // The shell's report of a process killed by a signal ("line 1: 4242
  // Aborted  ./app"): what happened to the process, whatever it printed before.
  bool decisive = false;
};

// clang-format off
const ShapeRule kRules[] = {
  // ---- informational: never evidence
  {R"(^\s*(?:ok|PASS|PASSED|pass|passed|✓|✔|√|\[\+\])\x{FE0F}?(?:\s|:|$))", R::kInfo, C::kUnknown, 0, true},
  {R"(\bPASSED\b|\bPASS:|\bXFAIL\b|\bXPASS\b|\bskipped\b.*\breason\b)", R::kInfo, C::kUnknown, 0, true},
  {R"(^\s*\[\s*(?:OK|PASSED|SKIPPED|SKIP|RUN|DISABLED)\s*\])", R::kInfo, C::kUnknown, 0, true},
  {R"(^\s*(?:=== RUN|=== PAUSE|=== CONT|--- PASS|--- SKIP)\b)", R::kInfo, C::kUnknown, 0, true},
  {R"(^\s*(?:SKIP|SKIPPED|PENDING|TODO|skip|pending)\b)", R::kInfo, C::kUnknown, 0, true},
  {R"(^\s*ok \d+\b)", R::kInfo, C::kUnknown, 0, true},  // TAP "ok 5 - name"
  {R"(^\s*[\w .+/()-]{1,40}:\s+(?:yes|no|enabled|disabled|altstack|normal|supported|unsupported|none|auto|on|off|true|false|ON|OFF|YES|NO|found)\s*$)", R::kInfo, C::kUnknown, 0, true, true},
  {R"(^\$ \S)", R::kInfo, C::kUnknown, 0, true},  // an echoed command
  {R"(^(?:store build cache|changes detected, packing new archive|uploading archive|cache uploaded|Setting up build cache|attempting to download cache archive|fetching .*cache|adding .* to cache|nothing changed|\.\.\.$|travis_|Done\. Your build exited))", R::kInfo, C::kUnknown, 0, true},
  {R"(^\s*\d+ passing\b|^\s*\d+ pending\b)", R::kInfo, C::kUnknown, 0, true},
  // A log level below warning: an upper-case level anywhere as a token; a
  // lower-case one only where a level stands (the line's start, in brackets,
  // before a colon, after the program's name as npm writes it), not a word of
  // a sentence or a test's name ("parameter info").
  {R"((?:^|[\s\[|(])(?:DEBUG|TRACE|INFO|VERBOSE|NOTICE)(?:[\s\]:|)]|$)|^\s*(?:debug|trace|info|verbose)(?:[\s:]|$)|[\[(<](?:debug|trace|info|verbose)[\])>]|(?:^|\s)(?:debug|trace|info|verbose):\s|^[\w.-]+ (?:debug|trace|info|verbose|verb|timing|sill)\s)", R::kInfo, C::kUnknown, 0, true},
  {R"(^[DI], \[\d{4}-)", R::kInfo, C::kUnknown, 0, true},  // Ruby Logger below warning

  // ---- exits: the failing command
  {R"(^The command .* exited with \d+\.?\s*$)", R::kExit, C::kUnknown, 0},
  {R"(^The command .* failed(?: and exited with \d+| \d+ times)?\b)", R::kExit, C::kUnknown, 0},
  {R"(^[^"]*" exited with \d+\.\s*$)", R::kExit, C::kUnknown, 0},
  {R"(Process completed with exit code \d+|script returned exit code \d+|Job failed: exit code \d+|^Exited with code (?:exit status )?\d+)", R::kExit, C::kUnknown, 0},

  // ---- cascade: follow-ons of a failure already shown
  {R"(^g?make(?:\[\d+\])?: \*\*\* (?:\[|Waiting for unfinished)|recipe for target .* failed|^ninja: build stopped)", R::kCascade, C::kUnknown, 1},
  {R"(^npm ERR! (?:code\b|errno\b|syscall\b|Exit status|Failed at|This is (?:probably|most likely)|A complete log|Please include|Tell the author|You can get|not with npm itself|Make sure you have|Linux|Darwin|Windows_NT|argv|node v|npm +v|Test failed|[\w@./-]+ [\w:.-]+: `|\s*$|$|Additional logging|Or if that isn't|There is likely additional|\s+/))", R::kCascade, C::kUnknown, 1},
  {R"(^(?:error|info) (?:Command failed with exit code|Visit https://yarnpkg))", R::kCascade, C::kUnknown, 1},
  {R"(^(?:Tasks: TOP =>|\(See full trace by running task with --trace\)|rake aborted!|Execution halted|See above for more details|Command failed with status))", R::kCascade, C::kUnknown, 1},
  {R"(errored after|^Error: Process exited with code|^\[ERROR\] (?:-> \[Help|Re-run Maven|To see the full stack|For more information|$|\s*$)|^ERROR: Job failed)", R::kCascade, C::kUnknown, 1},
  {R"(^(?:BUILD FAILED|Build FAILED\.?|BUILD FAILURE|\[ERROR\] BUILD FAILURE|FAILURE: Build failed with an exception\.|\* What went wrong:|\* Try:|Error: Process completed))", R::kCascade, C::kUnknown, 1},
  {R"(^error: aborting due to|^error: could not compile|^To learn more, run the command again with --verbose|^error: build failed|^\[\d\d:\d\d:\d\d\] )", R::kCascade, C::kUnknown, 1},

  // ---- follow-on lines: part of the block before them
  {R"(^\s+at [\w$.<>\[\]/ ]+[(:]|^\s+at [\w$./<>-]+$|^\s+at <|^\s*#\d+\s+0x[0-9a-f]+|^\s+File ".*", line \d+|^\s+from \S+:\d+|:\d+:in [`']|^\s+\d+: +0x[0-9a-f]+|^\s+\(\S+ [\d.]+\) \S+:\d+:|^\s*\.\.\.\s*\d* more\b|^\s+# \./|^\s*at \S.*[:(]\d+\)?$)", R::kFollow, C::kUnknown, 0},
  {R"(^\s*\^[\^~-]*\s*$|^\s*[~-]*\^[\^~]*\s*$|^\s*\d+\s*\|\s|^\s+\|(?:\s|$)|^[-+]{3} |^@@ |^\d{3}[+-] |^[+-]\s*['"\w\[{(]|^\s*(?:Expected|Actual|expected|actual|Received|received)\s*:)", R::kFollow, C::kUnknown, 0},

  // ---- compilers and type checkers
  {R"(^\S.*?:\d+:\d+:\s*(?:fatal )?error\b)", R::kStrong, C::kCompilationError, 3},
  {R"(^\S.*?\(\d+,\d+\):\s*(?:fatal )?error\s+[A-Z]*\d+)", R::kStrong, C::kCompilationError, 3},
  {R"(\berror\[E\d{4}\]|^error: (?:linking with|cannot find|expected|mismatched|unresolved|unknown|use of undeclared))", R::kStrong, C::kCompilationError, 3},
  {R"(^\S.*?:\d+: (?:error|undefined reference|multiple definition)|undefined reference to |collect2: error: ld returned|\bld: symbol\(s\) not found|^ld: library not found)", R::kStrong, C::kCompilationError, 3},
  {R"(\bcannot find symbol\b|\b(?:SyntaxError|IndentationError|TabError|CompileError|ParseError)\b|\bCompilation (?:failed|error)|\bcompilation (?:failed|terminated)|COMPILATION ERROR|Compilation error in file)", R::kStrong, C::kCompilationError, 3},
  {R"(\bNot in scope\b|Couldn't match|Could not match type|No instance for|has no member named|unknown type name|undeclared identifier|was not declared in this scope|does not exist in the current context|is inaccessible due to|cannot find type|unresolved import|unknown attribute|Cannot implicitly convert|does not name a type|no matching function for call|incompatible types|cannot be resolved to a type|is not a member of|Type mismatch|type mismatch)", R::kStrong, C::kCompilationError, 3},
  {R"(^\s*(?:\[error\]|\[ERROR\]|\[E\]) \S+\.\w+:\[?\d+)", R::kStrong, C::kCompilationError, 3},
  {R"(^❌\s)", R::kStrong, C::kCompilationError, 2},
  {R"(^File "[^"]+", lines? \d+(?:-\d+)?, characters \d+-\d+:$)", R::kStrong, C::kCompilationError, 2},  // OCaml's location (Python's frames say ", in f")
  {R"(^\S+\.(?:hs|purs|erl|hrl|ex|exs|go|swift|c|cc|cpp|cxx|h|hpp|m|mm|rs|cs|fs|ts|tsx|java|scala|kt|elm|ml|nim|zig|d|f90|vb|cr|dart|vala|sol)(?::\d+)+:\s)", R::kStrong, C::kCompilationError, 2},

  // ---- linters, formatters, static analysis, documentation and link checks
  {R"(^\S+?:\d+(?::\d+)?:?\s+(?:\[?[A-Z]{1,4}\d{2,4}\]?|[A-Z]\d{3})\b)", R::kStrong, C::kLintError, 3},   // flake8 E128, tldr-lint TLDR004, shellcheck SC2086
  {R"(^\S+?:\d+:\d+: [CWERF]: (?:\[Correctable\] )?[A-Z]\w+/\w+)", R::kStrong, C::kLintError, 3},         // rubocop
  {R"(^\s*\d+:\d+\s+(?:error|warning|✖|⚠|×)\s+.+\S\s{2,}\(?[@\w/-]+\)?\s*$)", R::kStrong, C::kLintError, 3},  // eslint stylish, yamllint
  {R"(^\s*\d+:\d+\s+.+\((?:[a-z]+-)+[a-z]+\)\s*$|\(prettier/prettier\)|\([a-z]+(?:-[a-z]+)*/[a-z]+(?:-[a-z]+)+\)\s*$)", R::kStrong, C::kLintError, 3},
  {R"(^✖ \d+ problems? \(|\b\d+ (?:offenses?|problems?|violations?|lint errors?) (?:detected|found)|^Offenses:$|\bwould reformat\b|\bwould be reformatted\b|were not formatted|not (?:properly )?formatted|--check-formatted|[Cc]ode style issues|^Diff in \S+(?: at line \d+)?:?$|\bMD\d{3}/[\w-]+|\bSC\d{4}\b|Overfull \\[hv]box|Underfull \\[hv]box|\b(?:dead|broken) links?\b|\bLinkcheck|Use JavaScript Standard Style|clang-format-violations|code should be clang-formatted|\(Severity: \d\)$|: (?:error|warning|style|performance|portability): .* \[[a-z]+[A-Z]\w*\]$|\[(?:bugprone|cert|clang-analyzer|cppcoreguidelines|google|hicpp|llvm|misc|modernize|performance|readability|portability)-[\w.-]+(?:,-warnings-as-errors)?\]$|\bfiles? would be reformatted\b|failed to resolve \d+ references?|LaTeX Warning: (?:Reference|Citation) .* undefined)", R::kStrong, C::kLintError, 3},
  // A diagnostic that ends with a rule id in brackets (mypy "[arg-type]", clang-tidy
  // "[readability-x,-warnings-as-errors]", checkstyle "[LeftCurly]", eslint -f unix
  // "[Error/no-undef]"); compilers' "[-Wflag]" start with a dash.
  {R"(^\S+?:\d+(?::\d+)?:?\s.*\S\s*\[(?:[a-z][a-z0-9]*(?:[-/][a-z0-9]+)+(?:,-warnings-as-errors)?|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+|(?:Error|Warning)/[\w@/-]+)\]$)", R::kStrong, C::kLintError, 3},
  // Sources of interpreted languages, data and documents have no compiler printing
  // "file:line:col: message" (their interpreters say "line N" or "file:N:in"): such a
  // line is a linter's finding (pyflakes, pycodestyle, pylint, ruff, eslint -f unix,
  // shellcheck -f gcc); documents' checkers give the line alone (markdownlint,
  // codespell, rst-lint, doc8, Sphinx).
  // ... except the interpreter's own parser (R: "test.R:4:1: unexpected '<'")
  {R"(^\s*\S+\.(?:pyi?|rb|rake|pl|pm|php|lua|sh|bash|zsh|js|mjs|cjs|jsx|vue|[Rr]|tcl|ya?ml|json|toml|css|scss|less|sql|ps1):\d+:\d+:? (?:unexpected\b|syntax error|parse error|invalid syntax))", R::kStrong, C::kCompilationError, 3, false, false, true},
  {R"(^\s*\S+\.(?:pyi?|rb|rake|pl|pm|php|lua|sh|bash|zsh|js|mjs|cjs|jsx|vue|[Rr]|tcl|ya?ml|json|toml|css|scss|less|sql|ps1):\d+:\d+:? \S|^\S+\.(?:md|markdown|rst|adoc|asciidoc|tex|html?|xml)(?::\d+)+:?\s|^(?:ERROR|WARNING|SEVERE)\s+\S+\.(?:md|markdown|rst|adoc|asciidoc|txt|tex):\d+)", R::kStrong, C::kLintError, 3},
  // cpplint "[category/name] [5]"; pydocstyle's indented "D100: ..."; bandit's "Issue: [B602:name]"
  {R"(\[[a-z]+/[\w,+-]+\] \[[1-5]\]$|^\s+[A-Z]{1,3}\d{3,4}: \S|\bIssue: \[[A-Z]+\d+:\w+\])", R::kStrong, C::kLintError, 3},
  // formatters' diffs ("(original)"/"(reformatted)", ":before"/":after", ".orig"), sorting checks,
  // type checkers' and linters' totals, rustdoc's and clippy's lint names, eslint -f compact
  {R"(^--- \S+\s+\(original\)|^\+\+\+ \S+\s+\(reformatted\)|^--- \S+:before\b|^\+\+\+ \S+:after\b|^--- \S+\.orig(?:\s|$)|\b(?:incorrectly|improperly|badly) (?:sorted|formatted)\b|Found \d+ errors? in \d+ files? \(checked \d+|^Checkstyle ends with \d+ errors?|^Total errors found: [1-9]|: line \d+, col \d+, (?:Error|Warning) - |\bunresolved link to\b|\bbroken[_ -]intra[_ -]doc[_ -]links?\b|\brustdoc::[\w-]+|\bclippy::[a-z_]+|^error: could not document\b)", R::kStrong, C::kLintError, 3},
  {R"((?i)^\s*(?:> |\$ |\+ )?(?:\S*/)?(?:npx |yarn |bundle exec |python3? -m )?(?:pylint|flake8|pycodestyle|rubocop|eslint|tslint|stylelint|markdownlint|shellcheck|golint|golangci-lint|clippy|ktlint|checkstyle|scalastyle|swiftlint|perlcritic|phpcs|credo|hlint|luacheck|mypy|yamllint|htmlhint|jshint|jscs|csslint|coffeelint|eclint|editorconfig|prettier|gofmt|rustfmt|clang-format|black|isort|codespell|misspell)(?:\s|$))", R::kError, C::kLintError, 1},

  // ---- package managers: resolution and install
  {R"((?i)\b(?:ModuleNotFoundError|ImportError)\b|No module named|Cannot find module|Can't resolve '|Module not found|cannot load such file|\bLoadError\b|could not find gem|MissingSpecError|Could not find a version that satisfies|No matching distribution found|Could not resolve dependencies|Failed to resolve (?:dependenc|artifact|package|module|import|version)|unable to resolve dependency|\bERESOLVE\b|npm ERR! 404|\bE404\b|No matching version found|there is no package called|required but not available|could not be resolved to an installable set|requirements could not be resolved|None of your spec sources contain a spec|could not find compatible versions|error while loading shared libraries|cannot open shared object file|Unable to locate package|Could not find artifact|Could not transfer artifact|Failed to collect dependencies|missing dependenc|Could not find module|Failed building wheel|(?-i:Could NOT find)|No package '.*' found|Package .* was not found in the pkg-config|was not found\. Make sure the source file exists)", R::kStrong, C::kDependencyError, 3},
  // a compiler or build system that cannot find an imported module, crate, package,
  // header or library (rustc, javac, tsc, OCaml, Groovy, Clojure, gcc/clang, ld, Meson)
  {R"(use of (?:undeclared|unresolved) (?:crate or module|module or unlinked crate)|can't find crate for|\berror: package [\w.]+ does not exist|\bUnbound module [A-Z]|unable to resolve class [\w.$]+|Could not locate \S+(?:,? \S+)*? or \S+ on classpath|ERROR: Dependency "[^"]+" not found|fatal error: [\w./+-]+\.(?:h|hh|hpp|hxx|H|inc): No such file or directory|fatal error: '[^']+\.(?:h|hh|hpp|hxx|H|inc)' file not found|\bld(?:\.\w+)?: cannot find -l\S+|\bld: library not found for -l)", R::kStrong, C::kDependencyError, 3, false, false, true},
  {R"((?i)an error occurr?ed while installing|\berror installing\b|failed to install|installation failed|unmet dependenc|could not find (?:a )?(?:package|dependency)|dependency resolution failed|version solving failed|Problem \d+$)", R::kStrong, C::kDependencyError, 2},

  // ---- timeouts of jobs and of tests
  {R"((?i)\btimed out\b|timeout of \d+ ?ms exceeded|TimeoutException|No output has been received in the last|exceeded the maximum (?:time|execution time)|execution expired|deadline exceeded|Test timed out|killed after timeout|\btime ?limit (?:exceeded|reached)|Timed out waiting)", R::kStrong, C::kTimeout, 3},

  // ---- crashes and panics
  {R"(Segmentation fault|\bSIGSEGV\b|\bSIGABRT\b|\bSIGBUS\b|\bSIGILL\b|core dumped|AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer|UndefinedBehaviorSanitizer|Access violation|[Ss]tack overflow|fatal runtime error|^panic: |^fatal error: (?:unexpectedly|all goroutines)|Abort trap|terminated by signal|killed by signal|Fatal Python error|EXC_BAD_ACCESS|double free|heap-use-after-free|buffer-overflow|Illegal instruction|Bus error|terminate called after|Test crashed|\bcrashed\b|Floating point exception|stack smashing detected|\bStackOverflowError\b|Maximum call stack size exceeded|free\(\): invalid|malloc\(\): (?:corrupted|memory corruption)|^Fatal error: exception \S)", R::kStrong, C::kCrash, 3},
  // the shell's report of a process a signal killed ("bash: line 1: 4242 Aborted   ./app")
  {R"(^(?:\S*sh|\S+\.sh)?:? ?line \d+: +\d+ (?:Aborted|Segmentation fault|Floating point exception|Illegal instruction|Bus error|Trace/breakpoint trap)\b)", R::kStrong, C::kCrash, 3, false, false, false, true},

  // ---- network, permissions, disk, memory (the KB names them precisely)
  {R"((?i:Could not resolve host|Temporary failure in name resolution|Name or service not known|nodename nor servname)|\bgetaddrinfo\b|\bENOTFOUND\b|\bEAI_AGAIN\b)", R::kStrong, C::kNetworkDns, 3},
  {R"((?i)Connection refused|Connection reset|ECONNRESET|ECONNREFUSED|ETIMEDOUT|Network is unreachable|Could not create connection|Failed to connect to|SSL_connect|TLS handshake|Connection timed out|Read timed out|connect timed out|unable to access 'https?:)", R::kStrong, C::kNetworkError, 3},
  {R"(Permission denied|\bEACCES\b|Operation not permitted|\bEPERM\b)", R::kStrong, C::kPermissionDenied, 2},
  {R"(No space left on device|\bENOSPC\b|[Dd]isk quota exceeded)", R::kStrong, C::kDiskFull, 3},
  {R"(Out of memory|out of memory|\bOOMKilled\b|Cannot allocate memory|JavaScript heap out of memory|MemoryError|OutOfMemoryError)", R::kStrong, C::kOutOfMemory, 3},

  // ---- configuration: the build asks for what is not there
  {R"((?i)command not found|is currently not installed|No such file or directory|Illegal (?:switch|option)|Unknown (?:option|command|argument|target|task|switch)|unrecognized (?:option|command|argument|arguments)|invalid (?:option|argument|configuration)|No Rakefile found|Don't know how to build task|No rule to make target|Unable to find a destination|no such task|not a valid (?:command|option)|could not find .* in PATH|is not recognized as an internal or external command|Build input file cannot be found|does not exist\b.*\b(?:path|file|directory)|not supported by this|requires .* version|[Nn]o such (?:option|command|file)|configure: error:|^Usage: |^usage: )", R::kStrong, C::kConfigError, 2},
  // build files and tool configuration: make, CMake, Meson, tsc's option errors, ESLint, Cargo
  {R"(\bMissing script: |\*\*\* missing separator|No targets specified and no makefile found|No rule to make target|Unknown CMake command|CMake [\d.]+ or higher is required|^\s*Cannot find source file:|No SOURCES given to target|ERROR: Unknown options?: |ERROR: Neither (?:source directory .* nor build directory .* contain|directory contains) a build file|\berror TS5\d{3}: |(?i:couldn't find (?:a|the) config(?:uration)? file|No ESLint configuration found)|^error: failed to parse manifest)", R::kStrong, C::kConfigError, 3, false, false, true},
  {R"((?i)remote branch .* not found|Unexpected termination of the channel|\bAgent \S+ was marked offline\b|ChannelClosedException|Could not find remote branch|Failed to clone|fatal: Could not read from remote repository|The job exceeded the maximum log length|Could not find the GitHub status)", R::kStrong, C::kInfrastructure, 2},

  // ---- test runners: per-test failure markers and assertion diffs
  {R"(^\s*--- FAIL: |^FAIL\b|^\s*FAIL:|\bFAIL\s*$|\[FAIL\]|\[\s*FAILED\s*\]|\*\*\* FAILED \*\*\*|<<< (?:FAILURE|ERROR)!|^not ok\b|^\s*[✗✖×✘]\s|^\s*\[-\] |^(?:ERROR|FAIL): test|failed on line \d+|^\s*Error Trace:|Test Suite '.*' failed|^\s*\d+\) \S|^\s*\S+\s+(?:ERROR|FAIL|FAILED)\s*$|^Failures:$|^Errors:$|^There (?:was|were) \d+ (?:failure|error)s?:|^\s*\d+ failing\b|^=+ FAILURES =+$|^_{3,} .* _{3,}$|^Module Failed:|\.\.\. (?:FAILED|FAIL|ERROR)$|\bpanicked at\b)", R::kStrong, C::kTestFailure, 3},
  {R"(Failure/Error:|AssertionError|AssertError|Assert\.\w+\(\) Failure|[Aa]ssertion failed|Failed asserting|\bassert(?:ion)?\b.*(?:==|!=|failed)|^E\s{2,}\S|but was:|but got|expected .* (?:to |but |got )|Expected and actual|\bexpectations? failed\b|^\s*Error:\s+Should )", R::kStrong, C::kTestFailure, 3},

  // ---- summaries: totals with failures in them
  {R"((?i)\b(?:found|total:?)\s+[1-9]\d* (?:warnings?|problems?|issues?|hints?|violations?|offen[cs]es?|suggestions?)\b|^Total errors found: [1-9])", R::kSummary, C::kLintError, 1},  // a linter's totals
  {R"(Tests run: \d+, Failures: [1-9]|Tests run: \d+, Failures: \d+, Errors: [1-9]|\b\d+ examples?, [1-9]\d* failures?|^FAILURES!$|^Tests: \d+, Assertions: \d+, (?:Failures|Errors)|FAILED TEST SUMMARY|short test summary info|^Failed tests:|^Tests in error:|Executed \d+ tests?, with [1-9]\d* failures?|Tests ok \d+/\d+|(?:^|[\s,;(])[1-9]\d* (?:failed|failures?)[,;]|(?:^|[\s,;(])[1-9]\d* (?:failed|failures?)(?: in| out of|$)|Failed: [1-9]|\bFailed: \d+, Errors: |Tests Failed: [1-9]|\d+ tests? completed, [1-9]\d* failed|^Ran \d+ tests?|(?i:\btests? failed\b))", R::kSummary, C::kTestFailure, 1},

  // ---- weak error words
  {R"(^Caught: \S|^Execution error \(\w+\) at |^Exception: \S|^(?:Uncaught )?(?:[a-z_][\w$]*\.)*[A-Z]\w*(?:Exception|Error)(?: \[\w+\])?: \S)", R::kError, C::kUnknown, 1},  // uncaught exceptions' headers
  {R"((?i)\berror\b|\bERR!|\bfail(?:ed|ure|s)?\b|\bfatal\b|\bexception\b|\bpanic\b|\babort(?:ed)?\b|\bdenied\b|\bcannot\b|\bcan't\b|\bcould not\b|\bcouldn't\b|\bunable to\b|\btraceback\b|\bkilled\b|\bnot found\b|\bno such\b|\bundefined\b|\binvalid\b|\bmissing\b|\bwarning: .* treated as error)", R::kError, C::kUnknown, 1},
};
// clang-format on

struct Compiled {
  std::unique_ptr<RE2::Set> set;
  std::vector<std::unique_ptr<RE2>> exits;  // exit-marker patterns, with the code captured
  // A compiler diagnostic below error level (gcc/clang/swiftc/javac "file:line[:col]: warning:",
  // MSVC and C# "file(line,col): warning CS0168"), and the notes among them.
  std::unique_ptr<RE2> below_error, note;
};

const Compiled& Rules() {
  static const Compiled* c = [] {
    auto* out = new Compiled;
    RE2::Options o;
    o.set_never_nl(true);
    o.set_log_errors(false);
    o.set_max_mem(64 << 20);
    out->set = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
    for (const ShapeRule& r : kRules) {
      std::string err;
      if (out->set->Add(r.pattern, &err) < 0) std::abort();  // a bad built-in rule is a programming error
    }
    if (!out->set->Compile()) std::abort();
    out->below_error = std::make_unique<RE2>(
        R"(^\S+?(?::\d+(?::\d+)?:|\(\d+(?:,\d+)?\):)\s*(?i:warning|note|remark|info)\b)", o);
    out->note = std::make_unique<RE2>(R"(^\S+?(?::\d+(?::\d+)?:|\(\d+(?:,\d+)?\):)\s*note\b)", o);
    for (const char* p : {R"(exited with (\d+))", R"(failed and exited with (\d+))", R"(exit code (\d+))",
                          R"(Exited with code (?:exit status )?(\d+))"})
      out->exits.push_back(std::make_unique<RE2>(p, o));
    return out;
  }();
  return *c;
}

bool BlankLine(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

// Root cause over symptom: a test that fails because a module is missing, a
// test killed at its time limit, a crash inside a test run.
int Precedence(C c) {
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

std::optional<int> ExitCode(std::string_view line) {
  const Compiled& rules = Rules();
  for (const auto& re : rules.exits) {
    re2::StringPiece code;
    if (RE2::PartialMatch(line, *re, &code)) return std::atoi(std::string(code.data(), code.size()).c_str());
  }
  return std::nullopt;
}

// The travis/GitHub/Jenkins/GitLab exit marker of a command that failed, and its code.
bool FailedExit(std::string_view line, std::optional<int>* code) {
  if (ShapeOf(line).role != R::kExit) return false;
  *code = ExitCode(line);
  if (*code && **code == 0) return false;
  return true;
}

std::string CommandOf(std::string_view line) {
  // The command "X" exited with N. / The command X exited with N.
  constexpr std::string_view kPrefix = "The command ";
  if (line.substr(0, kPrefix.size()) != kPrefix) return {};
  std::string_view rest = line.substr(kPrefix.size());
  std::size_t end = rest.rfind(" exited with ");
  if (end == std::string_view::npos) end = rest.rfind(" failed");
  if (end == std::string_view::npos) return {};
  rest = rest.substr(0, end);
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') rest = rest.substr(1, rest.size() - 2);
  return std::string(rest.substr(0, 300));
}

// A section banner: a title framed by runs of one rule character
// ("===== FAILURES =====", "_____ test_total _____").
bool Banner(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (line.size() < 8) return false;
  const char c = line.front();
  if (c != '=' && c != '_' && c != '*' && c != '#' && c != '~' && c != '-' && c != '+') return false;
  std::size_t lead = 0, trail = 0;
  while (lead < line.size() && line[lead] == c) ++lead;
  while (trail < line.size() && line[line.size() - 1 - trail] == c) ++trail;
  // Runs of at least five, a space between them and the title: a separator
  // that frames a word ("--- End of stack trace ---", "=====DIFF=====") is not a section.
  return lead >= 5 && trail >= 5 && lead + trail + 2 < line.size() && line[lead] == ' ' &&
         line[line.size() - 1 - trail] == ' ' && line.find_first_not_of(std::string(1, c) + " \t") != std::string_view::npos;
}

struct LineRef {
  int line;
  std::size_t begin, end;
};

}  // namespace

LineShape ShapeOf(std::string_view line) {
  LineShape out;
  if (BlankLine(line)) {
    out.role = R::kBlank;
    return out;
  }
  // Build tools prefix a level ("[info] ", "[error] ", "[ERROR] ", "[WARNING] "):
  // the shape is the rest's; a line at error level is at least an error line.
  if (line.size() > 3 && line[0] == '[') {
    std::size_t close = line.find("] ");
    if (close != std::string_view::npos && close >= 2 && close <= 8) {
      std::string_view level = line.substr(1, close - 1);
      bool word = std::all_of(level.begin(), level.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
      if (word) {
        std::string lower(level);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "info" || lower == "error" || lower == "warn" || lower == "warning" || lower == "debug" ||
            lower == "fatal" || lower == "err") {
          LineShape rest = ShapeOf(line.substr(close + 2));
          const bool error_level = lower == "error" || lower == "fatal" || lower == "err";
          if (rest.role == R::kBlank || rest.role == R::kPlain || (rest.role == R::kInfo && error_level))
            return error_level ? LineShape{R::kError, C::kUnknown, 1}
                               : LineShape{lower == "debug" || lower == "info" ? R::kInfo : R::kPlain, C::kUnknown, 0};
          return rest;
        }
      }
    }
  }
  const Compiled& rules = Rules();
  thread_local std::vector<int> hits;  // reused: a region shapes thousands of lines
  hits.clear();
  if (!rules.set->Match(line, &hits)) return out;
  bool low_info = false;
  bool follow = false;
  bool out_specific = false;
  for (int i : hits) follow = follow || kRules[i].role == R::kFollow;
  // An exit marker is the runner's line whatever the command says; a cascade
  // line repeats a failure shown before it. Otherwise the strongest shape wins.
  for (int i : hits)
    if (kRules[i].role == R::kExit) return {R::kExit, C::kUnknown, 0};
  for (int i : hits)
    if (kRules[i].role == R::kCascade) return {R::kCascade, C::kUnknown, kRules[i].weight};
  for (int i : hits) {
    const ShapeRule& r = kRules[i];
    if (r.role == R::kInfo) {
      if (r.yields_to_follow && follow) continue;
      if (r.dominant) {
        out = {R::kInfo, C::kUnknown, 0};
        return out;
      }
      low_info = true;
      continue;
    }
    auto rank = [](R role) {
      switch (role) {
        case R::kExit: return 6;
        case R::kStrong: return 5;
        case R::kSummary: return 4;
        case R::kCascade: return 3;
        case R::kFollow: return 2;
        case R::kError: return 1;
        default: return 0;
      }
    };
    bool better = rank(r.role) > rank(out.role) ||
                        (rank(r.role) == rank(out.role) && out.role == R::kStrong &&
                         (Precedence(r.category) > Precedence(out.category)));
    // A linter's rule id is more specific than the diagnostic or marker shape
    // it shares with compilers and test runners.
    // A specific message wins over them and over a linter's shape it shares a
    // line with (an interpreter's parse error in "file:line:col:" form).
    if (!better && r.role == R::kStrong && out.role == R::kStrong && !out_specific &&
        (((r.category == C::kLintError || r.specific) &&
          (out.category == C::kCompilationError || out.category == C::kTestFailure)) ||
         (r.specific && out.category == C::kLintError)))
      better = true;
    if (better) {
      out = {r.role, r.category, r.weight};
      out_specific = r.specific;
    }
    // A weak line that names a tool keeps the tool's category.
    if (r.role == R::kError && r.category != C::kUnknown && out.role == R::kError) out.category = r.category;
  }
  if (low_info && out.role != R::kStrong && out.role != R::kExit && out.role != R::kSummary) out = {R::kInfo, C::kUnknown, 0};
  if (out.role == R::kStrong && out.category == C::kCompilationError && RE2::PartialMatch(line, *rules.below_error)) {
    // A compiler's warning is not why a build failed (with -Werror the
    // compiler says "error"); its notes are context of the diagnostic before.
    return RE2::PartialMatch(line, *rules.note) ? LineShape{R::kFollow, C::kUnknown, 0} : LineShape{};
  }
  if (out.role == R::kStrong)
    for (int i : hits) {
      if (kRules[i].role == R::kStrong && kRules[i].category == out.category && (out.rule < 0 || i < out.rule)) out.rule = i;
      if (kRules[i].decisive) out = {R::kStrong, kRules[i].category, kRules[i].weight, i, true};
    }
  return out;
}

bool NotAFailureLine(std::string_view line) { return ShapeOf(line).role == R::kInfo; }

std::optional<int> ExitCodeOf(std::string_view line) { return ExitCode(line); }

// The marker a runner prints before each failing item, whatever the item's
// name: the line's leading non-letter prefix ("[-] ", "1) ", "✗ ", "--- "),
// or its first words up to a number when they are short ("not ok 6 ", "Tests
// run: 3,"); numbers read as 0. Empty when the line has neither (a message
// that starts with a word).
std::string FailureMarker(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  // A level prefix ("[info] ", "[error] ") is the build tool's, not the runner's.
  if (i < line.size() && line[i] == '[') {
    const std::size_t close = line.find("] ", i);
    if (close != std::string_view::npos && close - i <= 8 &&
        std::all_of(line.begin() + static_cast<std::ptrdiff_t>(i) + 1, line.begin() + static_cast<std::ptrdiff_t>(close),
                    [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      i = close + 2;
  }
  std::string out;
  auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  const std::size_t start = i;
  const bool word_first = i < line.size() && letter(line[i]);
  constexpr std::size_t kMaxWords = 16;
  for (; i < line.size() && out.size() < 24; ++i) {
    const char c = line[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (out.empty() || out.back() != '0') out += '0';
      continue;
    }
    if (!out.empty() && out.back() == '0') {  // the char after the number ends the marker
      out += c;
      return out;
    }
    if (letter(c) && !word_first) {
      // A path's start ("/usr/...", "./src/...") is not a marker.
      const bool path = out.find_first_not_of("./~\\") == std::string::npos;
      return path ? std::string() : out;
    }
    if (word_first && i - start >= kMaxWords) return {};
    out += c == '\t' ? ' ' : c;
  }
  return word_first ? std::string() : out;
}

std::uint64_t BaselineKey(std::string_view line) {
  // Digits and hex runs vary between runs; so do the run-specific parts of
  // paths. Keep letters and punctuation; collapse whitespace.
  char buf[512];
  std::size_t n = 0;
  bool space = false, digit = false;
  for (std::size_t i = 0; i < line.size() && n < sizeof buf - 1; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == ' ' || c == '\t' || c == '\r') {
      space = n > 0;
      continue;
    }
    if (space) {
      buf[n++] = ' ';
      space = false;
    }
    if (c >= '0' && c <= '9') {
      if (!digit) buf[n++] = '0';
      digit = true;
      continue;
    }
    digit = false;
    buf[n++] = static_cast<char>(c);
  }
  return Fingerprint64(std::string_view(buf, n));
}

BaselineIndex IndexBaseline(std::string_view log) {
  BaselineIndex idx;
  for (std::size_t pos = 0; pos < log.size();) {
    const char* nl = static_cast<const char*>(std::memchr(log.data() + pos, '\n', log.size() - pos));
    const std::size_t end = nl ? static_cast<std::size_t>(nl - log.data()) : log.size();
    if (end > pos) idx.keys.insert(BaselineKey(log.substr(pos, end - pos)));
    pos = end + 1;
  }
  return idx;
}

Location Locate(std::string_view log, const BaselineIndex* baseline, FailureContext* context) {
  Location loc;
  if (log.empty()) return loc;
  std::optional<FailureContext> own_context;
  if (context == nullptr) context = &own_context.emplace(log);
  loc.total_lines = static_cast<int>(CountNewlines(log)) + (log.back() == '\n' ? 0 : 1);
  const bool use_baseline = baseline && !baseline->empty();
  loc.used_baseline = use_baseline;

  // 1. The anchor: the first failed command's exit marker; else the end of
  // the build; else the end of the log.
  std::size_t anchor = std::string_view::npos;  // byte offset of the anchor line
  std::size_t done = std::string_view::npos;
  for (std::string_view needle : {std::string_view("xit"), std::string_view("The command ")}) {
    for (std::size_t pos = 0;;) {
      const void* p = memmem(log.data() + pos, log.size() - pos, needle.data(), needle.size());
      if (!p) break;
      const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(p) - log.data());
      if (anchor != std::string_view::npos && at > anchor) break;
      std::size_t b = at == 0 ? 0 : log.rfind('\n', at - 1);
      b = b == std::string_view::npos ? 0 : (at == 0 ? 0 : b + 1);
      std::size_t e = log.find('\n', at);
      if (e == std::string_view::npos) e = log.size();
      std::string_view line = log.substr(b, e - b);
      std::optional<int> code;
      if (line.substr(0, 27) == "Done. Your build exited wit") {
        if (done == std::string_view::npos) done = b;
      } else if (FailedExit(line, &code)) {
        if (anchor == std::string_view::npos || b < anchor) {
          anchor = b;
          loc.exit_code = code;
          loc.command = CommandOf(line);
        }
        break;  // the first one for this needle
      }
      pos = e;
      if (pos >= log.size()) break;
    }
  }
  // The region ends just before the anchor (or the end-of-build line), else
  // with the log's last line.
  std::size_t e;  // end (exclusive) of the region's last line
  int line;       // its number
  if (anchor != std::string_view::npos || done != std::string_view::npos) {
    const std::size_t at = anchor != std::string_view::npos ? anchor : done;
    const int at_line = static_cast<int>(CountNewlines(log.substr(0, at))) + 1;
    if (anchor != std::string_view::npos) loc.anchor_line = at_line;
    if (at == 0) return loc;
    e = at - 1;
    line = at_line - 1;
  } else {
    e = log.size();
    if (log.back() == '\n') --e;
    line = loc.total_lines;
  }

  // 2. The region: back to the previous command's exit marker.
  std::vector<LineRef> lines;  // newest first
  for (std::size_t bytes = 0; line >= 1 && static_cast<int>(lines.size()) < kMaxRegionLines && bytes < kMaxRegionBytes;) {
    std::size_t b = e == 0 ? std::string_view::npos : log.rfind('\n', e - 1);
    b = b == std::string_view::npos ? 0 : b + 1;
    std::string_view text = log.substr(b, e - b);
    // The previous command ended here. Every exit marker says "xit" ("exited
    // with", "exit code", "Exited with") or starts "The command ", so other
    // lines skip the shape pass.
    if (!lines.empty() && (memmem(text.data(), text.size(), "xit", 3) || text.substr(0, 12) == "The command ") &&
        ShapeOf(text).role == R::kExit)
      break;
    lines.push_back({line, b, e});
    bytes += e - b + 1;
    if (b == 0) break;
    e = b - 1;
    --line;
  }
  if (lines.empty()) return loc;
  std::reverse(lines.begin(), lines.end());
  loc.region_first = lines.front().line;
  loc.region_last = lines.back().line;

  // 3. Shapes.
  std::vector<LocatedLine> shaped;
  shaped.reserve(lines.size());
  for (const LineRef& r : lines) {
    LocatedLine l;
    l.line = r.line;
    l.begin = r.begin;
    l.end = r.end;
    std::string_view text = log.substr(r.begin, r.end - r.begin);
    l.shape = ShapeOf(text);
    if (text.substr(0, 12) == "The command ") l.shape = {R::kInfo, C::kUnknown, 0};  // the first line of a long command's marker
    if (l.shape.role == R::kExit) l.shape.role = R::kCascade;  // a retried command's marker inside the region
    // A cause printed by a test that then passed, or retried by its program, is not the failure.
    if (l.shape.role == R::kStrong && ContextApplies(l.shape.category) && context->Guarded(r.begin, r.end, l.shape.category))
      l.shape = {R::kInfo, C::kUnknown, 0};
    // A run summary without failures ("100% tests passed, 0 tests failed out of 1") is a pass.
    if (l.shape.role == R::kSummary && VerdictOf(text) == Verdict::kPass) l.shape = {R::kInfo, C::kUnknown, 0};
    if (use_baseline && l.shape.role != R::kBlank && baseline->keys.count(BaselineKey(text))) {
      l.in_baseline = true;
      if (l.shape.role == R::kStrong || l.shape.role == R::kError || l.shape.role == R::kSummary) ++loc.demoted;
    }
    shaped.push_back(l);
  }
  // A summary section's banner whose entries are all informational (pytest -rs:
  // "==== short test summary info ====" over SKIPPED lines), or a summary whose
  // next line is the run's pass verdict (unittest's "Ran 1 test in 0.003s", then
  // "OK"), reports no failure.
  for (std::size_t i = 0; i < shaped.size(); ++i) {
    if (shaped[i].shape.role != R::kSummary) continue;
    std::size_t k = i + 1;
    while (k < shaped.size() && shaped[k].shape.role == R::kBlank) ++k;
    if (k < shaped.size() && VerdictOf(TextOf(log, shaped[k])) == Verdict::kPass) {
      shaped[i].shape = {R::kInfo, C::kUnknown, 0};
      continue;
    }
    if (!Banner(TextOf(log, shaped[i]))) continue;
    std::size_t j = i + 1;
    while (j < shaped.size() && shaped[j].shape.role == R::kInfo) ++j;
    const bool ends = j == shaped.size() || shaped[j].shape.role == R::kBlank ||
                      Banner(TextOf(log, shaped[j]));
    if (j > i + 1 && ends) shaped[i].shape = {R::kInfo, C::kUnknown, 0};
  }

  // 4. Blocks: error-bearing lines and what follows them, split by passing or
  // informational lines and by gaps of more than two lines without a signal.
  struct Span {
    std::size_t first, last;  // indexes into shaped
    double score = 0;
    int strong = 0, summary = 0, signal = 0, fresh = 0;
  };
  auto signal = [&](const LocatedLine& l) {
    if (use_baseline && l.in_baseline) return false;  // seen in the green log: not what broke
    return l.shape.role == R::kStrong || l.shape.role == R::kError || l.shape.role == R::kSummary;
  };
  std::vector<Span> spans;
  for (std::size_t i = 0; i < shaped.size(); ++i) {
    if (!signal(shaped[i])) continue;
    Span s{i, i};
    std::size_t gap = 0;
    bool content = false;  // a line other than a banner
    for (std::size_t j = i; j < shaped.size(); ++j) {
      const LocatedLine& l = shaped[j];
      if (l.shape.role == R::kInfo) break;
      // A section banner ("==== FAILURES ====", "____ test_x ____") starts a
      // new block, once the block has more than banners.
      if (l.shape.role != R::kBlank) {
        const bool banner = Banner(TextOf(log, l));
        if (banner && content) break;
        content = content || !banner;
      }
      if (signal(l)) {
        s.last = j;
        gap = 0;
        ++s.signal;
        double w = l.shape.role == R::kStrong ? 3.0 : l.shape.role == R::kSummary ? 1.0 : 1.0;
        if (use_baseline) w *= 1.5;
        s.score += w;
        if (l.shape.role == R::kStrong) ++s.strong;
        if (l.shape.role == R::kSummary) ++s.summary;
        if (use_baseline) ++s.fresh;
        continue;
      }
      if (l.shape.role == R::kFollow) {
        // frames, carets, diffs and code excerpts belong to the error before them
        s.last = j;
        gap = 0;
        s.score += 0.1;
        continue;
      }
      if (l.shape.role == R::kCascade) {
        // a cascade line ends the block: it follows the error it reports
        s.score += 0.2;
        break;
      }
      if (++gap > 2) break;
    }
    // The block's plain continuation lines right after its last signal (an
    // indented message, a "Reason:" line) are kept by the gap rule above
    // only when a signal follows; a trailing plain line is added when it is
    // indented or the signal line ends with ':'.
    if (s.last + 1 < shaped.size()) {
      const LocatedLine& next = shaped[s.last + 1];
      std::string_view last_text = TextOf(log, shaped[s.last]);
      std::string_view next_text = TextOf(log, next);
      if (next.shape.role == R::kPlain && ((!last_text.empty() && last_text.back() == ':') ||
                                           (!next_text.empty() && (next_text[0] == ' ' || next_text[0] == '\t'))))
        s.last += 1;
    }
    spans.push_back(s);
    i = s.last;
  }
  if (spans.empty()) return loc;

  // 5. The block that explains the failure: the last substantive one (a
  // strong shape, or several error lines); a summary points back to the
  // detail before it; repeated failures of one shape go back to the first.
  // A failure shape outranks later weak error words (a trace's frames that
  // mention "error", a tool's closing "error:" lines): the last span with a
  // strong line wins, else the last with several error lines.
  int pick = -1;
  for (int k = static_cast<int>(spans.size()) - 1; k >= 0 && pick < 0; --k)
    if (spans[static_cast<std::size_t>(k)].strong > 0) pick = k;
  for (int k = static_cast<int>(spans.size()) - 1; k >= 0 && pick < 0; --k)
    if (spans[static_cast<std::size_t>(k)].signal >= 3) pick = k;
  if (pick < 0) pick = static_cast<int>(spans.size()) - 1;
  auto summary_only = [&](const Span& s) { return s.summary > 0 && s.strong == 0; };
  auto is_summary_block = [&](const Span& s) {
    // every strong line of it is a summary-like line (a count) or it is a summary
    return summary_only(s);
  };
  if (is_summary_block(spans[static_cast<std::size_t>(pick)])) {
    for (int k = pick - 1; k >= 0; --k)
      if (spans[static_cast<std::size_t>(k)].strong > 0) {
        pick = k;
        break;
      }
  }
  // The shell's report that a signal killed the process ("line 1: 4242
  // Aborted  ./app") is a trailer of the process's last words: the block just
  // before it explains it (V8's "heap out of memory" above its native stack), and
  // the report joins that block.
  std::size_t trailer = shaped.size();
  int trailer_of = -1;
  {
    const Span& sp = spans[static_cast<std::size_t>(pick)];
    bool only = true;
    for (std::size_t j = sp.first; j <= sp.last; ++j)
      if (signal(shaped[j]) && !shaped[j].shape.decisive) only = false;
    if (only && pick > 0) {
      const Span& prev = spans[static_cast<std::size_t>(pick - 1)];
      if (prev.strong > 0 && shaped[sp.first].line - shaped[prev.last].line <= 40) {
        trailer = sp.first;
        trailer_of = --pick;
      }
    }
  }
  // Repeated failures of one shape go back to the first: a runner prints
  // each failing test with the same marker ("1) name", "[-] name", "not ok 6
  // name", "name *** FAILED ***"), whatever the test's name, and the first
  // failure is where a reader starts.
  struct HeadKey {
    std::string shape;   // the head line's ShapeKey: the same message
    std::string marker;  // its rule and marker: the same runner's per-failure line
    std::string_view text;  // the head line from its first letter: the same failure reported twice
    std::string_view line;  // the whole head line
  };
  auto head_key = [&](const Span& sp) -> HeadKey {
    for (std::size_t j = sp.first; j <= sp.last; ++j)
      if (shaped[j].shape.role == R::kStrong) {
        std::string_view text = TextOf(log, shaped[j]);
        const std::string cat = std::string(Name(shaped[j].shape.category)) + "|";
        const std::string marker = FailureMarker(text);
        std::size_t from = 0;
        while (from < text.size() && !std::isalpha(static_cast<unsigned char>(text[from]))) ++from;
        return {cat + ShapeKey(text), marker.empty() ? std::string() : cat + std::to_string(shaped[j].shape.rule) + "|" + marker,
                text.substr(from, 80), text};
      }
    return {};
  };
  {
    const HeadKey key = head_key(spans[static_cast<std::size_t>(pick)]);
    HeadKey current = key;
    for (int k = pick - 1; !key.shape.empty() && k >= 0; --k) {
      const Span& sp = spans[static_cast<std::size_t>(k)];
      if (sp.strong == 0) continue;
      const HeadKey other = head_key(sp);
      if (other.shape != key.shape && (key.marker.empty() || other.marker != key.marker)) break;
      // The same failure reported twice in other words (a runner's progress
      // line "✗ name", then its report with the details): the report is the
      // block. A line repeated as it was (a build tool's closing list of the
      // errors) goes back to the first.
      if (other.text.size() >= 20 && other.text == current.text && other.line != current.line) break;
      pick = k;
      current = other;
    }
  }
  const Span& s = spans[static_cast<std::size_t>(pick)];
  FailureBlock& b = loc.block;
  b.first_line = shaped[s.first].line;
  b.last_line = shaped[s.last].line;
  b.score = s.score;
  b.strong = s.strong;
  b.new_lines = s.fresh;
  b.summary_only = summary_only(s);
  for (std::size_t j = s.first; j <= s.last; ++j)
    if (shaped[j].shape.role != R::kBlank) b.lines.push_back(shaped[j]);
  if (pick == trailer_of && trailer < shaped.size()) {
    b.last_line = shaped[trailer].line;
    b.lines.push_back(shaped[trailer]);
  }
  return loc;
}

}  // namespace sentinel::triage
