#pragma once
// Repositories registered with Sentinel. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "core/model/model.h"

namespace sentinel {

struct RepoSummary {
  Repo repo;
  std::optional<Run> last_run;
  std::int64_t finished_runs = 0;
  std::int64_t succeeded_runs = 0;
  std::optional<double> success_rate;  // succeeded / finished, nullopt with no finished run
};

struct ListQuery {
  int limit = 50;
  std::optional<std::string> cursor;  // as returned in Page::next_cursor
};

class RepoStore {
 public:
  virtual ~RepoStore() = default;
  // kAlreadyExists when the name is taken.
  [[nodiscard]] virtual Result<Repo> Create(const std::string& name, const std::string& url, EpochMs now) = 0;
  // kNotFound when absent.
  [[nodiscard]] virtual Result<Repo> Get(std::int64_t id) = 0;
  [[nodiscard]] virtual Result<Repo> GetByName(const std::string& name) = 0;
  [[nodiscard]] virtual Result<RepoSummary> Summary(std::int64_t id) = 0;
  [[nodiscard]] virtual Result<Page<RepoSummary>> List(const ListQuery& q) = 0;
};

}  // namespace sentinel
