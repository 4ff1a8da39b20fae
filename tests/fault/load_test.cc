// The fault suite's load test: 1,000 runs (100 under ASan) queued at once through the API (as
// `sentinel up` composes it: SQLite, the in-process queue, two workers), each a
// real spawned `true` step with its log. All complete exactly once, the queue
// drains in submission order (within the slack two concurrent workers allow),
// and the API keeps answering meanwhile: its latency is measured and printed,
// never asserted. The checkout is the fake one (git's cost is the e2e bench's
// business), so the test stays short under ASan.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/memory/memory_job_queue.h"
#include "adapters/process/posix_command_runner.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "app/worker.h"
#include "cli/api_runtime.h"
#include "cli/db_factory.h"
#include "testing/fake_source_checkout.h"
#include "testing/http_client.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

namespace sentinel {
namespace {

using nlohmann::json;
using sentinel::testing::HttpConnection;

// 1,000 runs; 100 under AddressSanitizer (make test), whose processes spawn and run
// several times slower. SENTINEL_LOAD_RUNS overrides either.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kDefaultRuns = 100;
#else
constexpr int kDefaultRuns = 1000;
#endif
const int kRuns = std::getenv("SENTINEL_LOAD_RUNS") ? std::atoi(std::getenv("SENTINEL_LOAD_RUNS")) : kDefaultRuns;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

TEST(LoadTest, AThousandRunsQueuedAtOnceAllCompleteOnceInOrderWhileTheApiAnswers) {
  sentinel::testing::ScratchDir dir;
  const std::string data = dir.Sub("data");
  auto queue = adapters::memory::NewMemoryJobQueue(SystemClock());
  std::atomic<int> pool_size{0};
  cli::ApiHooks hooks;
  hooks.dispatch = [&](const sentinel::Run& run) { return queue->Enqueue(Job{run.id, run.created_at, {}}); };
  hooks.queue_health = [] { return Ok(); };
  hooks.workers = [&] { return pool_size.load(); };
  Settings settings;
  settings.database_url = "sqlite://" + data + "/sentinel.db";
  settings.data_dir = data;
  settings.api_port = sentinel::testing::FreePort();
  auto api = cli::ApiRuntime::Start(settings, hooks);
  ASSERT_TRUE(api.has_value()) << api.error().message;
  const int port = (*api)->port();

  HttpConnection client(port);
  ASSERT_EQ(client.Send("POST", "/repos", R"({"name": "load", "url": "/srv/load"})").status, 201);
  for (int i = 0; i < kRuns; ++i) ASSERT_EQ(client.Send("POST", "/runs", R"({"repo": "load"})").status, 202) << i;

  // The workers' own store over the same file, as `sentinel up` has it.
  auto db = cli::OpenDatabase(settings.database_url);
  ASSERT_TRUE(db.has_value()) << db.error().message;
  sqlstore::SqlExecutionStore store(**db);
  sentinel::testing::FakeSourceCheckout checkout;
  checkout.SetRepo("/srv/load", {{".sentinel.yml", "steps:\n  - name: ok\n    run: 'true'\n"}});
  auto runner = adapters::process::NewPosixCommandRunner();
  app::WorkerDeps deps;
  deps.queue = queue.get();
  deps.store = &store;
  deps.checkout = &checkout;
  deps.runner = runner.get();
  deps.clock = &SystemClock();
  app::WorkerConfig config;
  config.data_dir = data;
  config.poll_ms = 200;
  app::WorkerPool pool(deps, config, "load", 2);
  pool_size = pool.size();

  std::atomic<bool> done{false};
  std::vector<double> latencies_ms;
  int api_errors = 0;
  std::thread prober([&] {
    HttpConnection probe(port);
    for (int i = 0; !done; ++i) {
      const auto t = std::chrono::steady_clock::now();
      auto r = probe.Send("GET", i % 2 ? "/runs?limit=50" : "/health");
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
      if (r.status != 200) ++api_errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  const auto started = std::chrono::steady_clock::now();
  pool.Start();
  auto count = [&](const std::string& sql) -> long {
    auto r = (*db)->Exec(sql);
    return r ? static_cast<long>(r->rows.at(0).Int(0)) : -1;
  };
  const bool drained = sentinel::testing::WaitUntil(
      [&] { return count("SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running')") == 0; }, 300'000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  done = true;
  prober.join();
  pool.Stop(5'000);
  ASSERT_TRUE(drained) << count("SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running')") << " left";

  std::printf("[ load ] %d runs drained in %.1f s (%.0f runs/s, 2 workers); API during the drain: %zu requests, "
              "p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              kRuns, seconds, kRuns / seconds, latencies_ms.size(), Percentile(latencies_ms, 0.5),
              Percentile(latencies_ms, 0.99), Percentile(latencies_ms, 1.0));
  std::printf("[ load ] mean time from claim to finish of a run: %ld ms\n",
              count("SELECT CAST(AVG(finished_at - started_at) AS INTEGER) FROM runs"));
  EXPECT_EQ(api_errors, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs WHERE status = 'succeeded'"), kRuns);
  // Exactly once: one claim per run, one checkout per run, one step per run.
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs WHERE attempt <> 1"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE status = 'succeeded'"), kRuns);
  {
    std::lock_guard lock(checkout.mu_);
    EXPECT_EQ(checkout.checkouts_.size(), static_cast<size_t>(kRuns));
  }
  auto depth = queue->Depth();
  ASSERT_TRUE(depth.has_value());
  EXPECT_EQ(*depth, 0);
  auto in_flight = queue->InFlightJobIds();
  ASSERT_TRUE(in_flight.has_value());
  EXPECT_TRUE(in_flight->empty());
  // In order: ranked by start time, each run is within a few places of its submission rank.
  auto order = (*db)->Exec("SELECT id FROM runs ORDER BY started_at, id");
  ASSERT_TRUE(order.has_value());
  long max_shift = 0;
  std::vector<std::int64_t> ids;
  for (const auto& row : order->rows) ids.push_back(row.Int(0));
  std::vector<std::int64_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < ids.size(); ++i) {
    const long rank = std::lower_bound(sorted.begin(), sorted.end(), ids[i]) - sorted.begin();
    max_shift = std::max(max_shift, std::abs(rank - static_cast<long>(i)));
  }
  std::printf("[ load ] largest distance between submission and start order: %ld places\n", max_shift);
  EXPECT_LE(max_shift, 8);
  (*api)->Stop();
}

}  // namespace
}  // namespace sentinel
