#include "adapters/redis/redis_job_queue.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

namespace sentinel::adapters::redis {
namespace {

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextFree>;
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;
using Command = std::vector<std::string>;

timeval ToTimeval(EpochMs ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
  return tv;
}

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string_view Str(const redisReply* r) {
  return r->str ? std::string_view(r->str, r->len) : std::string_view();
}

// An error reply. Redis answers LOADING/BUSY/MASTERDOWN/READONLY while it cannot
// serve yet: retryable. Anything else is a bug in our commands.
Error ReplyError(const redisReply* r, std::string_view what) {
  std::string_view msg = Str(r);
  const bool transient = msg.starts_with("LOADING") || msg.starts_with("BUSY") ||
                         msg.starts_with("MASTERDOWN") || msg.starts_with("READONLY") ||
                         msg.starts_with("TRYAGAIN");
  return Error{transient ? ErrorCode::kUnavailable : ErrorCode::kInternal,
               "redis " + std::string(what) + ": " + std::string(msg), ""};
}

// One connection. Not thread-safe; the pool hands it to one caller at a time.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const RedisEndpoint& ep, EpochMs connect_timeout_ms,
                                                  EpochMs command_timeout_ms) {
    const std::string where = ep.host + ":" + std::to_string(ep.port);
    ContextPtr ctx(redisConnectWithTimeout(ep.host.c_str(), ep.port, ToTimeval(connect_timeout_ms)));
    if (!ctx) return Fail(ErrorCode::kUnavailable, "redis at " + where + ": cannot allocate a connection");
    if (ctx->err) return Fail(ErrorCode::kUnavailable, "redis at " + where + " unreachable: " + ctx->errstr);
    std::unique_ptr<Connection> conn(new Connection(std::move(ctx), where));
    std::vector<Command> setup;
    if (!ep.password.empty()) setup.push_back({"AUTH", ep.password});
    if (ep.db != 0) setup.push_back({"SELECT", std::to_string(ep.db)});
    if (!setup.empty()) {
      auto replies = conn->Run(setup, command_timeout_ms);
      if (!replies) return Fail(replies.error());
      for (const auto& r : *replies) {
        if (r->type == REDIS_REPLY_ERROR) {
          Error e = ReplyError(r.get(), "connection setup (AUTH/SELECT)");
          if (e.code == ErrorCode::kInternal) e.code = ErrorCode::kFailedPrecondition;  // bad password or db
          return Fail(std::move(e));
        }
      }
    }
    return conn;
  }

  // Sends every command in one write and reads one reply each (pipelining).
  // On an I/O error or timeout the connection is broken for good: kUnavailable.
  Result<std::vector<ReplyPtr>> Run(const std::vector<Command>& commands, EpochMs timeout_ms) {
    if (broken_) return Fail(ErrorCode::kUnavailable, "redis at " + where_ + ": connection broken");
    if (timeout_ms != timeout_ms_) {
      if (redisSetTimeout(ctx_.get(), ToTimeval(timeout_ms)) != REDIS_OK) return Broken();
      timeout_ms_ = timeout_ms;
    }
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const Command& cmd : commands) {
      argv.clear();
      lens.clear();
      for (const std::string& a : cmd) {
        argv.push_back(a.data());
        lens.push_back(a.size());
      }
      if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lens.data()) != REDIS_OK)
        return Broken();
    }
    std::vector<ReplyPtr> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) return Broken();
      replies.emplace_back(static_cast<redisReply*>(raw));
    }
    return replies;
  }

  bool broken() const { return broken_; }

  // An idle connection has nothing to read; if it is readable or hung up, the
  // server closed it (e.g. Redis restarted), so don't send a command on it.
  bool LooksClosed() const {
    pollfd p{ctx_->fd, POLLIN, 0};
    return ::poll(&p, 1, 0) != 0;
  }

 private:
  Connection(ContextPtr ctx, std::string where) : ctx_(std::move(ctx)), where_(std::move(where)) {}

  tl::unexpected<Error> Broken() {
    broken_ = true;
    std::string why = ctx_->err ? std::string(ctx_->errstr) : "unknown error";
    if (ctx_->err == REDIS_ERR_IO && (why.find("temporarily unavailable") != std::string::npos))
      why = "command timed out";
    return Fail(ErrorCode::kUnavailable, "redis at " + where_ + ": " + why);
  }

  ContextPtr ctx_;
  std::string where_;
  EpochMs timeout_ms_ = -1;
  bool broken_ = false;
};

// Moves every in-flight job of every registered worker whose heartbeat key is
// gone back to the head of the queue, oldest at the very head, and unregisters
// it. Atomic: a worker cannot lease into a list while it is being reaped.
// KEYS[1] workers set, KEYS[2] queue; ARGV[1] the key prefix ("<prefix>:").
constexpr const char* kReapScript = R"lua(
local reaped = {}
local workers = redis.call('SMEMBERS', KEYS[1])
for _, w in ipairs(workers) do
  if redis.call('EXISTS', ARGV[1] .. 'hb:' .. w) == 0 then
    local p = ARGV[1] .. 'processing:' .. w
    for _ = 1, 1000000 do
      local j = redis.call('LMOVE', p, KEYS[2], 'LEFT', 'RIGHT')
      if not j then break end
      table.insert(reaped, j)
    end
    redis.call('SREM', KEYS[1], w)
  end
end
return reaped
)lua";

// Removes ARGV[1] from the worker's processing list (KEYS[1]) and, if it was
// there, pushes it to the head of the queue (KEYS[2]). 1 when moved, 0 when stale.
constexpr const char* kReleaseScript = R"lua(
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  return 1
end
return 0
)lua";

// Keys: the queue is a list whose head is its RIGHT end (LPUSH in, BLMOVE RIGHT
// out); a processing list gets new leases at its LEFT end.
class RedisJobQueue final : public JobQueue {
 public:
  RedisJobQueue(const Clock& clock, RedisQueueOptions options, RedisEndpoint endpoint)
      : clock_(clock),
        options_(std::move(options)),
        endpoint_(std::move(endpoint)),
        queue_key_(options_.prefix + ":queue"),
        workers_key_(options_.prefix + ":workers") {}

  Status Enqueue(const Job& job) override {
    auto r = Exec({{"LPUSH", queue_key_, EncodeJob(job)}}, "enqueue", /*idempotent=*/false);
    if (!r) return Fail(r.error());
    return Ok();
  }

  Result<std::optional<Leased>> Lease(const std::string& worker_id, EpochMs wait_ms) override {
    if (worker_id.empty()) return Fail(ErrorCode::kInvalidArgument, "worker id is empty", "worker_id");
    wait_ms = std::max<EpochMs>(wait_ms, 0);
    const EpochMs ttl = TtlOf(worker_id);
    // Register and keep the worker alive for the whole wait plus its TTL, in the
    // same round trip, so a job moved at the end of the wait is still covered.
    std::vector<Command> cmds = {
        {"SADD", workers_key_, worker_id},
        {"SET", HbKey(worker_id), std::to_string(clock_.Now()), "PX", std::to_string(wait_ms + ttl)},
    };
    if (wait_ms == 0) {
      cmds.push_back({"LMOVE", queue_key_, ProcessingKey(worker_id), "RIGHT", "LEFT"});
    } else {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.3f", static_cast<double>(wait_ms) / 1000.0);
      cmds.push_back({"BLMOVE", queue_key_, ProcessingKey(worker_id), "RIGHT", "LEFT", secs});
    }
    auto r = Exec(cmds, "lease", /*idempotent=*/false, wait_ms);
    if (!r) return Fail(r.error());
    const redisReply* moved = (*r)[2].get();
    if (moved->type == REDIS_REPLY_NIL) return std::optional<Leased>();
    if (moved->type != REDIS_REPLY_STRING)
      return Fail(ErrorCode::kInternal, "redis lease: unexpected reply type " + std::to_string(moved->type));
    auto job = DecodeJob(Str(moved));
    if (!job) {
      // Never hand out garbage, and never let it be reaped back into the queue forever.
      (void)Exec({{"LREM", ProcessingKey(worker_id), "1", std::string(Str(moved))}}, "drop malformed job", false);
      return Fail(ErrorCode::kInternal, "redis lease: dropped a malformed job: " + job.error().message);
    }
    return std::optional<Leased>(Leased{std::move(*job), worker_id});
  }

  Status Heartbeat(const std::string& worker_id, EpochMs ttl_ms) override {
    if (worker_id.empty()) return Fail(ErrorCode::kInvalidArgument, "worker id is empty", "worker_id");
    if (ttl_ms <= 0) return Fail(ErrorCode::kInvalidArgument, "heartbeat ttl must be positive", "ttl_ms");
    {
      std::lock_guard lock(ttl_mu_);
      ttl_by_worker_[worker_id] = ttl_ms;
    }
    auto r = Exec({{"SADD", workers_key_, worker_id},
                   {"SET", HbKey(worker_id), std::to_string(clock_.Now()), "PX", std::to_string(ttl_ms)}},
                  "heartbeat", /*idempotent=*/true);
    if (!r) return Fail(r.error());
    return Ok();
  }

  Status Ack(const std::string& worker_id, const Job& job) override {
    auto r = Exec({{"LREM", ProcessingKey(worker_id), "1", EncodeJob(job)}}, "ack", /*idempotent=*/false);
    if (!r) return Fail(r.error());
    if ((*r)[0]->integer != 1) return Stale("ack", worker_id, job);
    return Ok();
  }

  Status Release(const std::string& worker_id, const Job& job) override {
    auto r = Exec({{"EVAL", kReleaseScript, "2", ProcessingKey(worker_id), queue_key_, EncodeJob(job)}},
                  "release", /*idempotent=*/false);
    if (!r) return Fail(r.error());
    if ((*r)[0]->integer != 1) return Stale("release", worker_id, job);
    return Ok();
  }

  Result<std::vector<Job>> ReapDeadWorkers(EpochMs /*now*/) override {
    auto r = Exec({{"EVAL", kReapScript, "2", workers_key_, queue_key_, options_.prefix + ":"}}, "reap",
                  /*idempotent=*/false);
    if (!r) return Fail(r.error());
    const redisReply* arr = (*r)[0].get();
    std::vector<Job> jobs;
    if (arr->type != REDIS_REPLY_ARRAY) return jobs;
    // The script moved newest first; report oldest first, like the queue's head.
    for (size_t i = arr->elements; i-- > 0;) {
      auto job = DecodeJob(Str(arr->element[i]));
      if (job) jobs.push_back(std::move(*job));
    }
    return jobs;
  }

  Result<std::vector<std::int64_t>> QueuedJobIds() override {
    auto r = Exec({{"LRANGE", queue_key_, "0", "-1"}}, "list queued jobs", /*idempotent=*/true);
    if (!r) return Fail(r.error());
    std::vector<std::int64_t> ids = RunIds((*r)[0].get());
    std::reverse(ids.begin(), ids.end());  // head first
    return ids;
  }

  Result<std::vector<std::int64_t>> InFlightJobIds() override {
    auto members = Exec({{"SMEMBERS", workers_key_}}, "list workers", /*idempotent=*/true);
    if (!members) return Fail(members.error());
    std::vector<Command> cmds;
    const redisReply* arr = (*members)[0].get();
    for (size_t i = 0; i < arr->elements; ++i)
      cmds.push_back({"LRANGE", ProcessingKey(std::string(Str(arr->element[i]))), "0", "-1"});
    std::vector<std::int64_t> ids;
    if (cmds.empty()) return ids;
    auto lists = Exec(cmds, "list in-flight jobs", /*idempotent=*/true);
    if (!lists) return Fail(lists.error());
    for (const auto& l : *lists) {
      std::vector<std::int64_t> part = RunIds(l.get());
      ids.insert(ids.end(), part.rbegin(), part.rend());  // oldest lease first
    }
    return ids;
  }

  Result<std::int64_t> Depth() override {
    auto r = Exec({{"LLEN", queue_key_}}, "depth", /*idempotent=*/true);
    if (!r) return Fail(r.error());
    return static_cast<std::int64_t>((*r)[0]->integer);
  }

  Status Ping() override {
    auto r = Exec({{"PING"}}, "ping", /*idempotent=*/true);
    if (!r) return Fail(r.error());
    return Ok();
  }

  Result<std::vector<WorkerInfo>> RegisteredWorkers() override {
    auto members = Exec({{"SMEMBERS", workers_key_}}, "list workers", /*idempotent=*/true);
    if (!members) return Fail(members.error());
    std::vector<std::string> ids;
    const redisReply* arr = (*members)[0].get();
    for (size_t i = 0; i < arr->elements; ++i) ids.emplace_back(Str(arr->element[i]));
    std::sort(ids.begin(), ids.end());
    std::vector<WorkerInfo> out;
    if (ids.empty()) return out;
    std::vector<Command> cmds;
    for (const std::string& id : ids) {
      cmds.push_back({"GET", HbKey(id)});
      cmds.push_back({"LLEN", ProcessingKey(id)});
    }
    auto r = Exec(cmds, "describe workers", /*idempotent=*/true);
    if (!r) return Fail(r.error());
    for (size_t i = 0; i < ids.size(); ++i) {
      const redisReply* hb = (*r)[2 * i].get();
      WorkerInfo w;
      w.id = ids[i];
      w.alive = hb->type == REDIS_REPLY_STRING;
      if (w.alive) w.last_heartbeat = ParseInt(Str(hb)).value_or(0);
      w.in_flight = static_cast<int>((*r)[2 * i + 1]->integer);
      out.push_back(std::move(w));
    }
    return out;
  }

 private:
  std::string HbKey(const std::string& worker) const { return options_.prefix + ":hb:" + worker; }
  std::string ProcessingKey(const std::string& worker) const { return options_.prefix + ":processing:" + worker; }

  EpochMs TtlOf(const std::string& worker_id) {
    std::lock_guard lock(ttl_mu_);
    auto it = ttl_by_worker_.find(worker_id);
    return it == ttl_by_worker_.end() ? options_.default_ttl_ms : it->second;
  }

  static std::vector<std::int64_t> RunIds(const redisReply* arr) {
    std::vector<std::int64_t> ids;
    if (arr->type != REDIS_REPLY_ARRAY) return ids;
    for (size_t i = 0; i < arr->elements; ++i) {
      auto job = DecodeJob(Str(arr->element[i]));
      if (job) ids.push_back(job->run_id);
    }
    return ids;
  }

  static tl::unexpected<Error> Stale(const char* op, const std::string& worker_id, const Job& job) {
    return Fail(ErrorCode::kNotFound, std::string(op) + ": run " + std::to_string(job.run_id) +
                                          " is not leased by worker '" + worker_id +
                                          "' (already acked, or reaped and handed out again)");
  }

  // A pooled connection, or a new one. Connections opened before the last
  // observed failure are dropped: after a Redis restart they are all dead.
  Result<std::unique_ptr<Connection>> Acquire(bool* reused) {
    {
      std::lock_guard lock(pool_mu_);
      while (!idle_.empty()) {
        auto [conn, gen] = std::move(idle_.back());
        idle_.pop_back();
        if (gen == generation_ && !conn->LooksClosed()) {
          *reused = true;
          return std::move(conn);
        }
      }
    }
    *reused = false;
    return Connection::Open(endpoint_, options_.connect_timeout_ms, options_.command_timeout_ms);
  }

  void Return(std::unique_ptr<Connection> conn, std::uint64_t gen) {
    std::lock_guard lock(pool_mu_);
    if (conn->broken()) {
      if (gen == generation_) ++generation_;
      return;
    }
    if (gen == generation_ && static_cast<int>(idle_.size()) < options_.max_idle_connections)
      idle_.emplace_back(std::move(conn), gen);
  }

  // Runs the commands on one connection and checks for error replies. An
  // idempotent call that fails on a reused (possibly stale) connection is tried
  // once more on a fresh one, so reads work at once after a Redis restart.
  Result<std::vector<ReplyPtr>> Exec(const std::vector<Command>& cmds, std::string_view what, bool idempotent,
                                     EpochMs extra_timeout_ms = 0) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::uint64_t gen;
      {
        std::lock_guard lock(pool_mu_);
        gen = generation_;
      }
      bool reused = false;
      auto conn = Acquire(&reused);
      if (!conn) return Fail(conn.error());
      auto replies = (*conn)->Run(cmds, options_.command_timeout_ms + extra_timeout_ms);
      Return(std::move(*conn), gen);
      if (!replies) {
        if (idempotent && reused && attempt == 0) continue;
        Error e = replies.error();
        e.message = std::string(what) + ": " + e.message;
        return Fail(std::move(e));
      }
      for (const auto& r : *replies)
        if (r->type == REDIS_REPLY_ERROR) return Fail(ReplyError(r.get(), what));
      return replies;
    }
    return Fail(ErrorCode::kUnavailable, std::string(what) + ": redis unreachable");
  }

  const Clock& clock_;
  const RedisQueueOptions options_;
  const RedisEndpoint endpoint_;
  const std::string queue_key_;
  const std::string workers_key_;

  std::mutex pool_mu_;
  std::vector<std::pair<std::unique_ptr<Connection>, std::uint64_t>> idle_;
  std::uint64_t generation_ = 0;

  std::mutex ttl_mu_;
  std::map<std::string, EpochMs> ttl_by_worker_;  // the last Heartbeat TTL of workers in this process
};

}  // namespace

Result<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme))
    return Fail(ErrorCode::kInvalidArgument, "redis url must start with redis:// (got '" + std::string(url) + "')",
                "redis_url");
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint ep;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view auth = rest.substr(0, at);
    if (auto colon = auth.find(':'); colon != std::string_view::npos) auth = auth.substr(colon + 1);
    ep.password = std::string(auth);
    rest = rest.substr(at + 1);
  }
  std::string_view hostport = rest;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) {
      auto n = ParseInt(db);
      if (!n || *n < 0 || *n > 1'000'000)
        return Fail(ErrorCode::kInvalidArgument, "redis url: database must be a number >= 0 (got '" +
                                                     std::string(db) + "')", "redis_url");
      ep.db = static_cast<int>(*n);
    }
  }
  if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    auto port = ParseInt(hostport.substr(colon + 1));
    if (!port || *port <= 0 || *port > 65535)
      return Fail(ErrorCode::kInvalidArgument, "redis url: port must be 1-65535 (got '" +
                                                   std::string(hostport.substr(colon + 1)) + "')", "redis_url");
    ep.port = static_cast<int>(*port);
    hostport = hostport.substr(0, colon);
  }
  if (!hostport.empty()) ep.host = std::string(hostport);
  return ep;
}

std::string EncodeJob(const Job& job) {
  std::string s = std::to_string(job.run_id) + ":" + std::to_string(job.enqueued_at);
  if (!job.payload.empty()) s += ":" + job.payload;
  return s;
}

Result<Job> DecodeJob(std::string_view text) {
  auto c1 = text.find(':');
  if (c1 == std::string_view::npos)
    return Fail(ErrorCode::kInvalidArgument, "job '" + std::string(text.substr(0, 64)) + "': no ':' after the run id");
  auto c2 = text.find(':', c1 + 1);
  auto run = ParseInt(text.substr(0, c1));
  auto at = ParseInt(text.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1));
  if (!run || !at)
    return Fail(ErrorCode::kInvalidArgument,
                "job '" + std::string(text.substr(0, 64)) + "': run id and enqueue time must be integers");
  Job job{*run, *at, {}};
  if (c2 != std::string_view::npos) job.payload = std::string(text.substr(c2 + 1));
  return job;
}

Result<std::unique_ptr<JobQueue>> OpenRedisJobQueue(const Clock& clock, RedisQueueOptions options) {
  auto ep = ParseRedisUrl(options.url);
  if (!ep) return Fail(ep.error());
  if (options.prefix.empty()) return Fail(ErrorCode::kInvalidArgument, "redis key prefix is empty", "redis_prefix");
  struct sigaction old {};
  if (::sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  return std::unique_ptr<JobQueue>(std::make_unique<RedisJobQueue>(clock, std::move(options), std::move(*ep)));
}

}  // namespace sentinel::adapters::redis
