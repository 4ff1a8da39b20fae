// The dashboard's static files: content types, caching, the index fallback for
// client routes, /config.js, and paths that try to leave the root.
#include "http/static_site.h"

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "testing/scratch_dir.h"

namespace sentinel::http {
namespace {

using sentinel::testing::ScratchDir;
using sentinel::testing::WriteFileAll;

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [n, v] : res.headers)
    if (n == name) return v;
  return "";
}

HttpRequest Get(const std::string& path, const std::string& method = "GET") {
  HttpRequest req;
  req.method = method;
  req.path = path;
  return req;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAll(dir_.Sub("site/index.html"), "<!doctype html><title>app</title>"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("site/assets/index-abc123.js"), "console.log(1)"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("site/assets/index-abc123.css"), "body{}"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("site/favicon.svg"), "<svg/>"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("site/.env"), "SECRET=1"));
    ASSERT_TRUE(WriteFileAll(dir_.Sub("secret.txt"), "outside the root"));
    options_.root = dir_.Sub("site");
    options_.config_js = UiConfigScript("", 8123);
  }
  ScratchDir dir_;
  StaticSiteOptions options_;
};

TEST_F(StaticSiteTest, ServesIndexAtTheRootWithoutCaching) {
  HttpResponse res = ServeStatic(options_, Get("/"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(res.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(HeaderOf(res, "Cache-Control"), "no-cache");
  EXPECT_EQ(ServeStatic(options_, Get("/index.html")).body, res.body);
  EXPECT_EQ(HeaderOf(ServeStatic(options_, Get("/index.html")), "Cache-Control"), "no-cache");
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableWithTheirContentType) {
  HttpResponse js = ServeStatic(options_, Get("/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(js, "X-Content-Type-Options"), "nosniff");
  HttpResponse css = ServeStatic(options_, Get("/assets/index-abc123.css"));
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  HttpResponse svg = ServeStatic(options_, Get("/favicon.svg"));
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  EXPECT_EQ(HeaderOf(svg, "Cache-Control"), "no-cache");  // not hashed: revalidated
}

TEST_F(StaticSiteTest, ClientRoutesGetTheIndex) {
  for (const char* route : {"/runs", "/runs/42", "/incidents/7/postmortem", "/flaky", "/clusters/3"}) {
    SCOPED_TRACE(route);
    HttpResponse res = ServeStatic(options_, Get(route));
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(res.body, "<!doctype html><title>app</title>");
  }
}

TEST_F(StaticSiteTest, MissingFilesAre404NotTheApp) {
  EXPECT_EQ(ServeStatic(options_, Get("/assets/index-old.js")).status, 404);
  EXPECT_EQ(ServeStatic(options_, Get("/robots.txt")).status, 404);
  EXPECT_EQ(ServeStatic(options_, Get("/assets/new-route")).status, 404);
}

TEST_F(StaticSiteTest, RefusesPathsThatLeaveTheRootOrNameHiddenFiles) {
  const std::string cases[] = {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/.env",
                               "/assets/..", std::string("/index.html\0.js", 15), "/..\\secret.txt", "relative"};
  for (const std::string& path : cases) {
    SCOPED_TRACE(path);
    HttpResponse res = ServeStatic(options_, Get(path));
    EXPECT_NE(res.status, 200);
    EXPECT_EQ(res.body.find("outside the root"), std::string::npos);
    EXPECT_EQ(res.body.find("SECRET"), std::string::npos);
  }
}

TEST_F(StaticSiteTest, RefusesASymlinkThatLeavesTheRoot) {
  ASSERT_EQ(::symlink(dir_.Sub("secret.txt").c_str(), dir_.Sub("site/leak.txt").c_str()), 0);
  HttpResponse res = ServeStatic(options_, Get("/leak.txt"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body.find("outside the root"), std::string::npos);
}

TEST_F(StaticSiteTest, ConfigScriptComesFromTheSettings) {
  HttpResponse res = ServeStatic(options_, Get("/config.js"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(res.body, "window.__SENTINEL_CONFIG__ = {\"apiBase\":null,\"apiPort\":8123};\n");
  EXPECT_EQ(HeaderOf(res, "Cache-Control"), "no-cache");
  EXPECT_EQ(UiConfigScript("http://ci.example:8000", 8000),
            "window.__SENTINEL_CONFIG__ = {\"apiBase\":\"http://ci.example:8000\",\"apiPort\":8000};\n");
  EXPECT_EQ(UiConfigScript("/a</script>", 1).find("</script>"), std::string::npos);
}

TEST_F(StaticSiteTest, OnlyGetAndHead) {
  HttpResponse post = ServeStatic(options_, Get("/", "POST"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(HeaderOf(post, "Allow"), "GET, HEAD");
  HttpResponse head = ServeStatic(options_, Get("/assets/index-abc123.js", "HEAD"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_type, "text/javascript; charset=utf-8");
  // Answered as a GET; the server writes its Content-Length and leaves the body out.
  EXPECT_EQ(head.body, ServeStatic(options_, Get("/assets/index-abc123.js")).body);
}

TEST_F(StaticSiteTest, AnUnchangedFileAnswers304ToItsETag) {
  HttpResponse first = ServeStatic(options_, Get("/assets/index-abc123.js"));
  const std::string etag = HeaderOf(first, "ETag");
  ASSERT_FALSE(etag.empty());
  HttpRequest again = Get("/assets/index-abc123.js");
  again.headers["if-none-match"] = etag;
  HttpResponse second = ServeStatic(options_, again);
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.body.empty());
}

TEST_F(StaticSiteTest, ANotBuiltDashboardSaysHowToBuildIt) {
  StaticSiteOptions missing{dir_.Sub("nowhere"), ""};
  HttpResponse res = ServeStatic(missing, Get("/runs"));
  EXPECT_EQ(res.status, 503);
  EXPECT_NE(res.body.find("make build"), std::string::npos);
}

TEST(StaticSiteContentTypeTest, ByExtension) {
  const std::pair<const char*, const char*> cases[] = {
      {"a.html", "text/html; charset=utf-8"}, {"a.JS", "text/javascript; charset=utf-8"},
      {"a.css", "text/css; charset=utf-8"},   {"a.json", "application/json"},
      {"a.svg", "image/svg+xml"},             {"a.png", "image/png"},
      {"a.woff2", "font/woff2"},              {"a.ico", "image/x-icon"},
      {"a.unknown", "application/octet-stream"}, {"noext", "application/octet-stream"},
  };
  for (const auto& [name, type] : cases) EXPECT_EQ(ContentTypeFor(name), type) << name;
}

TEST(RouterFallbackTest, RoutesWinAndTheRestGoesToTheFallback) {
  Router router;
  router.Add("GET", "/health", [](const HttpRequest&) {
    HttpResponse r;
    r.body = "route";
    return r;
  });
  EXPECT_EQ(router.Dispatch(Get("/nope")).status, 404);
  router.SetFallback([](const HttpRequest& req) {
    HttpResponse r;
    r.body = "fallback " + req.path;
    return r;
  });
  EXPECT_EQ(router.Dispatch(Get("/health")).body, "route");
  EXPECT_EQ(router.Dispatch(Get("/runs/5")).body, "fallback /runs/5");
  EXPECT_EQ(router.Dispatch(Get("/health", "POST")).status, 405);  // a known path keeps its 405
}

}  // namespace
}  // namespace sentinel::http
