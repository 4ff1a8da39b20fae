// Flaky-test detection at scale (issue 7): the full recomputation over 1,000
// tests x 1,000 runs (every result through the per-test windows, then every
// verdict), the incremental update of one finished run in the real SQLite
// store (its tests only, inside Finish's transaction), and `sentinel flaky`
// over a million-line history (parse + windows + verdicts). Reports; never fails.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "cli/cmd_flaky.h"
#include "core/flaky/flaky.h"
#include "testing/scratch_dir.h"

namespace {

using namespace sentinel;

constexpr int kTests = 1000;
constexpr int kRuns = 1000;

// Test t fails with probability p_t: most never, one in ten flaky (5-30%), one in fifty broken from run 900.
bool Fails(int test, int run, std::mt19937& rng) {
  if (test % 50 == 0) return run >= 900;
  if (test % 10 == 0) return std::uniform_real_distribution<double>(0, 1)(rng) < 0.05 + 0.25 * (test % 7) / 6.0;
  return false;
}

const std::vector<flaky::RunResult>& Results() {
  static const std::vector<flaky::RunResult> results = [] {
    std::mt19937 rng(7);
    std::vector<flaky::RunResult> out;
    out.reserve(static_cast<std::size_t>(kTests) * kRuns);
    for (int run = 0; run < kRuns; ++run)
      for (int t = 0; t < kTests; ++t) {
        flaky::RunResult r;
        r.run = std::to_string(run);
        r.commit = "c" + std::to_string(run / 20);
        r.failed = Fails(t, run, rng);
        if (r.failed) r.signature = "sig" + std::to_string(t % 3);
        out.push_back(std::move(r));
      }
    return out;
  }();
  return results;
}

void BM_FullRecompute1000x1000(benchmark::State& state) {
  const auto& results = Results();
  const flaky::FlakyConfig config;
  int flaky_tests = 0;
  for (auto _ : state) {
    std::vector<flaky::TestWindow> windows(kTests, flaky::TestWindow(config.window));
    for (std::size_t i = 0; i < results.size(); ++i) windows[i % kTests].Add(results[i]);
    flaky_tests = 0;
    for (const auto& w : windows)
      flaky_tests += flaky::ClassifyTest(w.Results(), config).test.classification == flaky::Classification::kFlaky;
    benchmark::DoNotOptimize(flaky_tests);
  }
  state.counters["results"] = static_cast<double>(results.size());
  state.counters["flaky_tests"] = flaky_tests;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(results.size()));
}
BENCHMARK(BM_FullRecompute1000x1000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ClassifyOneTestWindow(benchmark::State& state) {
  const flaky::FlakyConfig config;
  std::vector<flaky::RunResult> window;
  for (int run = 0; run < config.window; ++run) {
    flaky::RunResult r;
    r.run = std::to_string(run);
    r.commit = "c" + std::to_string(run / 5);
    r.failed = run % 3 == 1;
    if (r.failed) r.signature = "s";
    window.push_back(r);
  }
  for (auto _ : state) benchmark::DoNotOptimize(flaky::ClassifyTest(window, config));
}
BENCHMARK(BM_ClassifyOneTestWindow)->Unit(benchmark::kMicrosecond);

// One finished run of `tests` tests (a few failing) on top of a history: Finish with its
// recomputation, in a real SQLite store.
void BM_IncrementalRunSqlite(benchmark::State& state) {
  const int tests = static_cast<int>(state.range(0));
  const int history = 40;
  testing::ScratchDir dir;
  auto db = adapters::SqliteDb::Open(dir.Sub("bench.db"));
  if (!db || !sqlstore::Migrate(**db, 0)) {
    state.SkipWithError("cannot open the SQLite store");
    return;
  }
  sqlstore::SqlRepoStore repos(**db);
  sqlstore::SqlRunStore runs(**db);
  sqlstore::SqlExecutionStore exec(**db, flaky::FlakyConfig{});
  auto repo = repos.Create("bench", "/srv/bench", 0);
  std::mt19937 rng(3);
  EpochMs now = 1'000;
  auto one_run = [&](bool timed) -> double {
    auto run = runs.Create(NewRun{repo->id, "", ""}, ++now);
    auto claim = exec.Claim(run->id, "w", 60'000, ++now);
    Fence f{run->id, claim->run.attempt, "w"};
    (void)exec.SetCommit(f, "c" + std::to_string(run->id / 10), ++now);
    (void)exec.PlanSteps(f, {{"test", "t", 1000}}, ++now);
    std::vector<TestCaseResult> results;
    bool failed = false;
    for (int t = 0; t < tests; ++t) {
      TestCaseResult r;
      r.class_name = "bench";
      r.name = "test_" + std::to_string(t);
      const bool fails = Fails(t, static_cast<int>(run->id), rng);
      r.outcome = fails ? TestOutcome::kFailed : TestOutcome::kPassed;
      if (fails) r.message = "AssertionError: " + std::to_string(t % 3);
      failed = failed || fails;
      results.push_back(std::move(r));
    }
    (void)exec.AddTestResults(f, 0, results, ++now);
    std::vector<Failure> failures;
    if (failed) failures.push_back(Failure{});
    const auto start = std::chrono::steady_clock::now();
    Status st = exec.Finish(f, {failed ? RunStatus::kFailed : RunStatus::kSucceeded, FailureCategory::kTestFailure, "", ""},
                            failures, ++now);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!st) state.SkipWithError(st.error().message.c_str());
    (void)timed;
    return s;
  };
  for (int i = 0; i < history; ++i) one_run(false);
  for (auto _ : state) state.SetIterationTime(one_run(true));
  state.counters["tests_per_run"] = tests;
  state.counters["history_runs"] = history;
  state.SetItemsProcessed(state.iterations() * tests);
}
BENCHMARK(BM_IncrementalRunSqlite)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(10);

const std::vector<std::string>& HistoryLines() {
  static const std::vector<std::string> lines = [] {
    std::mt19937 rng(11);
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(kTests) * kRuns);
    for (int run = 0; run < kRuns; ++run)
      for (int t = 0; t < kTests; ++t) {
        const bool fails = Fails(t, run, rng);
        out.push_back(R"({"repo": "demo", "test": "tests.test_mod::test_)" + std::to_string(t) + R"(", "run": )" +
                      std::to_string(run) + R"(, "commit": "c)" + std::to_string(run / 20) + R"(", "outcome": ")" +
                      (fails ? "failed\", \"signature\": \"s" + std::to_string(t % 3) : std::string("passed")) +
                      "\"}");
      }
    return out;
  }();
  return lines;
}

void BM_FlakyCommandMillionLines(benchmark::State& state) {
  const auto& lines = HistoryLines();
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  for (auto _ : state) {
    cli::FlakyHistory h(flaky::FlakyConfig{});
    std::int64_t n = 0;
    for (const auto& l : lines)
      if (!h.Feed(l, ++n)) state.SkipWithError("bad line");
    benchmark::DoNotOptimize(h.Finish());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_FlakyCommandMillionLines)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
