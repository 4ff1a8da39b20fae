// GET /clusters and GET /clusters/{id} over real loopback HTTP, against the
// real stores on SQLite and PostgreSQL. Clusters are seeded the way the worker
// writes them: SqlExecutionStore::Finish with fingerprinted failures.
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_cluster_store.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "cli/db_factory.h"
#include "core/base/time.h"
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

class ClusterApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "postgres") {
      std::string why;
      auto* pg = sentinel::testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      static std::atomic<int> n{0};
      url = pg->CreateDatabase("clusters_api_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
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
    clusters_ = std::make_unique<sqlstore::SqlClusterStore>(*db_);
    ApiContext ctx;
    ctx.repos = repos_.get();
    ctx.runs = runs_.get();
    ctx.clock = &SystemClock();
    ctx.health.db = db_.get();
    ctx.clusters = clusters_.get();
    AddApiRoutes(router_, ctx);
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    auto server = HttpServer::Start(options, &router_);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  std::int64_t Repo(const std::string& name) {
    auto r = repos_->Create(name, "/srv/" + name, kT0);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->id : 0;
  }
  std::int64_t FailRun(std::int64_t repo, const std::string& fingerprint, EpochMs at,
                       FailureCategory category = FailureCategory::kTestFailure) {
    auto run = runs_->Create(sentinel::NewRun{repo, "", "testfail"}, at);
    EXPECT_TRUE(run) << run.error().message;
    if (!run) return 0;
    auto claim = exec_->Claim(run->id, "w1", 60'000, at + 1);
    EXPECT_TRUE(claim) << claim.error().message;
    if (!claim) return 0;
    Failure x;
    x.step_index = 1;
    x.category = category;
    x.signature = "sig." + fingerprint;
    x.fingerprint = fingerprint;
    x.cluster_template = "E assert <NUM> == <NUM>";
    x.title = "failure " + fingerprint;
    x.evidence = {{12, "E   assert 589 == 590"}};
    x.hints = {"an assertion failed"};
    x.kb_version = "kb-1";
    Status st = exec_->Finish(Fence{run->id, claim->run.attempt, "w1"}, {RunStatus::kFailed, category, "", ""}, {x},
                              at + 2);
    EXPECT_TRUE(st) << st.error().message;
    return run->id;
  }
  json Get(const std::string& target, int want_status) {
    auto r = HttpCall(server_->port(), "GET", target);
    EXPECT_EQ(r.status, want_status) << target << ": " << r.body << r.error;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j;
  }
  void ExpectError(const std::string& target, int status, const std::string& field) {
    json j = Get(target, status);
    ASSERT_TRUE(j.contains("error")) << j.dump();
    EXPECT_EQ(j["error"].value("field", ""), field) << j.dump();
    EXPECT_NE(j["error"].value("message", "").find(field), std::string::npos) << j.dump();
  }

  sentinel::testing::ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<sqlstore::SqlClusterStore> clusters_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_P(ClusterApiTest, ListShowsClustersNewestFirstWithTheContractFields) {
  const auto alpha = Repo("alpha"), beta = Repo("beta");
  const auto r1 = FailRun(alpha, "f1", kT0 + 100);
  FailRun(alpha, "f2", kT0 + 200, FailureCategory::kNetworkDns);
  FailRun(beta, "f1", kT0 + 300);
  json page = Get("/clusters", 200);
  ASSERT_EQ(page["items"].size(), 2u) << page.dump();
  EXPECT_TRUE(page["next_cursor"].is_null());
  const json& c = page["items"][0];
  EXPECT_EQ(c["fingerprint"], "f1");
  EXPECT_EQ(c["category"], "test_failure");
  EXPECT_EQ(c["signature"], "sig.f1");
  EXPECT_EQ(c["template"], "E assert <NUM> == <NUM>");
  EXPECT_TRUE(c["title"].is_string());
  EXPECT_EQ(c["occurrences"], 2);
  EXPECT_EQ(c["affected_runs"], 2);
  EXPECT_EQ(c["affected_repos"], 2);
  EXPECT_EQ(c["first_seen"], FormatRfc3339(kT0 + 102));
  EXPECT_EQ(c["last_seen"], FormatRfc3339(kT0 + 302));
  EXPECT_EQ(c["representative_run_id"], r1);
  ASSERT_EQ(c["excerpt"].size(), 1u);
  EXPECT_EQ(c["excerpt"][0]["line"], 12);
  EXPECT_EQ(c["excerpt"][0]["text"], "E   assert 589 == 590");
  EXPECT_TRUE(c["hint"].is_string());
  EXPECT_EQ(page["items"][1]["fingerprint"], "f2");

  json dns = Get("/clusters?category=network_dns", 200);
  ASSERT_EQ(dns["items"].size(), 1u);
  EXPECT_EQ(dns["items"][0]["fingerprint"], "f2");
  json of_beta = Get("/clusters?repo=" + std::to_string(beta), 200);
  ASSERT_EQ(of_beta["items"].size(), 1u);
  EXPECT_EQ(of_beta["items"][0]["fingerprint"], "f1");
}

TEST_P(ClusterApiTest, LimitAndCursorPageThroughEveryCluster) {
  const auto alpha = Repo("alpha");
  for (int i = 0; i < 5; ++i) FailRun(alpha, "fp" + std::to_string(i), kT0 + 100 * (i + 1));
  std::vector<std::string> seen;
  std::string target = "/clusters?limit=2";
  for (int i = 0; i < 6; ++i) {
    json page = Get(target, 200);
    EXPECT_LE(page["items"].size(), 2u);
    for (const json& c : page["items"]) seen.push_back(c["fingerprint"]);
    if (page["next_cursor"].is_null()) break;
    target = "/clusters?limit=2&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"fp4", "fp3", "fp2", "fp1", "fp0"}));
}

TEST_P(ClusterApiTest, BadFiltersAnswer400NamingTheFieldAndUnknownRepo404) {
  ExpectError("/clusters?category=gremlins", 400, "category");
  ExpectError("/clusters?repo=abc", 400, "repo");
  ExpectError("/clusters?repo=999", 404, "repo");
  ExpectError("/clusters?limit=0", 400, "limit");
  ExpectError("/clusters?limit=501", 400, "limit");
  ExpectError("/clusters?limit=x", 400, "limit");
  ExpectError("/clusters?cursor=nope", 400, "cursor");
}

TEST_P(ClusterApiTest, DetailListsItsRunsAndUnknownOrMalformedIdsAreRejected) {
  const auto alpha = Repo("alpha"), beta = Repo("beta");
  const auto r1 = FailRun(alpha, "f1", kT0 + 100);
  const auto r2 = FailRun(beta, "f1", kT0 + 200);
  json list = Get("/clusters", 200);
  ASSERT_EQ(list["items"].size(), 1u);
  const std::int64_t id = list["items"][0]["id"];
  json d = Get("/clusters/" + std::to_string(id), 200);
  EXPECT_EQ(d["id"], id);
  EXPECT_EQ(d["affected_runs"], 2);
  EXPECT_EQ(d["affected_repos"], 2);
  ASSERT_EQ(d["runs"].size(), 2u) << d.dump();
  EXPECT_EQ(d["runs"][0]["id"], r2);
  EXPECT_EQ(d["runs"][0]["repo_id"], beta);
  EXPECT_EQ(d["runs"][0]["repo_name"], "beta");
  EXPECT_EQ(d["runs"][0]["status"], "failed");
  EXPECT_EQ(d["runs"][0]["created_at"], FormatRfc3339(kT0 + 200));
  EXPECT_EQ(d["runs"][1]["id"], r1);

  ExpectError("/clusters/" + std::to_string(id + 100), 404, "id");
  ExpectError("/clusters/abc", 400, "id");
  ExpectError("/clusters/0", 400, "id");
}

INSTANTIATE_TEST_SUITE_P(Backends, ClusterApiTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sentinel::http
