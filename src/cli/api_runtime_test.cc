#include "cli/api_runtime.h"

#include <chrono>
#include <cstdio>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/http_client.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;
using sentinel::testing::HttpCall;
using sentinel::testing::WaitUntil;

class ApiRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.database_url = "sqlite://" + dir_.Sub("api.db");
    settings_.data_dir = dir_.Sub("data");
    settings_.api_port = sentinel::testing::FreePort();
  }
  sentinel::testing::ScratchDir dir_;
  Settings settings_;
};

TEST_F(ApiRuntimeTest, ServesTheMigratedSqliteStore) {
  auto api = ApiRuntime::Start(settings_);
  ASSERT_TRUE(api.has_value()) << api.error().message;
  auto health = HttpCall((*api)->port(), "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body << health.error;
  EXPECT_EQ(json::parse(health.body)["database"], "ok");
  EXPECT_EQ(HttpCall((*api)->port(), "POST", "/repos", R"({"name": "r", "url": "/r"})").status, 201);
  (*api)->Stop();
  // The data is in the file: a second runtime over it sees the repo.
  auto again = ApiRuntime::Start(settings_);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  auto repos = HttpCall((*again)->port(), "GET", "/repos");
  EXPECT_EQ(json::parse(repos.body)["items"].size(), 1u);
}

TEST_F(ApiRuntimeTest, StartFailsClearlyWhenThePortIsTaken) {
  auto first = ApiRuntime::Start(settings_);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto second = ApiRuntime::Start(settings_);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message.find(std::to_string(settings_.api_port)), std::string::npos);
}

TEST_F(ApiRuntimeTest, RedisQueueIsDispatchedToAndReportedInHealth) {
  std::string why;
  auto* redis = sentinel::testing::SharedRedis(&why);
  SENTINEL_REQUIRE_SERVER(redis, why);
  settings_.queue_url = redis->Url(3);
  auto api = ApiRuntime::Start(settings_);
  ASSERT_TRUE(api.has_value()) << api.error().message;
  const int port = (*api)->port();
  auto health = HttpCall(port, "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json::parse(health.body)["queue"], "ok");
  ASSERT_EQ(HttpCall(port, "POST", "/repos", R"({"name": "q", "url": "/q"})").status, 201);
  auto run = HttpCall(port, "POST", "/runs", R"({"repo": "q"})");
  ASSERT_EQ(run.status, 202) << run.body;
  std::string out;
  ASSERT_EQ(sentinel::testing::RunCommand({"redis-cli", "-p", std::to_string(redis->port()), "-n", "3", "LRANGE",
                                           "sentinel:queue", "0", "-1"},
                                          &out),
            0);
  EXPECT_NE(out.find(std::to_string(json::parse(run.body)["id"].get<int>()) + ":"), std::string::npos) << out;

  redis->Stop();
  sentinel::testing::ClientResponse degraded;
  ASSERT_TRUE(WaitUntil([&] { return (degraded = HttpCall(port, "GET", "/health")).status == 503; }, 5000))
      << degraded.body;
  EXPECT_EQ(json::parse(degraded.body)["queue"], "down");
  // The run is still accepted: it is durably queued in the store for the reconciler.
  EXPECT_EQ(HttpCall(port, "POST", "/runs", R"({"repo": "q"})").status, 202);
  ASSERT_TRUE(redis->Restart());
  EXPECT_TRUE(WaitUntil([&] { return HttpCall(port, "GET", "/health").status == 200; }, 10000));
}

// Milliseconds until /health answers `status`, polled every 25 ms for at most bound_ms; -1 if never.
int MsUntilHealth(int port, int status, int bound_ms) {
  const auto start = std::chrono::steady_clock::now();
  if (!WaitUntil([&] { return HttpCall(port, "GET", "/health").status == status; }, bound_ms)) return -1;
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

// /health answers from a background probe, yet says `degraded` soon after PostgreSQL
// or Redis goes away, and `ok` again once it is back, without a restart of the API.
TEST_F(ApiRuntimeTest, HealthOnPostgresAndRedisTurnsDegradedWhenEitherGoesAndRecovers) {
  std::string why;
  auto* redis = sentinel::testing::SharedRedis(&why);
  SENTINEL_REQUIRE_SERVER(redis, why);
  auto* pg = sentinel::testing::SharedPostgres(&why);
  SENTINEL_REQUIRE_SERVER(pg, why);
  settings_.database_url = pg->CreateTestDatabase();
  settings_.queue_url = redis->Url(4);
  auto api = ApiRuntime::Start(settings_);
  ASSERT_TRUE(api.has_value()) << api.error().message;
  const int port = (*api)->port();
  ASSERT_EQ(HttpCall(port, "GET", "/health").status, 200);

  for (const char* which : {"database", "queue"}) {
    const bool database = std::string(which) == "database";
    if (database) {
      pg->Stop();
    } else {
      redis->Stop();
    }
    const int down_ms = MsUntilHealth(port, 503, 5000);
    ASSERT_GE(down_ms, 0) << which << " went away but /health stayed ok";
    std::printf("[ health ] %s down -> 503 after %d ms\n", which, down_ms);
    auto body = json::parse(HttpCall(port, "GET", "/health").body);
    EXPECT_EQ(body["status"], "degraded");
    EXPECT_EQ(body[which], "down") << body.dump();
    ASSERT_TRUE(database ? pg->Restart() : redis->Restart());
    const int up_ms = MsUntilHealth(port, 200, 10000);
    ASSERT_GE(up_ms, 0) << which << " came back but /health stayed degraded";
    std::printf("[ health ] %s back -> 200 after %d ms\n", which, up_ms);
    EXPECT_EQ(json::parse(HttpCall(port, "GET", "/health").body)[which], "ok");
  }
}

}  // namespace
}  // namespace sentinel::cli
