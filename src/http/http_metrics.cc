#include "http/http_metrics.h"

namespace sentinel::http {

void HttpMetrics::Observe(const std::string& raw_method, const std::string& route, int status, double seconds) {
  // Any token is a method on the wire: keep the label set bounded.
  static const char* kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  std::string method = "other";
  for (const char* m : kKnown)
    if (raw_method == m) method = m;
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  auto [it, _] = latency_.try_emplace({method, route}, metrics::HttpLatencyBuckets());
  it->second.Observe(seconds);
}

std::vector<metrics::Family> HttpMetrics::Families() const {
  metrics::Family requests{"sentinel_http_requests_total",
                           "HTTP requests answered by this process, by method, route pattern and status code.",
                           metrics::Type::kCounter, {}, {}};
  metrics::Family latency{"sentinel_http_request_duration_seconds",
                          "Time to route and handle a request in this process (without the network write).",
                          metrics::Type::kHistogram, {}, {}};
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    requests.samples.push_back(
        {{{"method", method}, {"route", route}, {"code", std::to_string(status)}}, static_cast<double>(n)});
  }
  for (const auto& [key, h] : latency_) latency.histograms.push_back({{{"method", key.first}, {"route", key.second}}, h});
  return {std::move(requests), std::move(latency)};
}

}  // namespace sentinel::http
