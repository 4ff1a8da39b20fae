#pragma once
// Use cases behind POST /runs/{id}/cancel, POST /runs/{id}/retry and
// GET /runs/{id}/steps/{index}/log. Thin over the stores; the log is read from
// the data dir (logs/run-<id>/<step>.log), whatever exists so far, so a
// client can tail a running step with increasing offsets. Thread-safe as the
// stores are.

#include <cstdint>
#include <functional>
#include <string>

#include "core/base/result.h"
#include "core/model/model.h"
#include "ports/clock.h"
#include "ports/execution_store.h"
#include "ports/run_store.h"

namespace sentinel::app {

// A queued run is cancelled at once; a running one gets cancel_requested (its
// worker stops the step at its next heartbeat). kFailedPrecondition for a
// finished run, kNotFound (field "id") for an unknown one. Returns the run after.
[[nodiscard]] Result<Run> CancelRun(ExecutionStore& store, const Clock& clock, std::int64_t run_id);

// A finished run runs again as a new queued run (retry_of = run_id), handed
// to `dispatch` (the queue) when given; a failed dispatch is not an error (the
// reconciler enqueues it). kFailedPrecondition while queued or running.
[[nodiscard]] Result<Run> RetryRun(ExecutionStore& store, const Clock& clock, std::int64_t run_id,
                                   const std::function<Status(const Run&)>& dispatch = {});

struct LogChunk {
  std::string text;          // bytes from offset to the end of what exists now (at most max_bytes)
  std::int64_t offset = 0;   // where text starts
  std::int64_t next_offset = 0;  // pass as ?offset= to continue
  std::int64_t size = 0;     // the file's size now
  bool complete = false;     // the step has finished: no more bytes will come
};

inline constexpr std::int64_t kMaxLogChunkBytes = 8LL << 20;

// The log of step `index` of run `run_id`, from byte `offset`. kNotFound (field
// "id" or "index") for an unknown run or step; a step that has not started yet
// gives an empty chunk. kInvalidArgument (field "offset") for a negative offset.
[[nodiscard]] Result<LogChunk> ReadStepLog(RunStore& runs, const std::string& data_dir, std::int64_t run_id, int index,
                                           std::int64_t offset, std::int64_t max_bytes = kMaxLogChunkBytes);

}  // namespace sentinel::app
