#pragma once
// A minimal blocking HTTP/1.1 client for the CLI's own calls to a running
// Sentinel API (sentinel demo). One request per connection. Thread-compatible.

#include <string>

#include "core/base/result.h"

namespace sentinel::cli {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// base_url is "http://host:port" (no path, no TLS). kUnavailable when the server cannot
// be reached or the answer is cut off; kInvalidArgument for a URL it cannot use.
[[nodiscard]] Result<HttpResponse> HttpRequest(const std::string& base_url, const std::string& method,
                                               const std::string& path, const std::string& json_body = {},
                                               int timeout_ms = 10000);

}  // namespace sentinel::cli
