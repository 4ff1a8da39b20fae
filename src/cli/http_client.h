#pragma once
// A minimal blocking HTTP/1.1 client for the CLI's own calls to a running
// Sentinel API (sentinel demo, the client commands) and for outgoing webhooks.
// One request per connection. Thread-compatible.

#include <map>
#include <string>

#include "core/base/result.h"

namespace sentinel::cli {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The header's value, or "" when absent (name lower-case).
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// base_url is "http://host:port" (no path, no TLS). kUnavailable when the server cannot
// be reached or the answer is cut off; kInvalidArgument for a URL it cannot use.
// extra_headers are complete "Name: value\r\n" lines.
[[nodiscard]] Result<HttpResponse> HttpRequest(const std::string& base_url, const std::string& method,
                                               const std::string& path, const std::string& json_body = {},
                                               int timeout_ms = 10000, const std::string& extra_headers = {});

// The same with a full URL ("http://host:port/path?query"): split into base and path.
[[nodiscard]] Result<HttpResponse> HttpRequestUrl(const std::string& method, const std::string& url,
                                                  const std::string& body = {}, int timeout_ms = 10000,
                                                  const std::string& extra_headers = {});

}  // namespace sentinel::cli
