#pragma once
// The HTTP/1.1 server: Beast's parser over Asio with C++20 coroutines, on
// `threads` event loops (one io_context and one thread each). Accepted
// connections are dealt round robin to the loops and stay on theirs, so a
// request is read, handled and answered on one thread, without hand-offs.
// Each request is parsed (body limit -> 413, header/read timeout -> connection
// closed), handed to the Router as a protocol-agnostic HttpRequest, decorated
// with CORS headers for the allowed origins, written back in one write, and
// logged (errors and slow requests at info, the rest at debug); connections
// are kept alive. Handlers run on the loop threads and may block (database
// calls), so `threads` bounds the requests served at once.
//
// Lifecycle: Start() binds and serves; Stop() (or the destructor) stops
// accepting, lets in-flight requests finish and closes idle connections, then
// joins the threads. Start/Stop from one owner thread; not copyable.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "http/router.h"

namespace sentinel::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8000;  // 0 = any free port (see HttpServer::port())
  int threads = 2;
  std::size_t body_limit = 1024 * 1024;                  // larger bodies get 413
  std::chrono::milliseconds read_timeout{30000};         // for a request's header and body, and keep-alive idling
  std::chrono::milliseconds stop_grace{5000};            // Stop() waits this long for in-flight requests
  std::vector<std::string> cors_origins;                 // exact Origin values allowed (the UI's)
  int cors_any_host_port = 0;  // > 0: also allow http(s)://<any host>:<this port> (the UI on a non-loopback bind)
};

// Whether a request's Origin may read the answer: one of `exact`, or any host on `any_host_port` (> 0).
bool CorsAllowed(const std::string& origin, const std::vector<std::string>& exact, int any_host_port);

// The UI origins allowed by CORS: http://127.0.0.1:<ui_port> and http://localhost:<ui_port>.
std::vector<std::string> UiOrigins(int ui_port);

class HttpServer {
 public:
  // Binds and starts serving. The router must outlive the server.
  // kUnavailable when the address cannot be bound (in use, bad address).
  [[nodiscard]] static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options, const Router* router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;  // the bound port
  void Stop();       // idempotent
  bool stopping() const;  // true once Stop() has begun: responses from then on close their connection

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sentinel::http
