#pragma once
// The domain's plain records. Values only: no I/O, no behaviour beyond what a
// struct needs. Ids are int64 (0 = not yet stored); times are EpochMs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/time.h"
#include "core/model/vocab.h"

namespace sentinel {

struct Repo {
  std::int64_t id = 0;
  std::string name;
  std::string url;  // a local path, file:// URL or git URL
  EpochMs created_at = 0;
};

struct Step {
  std::int64_t run_id = 0;
  int index = 0;  // from 0, in pipeline order
  std::string name;
  std::string command;
  StepStatus status = StepStatus::kPending;
  std::optional<int> exit_code;
  int attempts = 0;  // how many times the step was started in this run attempt
  std::optional<EpochMs> started_at;
  std::optional<EpochMs> finished_at;
  std::optional<std::int64_t> duration_ms;
  std::string log_path;  // relative to the data dir
  std::vector<std::string> warnings;  // e.g. a malformed JUnit file
};

struct TestCaseResult {
  std::int64_t run_id = 0;
  int step_index = 0;
  std::string suite;
  std::string class_name;
  std::string name;
  TestOutcome outcome = TestOutcome::kPassed;
  std::int64_t duration_ms = 0;
  std::string message;  // failure/error message, empty when passed
  int attempts = 1;     // >1 when a runner re-ran it (Surefire flakyFailure/rerunFailure)
  std::string file;     // the report it came from
  // As stored once its run finished (test_results.flaky/quarantined): a failure whose test has a
  // `flaky` verdict for its signature; a failure covered by a quarantine (it did not fail the run).
  bool flaky = false;
  bool quarantined = false;

  // "suite::class::name" with empty parts omitted: the stable id of a test across runs.
  std::string TestId() const;
};

struct EvidenceLine {
  int line = 0;  // 1-based, into the step log
  std::string text;
};

struct Failure {
  std::int64_t id = 0;
  std::int64_t run_id = 0;
  int step_index = 0;
  FailureCategory category = FailureCategory::kUnknown;
  std::string signature;    // signature id, or "" for unknown
  std::string fingerprint;  // hex
  std::optional<std::int64_t> cluster_id;
  double confidence = 0;  // 0..1
  std::string title;
  std::vector<EvidenceLine> evidence;
  std::vector<std::string> hints;
  std::vector<std::string> remediation;
  std::string kb_version;  // knowledge-base version that produced it
  std::string cluster_template;  // normalized text the fingerprint hashes; titles its cluster (not stored per failure)
  // A failure of a test whose verdict for this signature is `flaky` (failures.flaky): counted
  // apart from deterministic failures everywhere; never counts toward regression incidents.
  bool flaky = false;
  EpochMs created_at = 0;
};

struct Cluster {
  std::int64_t id = 0;
  std::string fingerprint;
  FailureCategory category = FailureCategory::kUnknown;
  std::string signature;
  std::string title;
  std::string template_text;
  std::int64_t occurrences = 0;
  std::int64_t affected_runs = 0;
  std::int64_t affected_repos = 0;
  EpochMs first_seen = 0;
  EpochMs last_seen = 0;
  std::vector<EvidenceLine> excerpt;
  std::string hint;
};

// Something that happened to a run: queued, claimed, retried, worker_lost, ...
struct RunEvent {
  std::int64_t run_id = 0;
  EpochMs at = 0;
  std::string kind;
  std::string message;
  int attempt = 0;
};

struct TestCounts {
  int total = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
  int flaky = 0;        // failed or error results marked flaky
  int quarantined = 0;  // failed or error results covered by a quarantine
};

struct Run {
  std::int64_t id = 0;
  std::int64_t repo_id = 0;
  std::string repo_name;
  std::string ref;  // requested branch or commit; "" = the default branch
  std::string commit;  // resolved sha, once checked out
  std::string scenario;  // demo scenario or ""
  RunStatus status = RunStatus::kQueued;
  int attempt = 0;  // fencing token: bumped at every claim
  std::string worker;
  std::optional<EpochMs> lease_expires_at;
  std::string reason;  // why it ended as it did (worker_lost, queue_timeout, ...)
  FailureCategory category = FailureCategory::kUnknown;  // meaningful when failed/errored
  EpochMs created_at = 0;
  std::optional<EpochMs> started_at;
  std::optional<EpochMs> finished_at;
};

// A run with everything GET /runs/{id} shows.
struct RunDetail {
  Run run;
  std::vector<Step> steps;
  TestCounts tests;
  std::vector<TestCaseResult> failed_tests;
  std::vector<Failure> failures;
  std::vector<RunEvent> events;
};

struct Incident {
  std::int64_t id = 0;
  std::string key;  // what it is about, e.g. "cluster:<fingerprint>" or "repo:<id>"
  std::string title;
  IncidentStatus status = IncidentStatus::kOpen;
  std::string severity;  // "critical" | "major" | "minor"
  std::optional<std::int64_t> cluster_id;
  std::optional<std::int64_t> repo_id;
  EpochMs opened_at = 0;
  std::optional<EpochMs> resolved_at;
};

struct IncidentEvent {
  std::int64_t incident_id = 0;
  EpochMs at = 0;
  std::string kind;  // opened, recurred, status_changed, note, resolved
  std::string message;
  std::optional<std::int64_t> run_id;
};

// A page of a newest-first list. next_cursor is opaque to clients.
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

}  // namespace sentinel
