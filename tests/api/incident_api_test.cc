// The incident routes over real loopback HTTP, against the real stores on
// SQLite and PostgreSQL: GET /incidents (filters, paging), GET/PATCH
// /incidents/{id}, the postmortem, silences, GET /overview, and the cluster
// routes' incident. Runs are written as the worker writes them (Finish) and
// evaluated by the store with the real rules.
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_cluster_store.h"
#include "adapters/sqlstore/sql_execution_store.h"
#include "adapters/sqlstore/sql_incident_store.h"
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

class IncidentApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "postgres") {
      std::string why;
      auto* pg = sentinel::testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      url = pg->CreateTestDatabase();
    } else {
      url = "sqlite://" + dir_.Sub("api.db");
    }
    auto db = cli::OpenDatabase(url);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    t0_ = SystemClock().Now() - 3600'000;
    ASSERT_TRUE(sqlstore::Migrate(*db_, t0_));
    repos_ = std::make_unique<sqlstore::SqlRepoStore>(*db_);
    runs_ = std::make_unique<sqlstore::SqlRunStore>(*db_);
    exec_ = std::make_unique<sqlstore::SqlExecutionStore>(*db_);
    clusters_ = std::make_unique<sqlstore::SqlClusterStore>(*db_);
    incidents_ = std::make_unique<sqlstore::SqlIncidentStore>(*db_);
    overview_ = std::make_unique<sqlstore::SqlOverviewStore>(*db_);
    ApiContext ctx;
    ctx.repos = repos_.get();
    ctx.runs = runs_.get();
    ctx.clock = &SystemClock();
    ctx.health.db = db_.get();
    ctx.clusters = clusters_.get();
    ctx.incidents = incidents_.get();
    ctx.overview = overview_.get();
    AddApiRoutes(router_, ctx);
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    auto server = HttpServer::Start(options, &router_);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
    auto a = repos_->Create("alpha", "/srv/alpha", t0_);
    ASSERT_TRUE(a);
    alpha_ = a->id;
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  // A finished run (failed with one failure of `fingerprint`, or succeeded when empty), evaluated.
  std::int64_t Run(const std::string& fingerprint, EpochMs at) {
    auto run = runs_->Create(sentinel::NewRun{alpha_, "", "testfail"}, at);
    EXPECT_TRUE(run);
    auto claim = exec_->Claim(run->id, "w1", 60'000, at + 1);
    EXPECT_TRUE(claim);
    Fence f{run->id, claim->run.attempt, "w1"};
    EXPECT_TRUE(exec_->SetCommit(f, fingerprint.empty() ? "goodc0mmit" : "badc0mmit", at + 1));
    std::vector<Failure> failures;
    RunOutcome outcome{RunStatus::kSucceeded, FailureCategory::kUnknown, "", ""};
    if (!fingerprint.empty()) {
      Failure x;
      x.category = FailureCategory::kTestFailure;
      x.signature = "sig." + fingerprint;
      x.fingerprint = fingerprint;
      x.cluster_template = "E assert <NUM> == <NUM>";
      x.title = "failure " + fingerprint;
      x.confidence = 0.8;
      x.remediation = {"fix it"};
      failures.push_back(x);
      outcome = {RunStatus::kFailed, FailureCategory::kTestFailure, "", ""};
    }
    EXPECT_TRUE(exec_->Finish(f, outcome, failures, at + 2));
    const incidents::Thresholds t;
    auto r = incidents_->EvaluateRun(
        run->id, t, [&](const incidents::Context& c) { return incidents::Evaluate(c, t, at + 3); }, at + 3);
    EXPECT_TRUE(r) << r.error().message;
    return run->id;
  }

  std::int64_t OpenIncident() {
    Run("", t0_);
    for (int i = 1; i <= 3; ++i) Run("f1", t0_ + i * 1000);
    json page = Get("/incidents", 200);
    EXPECT_EQ(page["items"].size(), 1u) << page.dump();
    return page["items"].empty() ? 0 : page["items"][0]["id"].get<std::int64_t>();
  }

  json Call(const std::string& method, const std::string& target, const std::string& body, int want_status) {
    auto r = HttpCall(server_->port(), method, target, body);
    EXPECT_EQ(r.status, want_status) << method << " " << target << ": " << r.body << r.error;
    if (r.body.empty()) return json();
    return json::parse(r.body, nullptr, false);
  }
  json Get(const std::string& target, int want_status) { return Call("GET", target, "", want_status); }
  void ExpectError(const std::string& method, const std::string& target, const std::string& body, int status,
                   const std::string& field) {
    json j = Call(method, target, body, status);
    ASSERT_TRUE(j.contains("error")) << j.dump();
    if (!field.empty()) {
      EXPECT_EQ(j["error"].value("field", ""), field) << j.dump();
    }
  }

  sentinel::testing::ScratchDir dir_;
  EpochMs t0_ = 0;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlRepoStore> repos_;
  std::unique_ptr<sqlstore::SqlRunStore> runs_;
  std::unique_ptr<sqlstore::SqlExecutionStore> exec_;
  std::unique_ptr<sqlstore::SqlClusterStore> clusters_;
  std::unique_ptr<sqlstore::SqlIncidentStore> incidents_;
  std::unique_ptr<sqlstore::SqlOverviewStore> overview_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::int64_t alpha_ = 0;
};

TEST_P(IncidentApiTest, ListAndDetailHaveTheContractFields) {
  const std::int64_t id = OpenIncident();
  json page = Get("/incidents", 200);
  EXPECT_TRUE(page["next_cursor"].is_null());
  const json& i = page["items"][0];
  for (const char* field : {"id", "key", "title", "status", "severity", "cluster_id", "repo_id", "opened_at", "resolved_at"})
    EXPECT_TRUE(i.contains(field)) << field;
  EXPECT_EQ(i["status"], "open");
  EXPECT_EQ(i["severity"], "minor");
  EXPECT_EQ(i["repo_id"], alpha_);
  EXPECT_TRUE(i["resolved_at"].is_null());
  EXPECT_EQ(Get("/incidents?status=open&severity=minor&repo=alpha", 200)["items"].size(), 1u);
  EXPECT_EQ(Get("/incidents?status=resolved", 200)["items"].size(), 0u);
  EXPECT_EQ(Get("/incidents?repo=" + std::to_string(alpha_), 200)["items"].size(), 1u);
  ExpectError("GET", "/incidents?status=closed", "", 400, "status");
  ExpectError("GET", "/incidents?severity=huge", "", 400, "severity");
  ExpectError("GET", "/incidents?repo=nosuch", "", 404, "repo");
  ExpectError("GET", "/incidents?limit=0", "", 400, "limit");

  json d = Get("/incidents/" + std::to_string(id), 200);
  ASSERT_FALSE(d["timeline"].empty());
  for (const json& e : d["timeline"]) {
    for (const char* field : {"at", "kind", "message", "run_id"}) EXPECT_TRUE(e.contains(field)) << field;
  }
  EXPECT_EQ(d["timeline"][0]["kind"], "occurrence");
  EXPECT_EQ(d["related_runs"].size(), 3u);
  EXPECT_EQ(d["impact"]["runs"], 3);
  EXPECT_TRUE(d["impact"].contains("first_failure"));
  EXPECT_TRUE(d["impact"].contains("duration_ms"));
  EXPECT_EQ(d["suspected_root_cause"]["signature"], "sig.f1");
  EXPECT_DOUBLE_EQ(d["suspected_root_cause"]["confidence"].get<double>(), 0.8);
  EXPECT_EQ(d["suspect_commits"]["last_good"]["commit"], "goodc0mmit");
  EXPECT_EQ(d["suspect_commits"]["first_bad"]["commit"], "badc0mmit");
  EXPECT_FALSE(d["status_history"].empty());
  ExpectError("GET", "/incidents/99999", "", 404, "id");
  ExpectError("GET", "/incidents/abc", "", 400, "id");

  json cluster = Get("/clusters/" + d["cluster_id"].dump(), 200);
  EXPECT_EQ(cluster["incident"]["id"], id);
  EXPECT_EQ(cluster["incident"]["status"], "open");
  json clusters = Get("/clusters", 200);
  EXPECT_EQ(clusters["items"][0]["incident"]["id"], id);
}

TEST_P(IncidentApiTest, PatchMovesThroughTheLifecycleAnd422NamesTheState) {
  const std::int64_t id = OpenIncident();
  const std::string path = "/incidents/" + std::to_string(id);
  json m = Call("PATCH", path, json{{"status", "mitigating"}, {"note", "rolled back the bump"}}.dump(), 200);
  EXPECT_EQ(m["status"], "mitigating");
  json r = Call("PATCH", path, json{{"status", "resolved"}, {"note", "fixed"}}.dump(), 200);
  EXPECT_EQ(r["status"], "resolved");
  EXPECT_FALSE(r["resolved_at"].is_null());
  bool note_seen = false;
  for (const json& e : r["timeline"]) note_seen = note_seen || e["message"].get<std::string>().find("rolled back") != std::string::npos;
  EXPECT_TRUE(note_seen);
  json bad = Call("PATCH", path, json{{"status", "mitigating"}}.dump(), 422);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("resolved"), std::string::npos) << bad.dump();
  ExpectError("PATCH", path, json{{"status", "closed"}}.dump(), 400, "status");
  ExpectError("PATCH", path, json{{"note", "x"}}.dump(), 400, "status");
  ExpectError("PATCH", path, "not json", 400, "body");
  ExpectError("PATCH", "/incidents/99999", json{{"status", "open"}}.dump(), 404, "id");
  json reopened = Call("PATCH", path, json{{"status", "open"}}.dump(), 200);
  EXPECT_EQ(reopened["status"], "open");

  auto md = HttpCall(server_->port(), "GET", path + "/postmortem");
  EXPECT_EQ(md.status, 200);
  for (const char* section : {"## Summary", "## Impact", "## Timeline", "## Root cause", "## Suspect commits",
                              "## Remediation", "## Follow-ups", "goodc0mmi", "fix it"})
    EXPECT_NE(md.body.find(section), std::string::npos) << section << "\n" << md.body;
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/incidents/99999/postmortem").status, 404);
}

TEST_P(IncidentApiTest, SilencesAreCreatedListedAndDeleted) {
  // It starts before the runs below are evaluated (they are evaluated at their own times, an hour ago).
  json s = Call("POST", "/silences",
                json{{"repo", "alpha"}, {"reason", "planned outage"}, {"duration", "2h"}, {"starts_at", FormatRfc3339(t0_)}}
                    .dump(),
                201);
  EXPECT_EQ(s["repo_id"], alpha_);
  EXPECT_EQ(s["active"], true);
  EXPECT_EQ(s["matches"], 0);
  ExpectError("POST", "/silences", json{{"reason", "x"}}.dump(), 400, "repo");
  ExpectError("POST", "/silences", json{{"repo", "alpha"}}.dump(), 400, "reason");
  ExpectError("POST", "/silences", json{{"repo", "alpha"}, {"reason", "x"}, {"duration", "soon"}}.dump(), 400, "duration");
  ExpectError("POST", "/silences", json{{"repo", "nosuch"}, {"reason", "x"}}.dump(), 404, "repo");
  ExpectError("POST", "/silences", json{{"cluster_id", 4242}, {"reason", "x"}}.dump(), 404, "cluster_id");
  // A silenced repository: the rule's match is recorded, no incident opens.
  for (int i = 1; i <= 3; ++i) Run("f9", t0_ + i * 1000);
  EXPECT_EQ(Get("/incidents", 200)["items"].size(), 0u);
  json list = Get("/silences?active=true", 200);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["matches"], 1);
  Call("DELETE", "/silences/" + s["id"].dump(), "", 204);
  ExpectError("DELETE", "/silences/" + s["id"].dump(), "", 404, "id");
  EXPECT_EQ(Get("/silences", 200)["items"].size(), 0u);
}

TEST_P(IncidentApiTest, OverviewHasTheDashboardFigures) {
  OpenIncident();
  json o = Get("/overview", 200);
  EXPECT_EQ(o["runs_by_status"]["succeeded"], 1);
  EXPECT_EQ(o["runs_by_status"]["failed"], 3);
  EXPECT_DOUBLE_EQ(o["success_rate"].get<double>(), 0.25);
  EXPECT_FALSE(o["daily_trend"].empty());
  EXPECT_TRUE(o.contains("mttr_ms"));
  EXPECT_EQ(o["queue_depth"], 0);
  EXPECT_TRUE(o["workers"].contains("busy"));
  EXPECT_EQ(o["open_incidents"]["total"], 1);
  EXPECT_EQ(o["open_incidents"]["by_severity"]["minor"], 1);
  EXPECT_EQ(o["flaky_tests"], 0);
  EXPECT_EQ(o["top_clusters"].size(), 1u);
  EXPECT_DOUBLE_EQ(o["failures"]["explained_share"].get<double>(), 1.0);
  ExpectError("GET", "/overview?days=0", "", 400, "days");
  ExpectError("GET", "/overview?days=x", "", 400, "days");
}

INSTANTIATE_TEST_SUITE_P(Stores, IncidentApiTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace sentinel::http
