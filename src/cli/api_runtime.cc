#include "cli/api_runtime.h"

#include <signal.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "adapters/redis/redis_job_queue.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_cluster_store.h"
#include "adapters/sqlstore/sql_test_history_store.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_incident_store.h"
#include "adapters/sqlstore/sql_metrics_store.h"
#include "adapters/sqlstore/sql_notification_store.h"
#include "adapters/sqlstore/sql_retention_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "cli/commands.h"
#include "cli/db_factory.h"
#include "cli/http_client.h"
#include "http/api.h"
#include "http/metrics_route.h"
#include "http/openapi_route.h"
#include "http/webhook_route.h"
#include "http/server.h"
#include "ports/clock.h"

#ifndef SENTINEL_VERSION
#define SENTINEL_VERSION "dev"
#endif

namespace sentinel::cli {

// Declared in the order they are built; destroyed in reverse (server first).
struct ApiRuntime::Parts {
  std::unique_ptr<Db> db;
  std::unique_ptr<sqlstore::SqlRepoStore> repos;
  std::unique_ptr<sqlstore::SqlRunStore> runs;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec;
  std::unique_ptr<sqlstore::SqlClusterStore> clusters;
  std::unique_ptr<sqlstore::SqlIncidentStore> incidents;
  std::unique_ptr<sqlstore::SqlOverviewStore> overview;
  std::unique_ptr<sqlstore::SqlTestHistoryStore> tests;
  std::unique_ptr<JobQueue> queue;  // the Redis queue, when the settings name one and no hooks are given
  std::unique_ptr<sqlstore::SqlMetricsStore> metrics_store;
  std::unique_ptr<app::StoreMetrics> store_metrics;
  http::HttpMetrics http_metrics;
  std::unique_ptr<sqlstore::SqlRetentionStore> retention;
  std::unique_ptr<app::GcLoop> gc;  // the periodic retention sweep
  std::unique_ptr<sqlstore::SqlNotificationStore> notifications;
  app::NotifierConfig notifier;
  std::unique_ptr<app::DeliveryLoop> delivery;  // webhooks out, when targets are configured
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
};

ApiRuntime::ApiRuntime(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
ApiRuntime::~ApiRuntime() { Stop(); }

int ApiRuntime::port() const { return parts_->server->port(); }
Db& ApiRuntime::db() { return *parts_->db; }
JobQueue* ApiRuntime::queue() { return parts_->queue.get(); }
std::vector<std::pair<std::string, std::string>> ApiRuntime::Routes() const { return parts_->router.Routes(); }
NotificationStore& ApiRuntime::notifications() { return *parts_->notifications; }
const app::NotifierConfig& ApiRuntime::notifier() const { return parts_->notifier; }

app::PostFn HttpPoster() {
  return [](const std::string& url, const std::string& body, const std::string& headers,
            EpochMs timeout_ms) -> Result<int> {
    auto r = HttpRequestUrl("POST", url, body, static_cast<int>(timeout_ms), headers);
    if (!r) return Fail(r.error());
    return r->status;
  };
}

void ApiRuntime::Stop() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

Result<std::unique_ptr<ApiRuntime>> ApiRuntime::Start(const Settings& settings, ApiHooks hooks) {
  auto parts = std::make_unique<Parts>();
  auto db = OpenDatabase(settings.database_url);
  if (!db) return Fail(db.error());
  parts->db = std::move(*db);
  if (Status st = sqlstore::Migrate(*parts->db, SystemClock().Now()); !st) {
    Error e = st.error();
    e.message = "migrating " + RedactUrl(settings.database_url) + ": " + e.message;
    return Fail(e);
  }
  parts->repos = std::make_unique<sqlstore::SqlRepoStore>(*parts->db);
  parts->runs = std::make_unique<sqlstore::SqlRunStore>(*parts->db);
  parts->exec = std::make_unique<sqlstore::SqlExecutionStore>(*parts->db, flaky::ConfigFromSettings(settings));
  parts->clusters = std::make_unique<sqlstore::SqlClusterStore>(*parts->db);
  parts->notifier = app::NotifierConfigFrom(settings);
  // Incidents changed by hand (PATCH) queue their notifications in the same transaction.
  parts->incidents = std::make_unique<sqlstore::SqlIncidentStore>(*parts->db, app::OutboxFor(parts->notifier));
  parts->overview = std::make_unique<sqlstore::SqlOverviewStore>(*parts->db);
  parts->tests = std::make_unique<sqlstore::SqlTestHistoryStore>(*parts->db);

  const bool has_hooks = hooks.queue_health || hooks.workers || hooks.dispatch;
  if (!has_hooks && settings.queue_url.starts_with("redis://")) {
    adapters::redis::RedisQueueOptions queue_options;
    queue_options.url = settings.queue_url;
    auto queue = adapters::redis::OpenRedisJobQueue(SystemClock(), queue_options);
    if (!queue) return Fail(queue.error());
    parts->queue = std::move(*queue);
    JobQueue* q = parts->queue.get();
    hooks.queue_health = [q] { return q->Ping(); };
    hooks.workers = [q] {
      auto workers = q->RegisteredWorkers();
      if (!workers) return 0;
      return static_cast<int>(std::count_if(workers->begin(), workers->end(), [](const WorkerInfo& w) { return w.alive; }));
    };
    hooks.dispatch = [q](const Run& run) {
      Status st = q->Enqueue(Job{run.id, SystemClock().Now(), {}});
      if (!st) spdlog::warn("run {} stays queued for the reconciler: enqueue failed: {}", run.id, st.error().message);
      return st;
    };
  }

  http::ApiContext ctx;
  ctx.repos = parts->repos.get();
  ctx.runs = parts->runs.get();
  ctx.clock = &SystemClock();
  ctx.health.db = parts->db.get();
  ctx.health.queue = std::move(hooks.queue_health);
  ctx.health.workers = std::move(hooks.workers);
  ctx.health.version = SENTINEL_VERSION;
  ctx.dispatch = std::move(hooks.dispatch);
  ctx.exec = parts->exec.get();
  ctx.clusters = parts->clusters.get();
  ctx.incidents = parts->incidents.get();
  ctx.overview = parts->overview.get();
  ctx.tests = parts->tests.get();
  ctx.data_dir = settings.data_dir;
  ctx.health.stale_writes = [exec = parts->exec.get()]() -> std::int64_t {
    auto n = exec->StaleWriteCount();
    return n ? *n : 0;
  };
  http::AddApiRoutes(parts->router, ctx);
  http::AddOpenApiRoute(parts->router);
  http::AddWebhookRoute(parts->router, {ctx.repos, ctx.runs, ctx.clock, ctx.dispatch, settings.webhook_secret});

  parts->metrics_store = std::make_unique<sqlstore::SqlMetricsStore>(*parts->db);
  app::StoreMetricsOptions metrics_options;
  metrics_options.live_worker_ms = 3LL * settings.heartbeat_seconds * 1000 + 5000;
  parts->store_metrics = std::make_unique<app::StoreMetrics>(*parts->metrics_store, SystemClock(), metrics_options);
  http::AddMetricsRoute(parts->router, {parts->store_metrics.get(), &parts->http_metrics, SENTINEL_VERSION});
  http::ObserveInto(parts->router, parts->http_metrics);

  http::ServerOptions options;
  options.bind = settings.bind;
  options.port = settings.api_port;
  options.threads = settings.http_threads;
  options.cors_origins = http::UiOrigins(settings.ui_port);
  // Bound beyond loopback, the dashboard is reached by whatever name the host has.
  if (settings.bind != "127.0.0.1" && settings.bind != "::1" && settings.bind != "localhost")
    options.cors_any_host_port = settings.ui_port;
  auto server = http::HttpServer::Start(options, &parts->router);
  if (!server) return Fail(server.error());
  parts->server = std::move(*server);

  parts->retention = std::make_unique<sqlstore::SqlRetentionStore>(*parts->db);
  parts->gc = std::make_unique<app::GcLoop>(*parts->retention, settings.data_dir, SystemClock(),
                                            RetentionPolicyFrom(settings), settings.retention_interval_ms,
                                            [](const std::string& m) { spdlog::info("{}", m); });

  parts->notifications = std::make_unique<sqlstore::SqlNotificationStore>(*parts->db);
  if (!parts->notifier.targets.empty()) {
    parts->delivery = std::make_unique<app::DeliveryLoop>(
        *parts->notifications, parts->notifier, HttpPoster(), SystemClock(), 1000,
        [](const std::string& m) { spdlog::warn("{}", m); });
  }
  return std::unique_ptr<ApiRuntime>(new ApiRuntime(std::move(parts)));
}

void BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForStopSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

}  // namespace sentinel::cli
