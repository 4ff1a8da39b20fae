// Incidents on the real system, on SQLite and PostgreSQL: the API and the
// engine wired as `sentinel up` wires them (in process: HTTP server, embedded
// queue, one worker thread with real git, real processes and the built-in
// triage, the reconciler), the sample repositories seeded, the demo scenarios
// submitted over HTTP. Repeated testfail opens exactly one incident whose
// timeline lists every failing run and whose suspect range names the commits;
// successes move it to mitigating then resolved; a recurrence reopens it; dns
// failures in two repositories open one infrastructure incident and no
// per-cluster one. And two `sentinel worker` processes (PostgreSQL + Redis)
// finishing runs of one cluster at once still make one incident.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/git/git_source_checkout.h"
#include "adapters/postgres/postgres_db.h"
#include "adapters/redis/redis_job_queue.h"
#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_incident_store.h"
#include "adapters/sqlstore/sql_repo_store.h"
#include "adapters/sqlstore/sql_run_store.h"
#include "cli/api_runtime.h"
#include "cli/engine_runtime.h"
#include "cli/http_client.h"
#include "cli/seeding.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

extern char** environ;

namespace sentinel::cli {
namespace {

using nlohmann::json;
using testing::ScratchDir;
using testing::WaitUntil;
using testing::WriteFileAll;

std::string SourceDir() {
  const char* dir = std::getenv("SENTINEL_SOURCE_DIR");
  return dir != nullptr && *dir ? dir : ".";
}

class IncidentFlowTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      std::string why;
      auto* pg = testing::SharedPostgres(&why);
      SENTINEL_REQUIRE_SERVER(pg, why);
      settings_.database_url = pg->CreateTestDatabase();
    } else {
      settings_.database_url = "sqlite://" + dir_.Sub("data/sentinel.db");
    }
    settings_.data_dir = dir_.Sub("data");
    settings_.api_port = testing::FreePort();
    settings_.workers = 1;
    settings_.incident_resolve_after = 2;
    auto queue = OpenQueue("embedded", SystemClock(), 30'000);
    ASSERT_TRUE(queue);
    queue_ = std::move(*queue);
    ApiHooks hooks;
    JobQueue* q = queue_.get();
    hooks.queue_health = [q] { return q->Ping(); };
    hooks.dispatch = [q](const sentinel::Run& run) { return q->Enqueue(Job{run.id, SystemClock().Now(), {}}); };
    auto api = ApiRuntime::Start(settings_, hooks);
    ASSERT_TRUE(api) << api.error().message;
    api_ = std::move(*api);
    std::ostringstream out;
    ASSERT_TRUE(SeedAll(api_->db(), settings_.data_dir, SourceDir() + "/sample_repos", false, out)) << out.str();
    auto engine = EngineRuntime::Start(api_->db(), *queue_, EngineOptionsFrom(settings_));
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(*engine);
    base_ = "http://127.0.0.1:" + std::to_string(api_->port());
  }

  void TearDown() override {
    if (engine_) engine_->Stop(2'000);
    engine_.reset();
    if (api_) api_->Stop();
  }

  json Get(const std::string& path) {
    auto r = HttpRequest(base_, "GET", path);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return json();
    EXPECT_EQ(r->status, 200) << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  // Submits a scenario run and waits until it finished and its incident evaluation is done.
  json RunScenario(const std::string& repo, const std::string& scenario) {
    auto r = HttpRequest(base_, "POST", "/runs", json{{"repo", repo}, {"scenario", scenario}}.dump());
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : r.error().message);
    if (!r) return json();
    const std::int64_t id = json::parse(r->body).value("id", std::int64_t{0});
    json run;
    EXPECT_TRUE(WaitUntil(
        [&] {
          run = Get("/runs/" + std::to_string(id));
          const std::string s = run.value("status", "");
          return s != "queued" && s != "running";
        },
        120'000))
        << "run " << id << " did not finish";
    sqlstore::SqlIncidentStore store(api_->db());
    EXPECT_TRUE(WaitUntil(
        [&] {
          auto pending = store.PendingRuns(1000);
          return pending && std::find(pending->begin(), pending->end(), id) == pending->end();
        },
        30'000))
        << "run " << id << " was never evaluated";
    return run;
  }

  json Incidents(const std::string& query = "") { return Get("/incidents?limit=100" + query)["items"]; }

  // A tiny repository whose one step fails like a pytest assertion when the run's scenario is
  // testfail (fast and deterministic even on a loaded machine, unlike the sample projects' steps).
  void MakeCalcRepo() {
    auto git = adapters::git::NewGitSourceCheckout();
    ASSERT_TRUE(WriteFileAll(dir_.Sub("src-calc/.sentinel.yml"),
                             "steps:\n  - name: test\n    run: \"if [ \\\"$SENTINEL_SCENARIO\\\" = testfail ]; then "
                             "echo 'E       assert 589 == 590'; echo 'FAILED tests/test_calc.py::test_total - assert 589 "
                             "== 590'; echo '1 failed, 4 passed'; exit 1; fi; echo '5 passed'\"\n"));
    auto sha = git->InitRepoFromDir(dir_.Sub("src-calc"), dir_.Sub("repos-calc"), "seed");
    ASSERT_TRUE(sha) << sha.error().message;
    auto r = HttpRequest(base_, "POST", "/repos", json{{"name", "calc"}, {"url", dir_.Sub("repos-calc")}}.dump());
    ASSERT_TRUE(r && r->status == 201) << (r ? r->body : r.error().message);
  }

  ScratchDir dir_;
  Settings settings_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<ApiRuntime> api_;
  std::unique_ptr<EngineRuntime> engine_;
  std::string base_;
};

TEST_P(IncidentFlowTest, RepeatedTestfailIsOneIncidentThatMitigatesResolvesAndReopens) {
  MakeCalcRepo();
  json good = RunScenario("calc", "success");
  ASSERT_EQ(good.value("status", ""), "succeeded");
  std::vector<json> failed;
  for (int i = 0; i < 4; ++i) {
    failed.push_back(RunScenario("calc", "testfail"));
    ASSERT_EQ(failed.back().value("status", ""), "failed");
    EXPECT_EQ(Incidents().size(), i < 2 ? 0u : 1u) << "after testfail run " << i + 1;
  }
  json list = Incidents();
  ASSERT_EQ(list.size(), 1u);
  const std::int64_t id = list[0]["id"];
  EXPECT_EQ(list[0]["status"], "open");
  EXPECT_EQ(list[0]["rule"], "cluster_recurrence");
  EXPECT_EQ(list[0]["runs"], 4);
  EXPECT_FALSE(list[0]["cluster_id"].is_null());

  json d = Get("/incidents/" + std::to_string(id));
  std::set<std::int64_t> in_timeline;
  for (const json& e : d["timeline"])
    if (e["kind"] == "occurrence" && e["run_id"].is_number()) in_timeline.insert(e["run_id"].get<std::int64_t>());
  for (const json& run : failed) EXPECT_TRUE(in_timeline.count(run["id"].get<std::int64_t>())) << run["id"];
  EXPECT_EQ(d["suspect_commits"]["first_bad"]["run_id"], failed[0]["id"]);
  EXPECT_EQ(d["suspect_commits"]["first_bad"]["commit"], failed[0]["commit"]);
  EXPECT_EQ(d["suspect_commits"]["last_good"]["run_id"], good["id"]);
  EXPECT_EQ(d["suspect_commits"]["last_good"]["commit"], good["commit"]);
  EXPECT_EQ(d["impact"]["runs"], 4);
  EXPECT_EQ(d["suspected_root_cause"]["category"], failed[0]["failures"][0]["category"]);
  json cluster = Get("/clusters/" + std::to_string(list[0]["cluster_id"].get<std::int64_t>()));
  EXPECT_EQ(cluster["incident"]["id"], id);

  // Clean runs: mitigating, then resolved (incidents.resolve_after = 2).
  std::vector<std::string> statuses;
  for (int i = 0; i < 3; ++i) {
    RunScenario("calc", "success");
    statuses.push_back(Get("/incidents/" + std::to_string(id))["status"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"open", "mitigating", "resolved"}));

  // A recurrence within the reopen window reopens the same incident.
  RunScenario("calc", "testfail");
  list = Incidents();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], id);
  EXPECT_EQ(list[0]["status"], "open");
  auto md = HttpRequest(base_, "GET", "/incidents/" + std::to_string(id) + "/postmortem");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->status, 200);
  EXPECT_NE(md->body.find("## Suspect commits"), std::string::npos);
}

TEST_P(IncidentFlowTest, DnsFailuresInTwoRepositoriesOpenOneInfrastructureIncident) {
  json a = RunScenario("demo-python", "dns");
  json b = RunScenario("demo-node", "dns");
  ASSERT_EQ(a.value("status", ""), "failed");
  ASSERT_EQ(b.value("status", ""), "failed");
  ASSERT_EQ(a["failures"][0]["category"], "network_dns");
  RunScenario("demo-python", "dns");
  RunScenario("demo-node", "dns");
  json list = Incidents();
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["rule"], "infrastructure");
  EXPECT_EQ(list[0]["category"], "network_dns");
  EXPECT_EQ(list[0]["runs"], 4);
  json d = Get("/incidents/" + list[0]["id"].dump());
  EXPECT_EQ(d["impact"]["repos"], 2);
  json overview = Get("/overview");
  EXPECT_EQ(overview["open_incidents"]["total"], 1);
  EXPECT_EQ(overview["runs_by_status"]["failed"], 4);
}

INSTANTIATE_TEST_SUITE_P(Stores, IncidentFlowTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

// Two `sentinel worker` processes over PostgreSQL + Redis, finishing runs of one cluster at once.
TEST(IncidentWorkerProcessesTest, TwoWorkerProcessesFinishingOneClusterMakeOneIncident) {
  const char* bin = std::getenv("SENTINEL_BIN");
  if (bin == nullptr || *bin == '\0') GTEST_SKIP() << "SENTINEL_BIN is not set (ctest sets it)";
  std::string why;
  auto* pg = testing::SharedPostgres(&why);
  SENTINEL_REQUIRE_SERVER(pg, why);
  auto* redis = testing::SharedRedis(&why);
  SENTINEL_REQUIRE_SERVER(redis, why);
  ScratchDir dir;
  const std::string db_url = pg->CreateTestDatabase();
  const std::string redis_url = redis->Url(13);
  auto db = adapters::PostgresDb::Create(db_url);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(sqlstore::ApplyMigrations(**db, SystemClock().Now()));
  sqlstore::SqlRepoStore repos(**db);
  sqlstore::SqlRunStore runs(**db);
  sqlstore::SqlIncidentStore incidents(**db);
  adapters::redis::RedisQueueOptions qo;
  qo.url = redis_url;
  auto queue = adapters::redis::OpenRedisJobQueue(SystemClock(), qo);
  ASSERT_TRUE(queue) << queue.error().message;

  auto git = adapters::git::NewGitSourceCheckout();
  ASSERT_TRUE(WriteFileAll(dir.Sub("src/.sentinel.yml"),
                           "steps:\n  - name: test\n    run: \"sleep 0.3; echo 'AssertionError: expected 589 to equal "
                           "590'; exit 1\"\n"));
  auto sha = git->InitRepoFromDir(dir.Sub("src"), dir.Sub("repos/same"), "seed");
  ASSERT_TRUE(sha) << sha.error().message;
  auto repo = repos.Create("same", dir.Sub("repos/same"), SystemClock().Now());
  ASSERT_TRUE(repo);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 8; ++i) {
    auto run = runs.Create(NewRun{repo->id, "", ""}, SystemClock().Now());
    ASSERT_TRUE(run);
    ASSERT_TRUE((*queue)->Enqueue(Job{run->id, SystemClock().Now(), {}}));
    ids.push_back(run->id);
  }

  std::vector<pid_t> pids;
  for (int w = 0; w < 2; ++w) {
    std::vector<std::string> args = {bin, "worker", "--concurrency", "2", "--id-prefix", "w" + std::to_string(w)};
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      if (kv.rfind("SENTINEL_", 0) == 0) continue;
      env.push_back(kv);
    }
    env.push_back("SENTINEL_DATABASE_URL=" + db_url);
    env.push_back("SENTINEL_QUEUE_URL=" + redis_url);
    env.push_back("SENTINEL_DATA_DIR=" + dir.Sub("data"));
    const std::string log = dir.Sub("worker" + std::to_string(w) + ".log");
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::fflush(stdout);
    pid_t pid = ::fork();
    if (pid == 0) {
      FILE* f = std::freopen(log.c_str(), "a", stdout);
      if (f != nullptr) ::dup2(::fileno(stdout), 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    pids.push_back(pid);
  }
  const bool all_done = WaitUntil(
      [&] {
        for (auto id : ids) {
          auto r = runs.Get(id);
          if (!r || !IsTerminal(r->status)) return false;
        }
        auto pending = incidents.PendingRuns(100);
        return pending && pending->empty();
      },
      180'000);
  for (pid_t pid : pids) {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
  ASSERT_TRUE(all_done) << testing::ReadFileOrEmpty(dir.Sub("worker0.log"));
  IncidentFilter f;
  auto list = incidents.List(f);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].runs, 8);  // every run landed on the one incident
  std::set<std::string> workers;
  for (auto id : ids) workers.insert(runs.Get(id)->worker.substr(0, 2));
  EXPECT_EQ(workers.size(), 2u) << "both processes finished runs";
}

}  // namespace
}  // namespace sentinel::cli
