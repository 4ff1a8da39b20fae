// The API and the engine together, as `sentinel up` wires them (in process):
// the real HTTP server over SQLite, the embedded queue, one worker thread with
// real git and processes, and the reconciler. Submits runs over HTTP, tails a
// running step's log with ?offset=, cancels a running run, retries a finished
// one, and reads the queue and workers in /health.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/git/git_source_checkout.h"
#include "cli/api_runtime.h"
#include "cli/engine_runtime.h"
#include "cli/http_client.h"
#include "testing/wait.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;
using testing::ScratchDir;
using testing::WaitUntil;
using testing::WriteFileAll;

class ApiFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.database_url = "sqlite://" + dir_.Sub("data/sentinel.db");
    settings_.data_dir = dir_.Sub("data");
    settings_.api_port = testing::FreePort();
    settings_.lease_seconds = 3;
    settings_.heartbeat_seconds = 1;
    settings_.workers = 1;
    auto queue = OpenQueue("embedded", SystemClock(), 3'000);
    ASSERT_TRUE(queue);
    queue_ = std::move(*queue);
    ApiHooks hooks;
    JobQueue* q = queue_.get();
    hooks.queue_health = [q] { return q->Ping(); };
    hooks.workers = [this] { return engine_ ? engine_->workers() : 0; };
    hooks.dispatch = [q](const sentinel::Run& run) { return q->Enqueue(Job{run.id, SystemClock().Now(), {}}); };
    auto api = ApiRuntime::Start(settings_, hooks);
    ASSERT_TRUE(api) << api.error().message;
    api_ = std::move(*api);
    EngineOptions o = EngineOptionsFrom(settings_);
    o.triage = false;
    auto engine = EngineRuntime::Start(api_->db(), *queue_, o);
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(*engine);
    base_ = "http://127.0.0.1:" + std::to_string(api_->port());
  }

  void TearDown() override {
    if (engine_) engine_->Stop(2'000);
    engine_.reset();
    if (api_) api_->Stop();
  }

  json Call(const std::string& method, const std::string& path, const std::string& body, int want_status) {
    auto r = HttpRequest(base_, method, path, body);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return json();
    EXPECT_EQ(r->status, want_status) << method << " " << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  // The body of a 200 answer; "<status>" otherwise (a queued run has no steps yet: 404).
  std::string Log(std::int64_t id, int step, std::int64_t offset) {
    auto r = HttpRequest(base_, "GET",
                         "/runs/" + std::to_string(id) + "/steps/" + std::to_string(step) + "/log?offset=" +
                             std::to_string(offset));
    EXPECT_TRUE(r);
    if (!r) return "";
    return r->status == 200 ? r->body : "<" + std::to_string(r->status) + ">";
  }

  std::string Status(std::int64_t id) {
    json j = Call("GET", "/runs/" + std::to_string(id), "", 200);
    return j.is_object() ? j.value("status", "") : "";
  }

  std::int64_t MakeRepo(const std::string& name, const std::string& pipeline) {
    auto git = adapters::git::NewGitSourceCheckout();
    EXPECT_TRUE(WriteFileAll(dir_.Sub("src-" + name + "/.sentinel.yml"), pipeline));
    auto sha = git->InitRepoFromDir(dir_.Sub("src-" + name), dir_.Sub("repos/" + name), "seed");
    EXPECT_TRUE(sha) << sha.error().message;
    json repo = Call("POST", "/repos", json{{"name", name}, {"url", dir_.Sub("repos/" + name)}}.dump(), 201);
    return repo.value("id", std::int64_t{0});
  }

  std::int64_t Submit(const std::string& repo) {
    json run = Call("POST", "/runs", json{{"repo", repo}}.dump(), 202);
    return run.value("id", std::int64_t{0});
  }

  ScratchDir dir_;
  Settings settings_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<ApiRuntime> api_;
  std::unique_ptr<EngineRuntime> engine_;
  std::string base_;
};

TEST_F(ApiFlowTest, LogIsTailedLiveThenRetriedAndCancelledOverHttp) {
  const std::string gate = dir_.Sub("gate");
  MakeRepo("tail", "steps:\n  - name: talk\n    run: \"echo first; while [ ! -f " + gate +
                       " ]; do sleep 0.1; done; echo second\"\n");
  const auto id = Submit("tail");
  // While the step runs, the log so far is served; the rest comes from the next offset.
  ASSERT_TRUE(WaitUntil([&] { return Log(id, 0, 0) == "first\n"; }, 30'000)) << Log(id, 0, 0);
  EXPECT_EQ(Status(id), "running");
  ASSERT_TRUE(WriteFileAll(gate, "go"));
  ASSERT_TRUE(WaitUntil([&] { return Status(id) == "succeeded"; }, 30'000));
  EXPECT_EQ(Log(id, 0, 6), "second\n");
  EXPECT_EQ(Log(id, 0, 0), "first\nsecond\n");
  Call("GET", "/runs/" + std::to_string(id) + "/steps/1/log", "", 404);
  Call("GET", "/runs/9999/steps/0/log", "", 404);
  Call("GET", "/runs/" + std::to_string(id) + "/steps/0/log?offset=-3", "", 400);

  // Finished: cancel is refused, retry makes a new run that runs.
  Call("POST", "/runs/" + std::to_string(id) + "/cancel", "", 422);
  json again = Call("POST", "/runs/" + std::to_string(id) + "/retry", "", 202);
  const std::int64_t retry_id = again.value("id", std::int64_t{0});
  EXPECT_NE(retry_id, id);
  EXPECT_EQ(again.value("status", ""), "queued");
  ASSERT_TRUE(WaitUntil([&] { return Status(retry_id) == "succeeded"; }, 30'000));
  Call("POST", "/runs/9999/retry", "", 404);

  json health = Call("GET", "/health", "", 200);
  EXPECT_EQ(health.value("queue", ""), "ok");
  EXPECT_EQ(health.value("workers", -1), 1);
  EXPECT_EQ(health.value("stale_writes", -1), 0);
}

TEST_F(ApiFlowTest, CancelOfARunningRunOverHttp) {
  MakeRepo("long", "steps:\n  - name: wait\n    run: sleep 60\n  - name: never\n    run: 'true'\n");
  const auto id = Submit("long");
  ASSERT_TRUE(WaitUntil([&] { return Status(id) == "running"; }, 30'000));
  json c = Call("POST", "/runs/" + std::to_string(id) + "/cancel", "", 202);
  EXPECT_EQ(c.value("status", ""), "running");  // requested; the worker stops it at its next heartbeat
  ASSERT_TRUE(WaitUntil([&] { return Status(id) == "cancelled"; }, 30'000));
  json run = Call("GET", "/runs/" + std::to_string(id), "", 200);
  ASSERT_EQ(run["steps"].size(), 2u);
  EXPECT_EQ(run["steps"][1]["status"], "skipped");
  // A queued run is cancelled at once.
  const auto second = Submit("long");
  const auto third = Submit("long");
  json q = Call("POST", "/runs/" + std::to_string(third) + "/cancel", "", 202);
  if (q.value("status", "") != "cancelled") {
    // The worker took it first: then it is running and stops at its next heartbeat.
    ASSERT_TRUE(WaitUntil([&] { return Status(third) == "cancelled"; }, 30'000));
  }
  Call("POST", "/runs/" + std::to_string(second) + "/cancel", "", 202);
  ASSERT_TRUE(WaitUntil([&] { return Status(second) == "cancelled"; }, 30'000));
}

}  // namespace
}  // namespace sentinel::cli
