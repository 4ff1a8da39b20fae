#include "http/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/errors.h"

namespace sentinel::http {
namespace {

HttpRequest Req(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

HttpResponse Echo(const std::string& tag, const HttpRequest& req) {
  HttpResponse res;
  res.body = tag;
  for (auto& [k, v] : req.params) res.body += " " + k + "=" + v;
  return res;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/runs", [](const HttpRequest& r) { return Echo("list", r); });
    router_.Add("POST", "/runs", [](const HttpRequest& r) { return Echo("submit", r); });
    router_.Add("GET", "/runs/{id}", [](const HttpRequest& r) { return Echo("get", r); });
    router_.Add("GET", "/runs/{id}/steps/{index}/log", [](const HttpRequest& r) { return Echo("log", r); });
    router_.Add("GET", "/boom", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("kaput"); });
    router_.Add("GET", "/boom2", [](const HttpRequest&) -> HttpResponse { throw 42; });
  }
  Router router_;
};

TEST_F(RouterTest, MatchesMethodAndPatternAndFillsParams) {
  struct Case {
    const char* method;
    const char* path;
    const char* body;
  } cases[] = {
      {"GET", "/runs", "list"},
      {"GET", "/runs/", "list"},
      {"POST", "/runs", "submit"},
      {"GET", "/runs/17", "get id=17"},
      {"GET", "/runs/17/steps/2/log", "log id=17 index=2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    HttpResponse res = router_.Dispatch(Req(c.method, c.path));
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, c.body);
  }
}

TEST_F(RouterTest, UnknownPathIs404Json) {
  for (const char* path : {"/", "/nope", "/runs/1/steps", "/runs/1/steps/2/log/x"}) {
    HttpResponse res = router_.Dispatch(Req("GET", path));
    EXPECT_EQ(res.status, 404) << path;
    auto body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["error"]["code"], "not_found");
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpResponse res = router_.Dispatch(Req("DELETE", "/runs"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(nlohmann::json::parse(res.body)["error"]["code"], "method_not_allowed");
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].first, "Allow");
  EXPECT_EQ(res.headers[0].second, "GET, POST");
}

TEST_F(RouterTest, OptionsOnAKnownPathIs204WithAllow) {
  HttpResponse res = router_.Dispatch(Req("OPTIONS", "/runs/3"));
  EXPECT_EQ(res.status, 204);
  EXPECT_TRUE(res.body.empty());
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].second, "GET, OPTIONS");
  EXPECT_EQ(router_.Dispatch(Req("OPTIONS", "/nope")).status, 404);
}

TEST_F(RouterTest, AThrowingHandlerBecomes500Json) {
  for (const char* path : {"/boom", "/boom2"}) {
    HttpResponse res = router_.Dispatch(Req("GET", path));
    EXPECT_EQ(res.status, 500);
    auto body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["error"]["code"], "internal");
    EXPECT_EQ(body["error"]["message"].get<std::string>().find("kaput"), std::string::npos)
        << "internal details must not leak";
  }
}

TEST(ParseTargetTest, DecodesPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/runs?repo=demo%2Dcpp&status=failed&since=2026-01-01T00%3A00%3A00Z&x&a=1&a=2&q=a+b",
                          &path, &query));
  EXPECT_EQ(path, "/runs");
  EXPECT_EQ(query["repo"], "demo-cpp");
  EXPECT_EQ(query["status"], "failed");
  EXPECT_EQ(query["since"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(query["x"], "");
  EXPECT_EQ(query["a"], "1");  // the first wins
  EXPECT_EQ(query["q"], "a b");
  ASSERT_TRUE(ParseTarget("/a%20b", &path, &query));
  EXPECT_EQ(path, "/a b");
  EXPECT_TRUE(query.empty());
  for (const char* bad : {"/x?a=%", "/x?a=%4", "/x?a=%zz", "/%"}) EXPECT_FALSE(ParseTarget(bad, &path, &query)) << bad;
}

TEST(ErrorMappingTest, EveryCodeHasItsStatusAndJsonBody) {
  struct Case {
    ErrorCode code;
    int status;
    const char* name;
  } cases[] = {
      {ErrorCode::kInvalidArgument, 400, "invalid_argument"},
      {ErrorCode::kNotFound, 404, "not_found"},
      {ErrorCode::kAlreadyExists, 409, "already_exists"},
      {ErrorCode::kAborted, 409, "aborted"},
      {ErrorCode::kFailedPrecondition, 422, "failed_precondition"},
      {ErrorCode::kResourceExhausted, 413, "too_large"},
      {ErrorCode::kUnavailable, 503, "unavailable"},
      {ErrorCode::kDeadlineExceeded, 504, "deadline_exceeded"},
      {ErrorCode::kUnimplemented, 501, "unimplemented"},
      {ErrorCode::kInternal, 500, "internal"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(HttpStatusFor(c.code), c.status);
    HttpResponse res = ErrorResponse(Error{c.code, "it broke", "limit"});
    EXPECT_EQ(res.status, c.status);
    EXPECT_EQ(res.content_type, "application/json");
    auto body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["error"]["code"], c.name);
    EXPECT_EQ(body["error"]["message"], "it broke");
    EXPECT_EQ(body["error"]["field"], "limit");
  }
  auto no_field = nlohmann::json::parse(ErrorResponse(Error{ErrorCode::kInternal, "x", ""}).body);
  EXPECT_FALSE(no_field["error"].contains("field"));
  // Bytes that are not UTF-8 (a client's input quoted back) never make the body unserializable.
  auto odd = ErrorResponse(Error{ErrorCode::kInvalidArgument, std::string("bad \xff\xfe name"), "name"});
  EXPECT_EQ(odd.status, 400);
  EXPECT_NO_THROW((void)nlohmann::json::parse(odd.body));
}

}  // namespace
}  // namespace sentinel::http
