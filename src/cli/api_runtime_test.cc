#include "cli/api_runtime.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/http_client.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;
using sentinel::testing::HttpCall;

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
  auto degraded = HttpCall(port, "GET", "/health");
  EXPECT_EQ(degraded.status, 503) << degraded.body;
  EXPECT_EQ(json::parse(degraded.body)["queue"], "down");
  // The run is still accepted: it is durably queued in the store for the reconciler.
  EXPECT_EQ(HttpCall(port, "POST", "/runs", R"({"repo": "q"})").status, 202);
  ASSERT_TRUE(redis->Restart());
  EXPECT_EQ(HttpCall(port, "GET", "/health").status, 200);
}

}  // namespace
}  // namespace sentinel::cli
