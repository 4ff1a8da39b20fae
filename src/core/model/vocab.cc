#include "core/model/vocab.h"

#include <array>
#include <utility>

namespace sentinel {
namespace {

template <class E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, n] : table)
    if (e == v) return n;
  return "unknown";
}

template <class E, size_t N>
std::optional<E> ParseOf(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [e, n] : table)
    if (n == s) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<RunStatus, std::string_view>, 7> kRun{{
    {RunStatus::kQueued, "queued"},
    {RunStatus::kRunning, "running"},
    {RunStatus::kSucceeded, "succeeded"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kTimedOut, "timed_out"},
    {RunStatus::kErrored, "errored"},
    {RunStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<StepStatus, std::string_view>, 7> kStep{{
    {StepStatus::kPending, "pending"},
    {StepStatus::kRunning, "running"},
    {StepStatus::kSucceeded, "succeeded"},
    {StepStatus::kFailed, "failed"},
    {StepStatus::kTimedOut, "timed_out"},
    {StepStatus::kSkipped, "skipped"},
    {StepStatus::kErrored, "errored"},
}};
constexpr std::array<std::pair<TestOutcome, std::string_view>, 4> kTest{{
    {TestOutcome::kPassed, "passed"},
    {TestOutcome::kFailed, "failed"},
    {TestOutcome::kSkipped, "skipped"},
    {TestOutcome::kError, "error"},
}};
constexpr std::array<std::pair<FailureCategory, std::string_view>, 14> kCategory{{
    {FailureCategory::kTestFailure, "test_failure"},
    {FailureCategory::kCompilationError, "compilation_error"},
    {FailureCategory::kDependencyError, "dependency_error"},
    {FailureCategory::kNetworkDns, "network_dns"},
    {FailureCategory::kNetworkError, "network_error"},
    {FailureCategory::kDiskFull, "disk_full"},
    {FailureCategory::kOutOfMemory, "out_of_memory"},
    {FailureCategory::kTimeout, "timeout"},
    {FailureCategory::kCrash, "crash"},
    {FailureCategory::kPermissionDenied, "permission_denied"},
    {FailureCategory::kConfigError, "config_error"},
    {FailureCategory::kLintError, "lint_error"},
    {FailureCategory::kInfrastructure, "infrastructure"},
    {FailureCategory::kUnknown, "unknown"},
}};
constexpr std::array<std::pair<IncidentStatus, std::string_view>, 3> kIncident{{
    {IncidentStatus::kOpen, "open"},
    {IncidentStatus::kMitigating, "mitigating"},
    {IncidentStatus::kResolved, "resolved"},
}};

}  // namespace

std::string_view Name(RunStatus v) { return NameOf(kRun, v); }
std::string_view Name(StepStatus v) { return NameOf(kStep, v); }
std::string_view Name(TestOutcome v) { return NameOf(kTest, v); }
std::string_view Name(FailureCategory v) { return NameOf(kCategory, v); }
std::string_view Name(IncidentStatus v) { return NameOf(kIncident, v); }

std::optional<RunStatus> ParseRunStatus(std::string_view s) { return ParseOf(kRun, s); }
std::optional<StepStatus> ParseStepStatus(std::string_view s) { return ParseOf(kStep, s); }
std::optional<TestOutcome> ParseTestOutcome(std::string_view s) { return ParseOf(kTest, s); }
std::optional<FailureCategory> ParseFailureCategory(std::string_view s) { return ParseOf(kCategory, s); }
std::optional<IncidentStatus> ParseIncidentStatus(std::string_view s) { return ParseOf(kIncident, s); }

bool IsTerminal(RunStatus s) {
  return s == RunStatus::kSucceeded || s == RunStatus::kFailed || s == RunStatus::kTimedOut ||
         s == RunStatus::kErrored || s == RunStatus::kCancelled;
}

}  // namespace sentinel
