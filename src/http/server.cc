// The only file that includes Beast. Everything past parsing is the Router's.
#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "http/errors.h"

namespace sentinel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Conn {
  explicit Conn(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::string out;    // the serialized response; its capacity is reused across the connection's requests
  bool busy = false;  // a request is being handled or answered; only touched on the connection's loop
};

// One event loop: an io_context run by one thread. A connection lives on one
// loop from accept to close, so its reads, handler and write never change
// threads (no hand-offs, no strand).
struct Loop {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(ioc);
  std::thread thread;
};

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

HttpRequest FromBeast(bhttp::request<bhttp::string_body>& req, bool* bad_target) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  *bad_target = !ParseTarget(std::string(req.target()), &out.path, &out.query);
  for (const auto& field : req) out.headers.emplace(Lower(Sv(field.name_string())), std::string(Sv(field.value())));
  out.body = std::move(req.body());
  return out;
}

// The response on the wire, written into *out (whose capacity is reused): the
// status line, Server, Content-Type, the extra headers, Content-Length (not for
// 1xx, 204 and 304) and the Connection header HTTP/1.x needs for keep_alive. The
// answer to a HEAD carries the Content-Length of the body a GET would get, and no body.
// One buffer and one write per response, instead of Beast's field list and serializer.
void Serialize(const HttpResponse& res, unsigned version, bool keep_alive, bool head, std::string* out) {
  const std::string_view reason = Sv(bhttp::obsolete_reason(static_cast<bhttp::status>(res.status)));
  out->clear();
  out->append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out->append(std::to_string(res.status)).append(" ").append(reason).append("\r\nServer: sentinel\r\n");
  if (!res.content_type.empty()) out->append("Content-Type: ").append(res.content_type).append("\r\n");
  for (const auto& [name, value] : res.headers) out->append(name).append(": ").append(value).append("\r\n");
  const bool no_body = (res.status >= 100 && res.status < 200) || res.status == 204 || res.status == 304;
  if (!no_body) out->append("Content-Length: ").append(std::to_string(res.body.size())).append("\r\n");
  if (version == 10 && keep_alive) out->append("Connection: keep-alive\r\n");
  if (version != 10 && !keep_alive) out->append("Connection: close\r\n");
  out->append("\r\n");
  if (!no_body && !head) out->append(res.body);
}

}  // namespace

bool CorsAllowed(const std::string& origin, const std::vector<std::string>& exact, int any_host_port) {
  if (origin.empty()) return false;
  if (std::find(exact.begin(), exact.end(), origin) != exact.end()) return true;
  if (any_host_port <= 0) return false;
  std::string_view rest(origin);
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else {
    return false;
  }
  const std::string suffix = ":" + std::to_string(any_host_port);
  if (!rest.ends_with(suffix)) return false;
  const std::string_view host = rest.substr(0, rest.size() - suffix.size());
  return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '[' || c == ']' || c == ':';
  });
}

std::vector<std::string> UiOrigins(int ui_port) {
  return {"http://127.0.0.1:" + std::to_string(ui_port), "http://localhost:" + std::to_string(ui_port)};
}

static std::vector<std::unique_ptr<Loop>> MakeLoops(int threads) {
  std::vector<std::unique_ptr<Loop>> loops;
  for (int i = 0; i < std::max(1, threads); ++i) loops.push_back(std::make_unique<Loop>());
  return loops;
}

struct HttpServer::Impl {
  explicit Impl(const ServerOptions& o) : options(o) {}
  ServerOptions options;
  const Router* router = nullptr;
  std::vector<std::unique_ptr<Loop>> loops = MakeLoops(options.threads);
  tcp::acceptor acceptor{loops.front()->ioc};
  std::size_t next_loop = 0;  // round robin; only touched by the accept loop
  std::mutex mu;
  std::condition_variable cv;
  std::set<std::shared_ptr<Conn>> conns;  // guarded by mu
  std::atomic<bool> stopping{false};
  bool stopped = false;
  int port = 0;

  // Router + CORS + the last-resort catch: whatever happens, a response.
  HttpResponse Handle(HttpRequest request) {
    const std::string origin = request.Header("origin");
    const bool preflight = request.method == "OPTIONS";
    HttpResponse res;
    try {
      res = router->Dispatch(std::move(request));
    } catch (const std::exception& e) {
      spdlog::error("request failed: {}", e.what());
      res = ErrorResponse(500, "internal", "the server failed to handle the request");
    } catch (...) {
      res = ErrorResponse(500, "internal", "the server failed to handle the request");
    }
    if (CorsAllowed(origin, options.cors_origins, options.cors_any_host_port)) {
      res.headers.emplace_back("Access-Control-Allow-Origin", origin);
      res.headers.emplace_back("Vary", "Origin");
      // The log tail's position travels in headers the UI must be able to read.
      res.headers.emplace_back("Access-Control-Expose-Headers", "X-Log-Offset, X-Next-Offset, X-Log-Size, X-Log-Complete");
      if (preflight && res.status == 204) {
        std::string allow;
        for (auto& [name, value] : res.headers)
          if (name == "Allow") allow = value;
        res.headers.emplace_back("Access-Control-Allow-Methods", allow);
        res.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type");
        res.headers.emplace_back("Access-Control-Max-Age", "600");
      }
    }
    return res;
  }

  // Errors (4xx/5xx) and slow answers at info; the rest (a dashboard polling all day, a
  // load test) at debug, so the hot path does not format and write a log line per request.
  void LogAccess(std::string_view method, std::string_view target, int status,
                 std::chrono::steady_clock::time_point started) {
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const auto level = status >= 400 || elapsed >= kSlowRequest ? spdlog::level::info : spdlog::level::debug;
    if (!spdlog::should_log(level)) return;
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    spdlog::log(level, "{} {} {} {:.1f}ms", method, target, status, ms);
  }
  static constexpr std::chrono::milliseconds kSlowRequest{500};

  asio::awaitable<void> Write(Conn& conn, const HttpResponse& res, unsigned version, bool keep_alive,
                              error_code& ec, bool head = false) {
    Serialize(res, version, keep_alive, head, &conn.out);
    conn.stream.expires_after(options.read_timeout);
    co_await asio::async_write(conn.stream, asio::buffer(conn.out), asio::redirect_error(asio::use_awaitable, ec));
  }

  // Answers an oversized request without reading its body, then drains what
  // the client is still sending (bounded) so the answer is not lost to a reset.
  asio::awaitable<void> RejectTooLarge(Conn& conn, const bhttp::request_parser<bhttp::string_body>& parser,
                                       std::chrono::steady_clock::time_point started) {
    HttpResponse res = ErrorResponse(
        Error{ErrorCode::kResourceExhausted,
              "the request body is larger than the limit of " + std::to_string(options.body_limit) + " bytes",
              "body"});
    error_code ec;
    co_await Write(conn, res, 11, false, ec);
    // The request line is parsed even when the header was refused for its Content-Length.
    const std::string_view method = Sv(parser.get().method_string()), target = Sv(parser.get().target());
    LogAccess(method.empty() ? "-" : method, target.empty() ? "-" : target, 413, started);
    if (ec) co_return;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::vector<char> scratch(64 * 1024);
    std::size_t drained = 0;
    conn.stream.expires_after(std::chrono::seconds(2));
    while (!ec && drained < 4 * options.body_limit + (1 << 20)) {
      drained += co_await conn.stream.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::awaitable<void> Session(std::shared_ptr<Conn> conn) {
    beast::flat_buffer buffer;
    error_code ec;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(64 * 1024);
      conn->stream.expires_after(options.read_timeout);
      co_await bhttp::async_read_header(conn->stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      const auto started = std::chrono::steady_clock::now();
      if (!ec && !parser.is_done()) {
        if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(conn->stream, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(asio::use_awaitable, ec));
        }
        if (!ec) co_await bhttp::async_read(conn->stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec == bhttp::error::body_limit) {
        conn->busy = true;
        co_await RejectTooLarge(*conn, parser, started);
        break;
      }
      if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
          ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        conn->busy = true;
        co_await Write(*conn, ErrorResponse(400, "invalid_argument", "malformed HTTP request: " + ec.message()), 11,
                       false, ec);
        LogAccess("-", "-", 400, started);
        break;
      }
      if (ec) break;  // closed, timed out, reset or cancelled by Stop()

      conn->busy = true;
      bhttp::request<bhttp::string_body> req = parser.release();
      bool bad_target = false;
      HttpRequest request = FromBeast(req, &bad_target);
      HttpResponse res = bad_target ? ErrorResponse(400, "invalid_argument", "malformed percent-escape in the URL")
                                    : Handle(std::move(request));
      const bool keep_alive = req.keep_alive() && !stopping;
      co_await Write(*conn, res, req.version(), keep_alive, ec, req.method() == bhttp::verb::head);
      conn->busy = false;
      LogAccess(Sv(req.method_string()), Sv(req.target()), res.status, started);
      if (ec || !keep_alive) break;
    }
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn->stream.close();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      error_code ec;
      asio::io_context& loop = loops[next_loop++ % loops.size()]->ioc;
      tcp::socket socket = co_await acceptor.async_accept(loop, asio::redirect_error(asio::use_awaitable, ec));
      if (stopping || ec == asio::error::operation_aborted) break;
      if (ec) {
        // e.g. out of file descriptors: back off instead of spinning.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);  // one write per response: send it now
      auto conn = std::make_shared<Conn>(std::move(socket));
      {
        std::lock_guard lock(mu);
        conns.insert(conn);
      }
      asio::co_spawn(conn->stream.get_executor(), Session(conn), [this, conn](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            spdlog::error("connection failed: {}", ex.what());
          } catch (...) {
          }
        }
        std::lock_guard lock(mu);
        conns.erase(conn);
        cv.notify_all();
      });
    }
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options, const Router* router) {
  auto impl = std::make_unique<Impl>(options);
  impl->router = router;
  error_code ec;
  const auto address = asio::ip::make_address(options.bind, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "bind address '" + options.bind + "' is not an IP address", "bind");
  if (options.port < 0 || options.port > 65535)
    return Fail(ErrorCode::kInvalidArgument, "port " + std::to_string(options.port) + " is outside 0..65535", "port");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Fail(ErrorCode::kUnavailable,
                "cannot listen on " + options.bind + ":" + std::to_string(options.port) + ": " + ec.message(), "port");
  impl->port = impl->acceptor.local_endpoint().port();
  Impl* raw = impl.get();
  asio::co_spawn(raw->loops.front()->ioc, raw->Accept(), [](std::exception_ptr e) {
    if (e) spdlog::error("the HTTP accept loop ended with an exception");
  });
  for (auto& loop : raw->loops) loop->thread = std::thread([l = loop.get()] { l->ioc.run(); });
  spdlog::info("HTTP server listening on {}:{} with {} threads", options.bind, raw->port, raw->loops.size());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

bool HttpServer::stopping() const { return impl_ != nullptr && impl_->stopping; }

void HttpServer::Stop() {
  Impl* impl = impl_.get();
  if (impl == nullptr || impl->stopped) return;
  impl->stopped = true;
  impl->stopping = true;
  asio::post(impl->acceptor.get_executor(), [impl] {
    error_code ignored;
    impl->acceptor.close(ignored);
  });
  {
    std::unique_lock lock(impl->mu);
    // Idle connections (waiting for a next request) are closed; busy ones finish their response first.
    for (const auto& conn : impl->conns) {
      asio::post(conn->stream.get_executor(), [conn] {
        if (!conn->busy) conn->stream.cancel();
      });
    }
    impl->cv.wait_for(lock, impl->options.stop_grace, [impl] { return impl->conns.empty(); });
  }
  // Whatever is still running after the grace period is abandoned.
  for (auto& loop : impl->loops) {
    loop->guard.reset();
    loop->ioc.stop();
  }
  for (auto& loop : impl->loops)
    if (loop->thread.joinable()) loop->thread.join();
  // The posted close may not have run before ioc.stop(); with no thread left, close here so
  // the port is free when Stop() returns.
  error_code ignored;
  impl->acceptor.close(ignored);
  spdlog::info("HTTP server on port {} stopped", impl->port);
}

}  // namespace sentinel::http
