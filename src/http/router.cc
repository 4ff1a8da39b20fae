#include "http/router.h"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

#include "http/errors.h"

namespace sentinel::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsParam(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

bool Match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (IsParam(pattern[i])) {
      found[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Decode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

}  // namespace

bool ParseTarget(const std::string& target, std::string* path, std::map<std::string, std::string>* query) {
  const size_t q = target.find('?');
  if (!Decode(std::string_view(target).substr(0, q), false, path)) return false;
  query->clear();
  if (q == std::string::npos) return true;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!Decode(pair.substr(0, eq), true, &key)) return false;
    if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), true, &value)) return false;
    query->emplace(std::move(key), std::move(value));
  }
  return true;
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string> segments = Split(pattern);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

HttpResponse Router::Dispatch(HttpRequest request) const {
  if (!observer_) return RouteRequest(std::move(request), nullptr);
  const auto started = std::chrono::steady_clock::now();
  const std::string method = request.method;
  std::string pattern = "unmatched";
  HttpResponse res = RouteRequest(std::move(request), &pattern);
  observer_(method, pattern, res.status,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return res;
}

HttpResponse Router::RouteRequest(HttpRequest request, std::string* pattern) const {
  const std::vector<std::string> segments = Split(request.path);
  std::string allow;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(route.segments, segments, &params)) continue;
    if (pattern != nullptr) *pattern = route.pattern;  // a known path, whichever method answers
    // HEAD is answered by the GET route; the server sends its headers without the body.
    const bool head_of_get = request.method == "HEAD" && route.method == "GET";
    if (route.method != request.method && !head_of_get) {
      if (allow.find(route.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + route.method;
      continue;
    }
    request.params = std::move(params);
    try {
      return route.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("handler {} {} threw: {}", request.method, request.path, e.what());
    } catch (...) {
      spdlog::error("handler {} {} threw a non-exception", request.method, request.path);
    }
    return ErrorResponse(500, "internal", "the server failed to handle the request");
  }
  if (allow.empty() && fallback_) {
    try {
      return fallback_(request);
    } catch (const std::exception& e) {
      spdlog::error("fallback {} {} threw: {}", request.method, request.path, e.what());
      return ErrorResponse(500, "internal", "the server failed to handle the request");
    }
  }
  if (allow.empty()) return ErrorResponse(404, "not_found", "no such path: " + request.path);
  if (request.method == "OPTIONS") {
    HttpResponse res;
    res.status = 204;
    res.content_type.clear();
    res.headers.emplace_back("Allow", allow + ", OPTIONS");
    return res;
  }
  HttpResponse res = ErrorResponse(405, "method_not_allowed",
                                   request.method + " is not allowed on " + request.path + " (allowed: " + allow + ")");
  res.headers.emplace_back("Allow", allow);
  return res;
}

}  // namespace sentinel::http
