#include "http/json_mapping.h"

#include <gtest/gtest.h>

namespace sentinel::http {
namespace {

using nlohmann::json;

TEST(JsonMappingTest, RunDetailHasTheContractFields) {
  RunDetail d;
  d.run.id = 7;
  d.run.repo_id = 2;
  d.run.repo_name = "demo-cpp";
  d.run.status = RunStatus::kFailed;
  d.run.category = FailureCategory::kTestFailure;
  d.run.commit = "abc123";
  d.run.attempt = 1;
  d.run.worker = "w-1";
  d.run.created_at = 0;
  d.run.started_at = 1000;
  d.run.finished_at = 3500;
  Step s;
  s.index = 0;
  s.name = "test";
  s.command = "ctest";
  s.status = StepStatus::kFailed;
  s.exit_code = 8;
  s.attempts = 1;
  s.started_at = 1000;
  d.steps.push_back(s);
  d.tests = {10, 8, 1, 1, 0};
  TestCaseResult t;
  t.suite = "S";
  t.name = "n";
  t.outcome = TestOutcome::kFailed;
  d.failed_tests.push_back(t);
  Failure f;
  f.category = FailureCategory::kTestFailure;
  f.fingerprint = "ff";
  f.evidence = {{12, "FAILED n"}};
  d.failures.push_back(f);

  json j = ToJson(d);
  EXPECT_EQ(j["id"], 7);
  EXPECT_EQ(j["repo"], "demo-cpp");
  EXPECT_EQ(j["status"], "failed");
  EXPECT_EQ(j["category"], "test_failure");
  EXPECT_EQ(j["commit"], "abc123");
  EXPECT_EQ(j["attempt"], 1);
  EXPECT_EQ(j["worker"], "w-1");
  EXPECT_EQ(j["ref"], nullptr);
  EXPECT_EQ(j["created_at"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(j["started_at"], "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(j["duration_ms"], 2500);
  ASSERT_EQ(j["steps"].size(), 1u);
  EXPECT_EQ(j["steps"][0]["index"], 0);
  EXPECT_EQ(j["steps"][0]["status"], "failed");
  EXPECT_EQ(j["steps"][0]["exit_code"], 8);
  EXPECT_EQ(j["steps"][0]["finished_at"], nullptr);
  EXPECT_EQ(j["tests"]["total"], 10);
  EXPECT_EQ(j["tests"]["failed"], 1);
  EXPECT_EQ(j["tests"]["failed_cases"][0]["test_id"], t.TestId());
  EXPECT_EQ(j["failures"][0]["category"], "test_failure");
  EXPECT_EQ(j["failures"][0]["evidence"][0]["line"], 12);
  EXPECT_EQ(j["failures"][0]["cluster_id"], nullptr);
}

TEST(JsonMappingTest, QueuedRunHasNoCategoryAndPagesHaveCursor) {
  sentinel::Run r;
  r.id = 1;
  Page<sentinel::Run> page{{r}, std::string("1")};
  json j = PageToJson(page);
  EXPECT_EQ(j["items"][0]["status"], "queued");
  EXPECT_EQ(j["items"][0]["category"], nullptr);
  EXPECT_EQ(j["next_cursor"], "1");
  EXPECT_EQ(PageToJson(Page<sentinel::Run>{})["next_cursor"], nullptr);
  EXPECT_TRUE(PageToJson(Page<sentinel::Run>{})["items"].is_array());
}

TEST(JsonMappingTest, BodiesAndQueryErrorsNameTheField) {
  EXPECT_EQ(ParseJsonObject("{bad").error().field, "body");
  EXPECT_EQ(ParseJsonObject("[1]").error().field, "body");
  EXPECT_EQ(ParseJsonObject("").error().field, "body");
  json obj = json::parse(R"({"name": 5, "ref": null})");
  EXPECT_EQ(RequiredString(obj, "name").error().field, "name");
  EXPECT_EQ(RequiredString(obj, "url").error().field, "url");
  EXPECT_FALSE(OptionalString(obj, "ref")->has_value());
  EXPECT_EQ(OptionalString(obj, "name").error().field, "name");

  HttpRequest req;
  EXPECT_EQ(ParseListQuery(req)->limit, 50);
  req.query["limit"] = "";
  EXPECT_EQ(ParseListQuery(req)->limit, 50);
  for (const char* bad : {"abc", "1.5", "9999999999999", "-"}) {
    req.query["limit"] = bad;
    auto q = ParseListQuery(req);
    ASSERT_FALSE(q.has_value()) << bad;
    EXPECT_EQ(q.error().field, "limit");
  }
  req.query["limit"] = "20";
  req.query["cursor"] = "abc";
  EXPECT_EQ(ParseListQuery(req)->limit, 20);
  EXPECT_EQ(ParseListQuery(req)->cursor, "abc");
}

// The text writer of GET /runs and the tree mapping are one mapping: the same
// document for every kind of value, including strings that need escaping.
TEST(JsonMappingTest, PageResponseIsTheSameDocumentAsTheTree) {
  Page<sentinel::Run> page;
  for (int i = 0; i < 6; ++i) {
    sentinel::Run r;
    r.id = 1000 + i;
    r.repo_id = i;
    r.repo_name = std::vector<std::string>{"plain", "quote\"s", "back\\slash", "tab\tnew\nline\x01",
                                           "utf8 \xc3\xa9\xe2\x82\xac", "bad \xff\xfe utf8"}[i];
    r.ref = i % 2 ? "main" : "";
    r.commit = i % 3 ? "" : "abcdef0123";
    r.scenario = i == 4 ? "flaky" : "";
    r.status = std::vector<RunStatus>{RunStatus::kQueued,  RunStatus::kRunning, RunStatus::kSucceeded,
                                      RunStatus::kFailed,  RunStatus::kErrored, RunStatus::kCancelled}[i];
    r.category = FailureCategory::kNetworkDns;
    r.attempt = i;
    r.worker = i > 1 ? "w-" + std::to_string(i) : "";
    r.reason = i == 4 ? "worker_lost" : "";
    r.created_at = 1700000000000 + i;
    if (i > 0) r.started_at = 1700000000500 + i;
    if (i > 1) r.finished_at = 1700000009999 + i;
    page.items.push_back(r);
  }
  for (std::optional<std::string> cursor : {std::optional<std::string>(), std::optional<std::string>("c\"1")}) {
    page.next_cursor = cursor;
    HttpResponse res = PageResponse(page);
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.content_type, "application/json");
    json direct = json::parse(res.body, nullptr, false);
    ASSERT_FALSE(direct.is_discarded()) << res.body;
    json tree = json::parse(JsonResponse(200, PageToJson(page)).body);
    EXPECT_EQ(direct, tree) << res.body;
  }
  EXPECT_EQ(json::parse(PageResponse(Page<sentinel::Run>{}).body), json::parse(R"({"items": [], "next_cursor": null})"));
}

TEST(JsonMappingTest, DeeplyNestedBodiesAreRefusedBeforeParsing) {
  auto deep = ParseJsonObject("{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}");
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error().field, "body");
  EXPECT_NE(deep.error().message.find("nests deeper than 32"), std::string::npos);
  // Brackets inside strings are text, and ordinary nesting is fine.
  EXPECT_TRUE(ParseJsonObject(R"({"name": ")" + std::string(1000, '[') + R"(", "a": [[{"b": [1]}]]})").has_value());
}

}  // namespace
}  // namespace sentinel::http
