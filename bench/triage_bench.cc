// Throughput of triage (the signature RE2::Set pass, hit search, evidence,
// fingerprint) on large realistic logs, in MB/s of log on one core.
//
// BM_TriageCorpus: $SENTINEL_BENCH_CORPUS if set (e.g. the peer generator:
//   `python3 /work/shared/peer-bench/gen_ci_log.py 200000 1234 > ci.log`), a
//   dense mix where ~15% of lines look like failures; otherwise a built-in
//   generator of similar lines.
// BM_TriageTypicalFailure: a long green-looking build/test log with one real
//   failure near the end (what most failed steps look like).
// BM_TriageClean: the same log with no failure at all (unknown path).
// BM_TriageCorpusWithBaseline: BM_TriageCorpus with a last green log to diff
//   against ($SENTINEL_BENCH_BASELINE if set, e.g. the generator with another
//   seed; otherwise the built-in green-looking log); MB/s of the failed log.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "adapters/kb/embedded_kb.h"
#include "core/triage/triage.h"

namespace {

const sentinel::triage::Kb& TheKb() {
  static const sentinel::triage::Kb* kb = [] {
    auto r = sentinel::kb::LoadEmbeddedKb();
    if (!r) std::abort();
    return new sentinel::triage::Kb(std::move(*r));
  }();
  return *kb;
}

std::string MixedCorpus(int lines) {
  std::mt19937 rng(1234);
  auto r = [&](int a, int b) { return std::to_string(std::uniform_int_distribution<int>(a, b)(rng)); };
  const char* words[] = {"alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "zeta"};
  auto w = [&] { return std::string(words[rng() % 8]); };
  std::string out;
  for (int i = 0; i < lines; ++i) {
    switch (rng() % 20) {
      case 0: out += "E       AssertionError: assert " + r(0, 999) + " == " + r(0, 999); break;
      case 1: out += "src/" + w() + ".cpp:" + r(1, 3000) + ":" + r(1, 80) + ": error: use of undeclared identifier '" + w() + "'"; break;
      case 2: out += "make[2]: *** [CMakeFiles/" + w() + ".dir/build.make:" + r(60, 900) + ": all] Error 1"; break;
      case 3: out += "npm ERR! code ECONNRESET"; break;
      case 4: out += "[  FAILED  ] " + w() + "Test.Handles" + r(1, 50) + " (" + r(0, 5000) + " ms)"; break;
      case 5: case 6: case 7: out += "[       OK ] " + w() + "Test.Handles" + r(1, 50) + " (" + r(0, 5000) + " ms)"; break;
      case 8: case 9: out += "Downloading https://registry.example/" + w() + "/-/" + w() + "-1." + r(0, 20) + ".3.tgz (" + r(1, 900) + " kB)"; break;
      default:
        out += "2024-03-" + r(10, 28) + "T12:" + r(10, 59) + ":" + r(10, 59) + ".123456Z INFO runner[" + r(100, 99999) +
               "]: job " + r(10000000, 99999999) + " step " + r(1, 30) + " started on 10.0." + r(0, 255) + "." + r(1, 254);
        break;
    }
    out += '\n';
  }
  return out;
}

std::string GreenishLog(int lines, bool with_failure) {
  std::mt19937 rng(99);
  auto r = [&](int a, int b) { return std::to_string(std::uniform_int_distribution<int>(a, b)(rng)); };
  std::string out;
  for (int i = 0; i < lines; ++i) {
    switch (rng() % 6) {
      case 0: out += "[" + r(1, 99) + "%] Building CXX object src/CMakeFiles/engine.dir/module_" + r(1, 900) + ".cc.o"; break;
      case 1: out += "tests/unit/test_module_" + r(1, 400) + ".py::test_case_" + r(1, 90) + " PASSED [" + r(1, 100) + "%]"; break;
      case 2: out += "[       OK ] Engine" + r(1, 50) + "Test.HandlesInput" + r(1, 99) + " (" + r(0, 500) + " ms)"; break;
      case 3: out += "2026-11-27T10:" + r(10, 59) + ":" + r(10, 59) + ".123Z INFO worker[" + r(100, 9999) + "]: heartbeat ok, queue depth " + r(0, 40); break;
      case 4: out += "  Downloaded " + r(1, 900) + " kB in " + r(1, 900) + " ms from https://mirror.example.com/pool/pkg_" + r(1, 99) + ".tgz"; break;
      default: out += "ok " + r(1, 900) + " - renders component " + r(1, 300) + " with props"; break;
    }
    out += '\n';
  }
  if (with_failure) {
    out += "=================================== FAILURES ===================================\n"
           "E       assert 3 == 4\n"
           "FAILED tests/unit/test_math.py::test_add - assert 3 == 4\n"
           "========================= 1 failed, 9000 passed in 62.10s =========================\n";
  }
  return out;
}

const std::string& Corpus() {
  static const std::string corpus = [] {
    if (const char* path = std::getenv("SENTINEL_BENCH_CORPUS")) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!ss.str().empty()) return ss.str();
    }
    return MixedCorpus(200000);
  }();
  return corpus;
}

const std::string& Baseline();

void RunTriage(benchmark::State& state, const std::string& log, bool with_baseline = false) {
  const sentinel::triage::Kb& kb = TheKb();
  sentinel::triage::TriageInput in;
  in.log = log;
  if (with_baseline) in.baseline = Baseline();
  in.step.exit_code = 1;
  for (auto _ : state) {
    sentinel::triage::TriageResult r = sentinel::triage::Triage(kb, in);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(log.size()));
  state.counters["log_MB"] = static_cast<double>(log.size()) / 1e6;
}

const std::string& Baseline() {
  static const std::string baseline = [] {
    if (const char* path = std::getenv("SENTINEL_BENCH_BASELINE")) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!ss.str().empty()) return ss.str();
    }
    return GreenishLog(250000, false);
  }();
  return baseline;
}

void BM_TriageCorpus(benchmark::State& state) { RunTriage(state, Corpus()); }
void BM_TriageCorpusWithBaseline(benchmark::State& state) { RunTriage(state, Corpus(), true); }
void BM_TriageTypicalFailure(benchmark::State& state) {
  static const std::string log = GreenishLog(250000, true);
  RunTriage(state, log);
}
void BM_TriageClean(benchmark::State& state) {
  static const std::string log = GreenishLog(250000, false);
  RunTriage(state, log);
}

BENCHMARK(BM_TriageCorpus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TriageCorpusWithBaseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TriageTypicalFailure)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TriageClean)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
