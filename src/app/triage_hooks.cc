#include "app/triage_hooks.h"

#include <algorithm>
#include <fstream>

#include "core/triage/triage.h"

namespace sentinel::app {
namespace {

// The log's last kMaxTriagedLogBytes, and how many lines were skipped before them.
struct LogTail {
  std::string text;
  int skipped_lines = 0;
};

LogTail ReadLogTail(const std::string& path) {
  LogTail tail;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return tail;
  const std::int64_t size = static_cast<std::int64_t>(in.tellg());
  std::int64_t start = std::max<std::int64_t>(0, size - kMaxTriagedLogBytes);
  in.seekg(0);
  // Count the lines before the tail (streamed), so evidence keeps whole-file line numbers.
  std::string buf(1 << 16, '\0');
  std::int64_t done = 0;
  while (done < start) {
    const std::int64_t n = std::min<std::int64_t>(static_cast<std::int64_t>(buf.size()), start - done);
    in.read(buf.data(), n);
    const auto got = in.gcount();
    if (got <= 0) break;
    tail.skipped_lines += static_cast<int>(std::count(buf.data(), buf.data() + got, '\n'));
    done += got;
  }
  tail.text.resize(static_cast<size_t>(size - start));
  in.read(tail.text.data(), static_cast<std::streamsize>(tail.text.size()));
  tail.text.resize(static_cast<size_t>(in.gcount()));
  return tail;
}

triage::TriageResult TriageStep(const triage::Kb& kb, const StepReport& step, LogTail* tail_out) {
  LogTail tail = ReadLogTail(step.log_path);
  triage::TriageInput in;
  in.log = tail.text;
  in.tests = step.tests;
  in.step.step_name = step.name;
  if (step.signal != 0) {
    in.step.exit_code = -step.signal;
  } else {
    in.step.exit_code = step.exit_code;
  }
  in.step.status = step.status;
  // The last green log of this step, when there is one (its tail: the end of a
  // log is where its failure block would be).
  LogTail baseline;
  if (!step.baseline_log_path.empty()) {
    baseline = ReadLogTail(step.baseline_log_path);
    in.baseline = baseline.text;
  }
  triage::TriageResult r = triage::Triage(kb, in);
  if (step.disk_full && r.failure.category != FailureCategory::kDiskFull) {
    // The step's own words about it were lost with the end of its log.
    r.failure.category = FailureCategory::kDiskFull;
    r.failure.title = "No space left on device: the log of step " + step.name + " is cut short";
    r.failure.hints.insert(r.failure.hints.begin(),
                           "free space where the data directory lives (logs/, workspaces/); `sentinel gc` removes "
                           "old logs and workspaces; then retry the run");
  }
  if (r.location.used_baseline && step.baseline_run_id > 0) {
    r.failure.hints.insert(r.failure.hints.begin(),
                           "New since run #" + std::to_string(step.baseline_run_id) + ": " +
                               std::to_string(r.location.demoted) +
                               " error-looking line(s) also occur in that run's green log and were set aside.");
  }
  for (EvidenceLine& e : r.failure.evidence) e.line += tail.skipped_lines;
  if (tail_out != nullptr) *tail_out = std::move(tail);
  return r;
}

// The analyser's Failure for one step.
Failure AnalyzeStep(const triage::Kb& kb, std::int64_t run_id, const StepReport& step) {
  triage::TriageResult r = TriageStep(kb, step, nullptr);
  Failure f = std::move(r.failure);
  f.cluster_template = std::move(r.cluster_template);
  f.run_id = run_id;
  f.step_index = step.index;
  return f;
}

}  // namespace

ClassifyStepFn MakeTriageClassifier(std::shared_ptr<const triage::Kb> kb) {
  return [kb](const StepReport& step) { return TriageStep(*kb, step, nullptr).failure.category; };
}

AnalyzeRunFn MakeTriageAnalyzer(std::shared_ptr<const triage::Kb> kb) {
  return [kb](const RunReport& run) {
    std::vector<Failure> out;
    for (const StepReport& step : run.steps) {
      if (step.status == StepStatus::kSucceeded || step.status == StepStatus::kSkipped) continue;
      out.push_back(AnalyzeStep(*kb, run.run.id, step));
    }
    return out;
  };
}

Result<Failure> TriageStoredStep(const triage::Kb& kb, std::int64_t run_id, const StepReport& step) {
  if (!std::ifstream(step.log_path, std::ios::binary)) {
    return Fail(ErrorCode::kNotFound, "the log of run " + std::to_string(run_id) + " step " +
                                          std::to_string(step.index) + " cannot be read: " + step.log_path,
                "log_path");
  }
  return AnalyzeStep(kb, run_id, step);
}

}  // namespace sentinel::app
