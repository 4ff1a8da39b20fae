#include "app/retention.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

namespace sentinel::app {
namespace {

namespace fs = std::filesystem;

constexpr int kBatch = 200;

// "run-12" -> 12, "run-12-3" -> 12 (with want_attempt); nullopt for other names.
std::optional<std::int64_t> RunIdOf(const std::string& name, bool with_attempt) {
  if (name.rfind("run-", 0) != 0) return std::nullopt;
  std::string rest = name.substr(4);
  if (with_attempt) {
    const size_t dash = rest.find('-');
    if (dash == std::string::npos) return std::nullopt;
    rest = rest.substr(0, dash);
  }
  if (rest.empty() || rest.size() > 18 || rest.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(rest);
}

std::int64_t SizeOf(const fs::path& dir) {
  std::int64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) total += static_cast<std::int64_t>(it->file_size(ec2));
  }
  return total;
}

// Removes dir (unless dry), adding its size to the report; true when it is gone (or would be).
bool Remove(const fs::path& dir, bool dry, GcReport* report) {
  const std::int64_t size = SizeOf(dir);
  if (!dry) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) return false;
  }
  report->bytes_freed += size;
  return true;
}

// Subfolders of parent whose name parses to a run id, with their last write time.
struct Entry {
  fs::path path;
  std::int64_t run_id;
  EpochMs mtime_ms;
};

std::vector<Entry> RunDirs(const fs::path& parent, bool with_attempt) {
  std::vector<Entry> out;
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return out;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    std::error_code ec2;
    if (!e.is_directory(ec2)) continue;
    auto id = RunIdOf(e.path().filename().string(), with_attempt);
    if (!id) continue;
    const auto t = fs::last_write_time(e.path(), ec2);
    if (ec2) continue;
    const auto sys = std::chrono::file_clock::to_sys(t);
    out.push_back({e.path(), *id,
                   std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count()});
  }
  return out;
}

}  // namespace

Result<GcReport> CollectGarbage(RetentionStore& store, const std::string& data_dir, const Clock& clock,
                                const RetentionPolicy& policy) {
  GcReport report;
  const EpochMs now = clock.Now();
  const fs::path logs = fs::path(data_dir) / "logs";

  // 1. History: finished, unreferenced runs older than run_ms, with their logs.
  if (policy.run_ms > 0) {
    std::int64_t after = 0;
    for (;;) {
      auto ids = store.ExpiredRuns(now - policy.run_ms, after, kBatch);
      if (!ids) return Fail(ids.error());
      if (ids->empty()) break;
      after = ids->back();
      if (!policy.dry_run) {
        auto n = store.DeleteRuns(*ids, now - policy.run_ms);
        if (!n) return Fail(n.error());
        report.runs_deleted += *n;
      } else {
        report.runs_deleted += static_cast<std::int64_t>(ids->size());
      }
      // A deleted run's log folder is an orphan now; the log pass below removes it (its
      // run is no longer in the store), whatever log_ms says.
      if (static_cast<int>(ids->size()) < kBatch) break;
    }
  }

  // 2. Logs: folders of runs whose logs expired (or whose run is gone).
  const EpochMs log_cutoff = policy.log_ms > 0 ? now - policy.log_ms : (policy.run_ms > 0 ? now - policy.run_ms : 0);
  if (log_cutoff > 0) {
    std::vector<Entry> dirs = RunDirs(logs, false);
    for (size_t i = 0; i < dirs.size(); i += kBatch) {
      std::vector<std::int64_t> ids;
      for (size_t j = i; j < std::min(dirs.size(), i + kBatch); ++j) ids.push_back(dirs[j].run_id);
      auto expired = store.LogsExpired(ids, log_cutoff);
      if (!expired) return Fail(expired.error());
      for (size_t j = i; j < std::min(dirs.size(), i + kBatch); ++j) {
        const Entry& e = dirs[j];
        // A folder written to recently belongs to a live run, whatever the store says.
        if (e.mtime_ms >= log_cutoff) continue;
        if (!expired->count(e.run_id)) {
          ++report.kept_referenced;
          continue;
        }
        if (Remove(e.path, policy.dry_run, &report)) ++report.log_dirs_removed;
      }
    }
  }

  // 3. Workspaces left behind (a crash, keep_workspaces): never one of a queued or running run.
  if (policy.workspace_ms > 0) {
    std::vector<Entry> dirs = RunDirs(fs::path(data_dir) / "workspaces", true);
    std::vector<std::int64_t> ids;
    for (const Entry& e : dirs) ids.push_back(e.run_id);
    for (size_t i = 0; i < ids.size(); i += kBatch) {
      std::vector<std::int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                      ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kBatch)));
      auto active = store.ActiveRuns(chunk);
      if (!active) return Fail(active.error());
      for (size_t j = i; j < std::min(dirs.size(), i + kBatch); ++j) {
        const Entry& e = dirs[j];
        if (active->count(e.run_id) || e.mtime_ms >= now - policy.workspace_ms) continue;
        if (Remove(e.path, policy.dry_run, &report)) ++report.workspaces_removed;
      }
    }
  }
  return report;
}

GcLoop::GcLoop(RetentionStore& store, std::string data_dir, const Clock& clock, RetentionPolicy policy,
               EpochMs interval_ms, std::function<void(const std::string&)> log)
    : thread_([&store, data_dir = std::move(data_dir), &clock, policy, interval_ms,
               log = std::move(log)](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        while (!stop.stop_requested()) {
          cv.wait_for(lock, stop, std::chrono::milliseconds(interval_ms), [] { return false; });
          if (stop.stop_requested()) return;
          auto report = CollectGarbage(store, data_dir, clock, policy);
          if (!log) continue;
          if (!report) {
            log("retention sweep failed: " + report.error().message);
          } else if (report->runs_deleted + report->log_dirs_removed + report->workspaces_removed > 0) {
            log("retention sweep: " + std::to_string(report->runs_deleted) + " runs, " +
                std::to_string(report->log_dirs_removed) + " log folders, " +
                std::to_string(report->workspaces_removed) + " workspaces removed (" +
                std::to_string(report->bytes_freed) + " bytes)");
          }
        }
      }) {}

GcLoop::~GcLoop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sentinel::app
