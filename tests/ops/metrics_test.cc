// GET /metrics: the exposition parses strictly, declares every family with
// HELP and TYPE, and its counters move with real runs. The store figures are
// also checked row by row against SQLite and PostgreSQL (the same SQL).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_metrics_store.h"
#include "app/metrics.h"
#include "cli/db_factory.h"
#include "cli/http_client.h"
#include "core/metrics/exposition.h"
#include "ports/clock.h"
#include "system.h"
#include "testing/exposition_parser.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

namespace sentinel {
namespace {

using nlohmann::json;
using testing::ParsedExposition;

class FixedClock : public Clock {
 public:
  EpochMs Now() const override { return now; }
  EpochMs now = 1'000'000'000;
};

const char* const kFamilies[] = {
    "sentinel_build_info",          "sentinel_store_up",
    "sentinel_runs",                "sentinel_queue_depth",
    "sentinel_workers_live",        "sentinel_workers_busy",
    "sentinel_runs_submitted_total", "sentinel_runs_finished_total",
    "sentinel_run_duration_seconds", "sentinel_step_duration_seconds",
    "sentinel_step_retries_total",  "sentinel_run_retries_total",
    "sentinel_run_requeues_total",  "sentinel_stale_writes_rejected_total",
    "sentinel_failures_total",      "sentinel_open_incidents",
    "sentinel_flaky_tests",         "sentinel_http_requests_total",
    "sentinel_http_request_duration_seconds",
};

ParsedExposition Parse(const std::string& text) {
  std::string error;
  auto parsed = testing::ParseExposition(text, &error);
  EXPECT_TRUE(parsed) << error;
  return parsed ? *parsed : ParsedExposition{};
}

// ---- the store figures, row by row, on both databases

class StoreMetricsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "sqlite") {
      url = "sqlite://" + dir_.Sub("m.db");
    } else {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      url = pg->CreateDatabase(testing::UniqueTestDatabaseName("metrics"));
    }
    auto db = cli::OpenDatabase(url);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::Migrate(*db_, 1));
    Exec("INSERT INTO repos (id, name, url, created_at) VALUES (1, 'r', '/r', 1)");
  }

  void Exec(const std::string& sql) {
    auto r = db_->Exec(sql);
    ASSERT_TRUE(r) << sql << ": " << r.error().message;
  }

  // A run with status, started/finished at (ms), and its events.
  void Run(int id, const std::string& status, EpochMs started, EpochMs finished) {
    Exec("INSERT INTO runs (id, repo_id, status, created_at, started_at, finished_at, updated_at) VALUES (" +
         std::to_string(id) + ", 1, '" + status + "', 1, " + std::to_string(started) + ", " +
         std::to_string(finished) + ", 1)");
  }
  void Event(int run, const std::string& kind, const std::string& message = "", EpochMs at = 1000) {
    Exec("INSERT INTO run_events (run_id, at, kind, message) VALUES (" + std::to_string(run) + ", " +
         std::to_string(at) + ", '" + kind + "', '" + message + "')");
  }

  ParsedExposition Scrape(app::StoreMetrics& m) { return Parse(metrics::Render(m.Collect())); }

  testing::ScratchDir dir_;
  std::unique_ptr<Db> db_;
  FixedClock clock_;
};

TEST_P(StoreMetricsTest, GaugesAndFoldedCountersFollowTheRows) {
  if (!db_) return;
  sqlstore::SqlMetricsStore store(*db_);
  app::StoreMetrics m(store, clock_, {.live_worker_ms = 10'000, .settle_ms = 1'000, .batch = 2, .max_batches = 50});

  ParsedExposition empty = Scrape(m);
  for (const char* f : {"sentinel_runs", "sentinel_run_duration_seconds", "sentinel_failures_total",
                        "sentinel_open_incidents", "sentinel_flaky_tests"})
    EXPECT_TRUE(empty.type.count(f)) << f << " is declared even with no data";
  EXPECT_EQ(empty.Value("sentinel_store_up"), 1);
  EXPECT_EQ(empty.Value("sentinel_runs", {{"status", "failed"}}), 0);
  EXPECT_EQ(empty.Value("sentinel_run_requeues_total", {{"reason", "lease_expired"}}), 0);

  Run(1, "succeeded", 10'000, 13'000);  // 3 s
  Run(2, "failed", 10'000, 130'000);    // 120 s
  Run(3, "queued", 0, 0);
  Run(4, "running", 10'000, 0);
  Exec("INSERT INTO steps (run_id, idx, name, status, duration_ms) VALUES (1, 0, 'a', 'succeeded', 400), "
       "(2, 0, 'a', 'succeeded', 2000), (2, 1, 'b', 'failed', 90000), (2, 2, 'c', 'skipped', NULL)");
  for (int run : {1, 2, 3, 4}) Event(run, "queued");
  Event(1, "finished");
  Event(2, "step_retried", "step b failed: network_dns");
  Event(2, "finished");
  Event(4, "worker_lost", "lease of worker w expired (attempt 1); requeued (retry 1 of 2)");
  Event(4, "worker_lost", "lease of worker w expired (attempt 2); retries exhausted (2), run errored");
  Event(4, "released", "shutdown");
  Event(1, "retried", "retried as run 3");
  Exec("INSERT INTO failures (run_id, category, created_at) VALUES (2, 'test_failure', 1), (2, 'network_dns', 1), "
       "(1, 'test_failure', 1)");
  Exec("INSERT INTO workers (id, started_at, heartbeat_at, status) VALUES ('w1', 1, " +
       std::to_string(clock_.now - 1000) + ", 'busy'), ('w2', 1, " + std::to_string(clock_.now - 2000) +
       ", 'idle'), ('dead', 1, " + std::to_string(clock_.now - 60'000) + ", 'busy')");
  Exec("INSERT INTO incidents (key, title, status, severity, opened_at, updated_at) VALUES "
       "('a', 'A', 'open', 'major', 1, 1), ('b', 'B', 'mitigating', 'major', 1, 1), "
       "('c', 'C', 'resolved', 'critical', 1, 1), ('d', 'D', 'open', 'critical', 1, 1)");
  Exec("INSERT INTO test_flakiness (repo_id, test_id, window_size, classification, updated_at) VALUES "
       "(1, 't1', 20, 'flaky', 1), (1, 't2', 20, 'stable', 1), (1, 't3', 20, 'flaky', 1)");
  Exec("INSERT INTO stale_writes (run_id, attempt, at) VALUES (4, 1, 1)");

  ParsedExposition p = Scrape(m);
  EXPECT_EQ(p.Value("sentinel_runs", {{"status", "succeeded"}}), 1);
  EXPECT_EQ(p.Value("sentinel_runs", {{"status", "queued"}}), 1);
  EXPECT_EQ(p.Value("sentinel_queue_depth"), 1);
  EXPECT_EQ(p.Value("sentinel_workers_live"), 2) << "the dead worker's heartbeat is too old";
  EXPECT_EQ(p.Value("sentinel_workers_busy"), 1);
  EXPECT_EQ(p.Value("sentinel_open_incidents", {{"severity", "major"}}), 2);
  EXPECT_EQ(p.Value("sentinel_open_incidents", {{"severity", "critical"}}), 1) << "the resolved one is not open";
  EXPECT_EQ(p.Value("sentinel_flaky_tests"), 2);
  EXPECT_EQ(p.Value("sentinel_stale_writes_rejected_total"), 1);
  EXPECT_EQ(p.Value("sentinel_runs_submitted_total"), 4);
  EXPECT_EQ(p.Value("sentinel_runs_finished_total", {{"status", "succeeded"}}), 1);
  EXPECT_EQ(p.Value("sentinel_runs_finished_total", {{"status", "failed"}}), 1);
  EXPECT_EQ(p.Value("sentinel_step_retries_total"), 1);
  EXPECT_EQ(p.Value("sentinel_run_retries_total"), 1);
  EXPECT_EQ(p.Value("sentinel_run_requeues_total", {{"reason", "lease_expired"}}), 1)
      << "the second worker_lost errored the run: not a requeue";
  EXPECT_EQ(p.Value("sentinel_run_requeues_total", {{"reason", "released"}}), 1);
  EXPECT_EQ(p.Value("sentinel_failures_total", {{"category", "test_failure"}}), 2);
  EXPECT_EQ(p.Value("sentinel_failures_total", {{"category", "network_dns"}}), 1);
  // Run durations in seconds: 3 s (succeeded) and 120 s (failed); steps: 0.4 s, 2 s, 90 s (skipped ones are not durations).
  EXPECT_EQ(p.Value("sentinel_run_duration_seconds_bucket", {{"status", "succeeded"}, {"le", "5"}}), 1);
  EXPECT_EQ(p.Value("sentinel_run_duration_seconds_bucket", {{"status", "failed"}, {"le", "60"}}), 0);
  EXPECT_EQ(p.Value("sentinel_run_duration_seconds_bucket", {{"status", "failed"}, {"le", "120"}}), 1);
  EXPECT_EQ(p.Value("sentinel_run_duration_seconds_sum", {{"status", "failed"}}), 120);
  EXPECT_EQ(p.Value("sentinel_step_duration_seconds_count", {{"status", "succeeded"}}), 2);
  EXPECT_EQ(p.Value("sentinel_step_duration_seconds_count", {{"status", "failed"}}), 1);
  EXPECT_DOUBLE_EQ(*p.Value("sentinel_step_duration_seconds_sum", {{"status", "succeeded"}}), 2.4);

  // A second scrape reads only what is new: nothing changed, nothing counted twice.
  ParsedExposition again = Scrape(m);
  EXPECT_EQ(again.Value("sentinel_runs_finished_total", {{"status", "failed"}}), 1);
  EXPECT_EQ(again.Value("sentinel_failures_total", {{"category", "test_failure"}}), 2);

  // An event younger than the settle time waits for a later scrape, then counts once.
  Event(3, "finished", "", clock_.now - 10);
  Exec("UPDATE runs SET status = 'succeeded', started_at = 0, finished_at = 500 WHERE id = 3");
  EXPECT_EQ(Scrape(m).Value("sentinel_runs_finished_total", {{"status", "succeeded"}}), 1);
  clock_.now += 5'000;
  EXPECT_EQ(Scrape(m).Value("sentinel_runs_finished_total", {{"status", "succeeded"}}), 2);
  EXPECT_EQ(Scrape(m).Value("sentinel_runs_finished_total", {{"status", "succeeded"}}), 2);

  // A new process (a second API replica) folds the same history to the same counters.
  app::StoreMetrics replica(store, clock_, {.batch = 3});
  ParsedExposition r = Scrape(replica);
  EXPECT_EQ(r.Value("sentinel_runs_finished_total", {{"status", "succeeded"}}), 2);
  EXPECT_EQ(r.Value("sentinel_runs_submitted_total"), 4);
  EXPECT_EQ(r.Value("sentinel_failures_total", {{"category", "test_failure"}}), 2);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreMetricsTest, ::testing::Values("sqlite", "postgres"));

// ---- GET /metrics of a running system

ParsedExposition ScrapeHttp(const std::string& base) {
  auto r = cli::HttpRequest(base, "GET", "/metrics");
  EXPECT_TRUE(r) << r.error().message;
  if (!r) return {};
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  return Parse(r->body);
}

TEST(MetricsEndpointTest, CountersMoveWithRealRuns) {
  std::string why;
  auto system = ops_testing::System::Start(&why);
  ASSERT_NE(system, nullptr) << why;
  system->MakeRepo("green", "steps:\n  - name: hello\n    run: echo hi\n");
  system->MakeRepo("red", "steps:\n  - name: check\n    run: \"echo 'error: bad thing'; exit 2\"\n");

  ParsedExposition before = ScrapeHttp(system->base());
  for (const char* family : kFamilies) {
    EXPECT_TRUE(before.type.count(family)) << family << " has no TYPE line";
    EXPECT_TRUE(before.help.count(family)) << family << " has no HELP line";
  }
  EXPECT_EQ(before.type["sentinel_run_duration_seconds"], "histogram");
  EXPECT_EQ(before.type["sentinel_http_requests_total"], "counter");
  EXPECT_EQ(before.type["sentinel_runs"], "gauge");
  for (const auto& [name, type] : before.type)
    EXPECT_EQ(name.rfind("sentinel_", 0), 0u) << name << " lacks the sentinel_ prefix";

  const auto green = system->Submit("green");
  const auto red = system->Submit("red");
  EXPECT_EQ(system->WaitFinished(green).value("status", ""), "succeeded");
  EXPECT_EQ(system->WaitFinished(red).value("status", ""), "failed");
  ASSERT_EQ(cli::HttpRequest(system->base(), "GET", "/runs/" + std::to_string(green))->status, 200);
  ASSERT_EQ(cli::HttpRequest(system->base(), "GET", "/no/such/path")->status, 404);

  // Folded counters lag by the settle time (1 s): poll, bounded.
  ParsedExposition after;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        after = ScrapeHttp(system->base());
        return after.Sum("sentinel_runs_finished_total") >= before.Sum("sentinel_runs_finished_total") + 2;
      },
      20'000));
  auto delta = [&](const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return after.Sum(name, labels) - before.Sum(name, labels);
  };
  EXPECT_EQ(delta("sentinel_runs_finished_total", {{"status", "succeeded"}}), 1);
  EXPECT_EQ(delta("sentinel_runs_finished_total", {{"status", "failed"}}), 1);
  EXPECT_EQ(delta("sentinel_runs_submitted_total"), 2);
  EXPECT_EQ(delta("sentinel_runs", {{"status", "succeeded"}}), 1);
  EXPECT_EQ(delta("sentinel_runs", {{"status", "failed"}}), 1);
  EXPECT_EQ(after.Value("sentinel_queue_depth"), 0);
  EXPECT_EQ(after.Value("sentinel_workers_live"), 1);
  EXPECT_EQ(delta("sentinel_run_duration_seconds_count"), 2);
  EXPECT_EQ(delta("sentinel_step_duration_seconds_count"), 2);
  EXPECT_GE(delta("sentinel_failures_total"), 1) << "the red run's failure is triaged and counted";
  EXPECT_EQ(after.Value("sentinel_store_up"), 1);

  // HTTP requests are counted by route pattern, never by raw path.
  EXPECT_GE(after.Sum("sentinel_http_requests_total", {{"route", "/runs/{id}"}, {"method", "GET"}, {"code", "200"}}), 1);
  EXPECT_GE(after.Sum("sentinel_http_requests_total", {{"route", "/runs"}, {"method", "POST"}, {"code", "202"}}), 2);
  EXPECT_GE(after.Sum("sentinel_http_requests_total", {{"route", "unmatched"}, {"code", "404"}}), 1);
  for (const testing::ParsedSample& s : after.samples) {
    auto route = s.labels.find("route");
    if (route == s.labels.end()) continue;
    EXPECT_TRUE(route->second == "unmatched" || route->second.find_first_of("0123456789") == std::string::npos)
        << "a raw path leaked into the route label: " << route->second;
  }
  EXPECT_GE(after.Sum("sentinel_http_request_duration_seconds_count", {{"route", "/metrics"}}), 1);
  EXPECT_EQ(after.Sum("sentinel_http_request_duration_seconds_bucket", {{"route", "/runs/{id}"}, {"le", "+Inf"}}),
            after.Sum("sentinel_http_request_duration_seconds_count", {{"route", "/runs/{id}"}}));
}

}  // namespace
}  // namespace sentinel
