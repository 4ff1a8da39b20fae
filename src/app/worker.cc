#include "app/worker.h"

#include <glob.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/flaky/flaky.h"
#include "app/log_fields.h"
#include "core/junit/junit.h"
#include "core/pipeline/pipeline_spec.h"

namespace sentinel::app {
namespace {

namespace fs = std::filesystem;

enum class StopReason { kNone, kCancel, kLeaseLost, kShutdown };

constexpr std::size_t kMaxJUnitBytes = 64 << 20;
constexpr int kWriteAttempts = 3;

std::optional<std::string> ReadSmallFile(const std::string& path, std::size_t cap) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string out;
  out.resize(cap + 1);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

// The 1-based line a ParsePipelineSpec message names (".sentinel.yml line 7: ..."), or 0.
int LineOf(const std::string& message) {
  auto at = message.find(" line ");
  if (at == std::string::npos) return 0;
  int line = 0;
  for (std::size_t i = at + 6; i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])); ++i) {
    line = line * 10 + (message[i] - '0');
    if (line > 1'000'000) return 0;
  }
  return line;
}

// Test results of the step's JUnit globs (relative to the workspace). A file
// that is no report, or malformed, becomes a warning.
void IngestJUnit(const std::string& workspace, const std::vector<std::string>& globs, std::int64_t run_id, int index,
                 std::vector<TestCaseResult>& tests, std::vector<std::string>& warnings) {
  for (const std::string& pattern : globs) {
    glob_t g{};
    const std::string full = workspace + "/" + pattern;
    int rc = ::glob(full.c_str(), GLOB_NOSORT | GLOB_BRACE, nullptr, &g);
    std::vector<std::string> files;
    if (rc == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);
    }
    ::globfree(&g);
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      warnings.push_back("junit: no file matches " + pattern);
      continue;
    }
    for (const std::string& file : files) {
      const std::string rel = file.substr(workspace.size() + 1);
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) continue;
      auto bytes = ReadSmallFile(file, kMaxJUnitBytes);
      if (!bytes) {
        warnings.push_back("junit: cannot read " + rel);
        continue;
      }
      if (bytes->size() > kMaxJUnitBytes) {
        warnings.push_back("junit: " + rel + " is larger than " + std::to_string(kMaxJUnitBytes >> 20) + " MiB; skipped");
        continue;
      }
      auto report = ParseJUnit(*bytes, rel);
      if (!report) {
        warnings.push_back("junit: " + report.error().message);
        continue;
      }
      for (TestCaseResult& t : report->cases) {
        t.run_id = run_id;
        t.step_index = index;
        tests.push_back(std::move(t));
      }
    }
  }
}

bool HasFailedTests(const std::vector<TestCaseResult>& tests) {
  return std::any_of(tests.begin(), tests.end(), [](const TestCaseResult& t) {
    return t.outcome == TestOutcome::kFailed || t.outcome == TestOutcome::kError;
  });
}

// Appends one line; a write that fails (the disk is full) leaves the file as it was.
void AppendLine(const std::string& path, const std::string& line) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const auto before = fs::exists(path, ec) ? fs::file_size(path, ec) : 0;
  if (ec) return;
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << line << "\n";
    out.flush();
    if (out) return;
  }
  fs::resize_file(path, before, ec);
}

// A failure for a run that could not start its steps for want of disk space.
Failure DiskFullFailure(std::int64_t run_id, const std::string& message) {
  Failure f;
  f.run_id = run_id;
  f.category = FailureCategory::kDiskFull;
  f.signature = "disk_full";
  f.confidence = 1.0;
  f.title = "No space left in the data directory: " + message;
  f.hints = {"free space where the data directory lives (logs/, workspaces/); `sentinel gc` removes old logs and "
             "workspaces; then retry the run"};
  return f;
}

}  // namespace

bool IsInfrastructureClass(FailureCategory c) {
  return c == FailureCategory::kNetworkDns || c == FailureCategory::kNetworkError || c == FailureCategory::kDiskFull ||
         c == FailureCategory::kInfrastructure;
}

std::string StepLogPath(std::int64_t run_id, const std::string& step_name) {
  return "logs/run-" + std::to_string(run_id) + "/" + step_name + ".log";
}

struct Worker::Execution {
  Leased leased;
  Fence fence;
  ClaimedRun claim;
  std::stop_source step_stop;  // kills the running step
  std::atomic<StopReason> reason{StopReason::kNone};
  std::string workspace;
  // Serializes the heartbeat's lease extension with the final write, so no
  // extension is attempted (and counted as stale) after the run finished.
  std::mutex final_mu;
  bool finished = false;  // guarded by final_mu

  void Stop(StopReason why) {
    StopReason none = StopReason::kNone;
    // The first reason wins, except that a lost lease overrides a cancel (no write may follow).
    if (!reason.compare_exchange_strong(none, why) && why == StopReason::kLeaseLost) reason.store(why);
    step_stop.request_stop();
  }
};

Worker::Worker(WorkerDeps deps, WorkerConfig config, std::string id)
    : deps_(std::move(deps)), config_(std::move(config)), id_(std::move(id)) {
  std::error_code ec;
  fs::path abs = fs::absolute(config_.data_dir, ec);
  if (!ec) config_.data_dir = abs.lexically_normal().string();
  while (config_.data_dir.size() > 1 && config_.data_dir.back() == '/') config_.data_dir.pop_back();
  started_at_ = deps_.clock->Now();
}

Worker::~Worker() = default;

void Worker::Log(const std::string& message) const {
  if (deps_.log) deps_.log(id_ + ": " + message);
}

void Worker::Register(const std::string& status, std::optional<std::int64_t> run_id) {
  if (deps_.registry == nullptr) return;
  WorkerRecord w;
  w.id = id_;
  auto dash = id_.find('-');
  w.hostname = dash == std::string::npos ? id_ : id_.substr(0, dash);
  w.pid = 0;
  if (dash != std::string::npos) {
    auto next = id_.find('-', dash + 1);
    try {
      w.pid = std::stoll(id_.substr(dash + 1, next - dash - 1));
    } catch (...) {
      w.pid = 0;
    }
  }
  w.started_at = started_at_;
  w.heartbeat_at = deps_.clock->Now();
  w.status = status;
  w.current_run_id = run_id;
  if (auto st = deps_.registry->Upsert(w); !st) Log("cannot register in the workers table: " + st.error().message);
}

void Worker::Run(std::stop_token stop) {
  ScopedLogFields log_fields({0, 0, id_});
  Register("idle", std::nullopt);
  EpochMs last_register = deps_.clock->Now();
  int failures = 0;
  while (!stop.stop_requested()) {
    auto r = RunOnce();
    if (!r) {
      // The queue or the store is down: back off (bounded), then try again.
      failures = std::min(failures + 1, 5);
      Log("job loop: " + r.error().message);
      std::mutex m;
      std::condition_variable_any cv;
      std::unique_lock lock(m);
      cv.wait_for(lock, stop, std::chrono::milliseconds(200 * failures), [] { return false; });
      continue;
    }
    failures = 0;
    if (deps_.clock->Now() - last_register >= config_.heartbeat_ms || *r) {
      Register("idle", std::nullopt);
      last_register = deps_.clock->Now();
    }
  }
  if (deps_.registry != nullptr) (void)deps_.registry->Remove(id_);
}

Result<bool> Worker::RunOnce() {
  auto leased = deps_.queue->Lease(id_, config_.poll_ms);
  if (!leased) return Fail(leased.error());
  if (!leased->has_value()) return false;
  if (auto st = Handle(**leased); !st) return Fail(st.error());
  return true;
}

void Worker::AbortCurrent() {
  std::lock_guard lock(mu_);
  aborting_ = true;
  if (current_ != nullptr) current_->Stop(StopReason::kShutdown);
}

Status Worker::Handle(const Leased& leased) {
  const Job& job = leased.job;
  auto claim = deps_.store->Claim(job.run_id, id_, config_.lease_ms, deps_.clock->Now());
  if (!claim) {
    if (claim.error().code == ErrorCode::kAborted || claim.error().code == ErrorCode::kNotFound) {
      // Someone else has it, or it was cancelled or finished: this delivery is a duplicate.
      Log("run " + std::to_string(job.run_id) + " not claimed: " + claim.error().message);
      (void)deps_.queue->Ack(id_, job);
      return Ok();
    }
    (void)deps_.queue->Release(id_, job);
    return Fail(claim.error());
  }
  Execution ex;
  ex.leased = leased;
  ex.claim = std::move(*claim);
  ex.fence = Fence{job.run_id, ex.claim.run.attempt, id_};
  ex.workspace = config_.data_dir + "/workspaces/run-" + std::to_string(job.run_id) + "-" +
                 std::to_string(ex.fence.attempt);
  {
    std::lock_guard lock(mu_);
    current_ = &ex;
    // Aborted between the lease and here: hand it back at once.
    if (aborting_) ex.Stop(StopReason::kShutdown);
  }
  ScopedLogFields log_fields({job.run_id, ex.fence.attempt, id_});
  busy_ = true;
  Register("busy", job.run_id);
  Log("claimed run " + std::to_string(job.run_id) + " attempt " + std::to_string(ex.fence.attempt));

  Disposition d;
  {
    std::jthread heartbeat([this, &ex](std::stop_token st) {
      ScopedLogFields heartbeat_fields({ex.fence.run_id, ex.fence.attempt, id_});
      Heartbeat(ex, st);
    });
    d = Execute(ex);
    heartbeat.request_stop();
  }
  {
    std::lock_guard lock(mu_);
    current_ = nullptr;
  }
  switch (d) {
    case Disposition::kFinished:
      (void)deps_.queue->Ack(id_, job);
      // After the finish committed (it queued the run for evaluation, so a crash here loses nothing).
      if (deps_.finished) deps_.finished(job.run_id);
      break;
    case Disposition::kLost:
      // Presumed dead and replaced: nothing more may be written. The queue may
      // already have handed the job on; a stale Ack changes nothing.
      Log("run " + std::to_string(job.run_id) + " attempt " + std::to_string(ex.fence.attempt) +
          " was taken over; dropping its results");
      (void)deps_.queue->Ack(id_, job);
      break;
    case Disposition::kHandBack: {
      auto st = deps_.store->HandBack(ex.fence, "handed back by " + id_ + " (shutting down)", deps_.clock->Now());
      if (st) {
        (void)deps_.queue->Release(id_, job);
      } else {
        // The store refused (stale) or is down: the reconciler recovers it when the lease runs out.
        (void)deps_.queue->Release(id_, job);
      }
      break;
    }
  }
  if (!config_.keep_workspaces) {
    std::error_code ec;
    fs::remove_all(ex.workspace, ec);
  }
  busy_ = false;
  Register("idle", std::nullopt);
  return Ok();
}

void Worker::Heartbeat(Execution& ex, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  while (!stop.stop_requested()) {
    cv.wait_for(lock, stop, std::chrono::milliseconds(config_.heartbeat_ms), [] { return false; });
    if (stop.stop_requested()) return;
    (void)deps_.queue->Heartbeat(id_, config_.lease_ms);
    std::unique_lock final_lock(ex.final_mu);
    if (ex.finished) return;
    auto ext = deps_.store->ExtendLease(ex.fence, config_.lease_ms, deps_.clock->Now());
    final_lock.unlock();
    if (!ext) {
      if (ext.error().code == ErrorCode::kAborted) {
        Log("lease of run " + std::to_string(ex.fence.run_id) + " lost: " + ext.error().message);
        ex.Stop(StopReason::kLeaseLost);
        return;
      }
      Log("cannot extend the lease of run " + std::to_string(ex.fence.run_id) + ": " + ext.error().message);
      continue;
    }
    if (ext->cancel_requested) ex.Stop(StopReason::kCancel);
    Register("busy", ex.fence.run_id);
  }
}

Worker::Disposition Worker::Execute(Execution& ex) {
  const Fence& fence = ex.fence;
  const std::int64_t run_id = fence.run_id;
  auto now = [this] { return deps_.clock->Now(); };
  bool lost = false;
  // A fenced write: kAborted means we were replaced; a store that is down is
  // retried a few times, then the run is handed back.
  auto write = [&](const std::function<Status()>& fn) -> bool {
    for (int i = 0; i < kWriteAttempts; ++i) {
      if (ex.reason.load() == StopReason::kLeaseLost) {
        lost = true;
        return false;
      }
      Status st = fn();
      if (st) return true;
      if (st.error().code == ErrorCode::kAborted) {
        lost = true;
        ex.Stop(StopReason::kLeaseLost);
        return false;
      }
      Log("store write for run " + std::to_string(run_id) + " failed: " + st.error().message);
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * (i + 1)));
    }
    return false;
  };
  auto after_failed_write = [&] { return lost ? Disposition::kLost : Disposition::kHandBack; };

  RunReport report;
  report.run = ex.claim.run;
  std::vector<Failure> failures;
  RunOutcome outcome;

  auto finish = [&]() -> Disposition {
    if (ex.reason.load() == StopReason::kLeaseLost) return Disposition::kLost;
    if (ex.reason.load() == StopReason::kShutdown) return Disposition::kHandBack;
    report.status = outcome.status;
    if ((outcome.status == RunStatus::kFailed || outcome.status == RunStatus::kTimedOut ||
         outcome.status == RunStatus::kErrored) &&
        deps_.analyze && failures.empty()) {
      // The baseline of each failed step: its last green log in this repository.
      for (StepReport& sr : report.steps) {
        if (sr.status == StepStatus::kSucceeded || sr.status == StepStatus::kSkipped) continue;
        auto green = deps_.store->LastGreenStepLog(report.run.repo_id, sr.name, run_id);
        if (green && *green) {
          sr.baseline_log_path = config_.data_dir + "/" + (*green)->log_path;
          sr.baseline_run_id = (*green)->run_id;
        } else if (!green) {
          Log("baseline lookup for run " + std::to_string(run_id) + " failed: " + green.error().message);
        }
      }
      failures = deps_.analyze(report);
      if (!failures.empty() && outcome.status == RunStatus::kFailed) outcome.category = failures.front().category;
    }
    std::lock_guard final_lock(ex.final_mu);
    ex.finished = true;
    if (!write([&] { return deps_.store->Finish(fence, outcome, failures, now()); })) return after_failed_write();
    Log("run " + std::to_string(run_id) + " " + std::string(Name(outcome.status)));
    return Disposition::kFinished;
  };
  auto config_error = [&](const std::string& message, const std::string& title_prefix) -> Disposition {
    Failure f;
    f.run_id = run_id;
    f.category = FailureCategory::kConfigError;
    f.signature = "config_error";
    f.confidence = 1.0;
    f.title = title_prefix + message;
    if (int line = LineOf(message); line > 0) f.evidence.push_back({line, message});
    f.hints = {"fix " + std::string(kPipelineFileName) + " (CONTRACT.md section 5) and push a new commit"};
    failures.push_back(f);
    outcome = {RunStatus::kFailed, FailureCategory::kConfigError, "config_error", message};
    return finish();
  };

  if (ex.reason.load() == StopReason::kShutdown) return Disposition::kHandBack;
  // ---- checkout
  std::error_code ec;
  fs::remove_all(ex.workspace, ec);
  fs::create_directories(fs::path(ex.workspace).parent_path(), ec);
  auto sha = deps_.checkout->Checkout(ex.claim.repo_url, ex.claim.run.ref, ex.workspace);
  if (!sha) {
    const Error& e = sha.error();
    if (e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kNotFound) {
      return config_error(e.message, "checkout failed: ");
    }
    if (e.code == ErrorCode::kResourceExhausted) {  // the workspace's disk is full
      failures.push_back(DiskFullFailure(run_id, "checkout failed: " + e.message));
      outcome = {RunStatus::kErrored, FailureCategory::kDiskFull, "disk_full", "checkout failed: " + e.message};
      return finish();
    }
    outcome = {RunStatus::kErrored, FailureCategory::kInfrastructure, "checkout_failed",
               "checkout failed: " + e.message};
    return finish();
  }
  report.run.commit = *sha;
  if (!write([&] { return deps_.store->SetCommit(fence, *sha, now()); })) return after_failed_write();

  // ---- pipeline file
  const std::string spec_path = ex.workspace + "/" + std::string(kPipelineFileName);
  auto text = ReadSmallFile(spec_path, kMaxPipelineFileBytes);
  if (!text) {
    return config_error(std::string(kPipelineFileName) + " not found at commit " + sha->substr(0, 12), "");
  }
  auto spec = ParsePipelineSpec(*text, config_.default_step_timeout_ms);
  if (!spec) return config_error(spec.error().message, "");
  std::vector<StepPlan> plan;
  for (const auto& s : spec->steps) plan.push_back(StepPlan{s.name, s.run, s.timeout_ms});
  if (!write([&] { return deps_.store->PlanSteps(fence, plan, now()); })) return after_failed_write();

  // ---- steps
  outcome = {RunStatus::kSucceeded, FailureCategory::kUnknown, "", "all steps succeeded"};
  for (std::size_t i = 0; i < spec->steps.size(); ++i) {
    const PipelineStepSpec& step = spec->steps[i];
    const int index = static_cast<int>(i);
    if (ex.reason.load() != StopReason::kNone) break;
    const std::string rel_log = StepLogPath(run_id, step.name);
    StepReport sr;
    sr.index = index;
    sr.name = step.name;
    sr.log_path = config_.data_dir + "/" + rel_log;

    CommandSpec cmd;
    cmd.command = step.run;
    cmd.name = step.name;
    cmd.cwd = ex.workspace;
    cmd.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", ex.workspace}, {"LANG", "C.UTF-8"}};
    for (const auto& [k, v] : spec->env) cmd.env[k] = v;
    for (const auto& [k, v] : step.env) cmd.env[k] = v;
    cmd.env["CI"] = "true";
    cmd.env["SENTINEL_SCENARIO"] = ex.claim.run.scenario;
    cmd.env["SENTINEL_RUN_ID"] = std::to_string(run_id);
    cmd.env["SENTINEL_RUN_ATTEMPT"] = std::to_string(fence.attempt);
    cmd.timeout_ms = step.timeout_ms > 0 ? step.timeout_ms : config_.default_step_timeout_ms;
    cmd.kill_grace_ms = config_.kill_grace_ms;
    cmd.log_path = sr.log_path;
    cmd.log_append = true;
    cmd.log_cap_bytes = config_.log_cap_bytes;

    for (int attempt = 1;; ++attempt) {
      int attempt_no = 0;
      if (!write([&]() -> Status {
            auto n = deps_.store->StartStep(fence, index, rel_log, now());
            if (!n) return Fail(n.error());
            attempt_no = *n;
            return Ok();
          })) {
        return after_failed_write();
      }
      std::error_code size_ec;
      if (fs::exists(sr.log_path, size_ec) && fs::file_size(sr.log_path, size_ec) > 0) {
        AppendLine(sr.log_path, "=== sentinel: step " + step.name + " attempt " + std::to_string(attempt_no) +
                                    " (run attempt " + std::to_string(fence.attempt) + ") ===");
      }
      StepResult result = deps_.runner->Run(cmd, ex.step_stop.get_token());
      const StopReason why = ex.reason.load();
      if (why == StopReason::kLeaseLost) return Disposition::kLost;
      if (why == StopReason::kShutdown) return Disposition::kHandBack;

      sr.tests.clear();
      sr.warnings.clear();
      sr.exit_code.reset();
      sr.signal_name.clear();
      sr.signal = 0;
      std::string reason;
      if (const auto* c = std::get_if<Completed>(&result.outcome)) {
        sr.exit_code = c->exit_code;
        sr.signal_name = c->signal_name;
        sr.signal = c->signal;
        sr.status = result.Succeeded() ? StepStatus::kSucceeded : StepStatus::kFailed;
        if (c->signal != 0) reason = "killed by " + c->signal_name;
      } else if (std::holds_alternative<TimedOut>(result.outcome)) {
        sr.status = StepStatus::kTimedOut;
        reason = "timed out after " + std::to_string(cmd.timeout_ms / 1000) + "s";
      } else if (std::holds_alternative<Cancelled>(result.outcome)) {
        sr.status = StepStatus::kErrored;
        reason = "cancelled";
      } else {
        sr.status = StepStatus::kErrored;
        reason = "failed to start: " + std::get<FailedToStart>(result.outcome).error.message;
        sr.warnings.push_back(reason);
      }
      if (result.log_truncated) sr.warnings.push_back("log capped at " + std::to_string(cmd.log_cap_bytes) + " bytes");
      sr.disk_full = result.log_out_of_space;
      if (!result.log_error.empty()) {
        sr.warnings.push_back("log incomplete: " + result.log_error);
        // A step whose output could not be kept did not pass, whatever its exit code.
        if (sr.status == StepStatus::kSucceeded) {
          sr.status = StepStatus::kErrored;
          reason = "its log could not be written: " + result.log_error;
        }
      }
      if (sr.status != StepStatus::kErrored || why == StopReason::kNone) {
        IngestJUnit(ex.workspace, step.junit, run_id, index, sr.tests, sr.warnings);
      }

      // Retry only infrastructure-class failures, and never a step whose tests failed.
      bool retry = false;
      if ((sr.status == StepStatus::kFailed || sr.status == StepStatus::kErrored) && why == StopReason::kNone &&
          attempt <= step.retries && deps_.classify && !HasFailedTests(sr.tests)) {
        FailureCategory cat = deps_.classify(sr);
        if (IsInfrastructureClass(cat)) {
          retry = true;
          reason = std::string(Name(cat)) + ": retrying (retry " + std::to_string(attempt) + " of " +
                   std::to_string(step.retries) + ")";
        }
      }
      // Failed only because of quarantined (test, signature) pairs: the step does not fail the run.
      if (!retry && sr.status == StepStatus::kFailed && why == StopReason::kNone && deps_.history != nullptr &&
          HasFailedTests(sr.tests)) {
        std::vector<FailedTestRef> failed;
        std::string names;
        for (const TestCaseResult& t : sr.tests) {
          if (t.outcome != TestOutcome::kFailed && t.outcome != TestOutcome::kError) continue;
          failed.push_back({flaky::NormalizeTestId(t), flaky::TestFailureSignature(t)});
          if (failed.size() <= 5) names += (names.empty() ? "" : ", ") + failed.back().test_id;
        }
        auto covered = deps_.history->Quarantined(ex.claim.run.repo_id, failed);
        if (!covered) {
          Log("run " + std::to_string(run_id) + ": cannot read quarantines: " + covered.error().message);
        } else if (std::all_of(covered->begin(), covered->end(), [](bool b) { return b; })) {
          sr.status = StepStatus::kSucceeded;
          reason = std::to_string(failed.size()) + " failed test(s) quarantined, not failing the run: " + names;
          sr.warnings.push_back("quarantined: " + reason);
        }
      }
      StepAttemptEnd end{index, attempt_no, sr.status, sr.exit_code, result.duration_ms, reason, !retry, sr.warnings};
      if (!write([&] { return deps_.store->FinishStepAttempt(fence, end, now()); })) return after_failed_write();
      if (retry) {
        Log("run " + std::to_string(run_id) + " step " + step.name + ": " + reason);
        continue;
      }
      if (!sr.tests.empty() && !write([&] { return deps_.store->AddTestResults(fence, index, sr.tests, now()); })) {
        return after_failed_write();
      }
      break;
    }
    report.steps.push_back(sr);
    if (sr.status == StepStatus::kSucceeded) continue;
    if (ex.reason.load() == StopReason::kCancel) break;
    switch (sr.status) {
      case StepStatus::kTimedOut:
        outcome = {RunStatus::kTimedOut, FailureCategory::kTimeout, "step " + step.name + " timed out",
                   "step " + step.name + " timed out"};
        break;
      case StepStatus::kErrored:
        outcome = {RunStatus::kErrored, sr.disk_full ? FailureCategory::kDiskFull : FailureCategory::kInfrastructure,
                   "step " + step.name + " errored",
                   "step " + step.name + (sr.disk_full ? " ran out of disk space for its log" : " could not run")};
        break;
      default:
        outcome = {RunStatus::kFailed,
                   sr.disk_full               ? FailureCategory::kDiskFull
                   : HasFailedTests(sr.tests) ? FailureCategory::kTestFailure
                                              : FailureCategory::kUnknown,
                   "step " + step.name + " failed",
                   "step " + step.name + " failed" +
                       (sr.exit_code ? " (exit " + std::to_string(*sr.exit_code) + ")" : std::string())};
    }
    break;
  }
  if (ex.reason.load() == StopReason::kCancel) {
    outcome = {RunStatus::kCancelled, FailureCategory::kUnknown, "cancelled", "cancelled by request"};
  }
  return finish();
}

// ---------------------------------------------------------------- pool

WorkerPool::WorkerPool(WorkerDeps deps, WorkerConfig config, const std::string& id_prefix, int count) {
  for (int i = 0; i < count; ++i) {
    workers_.push_back(std::make_unique<Worker>(deps, config, id_prefix + "-" + std::to_string(i)));
  }
}

WorkerPool::~WorkerPool() { Stop(0); }

void WorkerPool::Start() {
  if (!threads_.empty()) return;
  running_ = static_cast<int>(workers_.size());
  for (auto& w : workers_) {
    threads_.emplace_back([this, worker = w.get()](std::stop_token st) {
      worker->Run(st);
      running_--;
    });
  }
}

void WorkerPool::Stop(EpochMs grace_ms) {
  if (threads_.empty()) return;
  for (auto& t : threads_) t.request_stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (running_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& w : workers_) w->AbortCurrent();
  threads_.clear();  // joins
}

int WorkerPool::busy() const {
  int n = 0;
  for (const auto& w : workers_) n += w->busy() ? 1 : 0;
  return n;
}

}  // namespace sentinel::app
