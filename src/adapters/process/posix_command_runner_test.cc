#include "adapters/process/posix_command_runner.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "testing/scratch_dir.h"

namespace sentinel::adapters::process {
namespace {

using sentinel::testing::ReadFileOrEmpty;
using sentinel::testing::ScratchDir;

class PosixCommandRunnerTest : public ::testing::Test {
 protected:
  CommandSpec Spec(const std::string& command, EpochMs timeout_ms = 20'000) {
    CommandSpec spec;
    spec.command = command;
    spec.cwd = dir_.path();
    spec.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C"}};
    spec.timeout_ms = timeout_ms;
    spec.kill_grace_ms = 2000;
    spec.log_path = dir_.Sub("logs/step.log");
    spec.log_cap_bytes = 1 << 20;
    return spec;
  }
  StepResult Run(const CommandSpec& spec) { return runner_->Run(spec, std::stop_token{}); }
  std::string Log() { return ReadFileOrEmpty(dir_.Sub("logs/step.log")); }

  // The pids a step wrote, one a line, to `file` in the scratch dir.
  std::vector<pid_t> Pids(const std::string& file) {
    std::vector<pid_t> pids;
    std::istringstream in(ReadFileOrEmpty(dir_.Sub(file)));
    long pid;
    while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
    return pids;
  }
  static bool Gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

  ScratchDir dir_;
  std::unique_ptr<CommandRunner> runner_ = NewPosixCommandRunner();
};

TEST_F(PosixCommandRunnerTest, ReportsExitCodes) {
  struct Case {
    const char* command;
    int exit_code;
  } cases[] = {{"true", 0}, {"false", 1}, {"exit 3", 3}, {"exit 255", 255}};
  for (const auto& c : cases) {
    StepResult r = Run(Spec(c.command));
    const auto* done = std::get_if<Completed>(&r.outcome);
    ASSERT_NE(done, nullptr) << c.command;
    EXPECT_EQ(done->exit_code, c.exit_code) << c.command;
    EXPECT_EQ(done->signal, 0) << c.command;
    EXPECT_EQ(r.Succeeded(), c.exit_code == 0) << c.command;
  }
}

TEST_F(PosixCommandRunnerTest, InterleavesStdoutAndStderrInOrder) {
  StepResult r = Run(Spec("echo one; echo two >&2; echo three; printf 'no newline' >&2"));
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(Log(), "one\ntwo\nthree\nno newline");
  EXPECT_EQ(r.log_bytes, static_cast<std::int64_t>(Log().size()));
  EXPECT_FALSE(r.log_truncated);
}

TEST_F(PosixCommandRunnerTest, EnvironmentIsExactlyTheSpecs) {
  ::setenv("SENTINEL_PARENT_ONLY", "leaked", 1);
  CommandSpec spec = Spec("echo \"[${SENTINEL_PARENT_ONLY-unset}] [$MINE] [${HOME-nohome}]\"");
  spec.env["MINE"] = "with spaces = ok";
  StepResult r = Run(spec);
  ::unsetenv("SENTINEL_PARENT_ONLY");
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(Log(), "[unset] [with spaces = ok] [nohome]\n");
}

TEST_F(PosixCommandRunnerTest, RunsInTheGivenDirectoryWithStdinEmpty) {
  std::filesystem::create_directories(dir_.Sub("work dir"));
  CommandSpec spec = Spec("pwd; cat; echo after-cat");
  spec.cwd = dir_.Sub("work dir");
  StepResult r = Run(spec);
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(Log(), std::filesystem::canonical(dir_.Sub("work dir")).string() + "\nafter-cat\n");
}

TEST_F(PosixCommandRunnerTest, ExitBySignalIsReportedAsSignal) {
  StepResult r = Run(Spec("echo before; kill -SEGV $$"));
  const auto* done = std::get_if<Completed>(&r.outcome);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->signal, SIGSEGV);
  EXPECT_EQ(done->exit_code, 128 + SIGSEGV);
  EXPECT_EQ(done->signal_name, "SIGSEGV");
  EXPECT_FALSE(r.Succeeded());
  EXPECT_EQ(Log(), "before\nsentinel: step terminated by SIGSEGV (exit 139)\n");
}

TEST_F(PosixCommandRunnerTest, CommandNotFoundIsCompletedWith127) {
  StepResult r = Run(Spec("no-such-command-sentinel-xyz --flag"));
  const auto* done = std::get_if<Completed>(&r.outcome);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->exit_code, 127);
  EXPECT_NE(Log().find("not found"), std::string::npos) << Log();
}

TEST_F(PosixCommandRunnerTest, TimeoutKillsTheWholeTree) {
  // Given a step whose shell waits on two background sleeps,
  // the timeout should leave neither the shell nor a sleep alive.
  StepResult r = Run(Spec("sleep 1000 & echo $! > pids; sleep 1000 & echo $! >> pids; echo $$ >> pids; wait", 300));
  EXPECT_TRUE(std::holds_alternative<TimedOut>(r.outcome));
  std::vector<pid_t> pids = Pids("pids");
  ASSERT_EQ(pids.size(), 3u);
  for (pid_t pid : pids) EXPECT_TRUE(Gone(pid)) << pid;
  std::string log = Log();
  EXPECT_EQ(log.substr(log.rfind("sentinel:")), "sentinel: step timed out after 300ms (SIGTERM, then SIGKILL)\n");
}

TEST_F(PosixCommandRunnerTest, TimeoutMessageUsesSeconds) {
  StepResult r = Run(Spec("sleep 1000", 1000));
  EXPECT_TRUE(std::holds_alternative<TimedOut>(r.outcome));
  EXPECT_EQ(Log(), "sentinel: step timed out after 1s (SIGTERM, then SIGKILL)\n");
}

TEST_F(PosixCommandRunnerTest, GrandchildIgnoringSigtermStillDies) {
  // 1.5 s: room for the grandchild to start (and write its pid) on a loaded machine.
  StepResult r = Run(Spec("sh -c 'trap \"\" TERM; echo $$ > gc; while :; do sleep 1; done' & wait", 1500));
  EXPECT_TRUE(std::holds_alternative<TimedOut>(r.outcome));
  std::vector<pid_t> pids = Pids("gc");
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_TRUE(Gone(pids[0]));
}

TEST_F(PosixCommandRunnerTest, LeaderIgnoringSigtermIsKilledAfterGrace) {
  CommandSpec spec = Spec("trap '' TERM; echo $$ > pids; while :; do sleep 1; done", 200);
  spec.kill_grace_ms = 200;
  StepResult r = Run(spec);
  EXPECT_TRUE(std::holds_alternative<TimedOut>(r.outcome));
  std::vector<pid_t> pids = Pids("pids");
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_TRUE(Gone(pids[0]));
}

TEST_F(PosixCommandRunnerTest, BackgroundChildHoldingThePipeDoesNotOutliveTheShell) {
  // Given a shell that exits at once but leaves a child holding stdout,
  // the step should complete with the shell's status and the child should die.
  StepResult r = Run(Spec("(sleep 1000; echo never) & echo $! > pids; echo done; exit 4"));
  const auto* done = std::get_if<Completed>(&r.outcome);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->exit_code, 4);
  EXPECT_EQ(Log(), "done\n");
  std::vector<pid_t> pids = Pids("pids");
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_TRUE(Gone(pids[0]));
}

TEST_F(PosixCommandRunnerTest, WriterThatEscapedTheGroupStopsBeingReadAfterTheDrainLimit) {
  // Given a process that left the step's group (setsid) and keeps the pipe
  // open, Run should stop reading after drain_ms instead of hanging. Such a
  // process is outside the runner's reach (a known limit), so the test kills it.
  runner_ = NewPosixCommandRunner({.subreaper = true, .drain_ms = 200, .reap_ms = 1000});
  StepResult r = Run(Spec(
      "setsid sh -c 'echo $$ > escaped.tmp; mv escaped.tmp escaped; exec sleep 1000' & "
      "while [ ! -f escaped ]; do sleep 0.01; done; echo bye; exit 5"));
  const auto* done = std::get_if<Completed>(&r.outcome);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->exit_code, 5);
  EXPECT_EQ(Log(), "bye\n");
  std::vector<pid_t> pids = Pids("escaped");
  ASSERT_EQ(pids.size(), 1u);
  ::kill(pids[0], SIGKILL);
}

TEST_F(PosixCommandRunnerTest, LogCapWritesMarkerAndKeepsDraining) {
  CommandSpec spec = Spec("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo tail-of-output");
  spec.log_cap_bytes = 1000;
  StepResult r = Run(spec);
  EXPECT_TRUE(r.Succeeded());  // the step was never blocked on a full pipe
  EXPECT_TRUE(r.log_truncated);
  EXPECT_EQ(r.output_bytes, 3000000 + 1 + 15);
  std::string log = Log();
  EXPECT_EQ(log, std::string(1000, 'x') + "\n[sentinel] log truncated at 1000 bytes; further output discarded\n");
  EXPECT_EQ(r.log_bytes, static_cast<std::int64_t>(log.size()));
}

TEST_F(PosixCommandRunnerTest, HugeOutputOnBothStreamsDoesNotDeadlock) {
  CommandSpec spec = Spec("head -c 8000000 /dev/zero >&2 & head -c 8000000 /dev/zero; wait; echo end >&2");
  spec.log_cap_bytes = 20'000'000;
  StepResult r = Run(spec);
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(r.output_bytes, 16'000'004);
  EXPECT_EQ(std::filesystem::file_size(spec.log_path), 16'000'004u);
}

TEST_F(PosixCommandRunnerTest, CancelFromAnotherThreadKillsTheGroup) {
  std::stop_source stop;
  CommandSpec spec = Spec("sleep 1000 & echo $! > pids; echo started; wait");
  bool seen_live = false;
  std::thread canceller([&] {
    // Bounded wait for the step's output to reach the log while it runs (the
    // log is streamed, not written at the end), then cancel it.
    for (int i = 0; i < 2000 && !seen_live; ++i) {
      seen_live = Log().find("started") != std::string::npos;
      if (!seen_live) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop.request_stop();
  });
  StepResult r = runner_->Run(spec, stop.get_token());
  canceller.join();
  EXPECT_TRUE(seen_live);
  EXPECT_TRUE(std::holds_alternative<Cancelled>(r.outcome));
  EXPECT_EQ(Log(), "started\nsentinel: step cancelled (SIGTERM, then SIGKILL)\n");
  std::vector<pid_t> pids = Pids("pids");
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_TRUE(Gone(pids[0]));
}

TEST_F(PosixCommandRunnerTest, AlreadyCancelledStepNeverStarts) {
  std::stop_source stop;
  stop.request_stop();
  StepResult r = runner_->Run(Spec("touch ran"), stop.get_token());
  EXPECT_TRUE(std::holds_alternative<Cancelled>(r.outcome));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("ran")));
}

TEST_F(PosixCommandRunnerTest, MissingDirectoryOrLogIsFailedToStart) {
  CommandSpec bad_cwd = Spec("true");
  bad_cwd.cwd = dir_.Sub("missing");
  StepResult r = Run(bad_cwd);
  const auto* failed = std::get_if<FailedToStart>(&r.outcome);
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->error.message.find("chdir to '" + bad_cwd.cwd + "'"), std::string::npos) << failed->error.message;
  EXPECT_NE(Log().find("sentinel: failed to start: chdir"), std::string::npos);

  CommandSpec bad_log = Spec("touch ran");
  bad_log.log_path = dir_.path();  // a directory
  r = Run(bad_log);
  failed = std::get_if<FailedToStart>(&r.outcome);
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->error.message.find("cannot open log"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("ran")));
}

TEST_F(PosixCommandRunnerTest, FileSizeLimitStopsLargeWrites) {
  CommandSpec spec = Spec("head -c 100000 /dev/zero > big");
  spec.file_size_limit_bytes = 4096;
  StepResult r = Run(spec);
  const auto* done = std::get_if<Completed>(&r.outcome);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->exit_code, 128 + SIGXFSZ);  // head died of SIGXFSZ; sh reports 128+signal
  EXPECT_LE(std::filesystem::file_size(dir_.Sub("big")), 4096u);
}

TEST_F(PosixCommandRunnerTest, ALogOnAFullDeviceIsReportedAsOutOfSpaceAndTheStepStillRuns) {
  CommandSpec spec = Spec("echo hello; touch ran");
  spec.log_path = "/dev/full";  // every write: ENOSPC
  StepResult r = Run(spec);
  EXPECT_TRUE(r.Succeeded());
  EXPECT_TRUE(r.log_out_of_space);
  EXPECT_NE(r.log_error.find("No space left on device"), std::string::npos) << r.log_error;
  EXPECT_EQ(r.log_bytes, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("ran")));

  StepResult whole = Run(Spec("echo hello"));
  EXPECT_FALSE(whole.log_out_of_space);
  EXPECT_TRUE(whole.log_error.empty());
}

// The log reaches the file-size limit of the process writing it (as a full disk
// would stop it): the process lives on (the runner ignores SIGXFSZ), the log is
// cut back to its last whole line, then a marker line where there is room. Run
// in a child process, whose limit and signal actions do not touch the test's.
TEST_F(PosixCommandRunnerTest, ALogThatRunsOutOfSpaceEndsWithAWholeLine) {
  constexpr rlim_t kLimit = 10'000;
  for (const char* command : {"seq 1 100000", "seq 1 100000 | tr -d '\\n'; echo"}) {
    std::fflush(stdout);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      rlimit limit{kLimit, kLimit};
      ::signal(SIGXFSZ, SIG_DFL);  // as a worker starts: the runner must change it
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(2);
      StepResult r = NewPosixCommandRunner()->Run(Spec(command), std::stop_token{});
      ::_exit(r.Succeeded() && r.log_out_of_space && r.log_error == "File too large" ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "the writer died of signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 0) << command;
    const std::string log = Log();
    ASSERT_FALSE(log.empty()) << command;
    EXPECT_LE(log.size(), kLimit);
    EXPECT_EQ(log.back(), '\n');
    // A clean prefix of the output (1, 2, 3, ... one a line), then at most the marker.
    std::istringstream lines(log);
    std::string line;
    long expect = 1;
    bool marker = false;
    while (std::getline(lines, line)) {
      ASSERT_FALSE(marker) << "a line after the marker: " << line;
      if (line.rfind("[sentinel] log cut short: File too large", 0) == 0) {
        marker = true;
        continue;
      }
      ASSERT_EQ(line, std::to_string(expect)) << command;
      ++expect;
    }
    if (std::string(command) == "seq 1 100000") {
      EXPECT_GT(expect, 1000);  // the room is used up to the last whole line (no room left for the marker)
    } else {
      EXPECT_EQ(expect, 1);  // one endless line: nothing of it is whole, so it is all cut
      EXPECT_TRUE(marker) << "the cut left room for the marker";
    }
  }
}

TEST_F(PosixCommandRunnerTest, ConcurrentRunsKeepTheirOwnResults) {
  constexpr int kThreads = 8;
  std::vector<StepResult> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      CommandSpec spec = Spec("echo step-$N; exit $N");
      spec.env["N"] = std::to_string(i);
      spec.log_path = dir_.Sub("logs/" + std::to_string(i) + ".log");
      results[i] = runner_->Run(spec, std::stop_token{});
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    const auto* done = std::get_if<Completed>(&results[i].outcome);
    ASSERT_NE(done, nullptr) << i;
    EXPECT_EQ(done->exit_code, i);
    EXPECT_EQ(ReadFileOrEmpty(dir_.Sub("logs/" + std::to_string(i) + ".log")), "step-" + std::to_string(i) + "\n");
  }
}

}  // namespace
}  // namespace sentinel::adapters::process
