// HealthMonitor: answers from background probes, shows an outage (or a hung
// probe) within its bounds, and recovers. Bounded waits, no timing assertions.
#include "app/health.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "testing/fake_stores.h"
#include "testing/wait.h"

namespace sentinel::app {
namespace {

using sentinel::testing::FakeDb;
using sentinel::testing::WaitUntil;

HealthMonitorOptions Fast() {
  HealthMonitorOptions o;
  o.interval = std::chrono::milliseconds(20);
  o.stale_after = std::chrono::milliseconds(300);
  return o;
}

TEST(HealthMonitorTest, FirstReportIsARealProbeWithCountsAndVersion) {
  FakeDb db;
  HealthProbes probes{&db, {}, [] { return 3; }, "1.2.3", [] { return std::int64_t{7}; }};
  HealthMonitor monitor(probes, Fast());
  auto r = monitor.Current();
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->workers, 3);
  EXPECT_EQ(r->stale_writes, 7);
  EXPECT_EQ(r->version, "1.2.3");
}

TEST(HealthMonitorTest, DatabaseOutageShowsAndRecoversAndIsLoggedOnceEachWay) {
  FakeDb db;
  std::mutex mu;
  std::vector<std::string> lines;
  HealthMonitor monitor(HealthProbes{&db, {}, {}, "v", {}}, Fast(), [&](std::string_view l) {
    std::lock_guard lock(mu);
    lines.emplace_back(l);
  });
  ASSERT_TRUE(monitor.Current()->ok());
  db.SetDown(true);
  ASSERT_TRUE(WaitUntil([&] { return !monitor.Current()->database_ok; }, 5000));
  EXPECT_TRUE(monitor.Current()->queue_ok);
  EXPECT_NE(monitor.Current()->database_error.find("down"), std::string::npos);
  db.SetDown(false);
  ASSERT_TRUE(WaitUntil([&] { return monitor.Current()->ok(); }, 5000));
  std::lock_guard lock(mu);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("database is down"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("database is reachable again"), std::string::npos) << lines[1];
}

TEST(HealthMonitorTest, AHungQueueProbeCountsAsDownWithoutWaitingForIt) {
  FakeDb db;
  std::mutex mu;
  std::condition_variable cv;
  bool hang = false;
  std::atomic<int> calls{0};
  HealthProbes probes{&db,
                      [&]() -> Status {
                        ++calls;
                        std::unique_lock lock(mu);
                        cv.wait(lock, [&] { return !hang; });
                        return Ok();
                      },
                      {}, "v", {}};
  HealthMonitor monitor(probes, Fast());
  ASSERT_TRUE(monitor.Current()->ok());
  {
    std::lock_guard lock(mu);
    hang = true;
  }
  ASSERT_TRUE(WaitUntil([&] { return !monitor.Current()->queue_ok; }, 5000));
  EXPECT_NE(monitor.Current()->queue_error.find("no answer within 300 ms"), std::string::npos)
      << monitor.Current()->queue_error;
  EXPECT_TRUE(monitor.Current()->database_ok);  // the database's own probe is not held up
  {
    std::lock_guard lock(mu);
    hang = false;
  }
  cv.notify_all();
  ASSERT_TRUE(WaitUntil([&] { return monitor.Current()->ok(); }, 5000));
  EXPECT_GT(calls.load(), 1);
}


}  // namespace
}  // namespace sentinel::app
