// The HTTP server's connection handling, with a minimal router: read timeout,
// graceful stop with a request in flight, a handler that throws.
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "http/server.h"
#include "testing/http_client.h"

namespace sentinel::http {
namespace {

using sentinel::testing::HttpCall;
using sentinel::testing::HttpConnection;

HttpResponse Ok200(const HttpRequest&) {
  HttpResponse r;
  r.body = R"({"ok":true})";
  return r;
}

std::unique_ptr<HttpServer> StartOn(const Router& router, ServerOptions options = {}) {
  options.port = 0;
  auto server = HttpServer::Start(options, &router);
  EXPECT_TRUE(server.has_value()) << server.error().message;
  return server ? std::move(*server) : nullptr;
}

TEST(HttpServerTest, AnIncompleteRequestIsDroppedAfterTheReadTimeout) {
  Router router;
  router.Add("GET", "/x", Ok200);
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  auto server = StartOn(router, options);
  ASSERT_NE(server, nullptr);
  HttpConnection conn(server->port());
  ASSERT_TRUE(conn.connected());
  // Half a request line, then silence: the server must close (the client's own recv timeout is 10 s).
  ASSERT_EQ(conn.Raw("GET /x HTTP/1.1\r\n").status, 0);
  EXPECT_EQ(HttpCall(server->port(), "GET", "/x").status, 200);
}

TEST(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  std::promise<void> entered, release;
  auto release_future = release.get_future().share();
  Router router;
  router.Add("GET", "/slow", [&](const HttpRequest& r) {
    entered.set_value();
    release_future.wait_for(std::chrono::seconds(10));
    return Ok200(r);
  });
  auto server = StartOn(router);
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  auto response = std::async(std::launch::async, [port] { return HttpCall(port, "GET", "/slow"); });
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  std::thread stopper([&] { server->Stop(); });
  // Release the handler only once Stop() has begun, so the response must say it closes.
  for (int i = 0; i < 10000 && !server->stopping(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  release.set_value();
  stopper.join();
  auto r = response.get();
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(r.headers["connection"], "close");
  HttpConnection after(port);
  EXPECT_FALSE(after.connected());
}

TEST(HttpServerTest, AThrowingHandlerGets500AndTheServerCarriesOn) {
  Router router;
  router.Add("GET", "/throw", [](const HttpRequest&) -> HttpResponse { throw std::logic_error("bug"); });
  router.Add("GET", "/x", Ok200);
  auto server = StartOn(router);
  ASSERT_NE(server, nullptr);
  HttpConnection conn(server->port());
  auto r = conn.Send("GET", "/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("\"internal\""), std::string::npos) << r.body;
  EXPECT_EQ(conn.Send("GET", "/x").status, 200);  // same connection, still alive
}

TEST(HttpServerTest, BadBindAddressOrBusyPortIsAnError) {
  Router router;
  ServerOptions bad;
  bad.bind = "not-an-ip";
  auto r = HttpServer::Start(bad, &router);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "bind");
  auto first = StartOn(router);
  ASSERT_NE(first, nullptr);
  ServerOptions same;
  same.port = first->port();
  auto second = HttpServer::Start(same, &router);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace sentinel::http
