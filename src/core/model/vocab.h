#pragma once
// The vocabularies of CONTRACT.md section 4, as enums with their wire names.
// Name() gives the snake_case wire name; Parse*() returns nullopt on an unknown name.

#include <optional>
#include <string_view>

namespace sentinel {

enum class RunStatus { kQueued, kRunning, kSucceeded, kFailed, kTimedOut, kErrored, kCancelled };
enum class StepStatus { kPending, kRunning, kSucceeded, kFailed, kTimedOut, kSkipped, kErrored };
enum class TestOutcome { kPassed, kFailed, kSkipped, kError };
enum class FailureCategory {
  kTestFailure,
  kCompilationError,
  kDependencyError,
  kNetworkDns,
  kNetworkError,
  kDiskFull,
  kOutOfMemory,
  kTimeout,
  kCrash,
  kPermissionDenied,
  kConfigError,
  kLintError,  // linters, formatters, static analysis, documentation and link checks
  kInfrastructure,
  kUnknown,
};
enum class IncidentStatus { kOpen, kMitigating, kResolved };

std::string_view Name(RunStatus v);
std::string_view Name(StepStatus v);
std::string_view Name(TestOutcome v);
std::string_view Name(FailureCategory v);
std::string_view Name(IncidentStatus v);

std::optional<RunStatus> ParseRunStatus(std::string_view s);
std::optional<StepStatus> ParseStepStatus(std::string_view s);
std::optional<TestOutcome> ParseTestOutcome(std::string_view s);
std::optional<FailureCategory> ParseFailureCategory(std::string_view s);
std::optional<IncidentStatus> ParseIncidentStatus(std::string_view s);

// A run in one of these states will not change again without a retry.
bool IsTerminal(RunStatus s);

}  // namespace sentinel
