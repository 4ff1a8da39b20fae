// The dashboard server that `sentinel up` and (with ui.dir set) `sentinel api` run: the built
// files on ui_port, /config.js pointing the page at the API, a clear error for a taken port.
#include "cli/dashboard.h"

#include <gtest/gtest.h>

#include "cli/http_client.h"
#include "testing/scratch_dir.h"

namespace sentinel::cli {
namespace {

Settings DashboardSettings(const std::string& ui_dir) {
  Settings s;
  s.bind = "127.0.0.1";
  s.ui_port = 0;  // a free port
  s.ui_dir = ui_dir;
  return s;
}

TEST(DashboardTest, ServesTheConfiguredFolderAndTellsThePageWhereTheApiIs) {
  testing::ScratchDir dir;
  ASSERT_TRUE(testing::WriteFileAll(dir.Sub("dist/index.html"), "<div id=\"root\"></div>"));
  Settings s = DashboardSettings(dir.Sub("dist"));
  s.ui_api_base = "http://127.0.0.1:48800";
  auto d = Dashboard::Start(s, 8000);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ((*d)->dir(), dir.Sub("dist"));
  const std::string base = "http://127.0.0.1:" + std::to_string((*d)->port());
  auto index = HttpRequest(base, "GET", "/");
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<div id=\"root\"></div>");
  auto route = HttpRequest(base, "GET", "/runs/42");  // a client route loads the app
  ASSERT_TRUE(route);
  EXPECT_EQ(route->body, index->body);
  auto config = HttpRequest(base, "GET", "/config.js");
  ASSERT_TRUE(config);
  EXPECT_NE(config->body.find("\"apiBase\":\"http://127.0.0.1:48800\""), std::string::npos) << config->body;
  EXPECT_NE(config->body.find("\"apiPort\":8000"), std::string::npos) << config->body;
  (*d)->Stop();
  EXPECT_FALSE(HttpRequest(base, "GET", "/", {}, 2000));  // stopped: nothing answers
}

TEST(DashboardTest, ATakenPortIsAnErrorNotACrash) {
  testing::ScratchDir dir;
  auto first = Dashboard::Start(DashboardSettings(dir.path()), 8000);
  ASSERT_TRUE(first) << first.error().message;
  Settings s = DashboardSettings(dir.path());
  s.ui_port = (*first)->port();
  auto second = Dashboard::Start(s, 8000);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable) << second.error().message;
}

TEST(DashboardTest, AConfiguredFolderWinsOverTheCheckoutsBuild) {
  EXPECT_EQ(ResolveUiDir("/usr/share/sentinel/ui"), "/usr/share/sentinel/ui");
  EXPECT_FALSE(ResolveUiDir("").empty());
}

}  // namespace
}  // namespace sentinel::cli
