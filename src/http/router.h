#pragma once
// A small router: (method, path pattern with {name} segments) -> handler.
// Dispatch() is the whole request pipeline short of the wire: it answers
// OPTIONS preflights, 404 for an unknown path, 405 (with Allow) for a known
// path with another method, and turns any exception a handler throws into a
// 500 JSON error. Add routes before serving; after that Dispatch is const and
// safe from any number of threads.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"

namespace sentinel::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Sees every dispatched request once it is answered: the method, the matched
// route's pattern ("/runs/{id}"; "unmatched" for an unknown path), the status
// and the time spent in Dispatch. Must be thread-safe and must not throw.
using DispatchObserver = std::function<void(const std::string& method, const std::string& route, int status,
                                            double seconds)>;

class Router {
 public:
  // Answers every request whose path no route matches (instead of 404), any method.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  // pattern: "/runs/{id}/steps/{index}/log"; a {name} segment matches one non-empty segment.
  void Add(std::string method, std::string pattern, Handler handler);

  // Fills request.params for the matched route and runs its handler.
  HttpResponse Dispatch(HttpRequest request) const;

  // (method, pattern) of every route, in the order added.
  std::vector<std::pair<std::string, std::string>> Routes() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Route& r : routes_) out.emplace_back(r.method, r.pattern);
    return out;
  }

  // One observer (metrics); set before serving.
  void SetObserver(DispatchObserver observer) { observer_ = std::move(observer); }

 private:
  Handler fallback_;
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  HttpResponse RouteRequest(HttpRequest request, std::string* pattern) const;

  std::vector<Route> routes_;
  DispatchObserver observer_;
};

}  // namespace sentinel::http
