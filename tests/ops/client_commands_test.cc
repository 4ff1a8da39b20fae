// The client commands against a real running API (system.h: the HTTP server
// over SQLite in a temp dir, the embedded queue and one worker thread with real
// git and processes, as `sentinel up` wires them). The commands run through
// the real CLI11 parser in process, with their output captured.

#include "cli/client_commands.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/router.h"
#include "http/server.h"
#include "system.h"
#include "testing/servers.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;

struct CliResult {
  int code = -1;
  std::string out, err;
};

CliResult RunCli(const std::vector<std::string>& args, bool color = false) {
  CLI::App app{"sentinel"};
  int code = 0;
  std::ostringstream out, err;
  ClientIo io;
  io.out = &out;
  io.err = &err;
  io.color = color;
  io.poll_ms = 100;
  RegisterClientCommands(app, &code, io);
  std::vector<std::string> storage = {"sentinel"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(s.data());
  CliResult r;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    r.code = code;
  } catch (const CLI::ParseError& e) {
    r.code = e.get_exit_code() == 0 ? 0 : kExitUsage;
    err << e.what();
  }
  r.out = out.str();
  r.err = err.str();
  return r;
}

class ClientCommandsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    system_ = ops_testing::System::Start(&why).release();
    ASSERT_NE(system_, nullptr) << why;
    base_ = system_->base();
    system_->MakeRepo("green", "steps:\n  - name: hello\n    run: echo hello from green\n");
    system_->MakeRepo("red",
                      "steps:\n  - name: build\n    run: 'true'\n  - name: check\n    run: \"echo 'error: the answer "
                      "is wrong'; exit 3\"\n");
    system_->MakeRepo("chatty",
                      "steps:\n  - name: talk\n    run: \"for i in 1 2 3 4 5; do echo line $i; sleep 0.2; done\"\n");
  }
  static void TearDownTestSuite() {
    delete system_;
    system_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(system_, nullptr); }

  static inline ops_testing::System* system_ = nullptr;
  static inline std::string base_;
};

TEST_F(ClientCommandsTest, TriggerWaitExitsWithTheRunsOutcome) {
  CliResult green = RunCli({"trigger", "green", "--wait", "--timeout", "60", "--api", base_});
  EXPECT_EQ(green.code, kExitOk) << green.out << green.err;
  EXPECT_NE(green.out.find("succeeded"), std::string::npos) << green.out;
  EXPECT_NE(green.out.find("hello"), std::string::npos) << "the step table names the step: " << green.out;
  // Not a terminal: the progress is one line per change on stderr, ending with the final status.
  EXPECT_NE(green.err.find("(green): succeeded"), std::string::npos) << green.err;

  CliResult red = RunCli({"trigger", "red", "--wait", "--timeout", "60", "--api", base_});
  EXPECT_EQ(red.code, kExitRunFailed) << red.out << red.err;
  EXPECT_NE(red.out.find("failed"), std::string::npos);
  EXPECT_NE(red.out.find("failures"), std::string::npos) << "the triaged failure is shown: " << red.out;
  EXPECT_NE(red.out.find("the answer is wrong"), std::string::npos) << "with its evidence line: " << red.out;

  // --json: the run as the API gives it, on stdout alone.
  CliResult js = RunCli({"trigger", "green", "--wait", "--timeout", "60", "--json", "--api", base_});
  EXPECT_EQ(js.code, kExitOk) << js.err;
  json run = json::parse(js.out);
  EXPECT_EQ(run["status"], "succeeded");
  EXPECT_EQ(run["repo"], "green");
  EXPECT_EQ(run["steps"].size(), 1u);

  // Without --wait: queued, exit 0 at once, whatever the outcome will be.
  CliResult queued = RunCli({"trigger", "red", "--json", "--api", base_});
  EXPECT_EQ(queued.code, kExitOk) << queued.err;
  EXPECT_EQ(json::parse(queued.out)["status"], "queued");
}

TEST_F(ClientCommandsTest, ExitCodeForEveryRunOutcome) {
  EXPECT_EQ(ExitCodeForRun("succeeded"), kExitOk);
  EXPECT_EQ(ExitCodeForRun("failed"), kExitRunFailed);
  EXPECT_EQ(ExitCodeForRun("timed_out"), kExitRunTimedOut);
  EXPECT_EQ(ExitCodeForRun("errored"), kExitRunErrored);
  EXPECT_EQ(ExitCodeForRun("cancelled"), kExitRunCancelled);
}

TEST_F(ClientCommandsTest, RunsTableJsonAndFilters) {
  ASSERT_EQ(RunCli({"trigger", "green", "--wait", "--timeout", "60", "--api", base_}).code, kExitOk);
  ASSERT_EQ(RunCli({"trigger", "red", "--wait", "--timeout", "60", "--api", base_}).code, kExitRunFailed);

  CliResult table = RunCli({"runs", "--api", base_});
  ASSERT_EQ(table.code, kExitOk) << table.err;
  EXPECT_EQ(table.out.rfind("ID  ", 0), 0u) << table.out;
  for (const char* column : {"REPO", "STATUS", "COMMIT", "CATEGORY", "CREATED", "DURATION"})
    EXPECT_NE(table.out.find(column), std::string::npos) << column;
  EXPECT_NE(table.out.find("green"), std::string::npos);
  EXPECT_NE(table.out.find("red"), std::string::npos);
  EXPECT_EQ(table.out.find("\033["), std::string::npos) << "no colours when not asked for";

  CliResult js = RunCli({"runs", "--json", "--status", "failed", "--repo", "red", "--api", base_});
  ASSERT_EQ(js.code, kExitOk) << js.err;
  json page = json::parse(js.out);
  ASSERT_GE(page["items"].size(), 1u);
  for (const json& r : page["items"]) {
    EXPECT_EQ(r["status"], "failed");
    EXPECT_EQ(r["repo"], "red");
  }
  // The same filter as a table: only failed rows of red.
  CliResult failed = RunCli({"runs", "--status", "failed", "--repo", "red", "--api", base_});
  EXPECT_EQ(failed.out.find("succeeded"), std::string::npos) << failed.out;

  CliResult colored = RunCli({"runs", "--api", base_}, /*color=*/true);
  EXPECT_NE(colored.out.find("\033[32msucceeded\033[0m"), std::string::npos) << colored.out;
  EXPECT_NE(colored.out.find("\033[31mfailed\033[0m"), std::string::npos) << colored.out;

  const std::int64_t red_id = page["items"][0]["id"].get<std::int64_t>();
  CliResult detail = RunCli({"run", std::to_string(red_id), "--api", base_});
  ASSERT_EQ(detail.code, kExitOk) << detail.err;
  EXPECT_NE(detail.out.find("run " + std::to_string(red_id)), std::string::npos);
  EXPECT_NE(detail.out.find("check"), std::string::npos) << detail.out;
  EXPECT_NE(detail.out.find("L1"), std::string::npos) << "evidence with its line number: " << detail.out;
  CliResult detail_json = RunCli({"run", std::to_string(red_id), "--json", "--api", base_});
  EXPECT_EQ(json::parse(detail_json.out)["id"], red_id);

  CliResult clusters = RunCli({"clusters", "--api", base_});
  ASSERT_EQ(clusters.code, kExitOk) << clusters.err;
  EXPECT_NE(clusters.out.find("CATEGORY"), std::string::npos) << clusters.out;
  CliResult clusters_json = RunCli({"clusters", "--json", "--api", base_});
  EXPECT_GE(json::parse(clusters_json.out)["items"].size(), 1u);
}

TEST_F(ClientCommandsTest, LogsPrintsAndFollowsAStep) {
  CliResult queued = RunCli({"trigger", "chatty", "--json", "--api", base_});
  ASSERT_EQ(queued.code, kExitOk) << queued.err;
  const std::string id = std::to_string(json::parse(queued.out)["id"].get<std::int64_t>());
  // Following from the start (possibly before the step has begun) prints every line, then ends with the step.
  CliResult follow = RunCli({"logs", id, "0", "--follow", "--timeout", "60", "--api", base_});
  EXPECT_EQ(follow.code, kExitOk) << follow.err;
  EXPECT_EQ(follow.out, "line 1\nline 2\nline 3\nline 4\nline 5\n");
  CliResult once = RunCli({"logs", id, "0", "--api", base_});
  EXPECT_EQ(once.out, follow.out);
  CliResult missing = RunCli({"logs", id, "7", "--api", base_});
  EXPECT_EQ(missing.code, kExitApiError);
  EXPECT_NE(missing.err.find("the API answered 404"), std::string::npos) << missing.err;
}

TEST_F(ClientCommandsTest, ApiErrorsAreShownWithTheirMessage) {
  CliResult unknown_run = RunCli({"run", "987654", "--api", base_});
  EXPECT_EQ(unknown_run.code, kExitApiError);
  EXPECT_NE(unknown_run.err.find("the API answered 404"), std::string::npos) << unknown_run.err;
  EXPECT_NE(unknown_run.err.find("987654"), std::string::npos) << "the API's own message: " << unknown_run.err;

  CliResult unknown_repo = RunCli({"trigger", "no-such-repo", "--api", base_});
  EXPECT_EQ(unknown_repo.code, kExitApiError);
  EXPECT_NE(unknown_repo.err.find("no-such-repo"), std::string::npos) << unknown_repo.err;

  CliResult bad_status = RunCli({"runs", "--status", "sideways", "--api", base_});
  EXPECT_EQ(bad_status.code, kExitApiError);
  EXPECT_NE(bad_status.err.find("400"), std::string::npos) << bad_status.err;

  CliResult bad_id = RunCli({"run", "twelve", "--api", base_});
  EXPECT_EQ(bad_id.code, kExitUsage);
  EXPECT_NE(bad_id.err.find("must be a number"), std::string::npos);

  CliResult missing_arg = RunCli({"logs", "1", "--api", base_});
  EXPECT_EQ(missing_arg.code, kExitUsage);
}

TEST(ClientCommandsOfflineTest, UnreachableApiIsAClearErrorWithItsOwnExitCode) {
  const std::string api = "http://127.0.0.1:" + std::to_string(sentinel::testing::FreePort());
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"runs"}, {"run", "1"}, {"trigger", "x", "--wait"}, {"clusters"}, {"tests"}, {"incidents"}}) {
    std::vector<std::string> with_api = args;
    with_api.insert(with_api.end(), {"--api", api});
    CliResult r = RunCli(with_api);
    EXPECT_EQ(r.code, kExitUnreachable) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("cannot reach the Sentinel API at " + api), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  CliResult bad_url = RunCli({"runs", "--api", "ftp://example"});
  EXPECT_EQ(bad_url.code, kExitUsage);
  EXPECT_NE(bad_url.err.find("http://"), std::string::npos) << bad_url.err;
}

// A server with only /health: the endpoints other parts of the system add are missing.
TEST(ClientCommandsOfflineTest, AMissingEndpointIsNamed) {
  http::Router router;
  router.Add("GET", "/health", [](const http::HttpRequest&) {
    http::HttpResponse r;
    r.body = R"({"status":"ok"})";
    return r;
  });
  http::ServerOptions options;
  options.port = 0;
  auto server = http::HttpServer::Start(options, &router);
  ASSERT_TRUE(server) << server.error().message;
  const std::string api = "http://127.0.0.1:" + std::to_string((*server)->port());
  struct Case {
    std::vector<std::string> args;
    std::string endpoint;
  };
  for (const Case& c : std::vector<Case>{{{"incidents"}, "/incidents"},
                                         {{"incident", "3"}, "/incidents"},
                                         {{"incident", "3", "--status", "resolved"}, "/incidents"},
                                         {{"tests", "--flaky"}, "/tests"},
                                         {{"clusters"}, "/clusters"}}) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--api", api});
    CliResult r = RunCli(args);
    EXPECT_EQ(r.code, kExitApiError) << c.args[0];
    EXPECT_NE(r.err.find("this API (" + api + ") has no " + c.endpoint + " endpoint"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace sentinel::cli
