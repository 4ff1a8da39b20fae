// The API over real HTTP on a loopback port: the server runs in-process on a
// free port, the test talks to it with a raw-socket client. Every test runs
// against each backend (in-memory fakes; SQLite and PostgreSQL where built).
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/api.h"
#include "http/server.h"
#include "api_backends.h"
#include "testing/http_client.h"
#include "testing/servers.h"
#include "testing/wait.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

using sentinel::testing::ClientResponse;
using sentinel::testing::HttpCall;
using sentinel::testing::HttpConnection;

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    backend_ = MakeApiBackend(GetParam(), &why);
    if (backend_ == nullptr) {
      if (sentinel::testing::InCi() || GetParam() == "fake") FAIL() << "backend unavailable: " << why;
      GTEST_SKIP() << "backend unavailable, skipping: " << why;
    }
    ApiContext ctx;
    ctx.repos = backend_->repos();
    ctx.runs = backend_->runs();
    ctx.clock = &SystemClock();
    ctx.health.db = backend_->db();
    ctx.health.version = "test-version";
    ctx.health.workers = [] { return 0; };
    ctx.dispatch = [this](const sentinel::Run& run) {
      dispatched_.push_back(run.id);
      return Ok();
    };
    AddApiRoutes(router_, ctx);
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.cors_origins = UiOrigins(3000);
    auto server = HttpServer::Start(options, &router_);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  ClientResponse Call(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& headers = "") {
    return HttpCall(server_->port(), method, target, body, headers);
  }
  json Json(const ClientResponse& r) {
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j;
  }
  // Asserts a JSON error naming the field.
  void ExpectError(const ClientResponse& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body << r.error;
    EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "", "application/json");
    json j = Json(r);
    ASSERT_TRUE(j.contains("error")) << r.body;
    EXPECT_TRUE(j["error"]["code"].is_string());
    EXPECT_TRUE(j["error"]["message"].is_string());
    if (!field.empty()) {
      EXPECT_EQ(j["error"].value("field", ""), field) << r.body;
      EXPECT_NE(j["error"]["message"].get<std::string>().find(field), std::string::npos) << r.body;
    }
  }
  std::int64_t CreateRepo(const std::string& name) {
    auto r = Call("POST", "/repos", json{{"name", name}, {"url", "/srv/" + name}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).value("id", std::int64_t{0});
  }
  size_t Count(const std::string& list) {
    auto r = Call("GET", list + "?limit=500");
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r)["items"].size();
  }

  std::unique_ptr<ApiBackend> backend_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::vector<std::int64_t> dispatched_;
};

TEST_P(ApiTest, HealthIsOkWithItsFields) {
  auto r = Call("GET", "/health");
  ASSERT_EQ(r.status, 200) << r.body << r.error;
  json j = Json(r);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["database"], "ok");
  EXPECT_EQ(j["queue"], "ok");
  EXPECT_EQ(j["workers"], 0);
  EXPECT_EQ(j["version"], "test-version");
}

TEST_P(ApiTest, CreateGetAndListRepos) {
  auto created = Call("POST", "/repos", R"({"name": "demo-cpp", "url": "file:///srv/demo-cpp"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json repo = Json(created);
  EXPECT_EQ(repo["name"], "demo-cpp");
  EXPECT_EQ(repo["url"], "file:///srv/demo-cpp");
  EXPECT_TRUE(repo["id"].is_number_integer());
  EXPECT_EQ(repo["last_run"], nullptr);
  EXPECT_TRUE(ParseRfc3339(repo["created_at"].get<std::string>()).has_value()) << repo.dump();

  auto got = Call("GET", "/repos/" + std::to_string(repo["id"].get<std::int64_t>()));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got)["name"], "demo-cpp");
  EXPECT_TRUE(Json(got).contains("success_rate"));

  CreateRepo("demo-node");
  auto list = Call("GET", "/repos");
  ASSERT_EQ(list.status, 200);
  json page = Json(list);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["name"], "demo-node");  // newest first
  EXPECT_EQ(page["next_cursor"], nullptr);

  ExpectError(Call("POST", "/repos", R"({"name": "demo-cpp", "url": "/elsewhere"})"), 409, "name");
  EXPECT_EQ(Count("/repos"), 2u);
}

TEST_P(ApiTest, BadRepoInputIs4xxNamingTheFieldAndWritesNothing) {
  struct Case {
    std::string body;
    std::string field;
  } cases[] = {
      {"{not json", "body"},
      {"", "body"},
      {"[1, 2]", "body"},
      {R"({"url": "/x"})", "name"},
      {R"({"name": null, "url": "/x"})", "name"},
      {R"({"name": 42, "url": "/x"})", "name"},
      {R"({"name": "", "url": "/x"})", "name"},
      {R"({"name": "has space", "url": "/x"})", "name"},
      {R"({"name": "a/b", "url": "/x"})", "name"},
      {json{{"name", std::string(101, 'x')}, {"url", "/x"}}.dump(), "name"},
      {R"({"name": "ok"})", "url"},
      {R"({"name": "ok", "url": ["/x"]})", "url"},
      {R"({"name": "ok", "url": ""})", "url"},
      {R"({"name": "ok", "url": "--upload-pack=evil"})", "url"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Call("POST", "/repos", c.body), 400, c.field);
  }
  EXPECT_EQ(Count("/repos"), 0u);
}

TEST_P(ApiTest, SubmitRunsByIdOrNameAndListThem) {
  const std::int64_t cpp = CreateRepo("demo-cpp");
  CreateRepo("demo-python");
  auto a = Call("POST", "/runs", json{{"repo", cpp}, {"scenario", "flaky"}, {"ref", "main"}}.dump());
  ASSERT_EQ(a.status, 202) << a.body;
  json run = Json(a);
  EXPECT_EQ(run["status"], "queued");
  EXPECT_EQ(run["repo_id"], cpp);
  EXPECT_EQ(run["scenario"], "flaky");
  EXPECT_EQ(run["ref"], "main");
  EXPECT_EQ(run["category"], nullptr);
  auto b = Call("POST", "/runs", R"({"repo": "demo-python"})");
  ASSERT_EQ(b.status, 202) << b.body;
  EXPECT_EQ(Json(b)["repo"], "demo-python");
  EXPECT_EQ(dispatched_.size(), 2u);

  auto all = Call("GET", "/runs");
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(Json(all)["items"].size(), 2u);
  EXPECT_EQ(Json(all)["items"][0]["id"], Json(b)["id"]);  // newest first

  EXPECT_EQ(Json(Call("GET", "/runs?repo=demo-cpp"))["items"].size(), 1u);
  EXPECT_EQ(Json(Call("GET", "/runs?repo=" + std::to_string(cpp)))["items"].size(), 1u);
  EXPECT_EQ(Json(Call("GET", "/runs?status=queued"))["items"].size(), 2u);
  EXPECT_EQ(Json(Call("GET", "/runs?repo=&status=&since=&limit="))["items"].size(), 2u);  // unset form fields
  EXPECT_EQ(Json(Call("GET", "/runs?status=running"))["items"].size(), 0u);
  EXPECT_EQ(Json(Call("GET", "/runs?since=2000-01-01T00:00:00Z"))["items"].size(), 2u);
  EXPECT_EQ(Json(Call("GET", "/runs?since=2999-01-01T00%3A00%3A00Z"))["items"].size(), 0u);

  auto first = Call("GET", "/runs?limit=1");
  ASSERT_EQ(Json(first)["items"].size(), 1u);
  ASSERT_TRUE(Json(first)["next_cursor"].is_string()) << first.body;
  auto second = Call("GET", "/runs?limit=1&cursor=" + Json(first)["next_cursor"].get<std::string>());
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(Json(second)["items"].size(), 1u);
  EXPECT_EQ(Json(second)["items"][0]["id"], Json(a)["id"]);
}

TEST_P(ApiTest, BadRunInputIs4xxNamingTheFieldAndWritesNothing) {
  CreateRepo("demo-cpp");
  struct Case {
    std::string body;
    int status;
    std::string field;
  } cases[] = {
      {"{oops", 400, "body"},
      {R"("demo-cpp")", 400, "body"},
      {R"({})", 400, "repo"},
      {R"({"repo": null})", 400, "repo"},
      {R"({"repo": true})", 400, "repo"},
      {R"({"repo": 1.5})", 400, "repo"},
      {R"({"repo": {"id": 1}})", 400, "repo"},
      {R"({"repo": ""})", 400, "repo"},
      {R"({"repo": "bad name"})", 400, "repo"},
      {R"({"repo": -4})", 400, "repo"},
      {R"({"repo": 999999})", 404, "repo"},
      {R"({"repo": "no-such-repo"})", 404, "repo"},
      {R"({"repo": "demo-cpp", "scenario": "explode"})", 400, "scenario"},
      {R"({"repo": "demo-cpp", "scenario": 3})", 400, "scenario"},
      {R"({"repo": "demo-cpp", "ref": 7})", 400, "ref"},
      {R"({"repo": "demo-cpp", "ref": "-x"})", 400, "ref"},
      {R"({"repo": "demo-cpp", "ref": "a b"})", 400, "ref"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Call("POST", "/runs", c.body), c.status, c.field);
  }
  EXPECT_EQ(Count("/runs"), 0u);
  EXPECT_TRUE(dispatched_.empty());
}

TEST_P(ApiTest, BadQueriesAndIdsAre4xxNamingTheField) {
  CreateRepo("demo-cpp");
  struct Case {
    std::string target;
    int status;
    std::string field;
  } cases[] = {
      {"/runs?limit=0", 400, "limit"},
      {"/runs?limit=501", 400, "limit"},
      {"/runs?limit=ten", 400, "limit"},
      {"/repos?limit=-1", 400, "limit"},
      {"/runs?status=done", 400, "status"},
      {"/runs?since=yesterday", 400, "since"},
      {"/runs?repo=ghost", 404, "repo"},
      {"/runs?repo=4242", 404, "repo"},
      {"/runs/abc", 400, "id"},
      {"/runs/1.5", 400, "id"},
      {"/runs/-1", 400, "id"},
      {"/runs/99999999999999999999", 400, "id"},
      {"/runs/4242", 404, "id"},
      {"/repos/x", 400, "id"},
      {"/repos/4242", 404, "id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    ExpectError(Call("GET", c.target), c.status, c.field);
  }
  EXPECT_EQ(Call("GET", "/runs?limit=500").status, 200);
}

TEST_P(ApiTest, RunDetailHasStepsTestsFailuresCommitAttemptWorker) {
  const std::int64_t repo = CreateRepo("demo-cpp");
  auto submitted = Call("POST", "/runs", json{{"repo", repo}}.dump());
  ASSERT_EQ(submitted.status, 202);
  const std::int64_t id = Json(submitted)["id"];
  auto r = Call("GET", "/runs/" + std::to_string(id));
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Json(r);
  EXPECT_EQ(j["id"], id);
  EXPECT_EQ(j["status"], "queued");
  for (const char* key : {"steps", "tests", "failures", "commit", "attempt", "worker", "created_at", "events"})
    EXPECT_TRUE(j.contains(key)) << key << " missing from " << r.body;
  EXPECT_TRUE(j["steps"].is_array());
  EXPECT_TRUE(j["failures"].is_array());
  EXPECT_EQ(j["tests"]["total"], 0);
  EXPECT_TRUE(j["tests"]["failed_cases"].is_array());
}

TEST_P(ApiTest, UnknownPathIs404AndWrongMethodIs405) {
  ExpectError(Call("GET", "/nowhere"), 404, "");
  EXPECT_EQ(Json(Call("GET", "/nowhere"))["error"]["code"], "not_found");
  auto r = Call("DELETE", "/repos");
  ExpectError(r, 405, "");
  EXPECT_EQ(r.headers["allow"], "POST, GET");
  ExpectError(Call("PUT", "/health"), 405, "");
}

TEST_P(ApiTest, BodyOverOneMebibyteIs413AndTheServerCarriesOn) {
  const std::string big = R"({"name": "x", "url": ")" + std::string(1024 * 1024 + 10, 'a') + R"("})";
  auto r = Call("POST", "/repos", big);
  ExpectError(r, 413, "body");
  EXPECT_EQ(Json(r)["error"]["code"], "too_large");
  EXPECT_EQ(Count("/repos"), 0u);
  // Just under the limit is parsed (and then rejected by validation, not by size).
  const std::string near = R"({"name": "bad name", "url": ")" + std::string(1000 * 1000, 'a') + R"("})";
  ExpectError(Call("POST", "/repos", near), 400, "name");
  EXPECT_EQ(Call("GET", "/health").status, 200);
}

TEST_P(ApiTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  HttpConnection conn(server_->port());
  ASSERT_TRUE(conn.connected());
  for (int i = 0; i < 3; ++i) {
    auto r = conn.Send("GET", "/health");
    EXPECT_EQ(r.status, 200) << r.error;
  }
  auto created = conn.Send("POST", "/repos", R"({"name": "ka", "url": "/ka"})");
  EXPECT_EQ(created.status, 201) << created.error;
  auto bye = conn.Send("GET", "/repos", "", "Connection: close\r\n");
  EXPECT_EQ(bye.status, 200);
  EXPECT_TRUE(conn.ClosedByPeer());
}

TEST_P(ApiTest, CorsAllowsOnlyTheUiOrigin) {
  for (const char* origin : {"http://127.0.0.1:3000", "http://localhost:3000"}) {
    auto r = Call("GET", "/health", "", std::string("Origin: ") + origin + "\r\n");
    EXPECT_EQ(r.headers["access-control-allow-origin"], origin);
    auto pre = Call("OPTIONS", "/runs", "",
                    std::string("Origin: ") + origin + "\r\nAccess-Control-Request-Method: POST\r\n");
    EXPECT_EQ(pre.status, 204);
    EXPECT_EQ(pre.headers["access-control-allow-origin"], origin);
    EXPECT_NE(pre.headers["access-control-allow-methods"].find("POST"), std::string::npos);
    EXPECT_EQ(pre.headers["access-control-allow-headers"], "Content-Type");
  }
  auto evil = Call("GET", "/health", "", "Origin: http://evil.example\r\n");
  EXPECT_EQ(evil.status, 200);
  EXPECT_EQ(evil.headers.count("access-control-allow-origin"), 0u);
}

TEST_P(ApiTest, GarbageOnTheWireGets400AndTheServerCarriesOn) {
  HttpConnection conn(server_->port());
  auto r = conn.Raw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.error;
  HttpConnection bad_escape(server_->port());
  EXPECT_EQ(bad_escape.Send("GET", "/runs?repo=%zz").status, 400);
  HttpConnection half(server_->port());
  ASSERT_TRUE(half.connected());  // a client that disconnects mid-request
  EXPECT_EQ(Call("GET", "/health").status, 200);
}

TEST_P(ApiTest, StopClosesIdleKeepAliveConnections) {
  HttpConnection conn(server_->port());
  ASSERT_EQ(conn.Send("GET", "/health").status, 200);
  server_->Stop();  // must not wait for the idle client's read timeout
  EXPECT_TRUE(conn.ClosedByPeer());
  HttpConnection after(server_->port());
  EXPECT_FALSE(after.connected() && after.Send("GET", "/health").status == 200);
}

// The backends whose database can be taken down (PostgreSQL; the fake simulates it).
class ApiOutageTest : public ApiTest {};

TEST_P(ApiOutageTest, HealthIsDegradedWhileTheDatabaseIsDownAndRecovers) {
  ASSERT_TRUE(backend_->CanStopDatabase());
  ASSERT_EQ(Call("GET", "/health").status, 200);
  backend_->StopDatabase();
  // /health answers from a background probe: the outage shows within about a second
  // (bounded wait, not a timing assertion).
  ClientResponse down;
  ASSERT_TRUE(sentinel::testing::WaitUntil([&] { return (down = Call("GET", "/health")).status == 503; }, 5000))
      << down.status << " " << down.body;
  EXPECT_EQ(Json(down)["status"], "degraded");
  EXPECT_EQ(Json(down)["database"], "down");
  if (GetParam() == "postgres") {  // requests that need the store say so: 503, never a crash
    ExpectError(Call("POST", "/repos", R"({"name": "during-outage", "url": "/x"})"), 503, "");
    ExpectError(Call("GET", "/runs"), 503, "");
  }
  ASSERT_TRUE(backend_->RestartDatabase());
  ClientResponse up;
  ASSERT_TRUE(sentinel::testing::WaitUntil([&] { return (up = Call("GET", "/health")).status == 200; }, 10000))
      << up.status << " " << up.body;
  EXPECT_EQ(Json(up)["status"], "ok");
  EXPECT_EQ(Call("POST", "/repos", R"({"name": "after-outage", "url": "/x"})").status, 201);
  EXPECT_EQ(Count("/repos"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::ValuesIn(ApiBackendNames()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, ApiOutageTest, ::testing::Values("fake", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sentinel::http
