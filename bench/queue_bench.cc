// Job queue figures, measured the way peer-bench/queue_bench.py measures RQ
// and Celery (peer-bench/README.md), for the embedded and the Redis queue:
//   A. enqueue jobs/s: N single Enqueue calls, no consumer running;
//   B. processed jobs/s: 2 consumer threads drain that N-job backlog with
//      Lease + Ack (no-op jobs); N / (last ack - first lease);
//   C. enqueue->start latency p50/p99: M jobs enqueued open-loop at RATE/s
//      while the 2 consumers wait idle in a blocking Lease.
// Env: QUEUE_BENCH_JOBS (5000), QUEUE_BENCH_LAT_JOBS (600), QUEUE_BENCH_RATE (20),
// QUEUE_BENCH_KINDS ("embedded,redis"), REDIS_URL (default: a throwaway
// redis-server from tests/testing). Prints a table; never fails on a time.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/memory/memory_job_queue.h"
#include "adapters/redis/redis_job_queue.h"
#include "ports/clock.h"
#include "ports/job_queue.h"
#include "testing/servers.h"

namespace {

using namespace sentinel;
using Micros = std::int64_t;

Micros NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

struct Figures {
  std::string kind;
  double enqueue_per_s = 0;
  double processed_per_s = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  int errors = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// The consumers of B and C: lease, record the start time, ack.
struct Record {
  Micros enqueued = 0, started = 0, ended = 0;
};

void Consume(JobQueue& q, const std::string& worker, int total, std::atomic<int>& done,
             std::vector<Record>& out, std::mutex& mu, std::atomic<int>& errors, Micros give_up_at) {
  while (done.load() < total && NowUs() < give_up_at) {
    auto r = q.Lease(worker, 200);
    const Micros started = NowUs();
    if (!r) {
      ++errors;
      continue;
    }
    if (!r->has_value()) continue;
    const Job& job = (*r)->job;
    auto acked = q.Ack(worker, job);
    const Micros ended = NowUs();
    if (!acked) ++errors;
    {
      std::lock_guard lock(mu);
      out.push_back(Record{std::atoll(job.payload.c_str()), started, ended});
    }
    ++done;
  }
}

Figures Measure(const std::string& kind, JobQueue& q, int jobs, int lat_jobs, int rate) {
  Figures f;
  f.kind = kind;
  std::atomic<int> errors{0};

  // A. Enqueue.
  Micros t0 = NowUs();
  for (int i = 0; i < jobs; ++i)
    if (!q.Enqueue(Job{i + 1, SystemClock().Now(), std::to_string(NowUs())})) ++errors;
  f.enqueue_per_s = jobs / ((NowUs() - t0) / 1e6);

  // B. Process the backlog with 2 consumers.
  {
    std::vector<Record> recs;
    std::mutex mu;
    std::atomic<int> done{0};
    const Micros give_up = NowUs() + 120'000'000;
    std::thread c1(Consume, std::ref(q), kind + "-bench-1", jobs, std::ref(done), std::ref(recs), std::ref(mu),
                   std::ref(errors), give_up);
    std::thread c2(Consume, std::ref(q), kind + "-bench-2", jobs, std::ref(done), std::ref(recs), std::ref(mu),
                   std::ref(errors), give_up);
    c1.join();
    c2.join();
    Micros first = INT64_MAX, last = 0;
    for (const Record& r : recs) {
      first = std::min(first, r.started);
      last = std::max(last, r.ended);
    }
    if (recs.size() == static_cast<size_t>(jobs) && last > first) f.processed_per_s = jobs / ((last - first) / 1e6);
    else ++errors;
  }

  // C. Latency at a steady rate with idle consumers.
  {
    std::vector<Record> recs;
    std::mutex mu;
    std::atomic<int> done{0};
    const Micros give_up = NowUs() + static_cast<Micros>(lat_jobs) * 1'000'000 / rate + 30'000'000;
    std::thread c1(Consume, std::ref(q), kind + "-lat-1", lat_jobs, std::ref(done), std::ref(recs), std::ref(mu),
                   std::ref(errors), give_up);
    std::thread c2(Consume, std::ref(q), kind + "-lat-2", lat_jobs, std::ref(done), std::ref(recs), std::ref(mu),
                   std::ref(errors), give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // both consumers are blocked in Lease
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < lat_jobs; ++i) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<Micros>(i) * 1'000'000 / rate));
      if (!q.Enqueue(Job{100'000 + i, SystemClock().Now(), std::to_string(NowUs())})) ++errors;
    }
    c1.join();
    c2.join();
    std::vector<double> lat;
    for (const Record& r : recs) lat.push_back((r.started - r.enqueued) / 1000.0);
    f.p50_ms = Percentile(lat, 0.50);
    f.p99_ms = Percentile(lat, 0.99);
    f.max_ms = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
    if (recs.size() != static_cast<size_t>(lat_jobs)) ++errors;
  }
  f.errors = errors.load();
  return f;
}

}  // namespace

int main() {
  const int jobs = EnvInt("QUEUE_BENCH_JOBS", 5000);
  const int lat_jobs = EnvInt("QUEUE_BENCH_LAT_JOBS", 600);
  const int rate = std::max(1, EnvInt("QUEUE_BENCH_RATE", 20));
  const char* kinds_env = std::getenv("QUEUE_BENCH_KINDS");
  const std::string kinds = kinds_env && *kinds_env ? kinds_env : "embedded,redis";

  std::printf("queue_bench: A=%d single enqueues, B=2 consumers drain %d jobs (lease+ack), C=%d jobs at %d/s\n",
              jobs, jobs, lat_jobs, rate);
  std::vector<Figures> all;
  if (kinds.find("embedded") != std::string::npos) {
    auto q = adapters::memory::NewMemoryJobQueue(SystemClock());
    all.push_back(Measure("embedded", *q, jobs, lat_jobs, rate));
  }
  if (kinds.find("redis") != std::string::npos) {
    std::string url;
    if (const char* u = std::getenv("REDIS_URL"); u && *u) url = u;
    std::string why;
    if (url.empty()) {
      auto* server = sentinel::testing::SharedRedis(&why);
      if (server == nullptr) {
        std::fprintf(stderr, "redis: no server (%s); set REDIS_URL\n", why.c_str());
        return 1;
      }
      url = server->Url(0);
    }
    adapters::redis::RedisQueueOptions o;
    o.url = url;
    o.prefix = "queue-bench-" + std::to_string(NowUs());
    auto q = adapters::redis::OpenRedisJobQueue(SystemClock(), o);
    if (!q) {
      std::fprintf(stderr, "redis: %s\n", q.error().message.c_str());
      return 1;
    }
    all.push_back(Measure("redis", **q, jobs, lat_jobs, rate));
  }

  std::printf("\n| queue | enqueue jobs/s | processed jobs/s (2 consumers) | enqueue->start p50 / p99 / max ms | errors |\n");
  std::printf("|---|---|---|---|---|\n");
  for (const Figures& f : all)
    std::printf("| %s | %.0f | %.0f | %.3f / %.3f / %.3f | %d |\n", f.kind.c_str(), f.enqueue_per_s,
                f.processed_per_s, f.p50_ms, f.p99_ms, f.max_ms, f.errors);
  std::printf("| recorded peer: Celery 5.2.6 | 1,930 | 790 | 3.2 / 8.6 / - | |\n");
  std::printf("| recorded peer: RQ 1.13 SimpleWorker | 2,726-2,834 | 308 | 2.3 / 6.2 / - | |\n");
  // For bench/run_bench.py, which measures the peers live beside these.
  for (const Figures& f : all) {
    std::printf("FIGURE|%s enqueue|jobs/s|%.1f\n", f.kind.c_str(), f.enqueue_per_s);
    std::printf("FIGURE|%s processed|jobs/s|%.1f\n", f.kind.c_str(), f.processed_per_s);
    std::printf("FIGURE|%s p50|ms|%.4f\n", f.kind.c_str(), f.p50_ms);
    std::printf("FIGURE|%s p99|ms|%.4f\n", f.kind.c_str(), f.p99_ms);
  }
  for (const Figures& f : all)
    if (f.errors != 0) return 1;
  return 0;
}
