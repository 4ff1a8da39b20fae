#pragma once
// Runs, their steps, tests, failures and events. Thread-safe. The store is the
// source of truth for a run's state; the queue only dispatches.

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "core/model/model.h"
#include "ports/repo_store.h"

namespace sentinel {

struct NewRun {
  std::int64_t repo_id = 0;
  std::string ref;
  std::string scenario;
};

struct RunFilter {
  std::optional<std::int64_t> repo_id;
  std::optional<RunStatus> status;
  std::optional<EpochMs> since;  // created_at >= since
  ListQuery page;
};

class RunStore {
 public:
  virtual ~RunStore() = default;
  // Creates a queued run (and its "queued" event) in one transaction.
  [[nodiscard]] virtual Result<Run> Create(const NewRun& run, EpochMs now) = 0;
  // kNotFound when absent.
  [[nodiscard]] virtual Result<Run> Get(std::int64_t id) = 0;
  [[nodiscard]] virtual Result<RunDetail> GetDetail(std::int64_t id) = 0;
  [[nodiscard]] virtual Result<Page<Run>> List(const RunFilter& filter) = 0;
};

}  // namespace sentinel
