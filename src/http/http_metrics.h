#pragma once
// In-process HTTP figures for GET /metrics: requests by method, route pattern
// (never the raw path: /runs/{id}, not /runs/42; "unmatched" for unknown paths)
// and status code, and a latency histogram by route. Per process: with several
// API processes each is its own scrape target (Prometheus adds `instance`).
// Thread-safe; Observe is a short critical section.

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "core/metrics/exposition.h"

namespace sentinel::http {

class HttpMetrics {
 public:
  HttpMetrics() = default;
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  // sentinel_http_requests_total and sentinel_http_request_duration_seconds.
  std::vector<metrics::Family> Families() const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, metrics::Histogram> latency_;
};

}  // namespace sentinel::http
