#include "app/run_control.h"

#include <algorithm>
#include <fstream>

namespace sentinel::app {

Result<Run> CancelRun(ExecutionStore& store, const Clock& clock, std::int64_t run_id) {
  return store.RequestCancel(run_id, clock.Now());
}

Result<Run> RetryRun(ExecutionStore& store, const Clock& clock, std::int64_t run_id,
                     const std::function<Status(const Run&)>& dispatch) {
  auto run = store.Retry(run_id, clock.Now());
  if (!run) return run;
  // The store is the source of truth: if the queue is down, the reconciler enqueues it later.
  if (dispatch) (void)dispatch(*run);
  return run;
}

Result<LogChunk> ReadStepLog(RunStore& runs, const std::string& data_dir, std::int64_t run_id, int index,
                             std::int64_t offset, std::int64_t max_bytes) {
  if (offset < 0) return Fail(ErrorCode::kInvalidArgument, "offset must be 0 or more", "offset");
  auto detail = runs.GetDetail(run_id);
  if (!detail) {
    if (detail.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "run " + std::to_string(run_id) + " does not exist", "id");
    }
    return Fail(detail.error());
  }
  const Step* step = nullptr;
  for (const Step& s : detail->steps) {
    if (s.index == index) step = &s;
  }
  if (step == nullptr) {
    return Fail(ErrorCode::kNotFound,
                "run " + std::to_string(run_id) + " has no step " + std::to_string(index), "index");
  }
  LogChunk chunk;
  chunk.offset = offset;
  chunk.next_offset = offset;
  chunk.complete = step->status != StepStatus::kPending && step->status != StepStatus::kRunning;
  if (step->log_path.empty()) return chunk;  // not started yet
  std::ifstream in(data_dir + "/" + step->log_path, std::ios::binary | std::ios::ate);
  if (!in) return chunk;  // started but nothing written yet (or the data dir was wiped)
  chunk.size = static_cast<std::int64_t>(in.tellg());
  if (offset >= chunk.size) {
    chunk.next_offset = std::max(offset, chunk.size);
    return chunk;
  }
  const std::int64_t n = std::min(chunk.size - offset, max_bytes);
  chunk.text.resize(static_cast<size_t>(n));
  in.seekg(offset);
  in.read(chunk.text.data(), n);
  chunk.text.resize(static_cast<size_t>(in.gcount()));
  chunk.next_offset = offset + static_cast<std::int64_t>(chunk.text.size());
  if (chunk.next_offset < chunk.size) chunk.complete = false;
  return chunk;
}

}  // namespace sentinel::app
