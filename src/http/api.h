#pragma once
// The API's routes (CONTRACT.md section 3): each handler parses the request,
// calls one app/ use case and maps the result to JSON. Registration only; the
// handlers live in api.cc. The context's pointers must outlive the router.

#include "app/clusters.h"
#include "app/health.h"
#include "app/runs.h"
#include "http/router.h"
#include "ports/clock.h"
#include "ports/cluster_store.h"
#include "ports/execution_store.h"
#include "ports/incident_store.h"
#include "ports/overview_store.h"
#include "ports/repo_store.h"
#include "ports/run_store.h"
#include "ports/test_history_store.h"

namespace sentinel::http {

struct ApiContext {
  RepoStore* repos = nullptr;
  RunStore* runs = nullptr;
  const Clock* clock = nullptr;
  app::HealthProbes health;     // probed in the background for GET /health (app::HealthMonitor)
  app::HealthMonitorOptions health_options;
  app::RunDispatcher dispatch;  // hands a queued run to the queue; may be empty
  ExecutionStore* exec = nullptr;  // cancel and retry; nullptr: those routes answer 501
  std::string data_dir;            // where step logs live (logs/run-<id>/<step>.log)
  ClusterStore* clusters = nullptr;  // GET /clusters[/{id}]; nullptr: those routes answer 501
  IncidentStore* incidents = nullptr;  // /incidents, /silences; nullptr: those routes answer 501
  OverviewStore* overview = nullptr;    // GET /overview; nullptr: 501
  TestHistoryStore* tests = nullptr;  // GET /tests/flaky, /tests/{id}, quarantine; nullptr: 501
};

// GET /health, POST/GET /repos, GET /repos/{id}, POST/GET /runs, GET /runs/{id},
// GET /runs/{id}/steps/{index}/log, POST /runs/{id}/retry, POST /runs/{id}/cancel,
// GET /clusters, GET /clusters/{id} (with their incident), GET /tests/flaky, GET /tests/{id},
// POST/DELETE /tests/{id}/quarantine, and the incident routes of http/incident_api.h.
// Starts the health monitor of `context.health` (two probe threads), owned by the
// routes: it stops when the router is destroyed.
void AddApiRoutes(Router& router, const ApiContext& context);

}  // namespace sentinel::http
