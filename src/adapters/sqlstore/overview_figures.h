#pragma once
// The overview's running figures (internal to adapters/sqlstore; tables of
// migration 0006): finished runs per UTC day and each repository's recoveries
// (first failure after a success -> next success), kept in the transaction that
// finishes a run, so /overview reads them by index at any history size.
// Stateless; thread-safe.

#include <cstdint>

#include "core/base/result.h"
#include "core/base/time.h"
#include "ports/db.h"

namespace sentinel::sqlstore {

// Counts finished run `run_id` (succeeded, failed, timed_out or errored; other
// statuses are left out). Call once, inside the transaction that ends the run.
// Concurrent finishes of one repository record one recovery (compare-and-set).
[[nodiscard]] Status RecordFinishedRun(SqlSession& s, std::int64_t run_id);

}  // namespace sentinel::sqlstore
