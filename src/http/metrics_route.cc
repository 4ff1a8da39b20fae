#include "http/metrics_route.h"

namespace sentinel::http {

void AddMetricsRoute(Router& router, const MetricsContext& context) {
  router.Add("GET", "/metrics", [ctx = context](const HttpRequest&) {
    std::vector<metrics::Family> families;
    metrics::Family info{"sentinel_build_info", "The running build (always 1).", metrics::Type::kGauge, {}, {}};
    info.samples.push_back({{{"version", ctx.version}}, 1});
    families.push_back(std::move(info));
    if (ctx.store != nullptr)
      for (metrics::Family& f : ctx.store->Collect()) families.push_back(std::move(f));
    if (ctx.http != nullptr)
      for (metrics::Family& f : ctx.http->Families()) families.push_back(std::move(f));
    HttpResponse res;
    res.status = 200;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = metrics::Render(families);
    return res;
  });
}

void ObserveInto(Router& router, HttpMetrics& metrics) {
  router.SetObserver([&metrics](const std::string& method, const std::string& route, int status, double seconds) {
    metrics.Observe(method, route, status, seconds);
  });
}

}  // namespace sentinel::http
