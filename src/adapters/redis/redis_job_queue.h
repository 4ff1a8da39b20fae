#pragma once
// The `redis` job queue: a reliable FIFO in Redis 7 shared by any number of
// worker processes. Lease moves a job atomically (BLMOVE) from <prefix>:queue
// into <prefix>:processing:<worker>; Heartbeat sets <prefix>:hb:<worker> with a
// TTL; ReapDeadWorkers moves the lists of expired workers back (one Lua
// script). Same contract as every JobQueue (ports/job_queue.h). Thread-safe:
// a small pool of connections, one per concurrent call (so each blocked Lease
// holds its own); a broken connection is dropped and replaced on a later call.

#include <memory>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "ports/clock.h"
#include "ports/job_queue.h"

namespace sentinel::adapters::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;  // empty: no AUTH
};

// "redis://[:password@]host[:port][/db]". kInvalidArgument naming what is wrong.
Result<RedisEndpoint> ParseRedisUrl(std::string_view url);

struct RedisQueueOptions {
  std::string url = "redis://127.0.0.1:6379/0";
  std::string prefix = "sentinel";  // every key starts with "<prefix>:"
  EpochMs connect_timeout_ms = 1'000;
  EpochMs command_timeout_ms = 2'000;  // a blocking Lease waits this much longer than its wait_ms
  EpochMs default_ttl_ms = 30'000;     // a worker's TTL until its first Heartbeat
  int max_idle_connections = 8;
};

// Parses the URL but does not connect: the first call does, so the queue can be
// created while Redis is down (calls return kUnavailable until it is up).
// Ignores SIGPIPE process-wide if it still has the default action, since a write
// to a Redis that went away must fail the call, not kill the process.
// `clock` must outlive the queue.
Result<std::unique_ptr<JobQueue>> OpenRedisJobQueue(const Clock& clock, RedisQueueOptions options);

// The stored form of a job: "<run_id>:<enqueued_at>[:<payload>]". Exposed for tests.
std::string EncodeJob(const Job& job);
Result<Job> DecodeJob(std::string_view text);

}  // namespace sentinel::adapters::redis
