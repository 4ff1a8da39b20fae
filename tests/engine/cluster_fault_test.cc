// The fault suite's process and dependency faults (issue 10), on the real
// distributed engine: PostgreSQL + Redis (throwaway servers, shared by the
// tests of this binary and restarted by them) and `sentinel worker` /
// `sentinel api` processes (cluster_fixture.h). Each test is bounded in count
// and time and ends with ExpectNothingLost: every run in exactly one final
// state, no duplicate or half-written rows, nothing left in the queue.
// Timings are printed, never asserted.
//  - 100 runs while one of two worker processes is killed (kill -9) at random
//    moments and restarted (seeded; SENTINEL_FAULT_SEED replays a seed);
//  - Redis killed and restarted with jobs waiting and jobs running;
//  - PostgreSQL stopped and started under load with `sentinel api` answering:
//    /health says 503 degraded while it is down, the API keeps answering and
//    recovers without a restart.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/cluster_fixture.h"
#include "testing/http_client.h"

namespace sentinel::app {
namespace {

using testing::HttpCall;
using testing::WaitUntil;
using SteadyClock = std::chrono::steady_clock;

using ClusterFaultTest = ClusterTest;

long MsSince(SteadyClock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t).count());
}

// "succeeded: 97, errored: 3" over the runs' statuses.
std::string Tally(const std::map<std::string, int>& by_status) {
  std::string out;
  for (const auto& [status, n] : by_status) out += (out.empty() ? "" : ", ") + status + ": " + std::to_string(n);
  return out;
}

TEST_F(ClusterFaultTest, AHundredRunsWithAWorkerKilledAtRandomPointsEachReachOneFinalState) {
  constexpr int kRuns = 100, kMaxKills = 6, kMaxRetries = 3;
  const auto repo = MakeRepo("steady", "steps:\n  - name: a\n    run: echo a\n");
  StartReconciler(kMaxRetries);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(Submit(repo));
  const char* seed_env = std::getenv("SENTINEL_FAULT_SEED");
  const unsigned seed = seed_env != nullptr ? static_cast<unsigned>(std::strtoul(seed_env, nullptr, 10))
                                            : std::random_device{}();
  std::printf("[ fault ] random kills: seed %u (replay the schedule with SENTINEL_FAULT_SEED=%u)\n", seed, seed);
  std::mt19937 rng(seed);
  // The moment of a kill, counted from when the victim holds a run: anywhere in
  // the checkout, the step, the finish, the ack, or between two runs.
  std::uniform_int_distribution<int> delay_ms(0, 900);
  auto open_runs = [&] {
    return Count("SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running') AND id BETWEEN $1 AND $2",
                 {ids.front(), ids.back()});
  };
  auto holding = [&](int index) {
    return Count("SELECT COUNT(*) FROM runs WHERE status = 'running' AND worker LIKE $1",
                 {"w" + std::to_string(index) + "-%"});
  };
  // Two worker processes of two threads each: a kill loses up to two runs at once.
  int slot[2] = {SpawnWorker("5", 2), SpawnWorker("5", 2)};
  const auto started = SteadyClock::now();
  int kills = 0, mid_run = 0;
  while (kills < kMaxKills && open_runs() > 0) {
    const int victim = static_cast<int>(rng() % 2);
    const int delay = delay_ms(rng);
    if (!WaitUntil([&] { return holding(slot[victim]) > 0 || open_runs() == 0; }, 60'000)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    mid_run += holding(slot[victim]) > 0;
    Kill9(slot[victim]);
    ++kills;
    slot[victim] = SpawnWorker("5", 2);
  }
  ASSERT_TRUE(WaitUntil([&] { return open_runs() == 0; }, 300'000)) << open_runs() << " runs still open";
  std::map<std::string, int> by_status;
  for (auto id : ids) {
    sentinel::Run r = Get(id);
    by_status[std::string(Name(r.status))]++;
    // A run killed more often than its retries allow is errored as worker_lost; any other end is success.
    if (r.status == RunStatus::kErrored) {
      EXPECT_EQ(r.reason, "worker_lost") << id;
    } else {
      EXPECT_EQ(r.status, RunStatus::kSucceeded) << id;
    }
  }
  ExpectNothingLost(ids);
  std::printf("[ fault ] %d runs, %d kill -9 (%d while the victim held a run), %ld lost leases recovered, "
              "%ld stale writes fenced; final: %s; %.1f s (a run's last attempt: %ld ms from claim to finish)\n",
              kRuns, kills, mid_run, Count("SELECT COUNT(*) FROM run_events WHERE kind = 'worker_lost'"),
              static_cast<long>(*exec_->StaleWriteCount()), Tally(by_status).c_str(), MsSince(started) / 1000.0,
              Count("SELECT CAST(AVG(finished_at - started_at) AS BIGINT) FROM runs WHERE status = 'succeeded'"));
  EXPECT_GE(mid_run, 1);  // the kills did land inside runs
}

TEST_F(ClusterFaultTest, RedisKilledAndRestartedWithJobsWaitingAndRunningLosesAndRepeatsNone) {
  const auto repo = MakeRepo("long", "steps:\n  - name: a\n    run: sleep 1.5\n  - name: b\n    run: echo b\n");
  StartReconciler();
  SpawnWorker();
  SpawnWorker();
  // Both workers up (registered) before the runs come, so both take one at once.
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT COUNT(*) FROM workers") == 2; }, 90'000));
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(Submit(repo));
  // Both workers inside step a: two runs in flight, the others waiting in Redis.
  ASSERT_TRUE(WaitUntil(
      [&] { return Count("SELECT COUNT(*) FROM steps WHERE status = 'running' AND name = 'a'") == 2; }, 90'000));
  const std::vector<std::int64_t> in_flight = *queue_->InFlightJobIds();
  ASSERT_EQ(in_flight.size(), 2u);
  const auto waiting = *queue_->Depth();
  ASSERT_GE(waiting, 1);
  std::printf("[ fault ] Redis killed with %zu runs in flight and %lld waiting\n", in_flight.size(),
              static_cast<long long>(waiting));
  redis_->Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(redis_->Restart());
  ASSERT_TRUE(WaitUntil([&] { return queue_->Ping().has_value(); }, 10'000));
  for (auto id : ids) {
    ASSERT_TRUE(WaitTerminal(id, 120'000)) << "run " << id << " never finished";
    sentinel::Run r = Get(id);
    EXPECT_EQ(r.status, RunStatus::kSucceeded) << id;
    EXPECT_EQ(r.attempt, 1) << id;  // the runs in flight were not run again, the waiting ones ran once
  }
  for (auto id : in_flight) EXPECT_EQ(Count("SELECT COUNT(*) FROM run_events WHERE run_id = $1 AND kind = 'claimed'", {id}), 1);
  ExpectNothingLost(ids);
  EXPECT_EQ(*exec_->StaleWriteCount(), 0);
}

TEST_F(ClusterFaultTest, PostgresRestartedUnderLoadTheApiSaysDegradedKeepsAnsweringAndRecovers) {
  const std::string config = dir_.Sub("sentinel.yml");
  ASSERT_TRUE(testing::WriteFileAll(config, "queue:\n  max_retries: 5\n  lease_seconds: 2\n  heartbeat_seconds: 1\n"));
  const int port = testing::FreePort();
  const int api = SpawnProcess({"api", "--config", config}, "api.log",
                               {"SENTINEL_API_PORT=" + std::to_string(port), "SENTINEL_BIND=127.0.0.1"});
  auto health = [&] { return HttpCall(port, "GET", "/health"); };
  ASSERT_TRUE(WaitUntil([&] { return health().status == 200; }, 60'000)) << health().error << health().body;
  MakeRepo("flow", "steps:\n  - name: a\n    run: sleep 0.3\n  - name: b\n    run: echo b\n");
  std::vector<std::int64_t> ids;
  auto submit = [&] {
    auto r = HttpCall(port, "POST", "/runs", R"({"repo": "flow"})");
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status == 202) ids.push_back(nlohmann::json::parse(r.body).at("id").get<std::int64_t>());
  };
  for (int i = 0; i < 16; ++i) submit();
  SpawnWorker();
  SpawnWorker();
  // Runs flowing: some done, some still to go.
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT COUNT(*) FROM runs WHERE status = 'succeeded'") >= 2; }, 90'000));

  pg_->Stop();
  const auto down = SteadyClock::now();
  testing::ClientResponse degraded;
  ASSERT_TRUE(WaitUntil([&] { return (degraded = health()).status == 503; }, 15'000)) << degraded.body;
  const long noticed_ms = MsSince(down);
  auto body = nlohmann::json::parse(degraded.body);
  EXPECT_EQ(body.at("status"), "degraded");
  EXPECT_EQ(body.at("database"), "down");
  // While it is down, every endpoint still answers: 503 with the error shape, no 500, no dropped connection.
  std::map<int, int> answers;
  for (int i = 0; i < 10; ++i) {
    for (const char* target : {"/runs?limit=5", "/health", "/overview"}) {
      auto r = HttpCall(port, "GET", target);
      answers[r.status]++;
      EXPECT_TRUE(r.status == 503 || r.status == 200) << target << " " << r.status << " " << r.error << r.body;
      if (r.status == 503 && std::string(target) != "/health") {
        EXPECT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
      }
    }
    auto post = HttpCall(port, "POST", "/runs", R"({"repo": "flow"})");
    answers[post.status]++;
    EXPECT_EQ(post.status, 503) << post.error << post.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(Alive(api));
  ASSERT_TRUE(pg_->Restart());
  const auto up = SteadyClock::now();
  ASSERT_TRUE(WaitUntil([&] { return health().status == 200; }, 30'000)) << health().body;
  const long recovered_ms = MsSince(up);
  for (int i = 0; i < 4; ++i) submit();  // the API writes again, without a restart

  for (auto id : ids) ASSERT_TRUE(WaitTerminal(id, 180'000)) << "run " << id << " never finished";
  std::map<std::string, int> by_status;
  for (auto id : ids) {
    sentinel::Run r = Get(id);
    by_status[std::string(Name(r.status))]++;
    EXPECT_EQ(r.status, RunStatus::kSucceeded) << id << " " << r.reason;
  }
  ExpectNothingLost(ids);
  EXPECT_TRUE(Alive(api));
  std::string seen;
  for (const auto& [status, n] : answers) seen += " " + std::to_string(status) + "x" + std::to_string(n);
  std::printf("[ fault ] PostgreSQL down: /health said degraded after %ld ms, back to ok %ld ms after the restart; "
              "answers while down:%s; %zu runs final: %s; %ld lost leases recovered, %ld stale writes fenced\n",
              noticed_ms, recovered_ms, seen.c_str(), ids.size(), Tally(by_status).c_str(),
              Count("SELECT COUNT(*) FROM run_events WHERE kind = 'worker_lost'"),
              static_cast<long>(*exec_->StaleWriteCount()));
}

}  // namespace
}  // namespace sentinel::app
