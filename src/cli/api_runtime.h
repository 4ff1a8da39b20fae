#pragma once
// The API server wired to the real store: opens the database a Settings
// names, migrates it, builds the stores, routes and the HTTP server. Used by
// `sentinel api` and reusable by `sentinel up` (which passes the queue's
// health probe and dispatcher). Start from the main thread; Stop() or the
// destructor shuts the server down before the stores and the database.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/health.h"
#include "app/notifier.h"
#include "app/runs.h"
#include "core/base/result.h"
#include "core/config/settings.h"
#include "ports/db.h"
#include "ports/job_queue.h"
#include "ports/notification_store.h"

namespace sentinel::cli {

// How the API reaches the queue. With no hook set and a redis:// queue_url,
// Start() opens the Redis queue itself (health = Ping, workers = live
// registered workers, dispatch = Enqueue). With the embedded queue and no
// hooks (`sentinel api` alone) runs are stored as queued and nothing
// dispatches them: the embedded queue lives in `sentinel up`, which passes hooks.
struct ApiHooks {
  std::function<Status()> queue_health;  // empty: the queue is reported ok
  std::function<int()> workers;          // empty: 0
  app::RunDispatcher dispatch;           // empty: runs are stored as queued only
};

class ApiRuntime {
 public:
  // kInvalidArgument for a bad database URL, kUnavailable when the database or
  // the port cannot be reached, kFailedPrecondition for a schema newer than this binary.
  [[nodiscard]] static Result<std::unique_ptr<ApiRuntime>> Start(const Settings& settings, ApiHooks hooks = {});
  ~ApiRuntime();
  ApiRuntime(const ApiRuntime&) = delete;
  ApiRuntime& operator=(const ApiRuntime&) = delete;

  int port() const;
  Db& db();
  // The Redis queue Start() opened (no hooks, redis:// queue_url), else nullptr.
  JobQueue* queue();
  // The outbox of outgoing notifications and the targets (webhooks out): an event's
  // producer calls app::Notify(notifications(), notifier(), ...). A delivery loop
  // runs when sentinel.yml names targets.
  NotificationStore& notifications();
  // (method, pattern) of every route the server answers.
  std::vector<std::pair<std::string, std::string>> Routes() const;
  const app::NotifierConfig& notifier() const;
  void Stop();  // idempotent

 private:
  struct Parts;
  explicit ApiRuntime(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// Posts with the CLI's HTTP client (http:// only): the receiver's status code.
app::PostFn HttpPoster();

// Blocks SIGINT and SIGTERM in the calling thread (call before starting any
// thread, so that all threads inherit the mask), then WaitForStopSignal()
// returns the signal number once one arrives.
void BlockStopSignals();
int WaitForStopSignal();

}  // namespace sentinel::cli
