// The JobQueue contract (ports/job_queue.h), run against every implementation:
// `embedded` (adapters/memory) and `redis` (adapters/redis, on a throwaway
// redis-server). Every loop is bounded in count and time; no test asserts a
// duration.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/memory/memory_job_queue.h"
#include "adapters/redis/redis_job_queue.h"
#include "ports/clock.h"
#include "ports/job_queue.h"
#include "testing/servers.h"

namespace sentinel {
namespace {

using namespace std::chrono_literals;
using adapters::memory::NewMemoryJobQueue;
using adapters::redis::OpenRedisJobQueue;
using adapters::redis::RedisQueueOptions;

Job MakeJob(std::int64_t id, std::string payload = {}) {
  return Job{id, SystemClock().Now(), std::move(payload)};
}

std::vector<std::int64_t> Ids(const std::vector<Job>& jobs) {
  std::vector<std::int64_t> ids;
  for (const Job& j : jobs) ids.push_back(j.run_id);
  return ids;
}

// Reaps until something comes back or about 5 s have passed.
std::vector<Job> ReapUntilSomething(JobQueue& queue) {
  for (int i = 0; i < 200; ++i) {
    auto r = queue.ReapDeadWorkers(SystemClock().Now());
    EXPECT_TRUE(r.has_value()) << r.error().message;
    if (!r || !r->empty()) return r.value_or(std::vector<Job>{});
    std::this_thread::sleep_for(25ms);
  }
  return {};
}

class JobQueueContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (IsRedis()) {
      std::string why;
      redis_ = testing::SharedRedis(&why);
      SENTINEL_REQUIRE_SERVER(redis_, why);
      // Every test gets its own key prefix on the shared server.
      static std::atomic<int> counter{0};
      prefix_ = "contract" + std::to_string(counter++) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name();
      std::replace(prefix_.begin(), prefix_.end(), '/', '_');
    }
    queue_ = NewQueue();
    ASSERT_NE(queue_, nullptr);
  }

  bool IsRedis() const { return GetParam() == "redis"; }

  std::unique_ptr<JobQueue> NewQueue(int db = 0, EpochMs default_ttl_ms = 30'000) {
    if (!IsRedis()) return NewMemoryJobQueue(SystemClock(), {.default_ttl_ms = default_ttl_ms});
    RedisQueueOptions o;
    o.url = redis_->Url(db);
    o.prefix = prefix_;
    o.default_ttl_ms = default_ttl_ms;
    auto q = OpenRedisJobQueue(SystemClock(), o);
    EXPECT_TRUE(q.has_value()) << (q ? "" : q.error().message);
    return q ? std::move(*q) : nullptr;
  }

  // Leases without blocking; fails the test on an error.
  std::optional<Job> LeaseNow(const std::string& worker) {
    auto r = queue_->Lease(worker, 0);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    if (!r || !r->has_value()) return std::nullopt;
    EXPECT_EQ((*r)->worker_id, worker);
    return (*r)->job;
  }

  testing::RedisServer* redis_ = nullptr;
  std::string prefix_;
  std::unique_ptr<JobQueue> queue_;
};

TEST_P(JobQueueContractTest, LeasesInFifoOrder) {
  std::vector<Job> jobs;
  for (int i = 1; i <= 20; ++i) {
    jobs.push_back(MakeJob(i));
    ASSERT_TRUE(queue_->Enqueue(jobs.back()));
  }
  EXPECT_EQ(queue_->Depth().value_or(-1), 20);
  for (int i = 0; i < 20; ++i) {
    auto job = LeaseNow("w1");
    ASSERT_TRUE(job.has_value()) << "lease " << i;
    EXPECT_EQ(*job, jobs[i]);
    EXPECT_TRUE(queue_->Ack("w1", *job));
  }
  EXPECT_FALSE(LeaseNow("w1").has_value());
  EXPECT_EQ(queue_->Depth().value_or(-1), 0);
}

TEST_P(JobQueueContractTest, PayloadAndEnqueueTimeRoundTrip) {
  const Job job{42, 1'700'000'000'123, "ref=main:scenario=flaky:\xff bytes"};
  ASSERT_TRUE(queue_->Enqueue(job));
  auto leased = LeaseNow("w1");
  ASSERT_TRUE(leased.has_value());
  EXPECT_EQ(*leased, job);
  EXPECT_TRUE(queue_->Ack("w1", job));
}

TEST_P(JobQueueContractTest, FourConcurrentConsumersGetEveryJobExactlyOnce) {
  constexpr int kJobs = 2000;
  for (int i = 1; i <= kJobs; ++i) ASSERT_TRUE(queue_->Enqueue(MakeJob(i)));

  std::mutex mu;
  std::map<std::int64_t, int> deliveries;
  std::atomic<int> acked{0};
  std::atomic<int> errors{0};
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  std::vector<std::thread> consumers;
  for (int c = 0; c < 4; ++c) {
    consumers.emplace_back([&, c] {
      const std::string worker = "consumer-" + std::to_string(c);
      int empty_in_a_row = 0;
      for (int i = 0; i < kJobs + 10 && empty_in_a_row < 3 && std::chrono::steady_clock::now() < deadline; ++i) {
        auto r = queue_->Lease(worker, 50);
        if (!r) {
          ++errors;
          continue;
        }
        if (!r->has_value()) {
          ++empty_in_a_row;
          continue;
        }
        empty_in_a_row = 0;
        {
          std::lock_guard lock(mu);
          ++deliveries[(*r)->job.run_id];
        }
        if (queue_->Ack(worker, (*r)->job)) ++acked;
        else ++errors;
      }
    });
  }
  for (auto& t : consumers) t.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(acked.load(), kJobs);
  ASSERT_EQ(deliveries.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, n] : deliveries) EXPECT_EQ(n, 1) << "run " << id << " delivered " << n << " times";
  EXPECT_EQ(queue_->Depth().value_or(-1), 0);
  EXPECT_TRUE(queue_->InFlightJobIds().value_or(std::vector<std::int64_t>{-1}).empty());
}

TEST_P(JobQueueContractTest, DeadConsumersJobsAreReapedAndDeliveredToAnother) {
  std::vector<Job> jobs;
  for (int i = 1; i <= 5; ++i) {
    jobs.push_back(MakeJob(i));
    ASSERT_TRUE(queue_->Enqueue(jobs.back()));
  }
  // Given a consumer holding three leases and alive for a minute, nothing is reaped.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(LeaseNow("doomed").has_value());
  ASSERT_TRUE(queue_->Heartbeat("doomed", 60'000));
  ASSERT_TRUE(queue_->Heartbeat("survivor", 60'000));
  auto none = queue_->ReapDeadWorkers(SystemClock().Now());
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(queue_->InFlightJobIds().value_or(std::vector<std::int64_t>{}), (std::vector<std::int64_t>{1, 2, 3}));

  // When it heartbeats a last time with a short TTL and then stops, its jobs come back.
  ASSERT_TRUE(queue_->Heartbeat("doomed", 100));
  const std::vector<Job> reaped = ReapUntilSomething(*queue_);
  EXPECT_EQ(Ids(reaped), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(queue_->QueuedJobIds().value_or(std::vector<std::int64_t>{}),
            (std::vector<std::int64_t>{1, 2, 3, 4, 5}));

  // The survivor gets them first, in their original order, then the rest.
  for (int i = 0; i < 5; ++i) {
    auto job = LeaseNow("survivor");
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(*job, jobs[i]);
    EXPECT_TRUE(queue_->Ack("survivor", *job));
  }
  // The dead consumer's late ack is stale and changes nothing.
  auto stale = queue_->Ack("doomed", jobs[0]);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kNotFound);

  auto workers = queue_->RegisteredWorkers();
  ASSERT_TRUE(workers.has_value());
  ASSERT_EQ(workers->size(), 1u);
  EXPECT_EQ((*workers)[0].id, "survivor");
  EXPECT_TRUE((*workers)[0].alive);
  EXPECT_EQ((*workers)[0].in_flight, 0);
}

// Given a worker that dies between its Lease and its first Heartbeat, the
// lease alone registered it, so its job is not stranded.
TEST_P(JobQueueContractTest, AWorkerThatNeverHeartbeatsIsReapedAfterTheDefaultTtl) {
  queue_ = NewQueue(0, /*default_ttl_ms=*/100);
  ASSERT_NE(queue_, nullptr);
  const Job job = MakeJob(1);
  ASSERT_TRUE(queue_->Enqueue(job));
  ASSERT_TRUE(LeaseNow("silent").has_value());
  EXPECT_EQ(ReapUntilSomething(*queue_), std::vector<Job>{job});
  auto again = LeaseNow("other");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, job);
}

TEST_P(JobQueueContractTest, AHeartbeatAfterExpiryButBeforeAReapKeepsTheLeases) {
  ASSERT_TRUE(queue_->Enqueue(MakeJob(1)));
  ASSERT_TRUE(LeaseNow("late").has_value());
  ASSERT_TRUE(queue_->Heartbeat("late", 50));
  bool expired = false;
  for (int i = 0; i < 200 && !expired; ++i) {
    std::this_thread::sleep_for(25ms);
    auto workers = queue_->RegisteredWorkers();
    ASSERT_TRUE(workers.has_value());
    ASSERT_EQ(workers->size(), 1u);
    expired = !(*workers)[0].alive;
  }
  ASSERT_TRUE(expired);
  ASSERT_TRUE(queue_->Heartbeat("late", 60'000));
  auto reaped = queue_->ReapDeadWorkers(SystemClock().Now());
  ASSERT_TRUE(reaped.has_value());
  EXPECT_TRUE(reaped->empty());
  EXPECT_EQ(queue_->InFlightJobIds().value_or(std::vector<std::int64_t>{}), (std::vector<std::int64_t>{1}));
}

TEST_P(JobQueueContractTest, ReleasePutsTheJobBackAtTheHead) {
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(queue_->Enqueue(MakeJob(i)));
  auto first = LeaseNow("w1");
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->run_id, 1);
  ASSERT_TRUE(queue_->Release("w1", *first));
  EXPECT_TRUE(queue_->InFlightJobIds().value_or(std::vector<std::int64_t>{-1}).empty());

  auto again = LeaseNow("w2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *first);
  // w1 no longer holds it: its release and ack are stale.
  auto rel = queue_->Release("w1", *first);
  ASSERT_FALSE(rel.has_value());
  EXPECT_EQ(rel.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(queue_->Ack("w1", *first).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(queue_->Ack("w2", *again));
  EXPECT_EQ(queue_->Ack("w2", *again).error().code, ErrorCode::kNotFound);  // a second ack is stale too
  EXPECT_EQ(queue_->QueuedJobIds().value_or(std::vector<std::int64_t>{}), (std::vector<std::int64_t>{2, 3}));
}

TEST_P(JobQueueContractTest, BlockingLeaseGetsAJobThatArrivesWhileWaiting) {
  std::optional<Leased> got;
  std::string error;
  std::thread consumer([&] {
    auto r = queue_->Lease("waiter", 10'000);
    if (r) got = *r;
    else error = r.error().message;
  });
  std::this_thread::sleep_for(100ms);  // let it block first (the assertion holds either way)
  const Job job = MakeJob(7);
  ASSERT_TRUE(queue_->Enqueue(job));
  consumer.join();
  EXPECT_EQ(error, "");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->job, job);
  EXPECT_EQ(got->worker_id, "waiter");
  EXPECT_TRUE(queue_->Ack("waiter", job));
}

TEST_P(JobQueueContractTest, BlockingLeaseReturnsEmptyWhenNothingArrives) {
  auto r = queue_->Lease("waiter", 150);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->has_value());
}

TEST_P(JobQueueContractTest, ReportsQueuedAndInFlightIdsAndWorkers) {
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(queue_->Enqueue(MakeJob(i * 10)));
  ASSERT_TRUE(queue_->Heartbeat("w1", 60'000));
  ASSERT_TRUE(LeaseNow("w1").has_value());
  EXPECT_EQ(queue_->QueuedJobIds().value_or(std::vector<std::int64_t>{}), (std::vector<std::int64_t>{20, 30}));
  EXPECT_EQ(queue_->InFlightJobIds().value_or(std::vector<std::int64_t>{}), (std::vector<std::int64_t>{10}));
  EXPECT_EQ(queue_->Depth().value_or(-1), 2);
  EXPECT_TRUE(queue_->Ping());
  auto workers = queue_->RegisteredWorkers();
  ASSERT_TRUE(workers.has_value());
  ASSERT_EQ(workers->size(), 1u);
  EXPECT_EQ((*workers)[0].id, "w1");
  EXPECT_TRUE((*workers)[0].alive);
  EXPECT_EQ((*workers)[0].in_flight, 1);
  EXPECT_GT((*workers)[0].last_heartbeat, 0);
}

TEST_P(JobQueueContractTest, RejectsAnEmptyWorkerId) {
  EXPECT_EQ(queue_->Lease("", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(queue_->Heartbeat("", 1000).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(queue_->Heartbeat("w", 0).error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(AllQueues, JobQueueContractTest, ::testing::Values("embedded", "redis"),
                         [](const auto& info) { return info.param; });

// ---------------------------------------------------------------- Redis only

class RedisJobQueueTest : public JobQueueContractTest {};

// Given jobs waiting and one in flight, a Redis restart (no persistence) loses
// them: the queue answers kUnavailable while Redis is down, recovers by itself,
// and the reconciler's path (store says queued, queue has neither queued nor
// in flight -> Enqueue again) gets every run delivered.
TEST_P(RedisJobQueueTest, RecoversAfterARestartAndTheReconcilerReEnqueuesWhatWasLost) {
  std::set<std::int64_t> queued_in_store;
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(queue_->Enqueue(MakeJob(i)));
    queued_in_store.insert(i);
  }
  auto in_flight = LeaseNow("w1");
  ASSERT_TRUE(in_flight.has_value());
  // A consumer blocked in Lease on another, empty queue when Redis goes away.
  RedisQueueOptions o;
  o.url = redis_->Url(0);
  o.prefix = prefix_ + "-empty";
  auto empty = OpenRedisJobQueue(SystemClock(), o);
  ASSERT_TRUE(empty.has_value());
  std::optional<Error> blocked_error;
  std::thread blocked([&] {
    auto r = (*empty)->Lease("blocked", 30'000);
    if (!r) blocked_error = r.error();
  });
  std::this_thread::sleep_for(200ms);

  redis_->Stop();
  blocked.join();
  ASSERT_TRUE(blocked_error.has_value()) << "a Lease blocked on a Redis that went away returns an error";
  EXPECT_EQ(blocked_error->code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->Ping().error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->Enqueue(MakeJob(99)).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->Lease("w2", 100).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->Depth().error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->Heartbeat("w1", 1000).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->QueuedJobIds().error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(queue_->ReapDeadWorkers(SystemClock().Now()).error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(redis_->Restart());

  // Recovers by itself: no reopen, only later calls.
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    up = queue_->Ping().has_value();
    if (!up) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(up);

  auto queued = queue_->QueuedJobIds();
  auto leased = queue_->InFlightJobIds();
  ASSERT_TRUE(queued.has_value());
  ASSERT_TRUE(leased.has_value());
  std::set<std::int64_t> present(queued->begin(), queued->end());
  present.insert(leased->begin(), leased->end());
  EXPECT_TRUE(present.empty()) << "the test server keeps no data across a restart";
  // The old lease died with the data: its ack is stale.
  EXPECT_EQ(queue_->Ack("w1", *in_flight).error().code, ErrorCode::kNotFound);

  int reenqueued = 0;
  for (std::int64_t id : queued_in_store) {
    if (present.count(id)) continue;
    ASSERT_TRUE(queue_->Enqueue(MakeJob(id)));
    ++reenqueued;
  }
  EXPECT_EQ(reenqueued, 10);
  std::set<std::int64_t> delivered;
  for (int i = 0; i < 20; ++i) {
    auto job = LeaseNow("w2");
    if (!job) break;
    EXPECT_TRUE(delivered.insert(job->run_id).second) << "run " << job->run_id << " delivered twice";
    EXPECT_TRUE(queue_->Ack("w2", *job));
  }
  EXPECT_EQ(delivered, queued_in_store);
}

TEST_P(RedisJobQueueTest, PingIsUnavailableWhenRedisIsDown) {
  RedisQueueOptions o;
  o.url = "redis://127.0.0.1:" + std::to_string(testing::FreePort()) + "/0";  // nothing listens there
  o.prefix = prefix_;
  auto q = OpenRedisJobQueue(SystemClock(), o);
  ASSERT_TRUE(q.has_value()) << "opening must not need a live server";
  EXPECT_EQ((*q)->Ping().error().code, ErrorCode::kUnavailable);
  EXPECT_EQ((*q)->Enqueue(MakeJob(1)).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ((*q)->Lease("w", 50).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ((*q)->RegisteredWorkers().error().code, ErrorCode::kUnavailable);
}

TEST_P(RedisJobQueueTest, TheDatabaseInTheUrlIsSelected) {
  auto db3 = NewQueue(3);
  ASSERT_NE(db3, nullptr);
  ASSERT_TRUE(db3->Enqueue(MakeJob(1)));
  EXPECT_EQ(db3->Depth().value_or(-1), 1);
  EXPECT_EQ(queue_->Depth().value_or(-1), 0) << "same prefix, database 0";
}

INSTANTIATE_TEST_SUITE_P(Redis, RedisJobQueueTest, ::testing::Values("redis"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sentinel
