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

class Router {
 public:
  // Answers every request whose path no route matches (instead of 404), any method.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  // pattern: "/runs/{id}/steps/{index}/log"; a {name} segment matches one non-empty segment.
  void Add(std::string method, std::string pattern, Handler handler);

  // Fills request.params for the matched route and runs its handler.
  HttpResponse Dispatch(HttpRequest request) const;

 private:
  Handler fallback_;
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace sentinel::http
