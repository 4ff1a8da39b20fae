#pragma once
// A whole Sentinel in this process, as `sentinel up` wires it: the API over
// SQLite in a temp dir on a free loopback port, the embedded queue, one worker
// thread with real git and processes, and the reconciler. Repositories are
// made from a pipeline text. Not thread-safe: drive it from the test thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/api_runtime.h"
#include "cli/engine_runtime.h"
#include "core/config/settings.h"
#include "testing/scratch_dir.h"

namespace sentinel::ops_testing {

class System {
 public:
  // adjust may change the settings before anything starts. *why when it cannot start.
  static std::unique_ptr<System> Start(std::string* why, const std::function<void(Settings&)>& adjust = {});
  ~System();

  const std::string& base() const { return base_; }  // "http://127.0.0.1:<port>"
  int port() const;
  const Settings& settings() const { return settings_; }
  Db& db();
  cli::ApiRuntime& api() { return *api_; }
  const std::string& dir() const { return dir_.path(); }

  // A git repository holding .sentinel.yml = pipeline, registered as `name`. Its id, or 0 (and a test failure).
  std::int64_t MakeRepo(const std::string& name, const std::string& pipeline);
  // The commit MakeRepo made for `name`.
  std::string Sha(const std::string& name) const;
  // The repository's folder (its clone URL) as MakeRepo made it.
  std::string RepoPath(const std::string& name) const { return dir_.Sub("repos/" + name); }
  // POST /runs; the run id or 0.
  std::int64_t Submit(const std::string& repo);
  // GET /runs/{id}, polling until the run is finished (bounded); the run JSON (null on failure).
  nlohmann::json WaitFinished(std::int64_t run_id, int timeout_ms = 60'000);

 private:
  System() = default;
  testing::ScratchDir dir_;
  Settings settings_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<cli::ApiRuntime> api_;
  std::unique_ptr<cli::EngineRuntime> engine_;
  std::string base_;
  std::map<std::string, std::string> shas_;
};

}  // namespace sentinel::ops_testing
