#pragma once
// The worker's triage hooks over the knowledge base (core/triage): a step
// classifier (which failures are infrastructure-class and worth a step retry)
// and the run analyser (one triaged Failure for the step that failed). Both
// read the step's log file (bounded) and its JUnit results, then call the pure
// Triage(). Clustering is not done here. Thread-safe: the Kb is shared const.

#include <memory>

#include "app/worker.h"
#include "core/triage/signature_kb.h"

namespace sentinel::app {

// The longest log tail triaged, in bytes (evidence line numbers stay those of the whole file).
inline constexpr std::int64_t kMaxTriagedLogBytes = 16LL << 20;

ClassifyStepFn MakeTriageClassifier(std::shared_ptr<const triage::Kb> kb);
AnalyzeRunFn MakeTriageAnalyzer(std::shared_ptr<const triage::Kb> kb);

// Triages one step exactly as the analyser does (the same log tail, JUnit
// results and exit code), for re-triage of a stored step: the Failure has
// run_id, step_index (step.index), kb_version and cluster_template set.
// kNotFound (field "log_path") when step.log_path cannot be opened.
[[nodiscard]] Result<Failure> TriageStoredStep(const triage::Kb& kb, std::int64_t run_id, const StepReport& step);

}  // namespace sentinel::app
