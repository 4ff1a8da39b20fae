// GET /tests/flaky, GET /tests/{id} and POST/DELETE /tests/{id}/quarantine over
// real loopback HTTP, against the real stores on SQLite and PostgreSQL. Runs are
// written the way the worker writes them, so the verdicts are the ones Finish
// recomputes.
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "adapters/sqlstore/sql_test_history_store.h"
#include "cli/db_factory.h"
#include "http/api.h"
#include "http/server.h"
#include "testing/http_client.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::http {
namespace {

using nlohmann::json;
using sentinel::testing::HttpCall;

constexpr EpochMs kT0 = 1'790'000'000'000;

class FlakyApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "postgres") {
      std::string why;
      auto* pg = sentinel::testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      static std::atomic<int> n{0};
      url = pg->CreateDatabase("flaky_api_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    } else {
      url = "sqlite://" + dir_.Sub("api.db");
    }
    auto db = cli::OpenDatabase(url);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::Migrate(*db_, kT0));
    repos_ = std::make_unique<sqlstore::SqlRepoStore>(*db_);
    runs_ = std::make_unique<sqlstore::SqlRunStore>(*db_);
    exec_ = std::make_unique<sqlstore::SqlExecutionStore>(*db_);
    tests_ = std::make_unique<sqlstore::SqlTestHistoryStore>(*db_);
    ApiContext ctx;
    ctx.repos = repos_.get();
    ctx.runs = runs_.get();
    ctx.clock = &SystemClock();
    ctx.health.db = db_.get();
    ctx.tests = tests_.get();
    AddApiRoutes(router_, ctx);
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    auto server = HttpServer::Start(options, &router_);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
    auto a = repos_->Create("alpha", "/srv/alpha", kT0);
    ASSERT_TRUE(a);
    alpha_ = a->id;
    // "order" fails on runs 1, 4 and 7 (flaky); "tax" fails on every run from 5 on a new commit.
    for (int i = 1; i <= 7; ++i) {
      run_ids_.push_back(Run(i <= 4 ? "c1" : "c2", {{"order", i % 3 == 1}, {"tax", i >= 5}, {"ok", false}}));
    }
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  std::int64_t Run(const std::string& commit, const std::vector<std::pair<std::string, bool>>& tests) {
    const EpochMs at = kT0 + 1000 * (++clock_);
    auto run = runs_->Create(sentinel::NewRun{alpha_, "", ""}, at);
    EXPECT_TRUE(run);
    auto claim = exec_->Claim(run->id, "w1", 60'000, at + 1);
    EXPECT_TRUE(claim);
    Fence f{run->id, claim->run.attempt, "w1"};
    EXPECT_TRUE(exec_->SetCommit(f, commit, at + 2));
    EXPECT_TRUE(exec_->PlanSteps(f, {{"test", "pytest", 1000}}, at + 3));
    std::vector<TestCaseResult> results;
    bool failed = false;
    for (const auto& [name, fails] : tests) {
      TestCaseResult r;
      r.class_name = "tests.test_cart";
      r.name = name;
      r.outcome = fails ? TestOutcome::kFailed : TestOutcome::kPassed;
      if (fails) r.message = "AssertionError: " + name + " went wrong";
      failed = failed || fails;
      results.push_back(r);
    }
    EXPECT_TRUE(exec_->AddTestResults(f, 0, results, at + 4));
    std::vector<Failure> failures;
    if (failed) {
      Failure x;
      x.category = FailureCategory::kTestFailure;
      x.title = "tests failed";
      failures.push_back(x);
    }
    EXPECT_TRUE(exec_->Finish(f, {failed ? RunStatus::kFailed : RunStatus::kSucceeded, FailureCategory::kTestFailure, "", ""},
                              failures, at + 5));
    return run->id;
  }

  json Call(const std::string& method, const std::string& target, int want_status, const std::string& body = "") {
    auto r = HttpCall(server_->port(), method, target, body);
    EXPECT_EQ(r.status, want_status) << method << " " << target << ": " << r.body << r.error;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j;
  }

  json Item(const std::string& test_id) {
    json page = Call("GET", "/tests/flaky?limit=500", 200);
    for (const json& item : page["items"])
      if (item["test_id"] == test_id) return item;
    ADD_FAILURE() << test_id << " not in " << page.dump();
    return json::object();
  }

  sentinel::testing::ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<sqlstore::SqlTestHistoryStore> tests_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::int64_t alpha_ = 0;
  int clock_ = 0;
  std::vector<std::int64_t> run_ids_;
};

TEST_P(FlakyApiTest, ListHasTheContractFieldsHighestScoreFirst) {
  json page = Call("GET", "/tests/flaky", 200);
  ASSERT_EQ(page["items"].size(), 3u) << page.dump();
  EXPECT_TRUE(page["next_cursor"].is_null());
  for (const json& item : page["items"]) {
    for (const char* field : {"id", "repo", "repo_id", "test_id", "window", "runs", "failures", "failure_ratio", "flips",
                              "score", "interval", "classification", "last_failing_run", "reason"})
      EXPECT_TRUE(item.contains(field)) << field << " in " << item.dump();
    EXPECT_TRUE(item["id"].is_number_integer());
    EXPECT_EQ(item["interval"].size(), 2u);
  }
  for (size_t i = 1; i < page["items"].size(); ++i)
    EXPECT_GE(page["items"][i - 1]["score"].get<double>(), page["items"][i]["score"].get<double>());
  const json order = Item("tests.test_cart::order");
  EXPECT_EQ(order["classification"], "flaky");
  EXPECT_EQ(order["repo"], "alpha");
  EXPECT_EQ(order["window"], 30);
  EXPECT_EQ(order["runs"], 7);
  EXPECT_EQ(order["failures"], 3);
  EXPECT_EQ(order["last_failing_run"], run_ids_[6]);
  // Its latest results, oldest first: the dashboard's outcome squares.
  ASSERT_EQ(order["outcomes"].size(), 7u) << order.dump();
  std::string strip;
  for (const json& o : order["outcomes"]) strip += o["outcome"] == "failed" ? 'F' : 'P';
  EXPECT_EQ(strip, "FPPFPPF");
  EXPECT_EQ(order["outcomes"][0]["run_id"], run_ids_[0]);
  EXPECT_EQ(order["outcomes"][0]["commit"], "c1");
  EXPECT_EQ(order["outcomes"][6]["run_id"], run_ids_[6]);
  EXPECT_EQ(order["outcomes"][6]["commit"], "c2");
  EXPECT_EQ(Item("tests.test_cart::tax")["classification"], "failing");
  EXPECT_EQ(Item("tests.test_cart::ok")["classification"], "stable");

  json flaky = Call("GET", "/tests/flaky?classification=flaky&repo=alpha", 200);
  ASSERT_EQ(flaky["items"].size(), 1u);
  EXPECT_EQ(flaky["items"][0]["test_id"], "tests.test_cart::order");
  json one = Call("GET", "/tests/flaky?limit=1", 200);
  ASSERT_EQ(one["items"].size(), 1u);
  ASSERT_TRUE(one["next_cursor"].is_string());
  json next = Call("GET", "/tests/flaky?limit=1&cursor=" + one["next_cursor"].get<std::string>(), 200);
  ASSERT_EQ(next["items"].size(), 1u);
  EXPECT_NE(next["items"][0]["id"], one["items"][0]["id"]);
}

TEST_P(FlakyApiTest, ListAndDetailCarryTheLatestTwentyResults) {
  for (int i = 0; i < 16; ++i) run_ids_.push_back(Run("c3", {{"order", i == 15}, {"tax", true}, {"ok", false}}));
  const json order = Item("tests.test_cart::order");
  ASSERT_EQ(order["outcomes"].size(), 20u) << order.dump();
  EXPECT_EQ(order["outcomes"][0]["run_id"], run_ids_[3]);  // 23 runs: the first three fall out
  EXPECT_EQ(order["outcomes"][19]["run_id"], run_ids_.back());
  EXPECT_EQ(order["outcomes"][19]["outcome"], "failed");
  EXPECT_EQ(Item("tests.test_cart::ok")["outcomes"].size(), 20u);
  json d = Call("GET", "/tests/" + std::to_string(order["id"].get<std::int64_t>()), 200);
  EXPECT_EQ(d["outcomes"], order["outcomes"]);
}

TEST_P(FlakyApiTest, BadFiltersAre400AndUnknownIds404) {
  EXPECT_EQ(Call("GET", "/tests/flaky?classification=weird", 400)["error"]["field"], "classification");
  EXPECT_EQ(Call("GET", "/tests/flaky?limit=0", 400)["error"]["field"], "limit");
  EXPECT_EQ(Call("GET", "/tests/flaky?cursor=zzz", 400)["error"]["field"], "cursor");
  EXPECT_EQ(Call("GET", "/tests/flaky?repo=nope", 404)["error"]["field"], "repo");
  EXPECT_EQ(Call("GET", "/tests/999999", 404)["error"]["field"], "id");
  EXPECT_EQ(Call("GET", "/tests/some_test", 400)["error"]["field"], "repo");
  EXPECT_EQ(Call("GET", "/tests/some_test?repo=alpha", 404)["error"]["field"], "id");
}

TEST_P(FlakyApiTest, DetailGroupsTheWindowByCommitWithEvidenceAndBothIdForms) {
  const std::int64_t id = Item("tests.test_cart::order")["id"];
  json d = Call("GET", "/tests/" + std::to_string(id), 200);
  EXPECT_EQ(d["classification"], "flaky");
  ASSERT_EQ(d["commits"].size(), 2u) << d.dump();
  EXPECT_EQ(d["commits"][0]["commit"], "c1");
  EXPECT_EQ(d["commits"][0]["passes"], 2);
  EXPECT_EQ(d["commits"][0]["failures"], 2);
  EXPECT_EQ(d["commits"][0]["runs"].size(), 4u);
  EXPECT_EQ(d["commits"][1]["commit"], "c2");
  EXPECT_EQ(d["commits"][1]["failures"], 1);
  EXPECT_EQ(d["evidence"]["both_outcomes_commits"], json::array({"c1", "c2"}));
  EXPECT_FALSE(d["evidence"]["reason"].get<std::string>().empty());
  ASSERT_EQ(d["evidence"]["signatures"].size(), 1u);
  EXPECT_EQ(d["evidence"]["signatures"][0]["classification"], "flaky");
  EXPECT_EQ(d["quarantine"]["active"], false);
  // The last run's failure is marked flaky in the window and on the run.
  EXPECT_EQ(d["commits"][1]["runs"].back()["flaky"], true);
  json run = Call("GET", "/runs/" + std::to_string(run_ids_[6]), 200);
  EXPECT_EQ(run["tests"]["flaky"], 1);
  bool seen = false;
  for (const json& t : run["tests"]["failed_cases"])
    if (t["name"] == "order") seen = t["flaky"] == true;
  EXPECT_TRUE(seen) << run.dump();
  // The same test by its URL-encoded test id and repository.
  json by_name = Call("GET", "/tests/tests.test_cart%3A%3Aorder?repo=alpha", 200);
  EXPECT_EQ(by_name["id"], id);
}

TEST_P(FlakyApiTest, QuarantineBySignatureIsRecordedWithWhoAndWhy) {
  const std::int64_t id = Item("tests.test_cart::order")["id"];
  const std::string path = "/tests/" + std::to_string(id) + "/quarantine";
  json d = Call("GET", "/tests/" + std::to_string(id), 200);
  const std::string sig = d["evidence"]["signatures"][0]["signature"];
  EXPECT_EQ(Call("POST", path, 400, R"({"signature": "x", "who": "ana"})")["error"]["field"], "reason");
  EXPECT_EQ(Call("POST", path, 400, R"({"signature": "x", "reason": "r"})")["error"]["field"], "who");
  EXPECT_EQ(Call("POST", path, 400, R"({"reason": "r", "who": "ana"})")["error"]["field"], "signature");
  EXPECT_EQ(Call("POST", path, 400, "not json")["error"]["field"], "body");
  EXPECT_EQ(Call("POST", "/tests/999999/quarantine", 404, R"({"all": true, "reason": "r", "who": "a"})")["error"]["field"],
            "id");
  json q = Call("POST", path, 201, json{{"signature", sig}, {"reason", "ordering race, JIRA-12"}, {"who", "ana"}}.dump());
  EXPECT_EQ(q["quarantine"]["active"], true);
  ASSERT_EQ(q["quarantine"]["quarantines"].size(), 1u);
  EXPECT_EQ(q["quarantine"]["quarantines"][0]["signature"], sig);
  EXPECT_EQ(q["quarantine"]["quarantines"][0]["who"], "ana");
  Call("POST", path, 409, json{{"signature", sig}, {"reason", "again"}, {"who", "ana"}}.dump());
  json all = Call("POST", path, 201, R"({"all": true, "reason": "everything", "who": "bo"})");
  EXPECT_EQ(all["quarantine"]["quarantines"].size(), 2u);
  json lifted = Call("DELETE", path, 200, json{{"signature", sig}, {"reason", "fixed in #77"}, {"who", "cy"}}.dump());
  ASSERT_EQ(lifted["quarantine"]["quarantines"].size(), 1u);
  EXPECT_EQ(lifted["quarantine"]["quarantines"][0]["all_signatures"], true);
  json history = lifted["quarantine"]["history"];
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0]["action"], "released");
  EXPECT_EQ(history[0]["who"], "cy");
  EXPECT_EQ(history[0]["reason"], "fixed in #77");
  Call("DELETE", path + "?all=true&who=cy&reason=done", 200);
  Call("DELETE", path + "?all=true&who=cy&reason=again", 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, FlakyApiTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sentinel::http
