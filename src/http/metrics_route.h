#pragma once
// GET /metrics: the Prometheus text exposition (format 0.0.4) of the store's
// figures (app/metrics.h) and this process's HTTP figures (http_metrics.h).
// Registration only. The pointers must outlive the router.

#include <string>

#include "app/metrics.h"
#include "http/http_metrics.h"
#include "http/router.h"

namespace sentinel::http {

struct MetricsContext {
  app::StoreMetrics* store = nullptr;        // nullptr: no store families
  const HttpMetrics* http = nullptr;         // nullptr: no HTTP families
  std::string version;                       // sentinel_build_info{version}
};

void AddMetricsRoute(Router& router, const MetricsContext& context);

// Makes `router` count every request it dispatches into `metrics`.
void ObserveInto(Router& router, HttpMetrics& metrics);

}  // namespace sentinel::http
