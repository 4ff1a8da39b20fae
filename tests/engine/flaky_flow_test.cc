// Flaky tests on the real system, as `sentinel up` wires it (in process): the
// HTTP API over SQLite, the embedded queue, one worker with real git, real
// processes and triage, running the demo scenarios of the demo-python sample
// repository; then quarantine by signature on a repository whose test fails
// with the signature the test chooses.

#include <cstdlib>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/git/git_source_checkout.h"
#include "cli/api_runtime.h"
#include "cli/engine_runtime.h"
#include "cli/http_client.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

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

class FlakyFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.database_url = "sqlite://" + dir_.Sub("data/sentinel.db");
    settings_.data_dir = dir_.Sub("data");
    settings_.api_port = testing::FreePort();
    settings_.lease_seconds = 10;
    settings_.heartbeat_seconds = 1;
    settings_.workers = 1;
    auto queue = OpenQueue("embedded", SystemClock(), 10'000);
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

  std::int64_t AddRepo(const std::string& name, const std::string& source_dir) {
    auto git = adapters::git::NewGitSourceCheckout();
    auto sha = git->InitRepoFromDir(source_dir, dir_.Sub("repos/" + name), "seed");
    EXPECT_TRUE(sha) << sha.error().message;
    json repo = Call("POST", "/repos", json{{"name", name}, {"url", dir_.Sub("repos/" + name)}}.dump(), 201);
    return repo.value("id", std::int64_t{0});
  }

  // Runs one run to its end and returns it (GET /runs/{id}).
  json RunToEnd(const std::string& repo, const std::string& scenario) {
    json body = {{"repo", repo}};
    if (!scenario.empty()) body["scenario"] = scenario;
    json run = Call("POST", "/runs", body.dump(), 202);
    const std::string path = "/runs/" + std::to_string(run.value("id", std::int64_t{0}));
    json out;
    EXPECT_TRUE(WaitUntil(
        [&] {
          out = Call("GET", path, "", 200);
          const std::string s = out.value("status", "");
          return s != "queued" && s != "running";
        },
        120'000))
        << out.dump();
    return out;
  }

  json Test(const std::string& repo, const std::string& test_id) {
    json page = Call("GET", "/tests/flaky?limit=500&repo=" + repo, "", 200);
    for (const json& t : page["items"])
      if (t["test_id"] == test_id) return t;
    ADD_FAILURE() << test_id << " has no verdict: " << page.dump();
    return json::object();
  }

  ScratchDir dir_;
  Settings settings_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<ApiRuntime> api_;
  std::unique_ptr<EngineRuntime> engine_;
  std::string base_;
};

constexpr const char* kRestock = "pytest::tests.test_cart::test_parallel_restock_keeps_order";
constexpr const char* kTax = "pytest::tests.test_cart::test_total_rounds_tax";

TEST_F(FlakyFlowTest, DemoFlakyIsFlakyTestfailIsFailingAndDnsNeverFlaky) {
  AddRepo("demo-python", SourceDir() + "/sample_repos/demo-python");
  // demo flaky: six runs, the restock test fails on run ids % 3 == 1.
  int failed = 0;
  for (int i = 0; i < 6; ++i) failed += RunToEnd("demo-python", "flaky").value("status", "") == "failed";
  EXPECT_EQ(failed, 2);
  // demo dns (twice): the deps step fails on DNS; no test may become flaky from it.
  for (int i = 0; i < 2; ++i) EXPECT_EQ(RunToEnd("demo-python", "dns").value("status", ""), "failed");
  // demo testfail: three runs, the tax test fails on every one.
  json last;
  for (int i = 0; i < 3; ++i) last = RunToEnd("demo-python", "testfail");
  EXPECT_EQ(last.value("status", ""), "failed");

  const json restock = Test("demo-python", kRestock);
  EXPECT_EQ(restock["classification"], "flaky") << restock.dump();
  EXPECT_EQ(restock["failures"], 2);
  EXPECT_GE(restock["runs"].get<int>(), 9);
  const json tax = Test("demo-python", kTax);
  EXPECT_EQ(tax["classification"], "failing") << tax.dump();
  json detail = Call("GET", "/tests/" + restock["id"].dump(), "", 200);
  EXPECT_EQ(detail["evidence"]["both_outcomes_commits"].size(), 1u) << detail.dump();
  EXPECT_FALSE(detail["evidence"]["reason"].get<std::string>().empty());
  json tax_detail = Call("GET", "/tests/" + tax["id"].dump(), "", 200);
  EXPECT_EQ(tax_detail["evidence"]["streak"]["length"], 3);
  // Only the restock test is flaky: DNS failures made nothing flaky.
  json flaky = Call("GET", "/tests/flaky?classification=flaky", "", 200);
  ASSERT_EQ(flaky["items"].size(), 1u) << flaky.dump();
  // The testfail failure is a deterministic one: not marked flaky on its run.
  for (const json& f : last["failures"]) EXPECT_EQ(f["flaky"], false) << f.dump();
  for (const json& t : last["tests"]["failed_cases"]) EXPECT_EQ(t["flaky"], false) << t.dump();
}

TEST_F(FlakyFlowTest, QuarantinedFlakyFailureLeavesTheRunGreenANewFailureTurnsItRed) {
  // The test's outcome is read from a file outside the repository: pass, flake (one message) or new
  // (another message); the step exits 1 when the test fails, as a test runner does.
  const std::string mode = dir_.Sub("mode");
  const std::string src = dir_.Sub("src-q");
  ASSERT_TRUE(WriteFileAll(src + "/.sentinel.yml",
                           "steps:\n  - name: test\n    run: sh gen.sh\n    junit: report.xml\n"));
  ASSERT_TRUE(WriteFileAll(
      src + "/gen.sh",
      "m=$(cat " + mode + ")\n"
      "case $m in\n"
      "  flake) body='<failure message=\"AssertionError: restock order [b, a]\">trace</failure>' ;;\n"
      "  new) body='<failure message=\"KeyError: plum\">trace</failure>' ;;\n"
      "  *) body='' ;;\n"
      "esac\n"
      "printf '<testsuite name=\"q\" tests=\"2\"><testcase classname=\"q\" name=\"order\">%s</testcase>"
      "<testcase classname=\"q\" name=\"steady\"/></testsuite>' \"$body\" > report.xml\n"
      "[ -z \"$body\" ]\n"));
  AddRepo("q", src);
  auto run_as = [&](const std::string& m) {
    EXPECT_TRUE(WriteFileAll(mode, m));
    return RunToEnd("q", "");
  };
  // Flaky: fails, passes, passes, fails, passes (both outcomes on one commit).
  for (const char* m : {"flake", "pass", "pass", "flake", "pass", "pass"}) run_as(m);
  const json order = Test("q", "q::q::order");
  ASSERT_EQ(order["classification"], "flaky") << order.dump();
  json detail = Call("GET", "/tests/" + order["id"].dump(), "", 200);
  const std::string sig = detail["evidence"]["signatures"][0]["signature"];
  Call("POST", "/tests/" + order["id"].dump() + "/quarantine",
       json{{"signature", sig}, {"reason", "restock race, JIRA-12"}, {"who", "ana"}}.dump(), 201);

  // The quarantined flaky failure: the run is green, the failure recorded and flagged.
  json green = run_as("flake");
  EXPECT_EQ(green["status"], "succeeded") << green.dump();
  EXPECT_EQ(green["tests"]["quarantined"], 1) << green.dump();
  ASSERT_EQ(green["tests"]["failed_cases"].size(), 1u);
  EXPECT_EQ(green["tests"]["failed_cases"][0]["quarantined"], true);

  // A new failure (another signature) of the same test: red.
  json red = run_as("new");
  EXPECT_EQ(red["status"], "failed") << red.dump();
  EXPECT_EQ(red["tests"]["quarantined"], 0);
  ASSERT_EQ(red["tests"]["failed_cases"].size(), 1u);
  EXPECT_EQ(red["tests"]["failed_cases"][0]["flaky"], false);

  // Lifted: the flaky failure fails the run again.
  Call("DELETE", "/tests/" + order["id"].dump() + "/quarantine",
       json{{"signature", sig}, {"reason", "fixed", }, {"who", "bo"}}.dump(), 200);
  EXPECT_EQ(run_as("flake")["status"], "failed");
  json history = Call("GET", "/tests/" + order["id"].dump(), "", 200)["quarantine"]["history"];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["who"], "bo");
  EXPECT_EQ(history[1]["who"], "ana");
}

}  // namespace
}  // namespace sentinel::cli
