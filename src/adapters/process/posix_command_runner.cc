#include "adapters/process/posix_command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sentinel::adapters::process {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kReadChunk = 64 * 1024;

// Closes an fd on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

std::string Errno(int err) { return std::strerror(err); }

std::string SignalName(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  if (abbrev == nullptr) return "signal " + std::to_string(sig);
  return std::string("SIG") + abbrev;
}

// "300s" for whole seconds, else "1500ms".
std::string FormatTimeout(EpochMs ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

// Writes all n bytes; *done counts those written (also when it fails, with errno set).
bool WriteAll(int fd, const char* data, std::size_t n, std::size_t* done) {
  *done = 0;
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
    *done += static_cast<std::size_t>(w);
  }
  return true;
}

// A write that failed for want of space: the file system is full, the quota
// is used up, or the file reached RLIMIT_FSIZE.
bool IsOutOfSpace(int err) { return err == ENOSPC || err == EDQUOT || err == EFBIG; }

// The log file: step output up to the cap, then one marker, then nothing; the
// runner's own lines ("sentinel: ...") are always written. When a write fails
// (the disk is full), the file is cut back to the end of its last whole line,
// one marker line is attempted, and nothing more is written: the log is a
// clean prefix of the output, never a half-written line.
class LogSink {
 public:
  LogSink(int fd, std::int64_t cap) : fd_(fd), cap_(cap) {
    const off_t end = ::lseek(fd, 0, SEEK_END);  // appending to an earlier attempt's log
    clean_end_ = end > 0 ? end : 0;
  }

  void Output(const char* data, std::size_t n) {
    output_bytes_ += static_cast<std::int64_t>(n);
    if (truncated_) return;
    std::int64_t room = cap_ - kept_;
    std::size_t take = static_cast<std::size_t>(std::min<std::int64_t>(room, static_cast<std::int64_t>(n)));
    if (take > 0) {
      Put(data, take);
      kept_ += static_cast<std::int64_t>(take);
    }
    if (take < n) {
      truncated_ = true;
      Line("[sentinel] log truncated at " + std::to_string(cap_) + " bytes; further output discarded");
    }
  }

  // Writes text as a line of its own.
  void Line(const std::string& text) {
    std::string line;
    if (last_ != '\n' && written_ > 0) line += '\n';
    line += text;
    line += '\n';
    Put(line.data(), line.size());
  }

  std::int64_t written() const { return written_; }
  std::int64_t output_bytes() const { return output_bytes_; }
  bool truncated() const { return truncated_; }
  int write_error() const { return write_error_; }  // errno of the failed write, 0 if none

 private:
  void Put(const char* data, std::size_t n) {
    if (n == 0 || write_error_ != 0) return;
    std::size_t done = 0;
    const bool ok = WriteAll(fd_, data, n, &done);
    const int err = errno;
    Account(data, done);
    if (ok) return;
    // A failing log write must not stop us from draining the pipe: remember
    // why, cut the partial line off, say so if there is room, write no more.
    write_error_ = err;
    if (::ftruncate(fd_, clean_end_) == 0) written_ -= unclean_;
    ::lseek(fd_, clean_end_, SEEK_SET);  // the next write goes there (without O_APPEND too)
    unclean_ = 0;
    last_ = '\n';
    const std::string marker = "[sentinel] log cut short: " + Errno(err) + "; further output discarded\n";
    if (WriteAll(fd_, marker.data(), marker.size(), &done)) {
      Account(marker.data(), done);
    } else if (done > 0 && ::ftruncate(fd_, clean_end_) != 0) {
      Account(marker.data(), done);  // could not cut it back: count what is there
    }
    // Nothing is written after this point.
  }

  // Counts n bytes written from data; clean_end_ follows the last newline.
  void Account(const char* data, std::size_t n) {
    if (n == 0) return;
    written_ += static_cast<std::int64_t>(n);
    last_ = data[n - 1];
    const void* nl = ::memrchr(data, '\n', n);
    if (nl != nullptr) {
      const std::size_t upto = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
      clean_end_ += static_cast<std::int64_t>(unclean_ + upto);
      unclean_ = static_cast<std::int64_t>(n - upto);
    } else {
      unclean_ += static_cast<std::int64_t>(n);
    }
  }

  int fd_;
  std::int64_t cap_;
  std::int64_t kept_ = 0;
  std::int64_t written_ = 0;
  std::int64_t output_bytes_ = 0;
  bool truncated_ = false;
  char last_ = '\n';
  off_t clean_end_ = 0;         // file offset just past the last whole line
  std::int64_t unclean_ = 0;    // bytes written after it
  int write_error_ = 0;
};

// What the child reports through the exec-error pipe when it cannot exec.
struct ChildFailure {
  int stage;  // index into kStageNames
  int err;
};
constexpr const char* kStageNames[] = {"setpgid", "open /dev/null", "dup2", "chdir", "setrlimit", "exec /bin/sh"};

// Everything the child needs, prepared before fork: after fork in a
// multi-threaded process only async-signal-safe calls are allowed.
struct ChildPlan {
  std::vector<std::string> env_strings;
  std::vector<char*> envp;
  std::vector<char*> argv;
  const char* cwd = nullptr;
  bool set_fsize = false;
  rlimit fsize{};
};

[[noreturn]] void ChildFail(int err_fd, int stage, int err) {
  ChildFailure f{stage, err};
  (void)!::write(err_fd, &f, sizeof f);
  ::_exit(127);
}

[[noreturn]] void RunChild(const ChildPlan& plan, int out_fd, int err_fd) {
  if (::setpgid(0, 0) != 0) ChildFail(err_fd, 0, errno);
  // Signal dispositions set to "ignore" and the blocked mask survive exec; the
  // step must start with the defaults.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    ::sigaction(sig, &sa, nullptr);
  }
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0) ChildFail(err_fd, 1, errno);
  if (::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0) ChildFail(err_fd, 2, errno);
  if (plan.cwd != nullptr && ::chdir(plan.cwd) != 0) ChildFail(err_fd, 3, errno);
  if (plan.set_fsize && ::setrlimit(RLIMIT_FSIZE, &plan.fsize) != 0) ChildFail(err_fd, 4, errno);
  ::execve("/bin/sh", plan.argv.data(), plan.envp.data());
  ChildFail(err_fd, 5, errno);
}

// What a failed log write costs the result: the reason, and whether it was space.
void NoteLogError(StepResult& r, int err) {
  if (err == 0) return;
  r.log_error = Errno(err);
  r.log_out_of_space = IsOutOfSpace(err);
}

StepResult FailStart(std::string message, SteadyClock::time_point start, LogSink* log) {
  if (log != nullptr) log->Line("sentinel: failed to start: " + message);
  StepResult r;
  r.outcome = FailedToStart{Error{ErrorCode::kFailedPrecondition, std::move(message), {}}};
  r.duration_ms = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start).count();
  if (log != nullptr) {
    r.log_bytes = log->written();
    NoteLogError(r, log->write_error());
  }
  return r;
}

class PosixCommandRunner final : public CommandRunner {
 public:
  explicit PosixCommandRunner(PosixRunnerOptions options) : options_(options) {
    if (options_.subreaper && ::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) options_.subreaper = false;
    // Past a file-size limit, a log write fails with EFBIG (handled: the log is cut,
    // the step fails as disk_full) instead of SIGXFSZ ending the whole worker.
    struct sigaction old {};
    if (::sigaction(SIGXFSZ, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) ::signal(SIGXFSZ, SIG_IGN);
  }

  StepResult Run(const CommandSpec& spec, std::stop_token cancel) override;

 private:
  PosixRunnerOptions options_;
};

StepResult PosixCommandRunner::Run(const CommandSpec& spec, std::stop_token cancel) {
  const auto start = SteadyClock::now();
  if (cancel.stop_requested()) {
    StepResult cancelled;
    cancelled.outcome = Cancelled{};
    return cancelled;
  }
  if (spec.timeout_ms <= 0) return FailStart("timeout_ms must be > 0", start, nullptr);

  // The log first: a step whose output cannot be kept does not run.
  std::error_code ec;
  std::filesystem::path log_path(spec.log_path);
  if (log_path.has_parent_path()) std::filesystem::create_directories(log_path.parent_path(), ec);
  Fd log_fd(::open(spec.log_path.c_str(),
                   O_WRONLY | O_CREAT | O_CLOEXEC | (spec.log_append ? O_APPEND : O_TRUNC), 0644));
  if (log_fd.get() < 0) {
    // No folder for it (its creation failed: ec says why) or no file.
    const int err = errno == ENOENT && ec ? ec.value() : errno;
    StepResult r = FailStart("cannot open log '" + spec.log_path + "': " + Errno(err), start, nullptr);
    NoteLogError(r, err);
    return r;
  }
  LogSink log(log_fd.get(), std::max<std::int64_t>(spec.log_cap_bytes, 0));

  ChildPlan plan;
  for (const auto& [k, v] : spec.env) plan.env_strings.push_back(k + "=" + v);
  for (auto& s : plan.env_strings) plan.envp.push_back(s.data());
  plan.envp.push_back(nullptr);
  std::string arg0 = "sh", arg1 = "-c", arg2 = spec.command;
  plan.argv = {arg0.data(), arg1.data(), arg2.data(), nullptr};
  if (!spec.cwd.empty()) plan.cwd = spec.cwd.c_str();
  if (spec.file_size_limit_bytes) {
    plan.set_fsize = true;
    plan.fsize.rlim_cur = plan.fsize.rlim_max = static_cast<rlim_t>(std::max<std::int64_t>(*spec.file_size_limit_bytes, 0));
  }

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return FailStart("pipe: " + Errno(errno), start, &log);
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return FailStart("pipe: " + Errno(errno), start, &log);
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  pid_t pid = ::fork();
  if (pid < 0) return FailStart("fork: " + Errno(errno), start, &log);
  if (pid == 0) RunChild(plan, out_write.get(), err_write.get());

  // Also set the group from the parent, so a kill(-pid) right after fork can
  // never miss; EACCES after the child's exec is expected and harmless.
  ::setpgid(pid, pid);
  out_write.Reset();
  err_write.Reset();
  ChildFailure failure{};
  ssize_t got;
  do {
    got = ::read(err_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int status;
    ::waitpid(pid, &status, 0);
    std::string what = kStageNames[std::clamp(failure.stage, 0, 5)];
    if (failure.stage == 3) what += " to '" + spec.cwd + "'";
    return FailStart(what + ": " + Errno(failure.err), start, &log);
  }
  err_read.Reset();

  ::fcntl(out_read.get(), F_SETFL, ::fcntl(out_read.get(), F_GETFL) | O_NONBLOCK);
  // A pidfd turns the leader's exit into a poll event; without one (old
  // kernels) the loop polls waitid every few milliseconds.
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  Fd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  std::stop_callback on_cancel(cancel, [fd = wake.get()] {
    std::uint64_t one = 1;
    (void)!::write(fd, &one, sizeof one);
  });

  enum class Stop { kNone, kTimeout, kCancel } stop = Stop::kNone;
  const auto deadline = start + milliseconds(spec.timeout_ms);
  std::optional<SteadyClock::time_point> kill_at;
  SteadyClock::time_point drain_until{};
  bool leader_exited = false;
  bool pipe_open = true;
  std::vector<char> buf(kReadChunk);

  auto terminate = [&](Stop why) {
    stop = why;
    ::kill(-pid, SIGTERM);
    kill_at = SteadyClock::now() + milliseconds(std::max<EpochMs>(spec.kill_grace_ms, 0));
  };

  while (true) {
    auto now = SteadyClock::now();
    if (leader_exited && (!pipe_open || now >= drain_until)) break;

    SteadyClock::time_point wake_at = SteadyClock::time_point::max();
    if (leader_exited) {
      wake_at = drain_until;
    } else if (stop == Stop::kNone) {
      wake_at = deadline;
    } else if (kill_at) {
      wake_at = *kill_at;
    }
    if (!leader_exited && pidfd.get() < 0) wake_at = std::min(wake_at, now + milliseconds(5));
    int timeout = -1;
    if (wake_at != SteadyClock::time_point::max()) {
      auto ms = std::chrono::ceil<milliseconds>(wake_at - now).count();
      timeout = static_cast<int>(std::clamp<long long>(ms, 0, 60'000));
    }

    pollfd fds[3];
    int nfds = 0, pipe_idx = -1, pid_idx = -1, wake_idx = -1;
    if (pipe_open) {
      pipe_idx = nfds;
      fds[nfds++] = {out_read.get(), POLLIN, 0};
    }
    if (!leader_exited && pidfd.get() >= 0) {
      pid_idx = nfds;
      fds[nfds++] = {pidfd.get(), POLLIN, 0};
    }
    if (stop == Stop::kNone && wake.get() >= 0) {
      wake_idx = nfds;
      fds[nfds++] = {wake.get(), POLLIN, 0};
    }
    int ready = ::poll(fds, static_cast<nfds_t>(nfds), timeout);
    if (ready < 0 && errno != EINTR) break;  // cannot happen with valid fds; the kill below still runs

    if (ready > 0 && pipe_idx >= 0 && (fds[pipe_idx].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = ::read(out_read.get(), buf.data(), buf.size());
      if (n > 0) {
        log.Output(buf.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        pipe_open = false;
      }
    }
    if (ready > 0 && wake_idx >= 0 && (fds[wake_idx].revents & POLLIN) && !leader_exited) {
      terminate(Stop::kCancel);
    }
    if (!leader_exited && (pid_idx < 0 || ready > 0)) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
        leader_exited = true;
        // The leader is a zombie, so its pid still names the group: no other
        // process can be handed this group id before we reap it.
        ::kill(-pid, SIGKILL);
        drain_until = SteadyClock::now() + milliseconds(options_.drain_ms);
      }
    }
    now = SteadyClock::now();
    if (!leader_exited && stop == Stop::kNone && now >= deadline) terminate(Stop::kTimeout);
    if (!leader_exited && kill_at && now >= *kill_at) {
      ::kill(-pid, SIGKILL);
      kill_at.reset();
    }
  }

  // Every exit path: kill whatever is left of the group while the zombie
  // leader still pins its id, then reap the group (our children thanks to the
  // subreaper), the leader included.
  ::kill(-pid, SIGKILL);
  int status = 0;
  bool leader_reaped = false;
  if (options_.subreaper) {
    const auto reap_until = SteadyClock::now() + milliseconds(options_.reap_ms);
    while (SteadyClock::now() < reap_until) {
      int st = 0;
      pid_t r = ::waitpid(-pid, &st, WNOHANG);
      if (r == pid) {
        status = st;
        leader_reaped = true;
      } else if (r == 0) {
        std::this_thread::sleep_for(milliseconds(2));
      } else if (r < 0 && errno != EINTR) {
        break;  // ECHILD: nothing of the group is left
      }
    }
  }
  if (!leader_reaped) {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }

  StepResult result;
  switch (stop) {
    case Stop::kTimeout:
      // The worker's timeout line, as the knowledge base's sentinel-step-timeout signature reads it.
      log.Line("sentinel: step " + (spec.name.empty() ? std::string() : "'" + spec.name + "' ") + "timed out after " +
               FormatTimeout(spec.timeout_ms) + " (SIGTERM, then SIGKILL)");
      result.outcome = TimedOut{};
      break;
    case Stop::kCancel:
      log.Line("sentinel: step cancelled (SIGTERM, then SIGKILL)");
      result.outcome = Cancelled{};
      break;
    case Stop::kNone:
      if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        Completed c{128 + sig, sig, SignalName(sig)};
        log.Line("sentinel: step terminated by " + c.signal_name + " (exit " + std::to_string(c.exit_code) + ")");
        result.outcome = c;
      } else {
        result.outcome = Completed{WEXITSTATUS(status), 0, {}};
      }
      break;
  }
  result.duration_ms = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start).count();
  result.log_bytes = log.written();
  result.output_bytes = log.output_bytes();
  result.log_truncated = log.truncated();
  NoteLogError(result, log.write_error());
  return result;
}

}  // namespace

std::unique_ptr<CommandRunner> NewPosixCommandRunner(PosixRunnerOptions options) {
  return std::make_unique<PosixCommandRunner>(options);
}

}  // namespace sentinel::adapters::process
