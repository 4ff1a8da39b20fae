// `sentinel worker --healthcheck`: the workers table as the worker's liveness signal.
#include "cli/worker_health.h"

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "cli/db_factory.h"
#include "ports/clock.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::cli {
namespace {

WorkerRecord Record(std::string id, std::string host, EpochMs heartbeat_at, std::string status = "idle") {
  WorkerRecord w;
  w.id = std::move(id);
  w.hostname = std::move(host);
  w.pid = 7;
  w.started_at = 1'000;
  w.heartbeat_at = heartbeat_at;
  w.status = std::move(status);
  return w;
}

class WorkerHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite://" + dir_.Sub("sentinel.db");
    auto db = OpenDatabase(url_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::Migrate(*db_, 1'000));
    registry_ = std::make_unique<sqlstore::SqlWorkerRegistry>(*db_);
  }
  testing::ScratchDir dir_;
  std::string url_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlWorkerRegistry> registry_;
};

TEST_F(WorkerHealthTest, TheFreshestRowOfThisHostWithinTheWindow) {
  const EpochMs now = 100'000, window = LiveWorkerWindowMs(10);
  EXPECT_EQ(window, 35'000);
  ASSERT_TRUE(registry_->Upsert(Record("hostA-1-1", "hostA", now - 30'000)));
  ASSERT_TRUE(registry_->Upsert(Record("hostA-1-2", "hostA", now - 2'000, "busy")));
  ASSERT_TRUE(registry_->Upsert(Record("hostB-9-1", "hostB", now - 1'000)));
  auto w = FreshestWorkerOf(*registry_, "hostA", now, window);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->id, "hostA-1-2");
  EXPECT_EQ(w->status, "busy");
}

TEST_F(WorkerHealthTest, AStaleRowOrAnotherHostsRowIsNotHealthy) {
  const EpochMs now = 100'000, window = LiveWorkerWindowMs(10);
  ASSERT_TRUE(registry_->Upsert(Record("hostA-1-1", "hostA", now - window - 1)));
  ASSERT_TRUE(registry_->Upsert(Record("hostB-9-1", "hostB", now)));
  auto w = FreshestWorkerOf(*registry_, "hostA", now, window);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ErrorCode::kNotFound);
  EXPECT_NE(w.error().message.find("no worker of host 'hostA' heartbeated in the last 35 s"), std::string::npos)
      << w.error().message;
  // Exactly at the window's edge still counts (the API's GET /health counts it live too).
  ASSERT_TRUE(registry_->Upsert(Record("hostA-1-1", "hostA", now - window)));
  EXPECT_TRUE(FreshestWorkerOf(*registry_, "hostA", now, window));
}

// The binary: unhealthy with no row of this host, healthy once this host's worker heartbeated.
TEST_F(WorkerHealthTest, TheCommandExitsByThisHostsHeartbeat) {
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr) GTEST_SKIP() << "SENTINEL_BIN not set (ctest sets it to the sentinel binary)";
  std::string out;
  const std::vector<std::string> cmd = {bin, "worker", "--healthcheck", "--database-url", url_};
  EXPECT_EQ(testing::RunCommand(cmd, &out), 1) << out;
  EXPECT_NE(out.find("unhealthy: no worker of host '" + WorkerHostname() + "'"), std::string::npos) << out;
  ASSERT_TRUE(registry_->Upsert(Record(WorkerHostname() + "-42-1", WorkerHostname(), SystemClock().Now())));
  EXPECT_EQ(testing::RunCommand(cmd, &out), 0) << out;
  EXPECT_NE(out.find("healthy: worker " + WorkerHostname() + "-42-1 (idle) heartbeated "), std::string::npos)
      << out;
  // A database that does not answer (nothing listens on a port just released): unhealthy too.
  const std::string down = "postgresql://u@127.0.0.1:" + std::to_string(testing::FreePort()) + "/none";
  EXPECT_EQ(testing::RunCommand({bin, "worker", "--healthcheck", "--database-url", down}, &out), 1) << out;
  EXPECT_NE(out.find("unhealthy: "), std::string::npos) << out;
  // Settings it cannot use: unhealthy (1; Docker reserves exit code 2), naming the key.
  EXPECT_EQ(testing::RunCommand({bin, "worker", "--healthcheck", "--database-url", "mysql://x/y"}, &out), 1) << out;
  EXPECT_NE(out.find("database"), std::string::npos) << out;
}

}  // namespace
}  // namespace sentinel::cli
