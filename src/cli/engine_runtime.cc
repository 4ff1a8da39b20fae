#include "cli/engine_runtime.h"

#include <signal.h>

#include <algorithm>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "adapters/git/git_source_checkout.h"
#include "adapters/kb/embedded_kb.h"
#include "adapters/memory/memory_job_queue.h"
#include "adapters/process/posix_command_runner.h"
#include "adapters/redis/redis_job_queue.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_incident_store.h"
#include "app/incidents.h"
#include "adapters/sqlstore/sql_test_history_store.h"
#include "app/triage_hooks.h"
#include "cli/worker_health.h"

namespace sentinel::cli {

Result<std::unique_ptr<JobQueue>> OpenQueue(const std::string& url, const Clock& clock, EpochMs default_ttl_ms) {
  if (url == kEmbeddedQueue) {
    return adapters::memory::NewMemoryJobQueue(clock, {.default_ttl_ms = default_ttl_ms});
  }
  if (url.rfind("redis://", 0) == 0) {
    adapters::redis::RedisQueueOptions o;
    o.url = url;
    o.default_ttl_ms = default_ttl_ms;
    return adapters::redis::OpenRedisJobQueue(clock, o);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "queue_url '" + url + "' is neither 'embedded' nor a redis://host:port/db URL", "queue_url");
}

std::string DefaultWorkerPrefix() { return WorkerHostname() + "-" + std::to_string(::getpid()); }

EngineOptions EngineOptionsFrom(const Settings& s) {
  EngineOptions o;
  o.workers = s.workers;
  o.reconcile = true;
  o.worker.data_dir = s.data_dir;
  o.worker.lease_ms = s.lease_seconds * 1000LL;
  o.worker.heartbeat_ms = s.heartbeat_seconds * 1000LL;
  o.worker.default_step_timeout_ms = s.step_timeout_ms;
  o.worker.log_cap_bytes = s.log_cap_bytes;
  o.flaky = flaky::ConfigFromSettings(s);
  o.reconciler.max_retries = s.max_retries;
  o.reconciler.queue_timeout_ms = s.queue_timeout_ms;
  o.reconciler.worker_stale_ms = std::max<EpochMs>(120'000, 6 * o.worker.heartbeat_ms);
  o.reconcile_interval_ms = std::clamp<EpochMs>(o.worker.lease_ms / 3, 500, 5'000);
  o.incident_thresholds = incidents::ThresholdsFrom(s);
  o.notifier = app::NotifierConfigFrom(s);
  return o;
}

EngineOptions ReconcilerOnly(const Settings& s) {
  EngineOptions o = EngineOptionsFrom(s);
  o.workers = 0;
  return o;
}

struct EngineRuntime::Parts {
  std::unique_ptr<sqlstore::SqlExecutionStore> store;
  std::unique_ptr<sqlstore::SqlWorkerRegistry> registry;
  std::unique_ptr<sqlstore::SqlIncidentStore> incident_store;
  std::unique_ptr<app::IncidentEvaluator> evaluator;
  std::unique_ptr<sqlstore::SqlTestHistoryStore> history;
  std::unique_ptr<CommandRunner> runner;
  std::unique_ptr<SourceCheckout> git;
  std::unique_ptr<app::WorkerPool> pool;
  std::unique_ptr<app::Reconciler> reconciler;
  std::unique_ptr<app::ReconcilerLoop> loop;
};

EngineRuntime::EngineRuntime(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
EngineRuntime::~EngineRuntime() { Stop(0); }

Result<std::unique_ptr<EngineRuntime>> EngineRuntime::Start(Db& db, JobQueue& queue, EngineOptions options) {
  if (options.worker.heartbeat_ms >= options.worker.lease_ms) {
    return Fail(ErrorCode::kInvalidArgument, "the heartbeat interval must be shorter than the lease",
                "queue.heartbeat_seconds");
  }
  auto p = std::make_unique<Parts>();
  p->store = std::make_unique<sqlstore::SqlExecutionStore>(db, options.flaky);
  p->registry = std::make_unique<sqlstore::SqlWorkerRegistry>(db);
  p->history = std::make_unique<sqlstore::SqlTestHistoryStore>(db);
  app::LogFn log = [](std::string_view m) { spdlog::info("{}", m); };
  if (options.incidents) {
    p->incident_store = std::make_unique<sqlstore::SqlIncidentStore>(db, app::OutboxFor(options.notifier));
    p->evaluator = std::make_unique<app::IncidentEvaluator>(*p->incident_store, SystemClock(),
                                                            options.incident_thresholds, log);
  }
  if (options.workers > 0) {
    p->runner = adapters::process::NewPosixCommandRunner();
    p->git = adapters::git::NewGitSourceCheckout();
    app::WorkerDeps deps;
    deps.queue = &queue;
    deps.store = p->store.get();
    deps.registry = p->registry.get();
    deps.history = p->history.get();
    deps.checkout = p->git.get();
    deps.runner = p->runner.get();
    deps.clock = &SystemClock();
    deps.log = log;
    if (p->evaluator) {
      deps.finished = [ev = p->evaluator.get()](std::int64_t run_id) {
        // A failure here is not lost: the run stays in incident_pending for the reconciler.
        if (auto r = ev->EvaluateRun(run_id); !r)
          spdlog::warn("incidents: evaluating run {}: {}", run_id, r.error().message);
      };
    }
    if (options.triage) {
      auto kb = kb::LoadEmbeddedKb();
      if (!kb) return Fail(ErrorCode::kInternal, "the built-in knowledge base does not compile: " + kb.error().message);
      auto shared = std::make_shared<const triage::Kb>(std::move(*kb));
      deps.classify = app::MakeTriageClassifier(shared);
      deps.analyze = app::MakeTriageAnalyzer(shared);
    }
    std::string prefix = options.worker_id_prefix.empty() ? DefaultWorkerPrefix() : options.worker_id_prefix;
    p->pool = std::make_unique<app::WorkerPool>(deps, options.worker, prefix, options.workers);
    p->pool->Start();
  }
  if (options.reconcile) {
    p->reconciler = std::make_unique<app::Reconciler>(queue, *p->store, p->registry.get(), SystemClock(),
                                                      options.reconciler, log);
    if (p->evaluator) {
      p->reconciler->SetAfterPass([ev = p->evaluator.get()] {
        if (auto r = ev->Pass(); !r) spdlog::warn("incidents: reconciler pass: {}", r.error().message);
      });
    }
    p->loop = std::make_unique<app::ReconcilerLoop>(*p->reconciler, options.reconcile_interval_ms, log);
  }
  return std::unique_ptr<EngineRuntime>(new EngineRuntime(std::move(p)));
}

void EngineRuntime::Stop(EpochMs grace_ms) {
  if (!parts_) return;
  if (parts_->pool) parts_->pool->Stop(grace_ms);
  parts_->loop.reset();
}

int EngineRuntime::workers() const { return parts_ && parts_->pool ? parts_->pool->size() : 0; }
int EngineRuntime::busy() const { return parts_ && parts_->pool ? parts_->pool->busy() : 0; }

}  // namespace sentinel::cli
