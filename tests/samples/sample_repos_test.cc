// The sample repositories, for real: each is seeded into a git repository
// (InitRepoFromDir), checked out into a fresh workspace, its .sentinel.yml
// parsed with ParsePipelineSpec, and its steps run with the POSIX runner the
// way the worker runs them (scrubbed env plus SENTINEL_SCENARIO/RUN_ID/
// RUN_ATTEMPT, step timeouts from the file, stop at the first failing step).
// Every demo scenario is checked on every repository: step outcomes, exit
// codes, the log line that shows the cause, and the JUnit report's failures.
// A repository's scenarios run concurrently, so the timeouts overlap.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/git/git_source_checkout.h"
#include "adapters/process/posix_command_runner.h"
#include "core/junit/junit.h"
#include "core/pipeline/pipeline_spec.h"
#include "testing/scratch_dir.h"

namespace sentinel {
namespace {

using testing::ReadFileOrEmpty;
using testing::ScratchDir;

std::string SourceDir() {
  const char* dir = std::getenv("SENTINEL_SOURCE_DIR");
  return dir != nullptr && *dir ? dir : SENTINEL_SOURCE_DIR_DEFAULT;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

enum class Want { kOk, kExit, kTimedOut, kNotRun };

struct StepWant {
  Want want;
  int exit_code = 0;  // for kExit
};

struct ScenarioCase {
  std::string scenario;
  int run_id;
  std::vector<StepWant> steps;  // one per step of the pipeline, in order
  std::string log_needle;       // in the log of the last step that ran (case-insensitive)
  std::string failed_test;      // the only failed test in the JUnit report; "" = none failed
  bool junit = true;            // whether the test step leaves a parseable report
};

struct StepRun {
  std::string name;
  StepResult result;
  std::string log;
};

struct PipelineRun {
  std::string error;  // checkout or parse failure
  std::string sha;
  std::string workspace;
  PipelineSpec spec;
  std::vector<StepRun> steps;
};

PipelineRun RunPipeline(SourceCheckout& git, CommandRunner& runner, const std::string& origin,
                        const std::string& root, const ScenarioCase& c) {
  PipelineRun run;
  run.workspace = root + "/ws-" + c.scenario + "-" + std::to_string(c.run_id);
  auto sha = git.Checkout(origin, "", run.workspace);
  if (!sha) {
    run.error = sha.error().message;
    return run;
  }
  run.sha = *sha;
  auto spec = ParsePipelineSpec(ReadFileOrEmpty(run.workspace + "/.sentinel.yml"));
  if (!spec) {
    run.error = spec.error().message;
    return run;
  }
  run.spec = *spec;
  for (const auto& step : run.spec.steps) {
    CommandSpec cmd;
    cmd.command = step.run;
    cmd.cwd = run.workspace;
    cmd.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", run.workspace}, {"LANG", "C.UTF-8"}};
    for (const auto& [k, v] : run.spec.env) cmd.env[k] = v;
    for (const auto& [k, v] : step.env) cmd.env[k] = v;
    cmd.env["SENTINEL_SCENARIO"] = c.scenario;
    cmd.env["SENTINEL_RUN_ID"] = std::to_string(c.run_id);
    cmd.env["SENTINEL_RUN_ATTEMPT"] = "1";
    cmd.timeout_ms = step.timeout_ms;
    cmd.kill_grace_ms = 2000;
    cmd.log_path = root + "/logs/" + c.scenario + "-" + std::to_string(c.run_id) + "/" + step.name + ".log";
    cmd.log_cap_bytes = 8 << 20;
    StepRun sr{step.name, runner.Run(cmd, std::stop_token{}), {}};
    sr.log = ReadFileOrEmpty(cmd.log_path);
    bool ok = sr.result.Succeeded();
    run.steps.push_back(std::move(sr));
    if (!ok) break;
  }
  return run;
}

std::string Describe(const StepResult& r) {
  if (const auto* c = std::get_if<Completed>(&r.outcome)) return "exit " + std::to_string(c->exit_code);
  if (std::holds_alternative<TimedOut>(r.outcome)) return "timed out";
  if (std::holds_alternative<Cancelled>(r.outcome)) return "cancelled";
  return "failed to start: " + std::get<FailedToStart>(r.outcome).error.message;
}

class SampleReposTest : public ::testing::Test {
 protected:
  // Seeds sample_repos/<repo>, runs every case concurrently and checks each.
  void RunAll(const std::string& repo, const std::string& test_step, const std::string& junit_path,
              const std::vector<ScenarioCase>& cases) {
    const std::string origin = dir_.Sub("origin-" + repo);
    auto seeded = git_->InitRepoFromDir(SourceDir() + "/sample_repos/" + repo, origin, "Seed " + repo);
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;

    std::vector<std::future<PipelineRun>> futures;
    for (const auto& c : cases) {
      futures.push_back(std::async(std::launch::async,
                                   [&, c] { return RunPipeline(*git_, *runner_, origin, dir_.path(), c); }));
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const ScenarioCase& c = cases[i];
      PipelineRun run = futures[i].get();
      SCOPED_TRACE(repo + " scenario " + c.scenario + " run " + std::to_string(c.run_id));
      ASSERT_EQ(run.error, "");
      EXPECT_EQ(run.sha, *seeded);
      ASSERT_EQ(run.spec.steps.size(), c.steps.size());
      for (std::size_t s = 0; s < c.steps.size(); ++s) {
        const std::string& name = run.spec.steps[s].name;
        const StepWant& want = c.steps[s];
        if (want.want == Want::kNotRun) {
          EXPECT_LE(run.steps.size(), s) << name << " should not have run";
          continue;
        }
        ASSERT_GT(run.steps.size(), s) << name << " did not run";
        const StepRun& got = run.steps[s];
        std::string tail = got.log.substr(got.log.size() > 3000 ? got.log.size() - 3000 : 0);
        switch (want.want) {
          case Want::kOk:
            EXPECT_TRUE(got.result.Succeeded()) << name << ": " << Describe(got.result) << "\n" << tail;
            break;
          case Want::kExit:
            EXPECT_EQ(Describe(got.result), "exit " + std::to_string(want.exit_code)) << name << "\n" << tail;
            break;
          case Want::kTimedOut:
            EXPECT_EQ(Describe(got.result), "timed out") << name << "\n" << tail;
            EXPECT_NE(got.log.find("sentinel: step timed out after "), std::string::npos) << tail;
            break;
          case Want::kNotRun:
            break;
        }
      }
      ASSERT_FALSE(run.steps.empty());
      if (!c.log_needle.empty()) {
        EXPECT_NE(Lower(run.steps.back().log).find(Lower(c.log_needle)), std::string::npos)
            << "log of " << run.steps.back().name << " lacks '" << c.log_needle << "':\n"
            << run.steps.back().log;
      }
      const bool test_ran = std::any_of(run.steps.begin(), run.steps.end(),
                                        [&](const StepRun& s) { return s.name == test_step; });
      if (!test_ran || !c.junit) continue;
      const std::string xml = ReadFileOrEmpty(run.workspace + "/" + junit_path);
      ASSERT_FALSE(xml.empty()) << junit_path << " missing";
      auto report = ParseJUnit(xml, junit_path);
      ASSERT_TRUE(report.has_value()) << report.error().message;
      EXPECT_GE(report->tests, 3);
      std::vector<std::string> failed;
      for (const auto& tc : report->cases) {
        if (tc.outcome == TestOutcome::kFailed || tc.outcome == TestOutcome::kError) failed.push_back(tc.name);
      }
      if (c.failed_test.empty()) {
        EXPECT_TRUE(failed.empty()) << failed.front();
      } else {
        ASSERT_EQ(failed.size(), 1u);
        EXPECT_NE(failed[0].find(c.failed_test), std::string::npos) << failed[0];
      }
    }
  }

  ScratchDir dir_;
  std::unique_ptr<SourceCheckout> git_ = adapters::git::NewGitSourceCheckout();
  std::unique_ptr<CommandRunner> runner_ = adapters::process::NewPosixCommandRunner();
};

// Steps: deps, test.
TEST_F(SampleReposTest, DemoPythonEveryScenario) {
  const StepWant ok{Want::kOk}, not_run{Want::kNotRun};
  RunAll("demo-python", "test", "reports/junit.xml",
         {
             {"success", 1, {ok, ok}, "7 passed", ""},
             {"testfail", 2, {ok, {Want::kExit, 1}}, "AssertionError", "test_total_rounds_tax"},
             {"flaky", 4, {ok, {Want::kExit, 1}}, "1 failed", "test_parallel_restock_keeps_order"},
             {"flaky", 5, {ok, ok}, "7 passed", ""},
             {"timeout", 3, {ok, {Want::kTimedOut}}, "(SIGTERM, then SIGKILL)", "", false},
             {"dns", 6, {{Want::kExit, 1}, not_run}, "Failed to resolve 'registry.sentinel.invalid'", ""},
             {"disk", 7, {{Want::kExit, 1}, not_run}, "[Errno 28] No space left on device", ""},
         });
}

// Steps: deps, test.
TEST_F(SampleReposTest, DemoNodeEveryScenario) {
  const StepWant ok{Want::kOk}, not_run{Want::kNotRun};
  RunAll("demo-node", "test", "reports/junit.xml",
         {
             {"success", 1, {ok, ok}, "pass 6", ""},
             {"testfail", 2, {ok, {Want::kExit, 1}}, "ERR_ASSERTION", "slugify keeps digits"},
             {"flaky", 4, {ok, {Want::kExit, 1}}, "fail 1", "drains in submission order"},
             {"flaky", 5, {ok, ok}, "pass 6", ""},
             // node writes its JUnit report at the end, so a killed run leaves none worth parsing.
             {"timeout", 3, {ok, {Want::kTimedOut}}, "(SIGTERM, then SIGKILL)", "", false},
             {"dns", 6, {{Want::kExit, 1}, not_run}, "failed, reason: getaddrinfo", ""},
             {"disk", 7, {{Want::kExit, 1}, not_run}, "ENOSPC: no space left on device", ""},
         });
}

// Steps: deps, build, test. Each case compiles the project in its own workspace.
TEST_F(SampleReposTest, DemoCppEveryScenario) {
  const StepWant ok{Want::kOk}, not_run{Want::kNotRun};
  RunAll("demo-cpp", "test", "reports/junit.xml",
         {
             {"success", 1, {ok, ok, ok}, "[  PASSED  ] 4 tests", ""},
             {"testfail", 2, {ok, ok, {Want::kExit, 1}}, "RingBufferTest.OverwritesOldest", "OverwritesOldest"},
             {"flaky", 4, {ok, ok, {Want::kExit, 1}}, "1 FAILED TEST", "ConsumersSeeFifoOrder"},
             {"flaky", 5, {ok, ok, ok}, "[  PASSED  ] 4 tests", ""},
             {"timeout", 3, {ok, ok, {Want::kTimedOut}}, "(SIGTERM, then SIGKILL)", "", false},
             {"dns", 6, {{Want::kExit, 6}, not_run, not_run}, "Could not resolve host: mirror.sentinel.invalid", ""},
             {"disk", 7, {{Want::kExit, 1}, not_run, not_run}, "No space left on device", ""},
         });
}

}  // namespace
}  // namespace sentinel
