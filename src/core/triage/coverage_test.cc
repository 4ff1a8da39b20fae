// Coverage shapes (locator.cc, block_classifier.cc): linters, formatters,
// static analysers and documentation checks; missing modules as compilers and
// build systems name them; build files' errors; runtime crashes. Every line is
// real output of the tool (Debian 12 packages, npm, rustup), from the dev
// split's logs (tests/data/realtools, gen/cases_cov.py).
#include <gtest/gtest.h>

#include "core/triage/block_classifier.h"
#include "core/triage/locator.h"
#include "core/triage/triage.h"
#include "core/triage/triage_test_util.h"

namespace sentinel::triage {
namespace {

using C = FailureCategory;

TriageResult TriageLog(std::string_view log, int exit_code = 1) {
  TriageInput in;
  in.log = log;
  in.step.exit_code = exit_code;
  return Triage(testing::RealKb(), in);
}

void ExpectStrong(std::string_view line, C want) {
  const LineShape s = ShapeOf(line);
  EXPECT_EQ(s.role, LineRole::kStrong) << line;
  EXPECT_EQ(s.category, want) << line;
}

TEST(CoverageShapeTest, LintersRuleIdsAndDiagnosticsOfUncompiledSources) {
  ExpectStrong("src/loader.py:1:1: 'os' imported but unused", C::kLintError);                  // pyflakes
  ExpectStrong("src/loader.py:1:10: E401 multiple imports on one line", C::kLintError);        // pycodestyle
  ExpectStrong("src/prices.py:9: error: Argument 1 to \"sum\" has incompatible type \"List[float]\"; expected \"Iterable[bool]\"  [arg-type]",
               C::kLintError);                                                                  // mypy
  ExpectStrong("/home/ci/work/cpp-clang-tidy/src/parse.cc:2:13: error: statement should be inside braces "
               "[readability-braces-around-statements,-warnings-as-errors]",
               C::kLintError);                                                                  // clang-tidy
  ExpectStrong("[ERROR] /home/ci/work/java-checkstyle/src/App.java:2:27: Parameter args should be final. [FinalParameters]",
               C::kLintError);                                                                  // checkstyle
  ExpectStrong("/home/ci/work/node-eslint-unix/src/a.js:2:36: 'missing' is not defined. [Error/no-undef]",
               C::kLintError);                                                                  // eslint -f unix
  ExpectStrong("/home/ci/work/node-eslint-compact/src/a.js: line 1, col 7, Error - 'unused' is assigned a value but never used. (no-unused-vars)",
               C::kLintError);                                                                  // eslint -f compact
  ExpectStrong("src/util.cc:1:  Do not use namespace using-directives.  Use using-declarations instead.  [build/namespaces] [5]",
               C::kLintError);                                                                  // cpplint
  ExpectStrong("        D100: Missing docstring in public module", C::kLintError);              // pydocstyle
  ExpectStrong(">> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess call with shell=True identified, security issue.",
               C::kLintError);                                                                  // bandit
  ExpectStrong("ERROR README.rst:4 Unknown interpreted text role \"unknownrole\".", C::kLintError);  // rst-lint
  ExpectStrong("docs/guide.md:2 MD022/blanks-around-headings Headings should be surrounded by blank lines", C::kLintError);
  ExpectStrong("Found 3 errors in 1 file (checked 1 source file)", C::kLintError);              // mypy's total
}

TEST(CoverageShapeTest, FormattersDiffsAndDocumentationChecks) {
  ExpectStrong("--- src/loader.py\t(original)", C::kLintError);                                // yapf --diff
  ExpectStrong("--- /home/ci/work/py-isort-check/src/loader.py:before\t2026-12-06 05:13:43.817974", C::kLintError);
  ExpectStrong("ERROR: /home/ci/work/py-isort-check/src/loader.py Imports are incorrectly sorted and/or formatted.",
               C::kLintError);                                                                  // isort --check-only
  ExpectStrong("--- scripts/clean.sh.orig", C::kLintError);                                    // shfmt -d
  ExpectStrong("Diff in /home/ci/work/rust-fmt-check/src/main.rs:1:", C::kLintError);          // cargo fmt --check
  ExpectStrong("  = note: `-D clippy::len-zero` implied by `-D warnings`", C::kLintError);     // clippy
  ExpectStrong("error: unresolved link to `Shape::area`", C::kLintError);                      // rustdoc -D warnings
}

TEST(CoverageShapeTest, GuardsCompilersTestsAndInterpretersParsersKeepTheirCategory) {
  // gcc's flag in brackets starts with a dash: the compiler's, not a linter's rule id.
  ExpectStrong("util.c:2:7: error: unused variable 'unused' [-Werror=unused-variable]", C::kCompilationError);
  // pytest's location line has no column: a failing test's frame, not a linter's finding.
  EXPECT_NE(ShapeOf("tests/test_pricing.py:8: AssertionError").category, C::kLintError);
  // R's parser (r-base-core 4.2) in "file:line:col:" form: a parse error, not a linter's.
  ExpectStrong("check.R:2:6: unexpected '<'", C::kCompilationError);
  // make's own trailer stays a cascade line; its diagnostics are not.
  EXPECT_EQ(ShapeOf("make: *** [Makefile:2: app] Error 1").role, LineRole::kCascade);
}

TEST(CoverageShapeTest, MissingModulesAsCompilersAndBuildSystemsNameThem) {
  ExpectStrong("  |     ^^^^^ use of unresolved module or unlinked crate `serde`", C::kDependencyError);  // rustc 1.9x
  ExpectStrong("src/conf.c:2:10: fatal error: 'sodium.h' file not found", C::kDependencyError);          // clang 14
  ExpectStrong("src/http.cc:1:10: fatal error: curl/curl.h: No such file or directory", C::kDependencyError);  // g++ 12
  ExpectStrong("/usr/bin/ld: cannot find -lyaml_sentinel_missing: No such file or directory", C::kDependencyError);
  ExpectStrong("Error: Unbound module Yojson", C::kDependencyError);                                     // ocamlc 4.13
  ExpectStrong("/home/ci/work/groovy-unable-to-resolve/fmt.groovy: 1: unable to resolve class org.apache.commons.lang3.StringUtils",
               C::kDependencyError);                                                                     // groovy 2.4
  ExpectStrong("Could not locate cheshire/core__init.class, cheshire/core.clj or cheshire/core.cljc on classpath.",
               C::kDependencyError);                                                                     // clojure 1.11
  ExpectStrong("meson.build:2:0: ERROR: Dependency \"yaml-sentinel-missing-0.1\" not found, tried pkgconfig and cmake",
               C::kDependencyError);                                                                     // meson 1.0
}

TEST(CoverageShapeTest, BuildFilesAndToolConfigurationErrors) {
  ExpectStrong("make: *** No rule to make target 'src/util.c', needed by 'util.o'.  Stop.", C::kConfigError);
  ExpectStrong("Makefile:2: *** missing separator.  Stop.", C::kConfigError);
  ExpectStrong("make: *** No targets specified and no makefile found.  Stop.", C::kConfigError);
  ExpectStrong("  Unknown CMake command \"add_compile_flags\".", C::kConfigError);
  ExpectStrong("  CMake 3.99 or higher is required.  You are running version 3.25.1", C::kConfigError);
  ExpectStrong("meson.build:1:0: ERROR: Unknown options: \"with_tls\"", C::kConfigError);
  ExpectStrong("tsconfig.json(3,5): error TS5025: Unknown compiler option 'strictest'. Did you mean 'strict'?", C::kConfigError);
  ExpectStrong("ESLint couldn't find a configuration file. To set up a configuration file for this project, please run:",
               C::kConfigError);
  ExpectStrong("error: failed to parse manifest at `/home/ci/work/rust-bad-manifest/Cargo.toml`", C::kConfigError);
}

TEST(CoverageShapeTest, RuntimeCrashMessagesAndTheShellsSignalReport) {
  ExpectStrong("*** stack smashing detected ***: terminated", C::kCrash);
  ExpectStrong("Exception in thread \"main\" java.lang.StackOverflowError", C::kCrash);
  ExpectStrong("RangeError: Maximum call stack size exceeded", C::kCrash);
  ExpectStrong("Fatal error: exception Not_found", C::kCrash);  // OCaml 4.13
  const LineShape fpe = ShapeOf("bash: line 1: 18106 Floating point exception./ratio");
  EXPECT_EQ(fpe.category, C::kCrash);
  EXPECT_TRUE(fpe.decisive);
  EXPECT_TRUE(ShapeOf("bash: line 1: 18090 Aborted                 ./cache").decisive);
  EXPECT_FALSE(ShapeOf("make: *** [Makefile:2: app] Error 1").decisive);
}

TEST(CoverageShapeTest, RunnersLossNpmScriptsAndOCamlLocations) {
  // Jenkins (remoting) when the agent goes away under a running step.
  ExpectStrong("Caused: java.io.IOException: Unexpected termination of the channel", C::kInfrastructure);
  ExpectStrong("npm error Missing script: \"lint\"", C::kConfigError);  // npm 10
  ExpectStrong("File \"app.ml\", line 2, characters 30-32:", C::kCompilationError);  // ocamlc 4.13
  // Python's frame names the function: a traceback's line, not a compiler's location.
  EXPECT_NE(ShapeOf("  File \"/home/ci/work/py-recursion-error/walk.py\", line 7, in <module>").category,
            C::kCompilationError);
  // A linter's totals count only when they count something (mypy 1.0 on a clean tree).
  EXPECT_EQ(ShapeOf("Success: no issues found in 1 source file").category, C::kUnknown);
}

TEST(CoverageLexiconTest, MissingDependenciesAndConfigurationInGeneralWords) {
  EXPECT_EQ(LexiconCategory("Package libzstd-nonexistent was not found in the pkg-config search path."),
            C::kDependencyError);  // pkg-config 1.8
  EXPECT_EQ(LexiconCategory("error: failed to parse manifest at `/home/ci/work/rust-bad-manifest/Cargo.toml`"),
            C::kConfigError);  // cargo 1.9x
  // A program's own exception message that mentions its configuration is the
  // program's crash, not a build's configuration error (clojure 1.11, ocaml 4.13).
  EXPECT_EQ(LexiconCategory("invalid config: port must be positive"), C::kUnknown);
  EXPECT_EQ(LexiconCategory("Exception: Failure \"config: missing key port\"."), C::kUnknown);
}

// kotlinc 1.3: an unresolved reference that points at an import statement.
TEST(CoverageBlockTest, ACompilerErrorAtAnImportIsAMissingDependency) {
  TriageResult r = TriageLog(
      "$ kotlinc src/Client.kt -d out\n"
      "src/Client.kt:1:8: error: unresolved reference: okhttp3\n"
      "import okhttp3.OkHttpClient\n"
      "       ^\n"
      "src/Client.kt:4:13: error: unresolved reference: OkHttpClient\n"
      "    val c = OkHttpClient()\n"
      "            ^\n"
      "The command \"kotlinc src/Client.kt -d out\" exited with 1.\n");
  EXPECT_EQ(r.failure.category, C::kDependencyError) << r.failure.signature << " " << r.failure.title;
  // The same diagnostic at a use, not an import, stays a compile error.
  TriageResult use = TriageLog(
      "$ kotlinc src/Client.kt -d out\n"
      "src/Client.kt:4:13: error: unresolved reference: OkHttpClient\n"
      "    val c = OkHttpClient()\n"
      "            ^\n"
      "The command \"kotlinc src/Client.kt -d out\" exited with 1.\n");
  EXPECT_EQ(use.failure.category, C::kCompilationError) << use.failure.signature;
}

// rustc 1.9x: the diagnostic's own detail names an unlinked crate.
TEST(CoverageBlockTest, RustUnresolvedImportOfAnUnlinkedCrateIsADependencyError) {
  TriageResult r = TriageLog(
      "$ cargo build --offline\n"
      "   Compiling geo v0.1.0 (/home/ci/work/rust-unresolved-crate)\n"
      "error[E0432]: unresolved import `serde`\n"
      " --> src/main.rs:1:5\n"
      "  |\n"
      "1 | use serde::Deserialize;\n"
      "  |     ^^^^^ use of unresolved module or unlinked crate `serde`\n"
      "  |\n"
      "  = help: if you wanted to use a crate named `serde`, use `cargo add serde` to add it to your `Cargo.toml`\n"
      "\n"
      "For more information about this error, try `rustc --explain E0432`.\n"
      "error: could not compile `geo` (bin \"geo\") due to 1 previous error\n"
      "The command \"cargo build --offline\" exited with 101.\n");
  EXPECT_EQ(r.failure.category, C::kDependencyError) << r.failure.signature << " " << r.failure.title;
  EXPECT_EQ(r.failure.signature, "compiler-missing-module");
}

// gcc 12: a program's own "file:line: fatal:" message, then the shell's report
// that SIGABRT killed it: a crash, not a compiler diagnostic.
TEST(CoverageBlockTest, TheShellsSignalReportDecidesOverTheProgramsOwnMessage) {
  TriageResult r = TriageLog(
      "$ ./ring\n"
      "ring.c:5: fatal: ring buffer corrupted (head 5 > tail 3)\n"
      "bash: line 1: 18114 Aborted                 ./ring\n"
      "The command \"./ring\" exited with 134.\n",
      134);
  EXPECT_EQ(r.failure.category, C::kCrash) << r.failure.signature << " " << r.failure.title;
}

// node 20: V8's out-of-memory report, its native stack, then the shell's
// report of the abort it ends with: the report joins the block before it.
TEST(CoverageBlockTest, TheSignalReportJoinsTheBlockThatExplainsIt) {
  TriageResult r = TriageLog(
      "$ node --max-old-space-size=32 agg.js\n"
      "aggregating\n"
      "\n"
      "<--- JS stacktrace --->\n"
      "\n"
      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
      "----- Native stack trace -----\n"
      "\n"
      " 1: 0xb78db3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]\n"
      " 2: 0xee8300 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]\n"
      " 3: 0x10fb205  [node]\n"
      "bash: line 1:  8232 Aborted                 node --max-old-space-size=32 agg.js\n"
      "The command \"node --max-old-space-size=32 agg.js\" exited with 134.\n",
      134);
  EXPECT_EQ(r.failure.category, C::kOutOfMemory) << r.failure.signature << " " << r.failure.title;
}

// groovy 2.4 and node 20: an uncaught exception with nothing more precise in
// the block is a crash, at a last resort's confidence.
TEST(CoverageBlockTest, AnUncaughtExceptionIsACrashAsALastResort) {
  TriageResult groovy = TriageLog(
      "$ groovy region.groovy\n"
      "deploying to mars-1\n"
      "Caught: java.lang.IllegalArgumentException: unsupported region: mars-1\n"
      "java.lang.IllegalArgumentException: unsupported region: mars-1\n"
      "\tat region.run(region.groovy:3)\n"
      "The command \"groovy region.groovy\" exited with 1.\n");
  EXPECT_EQ(groovy.failure.category, C::kCrash) << groovy.failure.signature;
  EXPECT_LE(groovy.failure.confidence, 0.6);
  TriageResult node = TriageLog(
      "$ node queue.js\n"
      "draining 0\n"
      "/home/ci/work/node-throw-invariant/queue.js:4\n"
      "  throw new Error(\"invariant violated: queue head is null\");\n"
      "  ^\n"
      "\n"
      "Error: invariant violated: queue head is null\n"
      "    at Object.<anonymous> (/home/ci/work/node-throw-invariant/queue.js:4:9)\n"
      "    at Module._compile (node:internal/modules/cjs/loader:1521:14)\n"
      "\n"
      "Node.js v20.20.2\n"
      "The command \"node queue.js\" exited with 1.\n");
  EXPECT_EQ(node.failure.category, C::kCrash) << node.failure.signature;
  EXPECT_LE(node.failure.confidence, 0.6);
  // An error line with stack frames under it, without any header the runtime names.
  TriageResult frames = TriageLog(
      "$ node queue.js\n"
      "Error: invariant violated: queue head is null\n"
      "    at Object.<anonymous> (/home/ci/work/node-throw-invariant/queue.js:4:9)\n"
      "    at Module._compile (node:internal/modules/cjs/loader:1521:14)\n"
      "The command \"node queue.js\" exited with 1.\n");
  EXPECT_EQ(frames.failure.category, C::kCrash) << frames.failure.signature;
}

// clojure 1.11: the exception's header yields to the cause its message names.
TEST(CoverageBlockTest, ClojureExecutionErrorTakesTheCauseItNames) {
  TriageResult missing = TriageLog(
      "$ clojure app.clj\n"
      "Execution error (FileNotFoundException) at user/eval1 (app.clj:1).\n"
      "Could not locate cheshire/core__init.class, cheshire/core.clj or cheshire/core.cljc on classpath.\n"
      "\n"
      "Full report at:\n"
      "/tmp/clojure-4242.edn\n"
      "The command \"clojure app.clj\" exited with 1.\n");
  EXPECT_EQ(missing.failure.category, C::kDependencyError) << missing.failure.signature;
  TriageResult zero = TriageLog(
      "$ clojure ratio.clj\n"
      "computing ratio\n"
      "Execution error (ArithmeticException) at user/eval3 (ratio.clj:2).\n"
      "Divide by zero\n"
      "\n"
      "Full report at:\n"
      "/tmp/clojure-4243.edn\n"
      "The command \"clojure ratio.clj\" exited with 1.\n");
  EXPECT_EQ(zero.failure.category, C::kCrash) << zero.failure.signature;
}

}  // namespace
}  // namespace sentinel::triage
