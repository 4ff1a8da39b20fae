// The dashboard served over real loopback HTTP the way `sentinel up` serves it:
// headers on the wire, client routes, raw traversal attempts in the request
// target, and the API's CORS answer to the dashboard's origin.
#include <string>

#include <gtest/gtest.h>

#include "http/server.h"
#include "http/static_site.h"
#include "testing/http_client.h"
#include "testing/scratch_dir.h"

namespace sentinel::http {
namespace {

using sentinel::testing::HttpCall;
using sentinel::testing::HttpConnection;
using sentinel::testing::ScratchDir;
using sentinel::testing::WriteFileAll;

class StaticSiteServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAll(dir_.Sub("dist/index.html"), "<!doctype html><div id=root></div>"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("dist/assets/app-1a2b.js"), "export{}"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("passwd"), "root:x:0:0"));
    router_.Add("GET", "/ping", [](const HttpRequest&) {
      HttpResponse r;
      r.body = R"({"ok":true})";
      return r;
    });
    AddStaticSite(router_, {dir_.Sub("dist"), UiConfigScript("", 18000)});
    ServerOptions options;
    options.port = 0;
    auto server = HttpServer::Start(options, &router_);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }
  ScratchDir dir_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(StaticSiteServerTest, HeadersOnTheWire) {
  auto index = HttpCall(server_->port(), "GET", "/incidents/3/postmortem");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(index.headers["cache-control"], "no-cache");
  EXPECT_NE(index.body.find("id=root"), std::string::npos);
  auto js = HttpCall(server_->port(), "GET", "/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers["cache-control"], "public, max-age=31536000, immutable");
  auto config = HttpCall(server_->port(), "GET", "/config.js");
  EXPECT_NE(config.body.find("\"apiPort\":18000"), std::string::npos);
}

TEST_F(StaticSiteServerTest, HeadGivesTheLengthOfTheBodyAndNoBody) {
  HttpConnection conn(server_->port());
  ASSERT_TRUE(conn.connected());
  auto head = conn.Send("HEAD", "/assets/app-1a2b.js");
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_EQ(head.headers["content-length"], "8");  // "export{}"
  EXPECT_EQ(head.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_TRUE(head.body.empty());
  // No body bytes followed the headers: the next answer on the connection starts clean.
  auto get = conn.Send("GET", "/assets/app-1a2b.js");
  EXPECT_EQ(get.status, 200) << get.error;
  EXPECT_EQ(get.body, "export{}");
  auto config = conn.Send("HEAD", "/config.js");
  EXPECT_EQ(config.status, 200) << config.error;
  EXPECT_EQ(config.headers["content-length"], std::to_string(UiConfigScript("", 18000).size()));
}

TEST_F(StaticSiteServerTest, HeadOnAnApiRouteIsAnsweredByItsGet) {
  HttpConnection conn(server_->port());
  auto head = conn.Send("HEAD", "/ping");
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_EQ(head.headers["content-length"], "11");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(conn.Send("GET", "/ping").body, R"({"ok":true})");
}

TEST_F(StaticSiteServerTest, TraversalInTheRequestTargetIsRefused) {
  for (const char* target : {"/../passwd", "/assets/../../passwd", "/%2e%2e/passwd", "/..%2fpasswd",
                             "/assets/%2E%2E%2F%2E%2E%2Fpasswd"}) {
    SCOPED_TRACE(target);
    auto res = HttpCall(server_->port(), "GET", target);
    EXPECT_NE(res.status, 0) << res.error;
    EXPECT_NE(res.status, 200);
    EXPECT_EQ(res.body.find("root:x"), std::string::npos);
  }
}

TEST(CorsTest, ExactOriginsAndAnyHostOnTheUiPort) {
  const auto exact = UiOrigins(3000);
  EXPECT_TRUE(CorsAllowed("http://127.0.0.1:3000", exact, 0));
  EXPECT_TRUE(CorsAllowed("http://localhost:3000", exact, 0));
  EXPECT_FALSE(CorsAllowed("http://ci.example:3000", exact, 0));
  EXPECT_TRUE(CorsAllowed("http://ci.example:3000", exact, 3000));
  EXPECT_TRUE(CorsAllowed("https://10.1.2.3:3000", exact, 3000));
  EXPECT_FALSE(CorsAllowed("http://ci.example:3001", exact, 3000));
  EXPECT_FALSE(CorsAllowed("http://evil.example:3000.evil", exact, 3000));
  EXPECT_FALSE(CorsAllowed("file://x:3000", exact, 3000));
  EXPECT_FALSE(CorsAllowed("http://:3000", exact, 3000));
  EXPECT_FALSE(CorsAllowed("", exact, 3000));
}

TEST(CorsTest, TheLogTailHeadersAreExposedToTheUi) {
  Router router;
  router.Add("GET", "/log", [](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/plain";
    r.headers.emplace_back("X-Next-Offset", "10");
    return r;
  });
  ServerOptions options;
  options.port = 0;
  options.cors_origins = UiOrigins(3000);
  auto server = HttpServer::Start(options, &router);
  ASSERT_TRUE(server.has_value());
  auto res = HttpCall((*server)->port(), "GET", "/log", "", "Origin: http://127.0.0.1:3000\r\n");
  EXPECT_EQ(res.headers["access-control-allow-origin"], "http://127.0.0.1:3000");
  EXPECT_NE(res.headers["access-control-expose-headers"].find("X-Next-Offset"), std::string::npos);
  (*server)->Stop();
}

}  // namespace
}  // namespace sentinel::http
