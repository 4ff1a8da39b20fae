#include "ports/command_runner.h"

#include <gtest/gtest.h>

#include <thread>

#include "testing/fake_command_runner.h"
#include "testing/fake_source_checkout.h"
#include "testing/scratch_dir.h"

namespace sentinel {
namespace {

TEST(StepResultTest, SucceededOnlyForExitZero) {
  EXPECT_TRUE((StepResult{Completed{0, 0, {}}}).Succeeded());
  EXPECT_FALSE((StepResult{Completed{1, 0, {}}}).Succeeded());
  EXPECT_FALSE((StepResult{Completed{137, 9, "SIGKILL"}}).Succeeded());
  EXPECT_FALSE((StepResult{TimedOut{}}).Succeeded());
  EXPECT_FALSE((StepResult{Cancelled{}}).Succeeded());
  EXPECT_FALSE((StepResult{FailedToStart{}}).Succeeded());
}

TEST(FakeCommandRunnerTest, RecordsCommandsAndAnswersFromItsScript) {
  testing::ScratchDir dir;
  testing::FakeCommandRunner runner;
  runner.SetScript("make test", {Completed{2, 0, {}}, "2 tests failed\n"});
  CommandSpec build;
  build.command = "make";
  build.cwd = dir.path();
  build.env = {{"PATH", "/bin"}};
  build.timeout_ms = 1000;
  build.log_path = dir.Sub("build.log");
  CommandSpec test = build;
  test.command = "make test";
  test.log_path = dir.Sub("test.log");

  EXPECT_TRUE(runner.Run(build, {}).Succeeded());
  StepResult r = runner.Run(test, {});
  EXPECT_EQ(std::get<Completed>(r.outcome).exit_code, 2);
  EXPECT_EQ(r.log_bytes, 15);
  EXPECT_EQ(testing::ReadFileOrEmpty(dir.Sub("test.log")), "2 tests failed\n");
  EXPECT_EQ(runner.commands_ran_, (std::vector<std::string>{"make", "make test"}));
  EXPECT_EQ(runner.specs_[0].env.at("PATH"), "/bin");
}

TEST(FakeCommandRunnerTest, BlockedStepReturnsCancelledWhenStopped) {
  testing::FakeCommandRunner runner;
  runner.BlockUntilCancelled("sleep 1000");
  std::stop_source stop;
  StepResult result;
  CommandSpec spec;
  spec.command = "sleep 1000";
  std::thread t([&] { result = runner.Run(spec, stop.get_token()); });
  ASSERT_TRUE(runner.WaitForRuns(1, 10'000));
  stop.request_stop();
  t.join();
  EXPECT_TRUE(std::holds_alternative<Cancelled>(result.outcome));
}

TEST(FakeSourceCheckoutTest, WritesTheRegisteredTreeAndRecordsCalls) {
  testing::ScratchDir dir;
  testing::FakeSourceCheckout git;
  git.SetRepo("demo", {{".sentinel.yml", "steps: []\n"}, {"src/a.txt", "a"}}, std::string(40, 'a'));
  auto sha = git.Checkout("demo", "", dir.Sub("ws"));
  ASSERT_TRUE(sha.has_value());
  EXPECT_EQ(*sha, std::string(40, 'a'));
  EXPECT_EQ(testing::ReadFileOrEmpty(dir.Sub("ws/src/a.txt")), "a");
  EXPECT_EQ(git.Checkout("demo", "nope", dir.Sub("ws2")).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(git.Checkout("other", "", dir.Sub("ws3")).error().code, ErrorCode::kNotFound);
  ASSERT_EQ(git.checkouts_.size(), 3u);
  EXPECT_EQ(git.checkouts_[1].ref, "nope");
}

}  // namespace
}  // namespace sentinel
