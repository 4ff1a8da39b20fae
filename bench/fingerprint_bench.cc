// Throughput of `sentinel fingerprint` on a realistic CI log corpus: the pure
// per-line normalizer, and the full stream (normalize + template miner + JSON
// output) as the command runs it. Reports lines/s and MB/s.
//
// Corpus: $SENTINEL_BENCH_CORPUS if set (e.g. the peer generator:
// `python3 /work/shared/peer-bench/gen_ci_log.py 200000 1234 > ci.log`),
// otherwise a built-in deterministic generator of similar lines.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cmd_fingerprint.h"
#include "core/triage/normalize.h"

namespace {

std::string BuiltInCorpus(int lines) {
  std::mt19937 rng(1234);
  auto r = [&](int a, int b) { return std::to_string(std::uniform_int_distribution<int>(a, b)(rng)); };
  const char* words[] = {"alpha", "beta", "gamma", "delta", "omega", "kappa"};
  auto w = [&] { return std::string(words[rng() % 6]); };
  std::string out;
  for (int i = 0; i < lines; ++i) {
    switch (rng() % 8) {
      case 0: out += "tests/core/test_" + w() + ".py::test_" + w() + "_" + r(1, 400) + " PASSED [" + r(1, 100) + "%]"; break;
      case 1: out += "E       AssertionError: assert " + r(0, 999) + " == " + r(0, 999); break;
      case 2: out += "[       OK ] " + w() + "Test.Handles" + r(1, 50) + " (" + r(0, 5000) + " ms)"; break;
      case 3: out += "src/net/" + w() + ".cpp:" + r(1, 3000) + ":" + r(1, 80) + ": error: use of undeclared identifier '" + w() + "'"; break;
      case 4: out += "2024-03-" + r(10, 28) + "T12:" + r(10, 59) + ":" + r(10, 59) + ".123456Z INFO runner[" + r(100, 99999) + "]: job " + r(10000000, 99999999) + " step " + r(1, 30) + " started on 10.0." + r(0, 255) + "." + r(1, 254); break;
      case 5: out += "make[2]: *** [CMakeFiles/" + w() + ".dir/build.make:" + r(60, 900) + ": all] Error 1"; break;
      case 6: out += "Downloading https://registry.example/" + w() + "/-/" + w() + "-1." + r(0, 20) + ".3.tgz (" + r(1, 900) + " kB)"; break;
      default: out += "/tmp/pytest-of-runner/pytest-" + r(1, 99) + "/test_x0/work.py:" + r(1, 99) + ": TimeoutError after " + r(1, 120) + ".5s"; break;
    }
    out += '\n';
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
    return BuiltInCorpus(200000);
  }();
  return corpus;
}

std::vector<std::string_view> Lines(const std::string& corpus) {
  std::vector<std::string_view> lines;
  std::size_t b = 0;
  for (std::size_t i = 0; i < corpus.size(); ++i)
    if (corpus[i] == '\n') {
      lines.emplace_back(corpus.data() + b, i - b);
      b = i + 1;
    }
  return lines;
}

void BM_NormalizeLine(benchmark::State& state) {
  const std::string& corpus = Corpus();
  std::vector<std::string_view> lines = Lines(corpus);
  std::string out;
  std::int64_t n = 0;
  for (auto _ : state) {
    for (std::string_view l : lines) {
      sentinel::triage::NormalizeLineInto(l, &out);
      benchmark::DoNotOptimize(out.data());
    }
    n += static_cast<std::int64_t>(lines.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(corpus.size()) * state.iterations());
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NormalizeLine)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whole command minus the syscalls: 64 KiB chunks in, JSON lines out.
void BM_FingerprintStream(benchmark::State& state) {
  const std::string& corpus = Corpus();
  std::int64_t n = static_cast<std::int64_t>(Lines(corpus).size());
  std::int64_t total = 0;
  std::string out;
  for (auto _ : state) {
    sentinel::cli::FingerprintStream stream(state.range(0) != 0);
    for (std::size_t off = 0; off < corpus.size(); off += 1 << 16) {
      stream.Feed(std::string_view(corpus).substr(off, 1 << 16), &out);
      if (out.size() > (1 << 16)) out.clear();
    }
    stream.Finish(&out);
    out.clear();
    total += n;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(corpus.size()) * state.iterations());
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FingerprintStream)->Arg(0)->Arg(1)->ArgNames({"pure"})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
