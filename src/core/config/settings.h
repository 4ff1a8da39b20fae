#pragma once
// The process configuration: where the store and queue are, ports, and the
// thresholds of the reliability rules. ResolveSettings() merges the sources
// with the precedence of CONTRACT.md section 2 (flags > environment >
// sentinel.yml > defaults) and validates every value. Pure: the caller reads
// the environment and the file; values only, safe to copy between threads.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace sentinel {

// One receiver of outgoing notifications (sentinel.yml notifications.targets, a list):
//   - name: chat
//     url: http://127.0.0.1:9000/hooks/sentinel   # http only (put a relay in front of an https endpoint)
//     events: [incident_opened, incident_escalated, incident_resolved, flaky_detected]
//     secret: optional; signs the body: X-Sentinel-Signature-256: sha256=<hex HMAC-SHA256>
struct NotificationTarget {
  std::string name;
  std::string url;
  std::vector<std::string> events;
  std::string secret;
};

// The events a target may subscribe to.
const std::vector<std::string>& NotificationEvents();

// Every field has its documented default. The sentinel.yml key of each field
// is given beside it (nested keys in dotted form); flags use the same keys.
struct Settings {
  std::string database_url = "sqlite://data/sentinel.db";  // database_url   (SENTINEL_DATABASE_URL)
  std::string queue_url = "embedded";                      // queue_url      (SENTINEL_QUEUE_URL)
  std::string data_dir = "data";                           // data_dir       (SENTINEL_DATA_DIR)
  int api_port = 8000;                                     // api_port       (SENTINEL_API_PORT)
  int ui_port = 3000;                                      // ui_port        (SENTINEL_UI_PORT)
  std::string bind = "127.0.0.1";                          // bind           (SENTINEL_BIND)
  int workers = 2;                                         // workers        (SENTINEL_WORKERS), in `up`
  int http_threads = 2;                                    // http.threads
  std::string ui_dir;       // ui.dir (SENTINEL_UI_DIR): the built dashboard; empty: ui/dist by the working dir or the binary
  std::string ui_api_base;  // ui.api_base (SENTINEL_UI_API_BASE): the API URL the dashboard calls; empty: its host, api_port

  // Queue and worker liveness.
  int lease_seconds = 30;                  // queue.lease_seconds: a claimed run is lost after this without a heartbeat
  int heartbeat_seconds = 10;              // queue.heartbeat_seconds: must be below lease_seconds
  int max_retries = 2;                     // queue.max_retries: re-queues after infrastructure failures
  EpochMs queue_timeout_ms = 2 * 3600000;  // queue.timeout: a run still queued after this is errored

  // Steps.
  EpochMs step_timeout_ms = 30 * 60000;              // steps.default_timeout: when a step names none
  std::int64_t log_cap_bytes = 50LL * 1024 * 1024;   // steps.log_cap_bytes: per step log, marked when reached

  // Flaky-test detection (core/flaky; definitions in README "Flaky tests").
  int flaky_window_runs = 30;           // flaky.window: the last N runs of a test are looked at
  double flaky_min_ratio = 0.05;        // flaky.min_ratio: flip evidence needs a failure ratio above this
  double failing_ratio = 0.95;          // flaky.failing_ratio: failure ratio from which a test is failing
  int flaky_min_runs = 5;               // flaky.min_runs: fewer counted runs classify as insufficient
  int flaky_min_flips = 4;              // flaky.min_flips: pass<->fail flips from which flips are evidence
  int flaky_min_failures = 2;           // flaky.min_failures: failures a flaky verdict needs (one flip is not flakiness)
  int flaky_failing_streak = 3;         // flaky.failing_streak: failures in a row that make a test failing
  double flaky_mass_failure_ratio = 0.5;  // flaky.mass_failure_ratio: a run where more tests failed is infrastructure
  int flaky_mass_failure_min_tests = 5;   // flaky.mass_failure_min_tests: ... when it ran at least this many
  double flaky_auto_quarantine = 0;     // flaky.auto_quarantine: 0 = off; quarantine flaky verdicts scoring >= this
  int flaky_release_after = 10;         // flaky.release_after: clean runs in a row that lift a quarantine

  // Incidents.
  int incident_threshold = 3;               // incidents.threshold: runs failing in one cluster within the window open an incident
  EpochMs incident_window_ms = 24 * 3600000;  // incidents.window: the cluster-recurrence window
  int incident_repo_runs = 10;              // incidents.repo_runs: a repository's failure rate is over its last M finished runs
  int incident_repo_min_runs = 5;           // incidents.repo_min_runs: fewer finished runs than this decide nothing (<= repo_runs)
  double incident_repo_failure_rate = 0.5;  // incidents.repo_failure_rate: the failure rate (0..1) that opens a repository incident
  int incident_infra_repos = 2;             // incidents.infra_repos: repositories with infrastructure failures that open one infra incident
  EpochMs incident_infra_window_ms = 3600000;  // incidents.infra_window
  double incident_flaky_score = 0.5;        // incidents.flaky_score: flakiness score (0..1) that opens a flaky-test incident
  double incident_mitigate_below = 0.5;     // incidents.mitigate_below: an incident mitigates when its recent failure rate falls under this
  int incident_resolve_after = 3;           // incidents.resolve_after: consecutive clean runs that resolve a mitigating incident
  EpochMs incident_reopen_window_ms = 24 * 3600000;  // incidents.reopen_window: a recurrence this soon after resolution reopens it

  // Operability.
  std::string webhook_secret;          // webhooks.secret (SENTINEL_WEBHOOK_SECRET): "" = pushes need no signature
  std::string log_format = "auto";     // log.format (SENTINEL_LOG_FORMAT): auto (text on a terminal, else json), text, json
  // Retention (`sentinel gc` and the periodic task of `up`/`api`); 0 days = keep forever.
  int retention_log_days = 30;             // retention.log_days: step logs of finished runs
  int retention_run_days = 90;             // retention.run_days: finished runs and their history
  int retention_workspace_days = 1;        // retention.workspace_days: checked-out workspaces
  EpochMs retention_interval_ms = 3600000;  // retention.interval: how often up/api collect
  // Outgoing notifications (webhooks out), delivered off the run path with retries.
  std::vector<NotificationTarget> notification_targets;  // notifications.targets (a list; see NotificationTarget)
  int notification_max_attempts = 6;                     // notifications.max_attempts: then the delivery is failed
  EpochMs notification_backoff_ms = 2000;                // notifications.backoff: first retry delay, doubling, max 5 min
  EpochMs notification_timeout_ms = 5000;                // notifications.timeout: per delivery attempt
  std::string dashboard_url = "http://127.0.0.1:3000";   // notifications.dashboard_url: links in messages
};

// Values keyed by setting key (e.g. "database_url", "flaky.window"), as text.
using SettingMap = std::map<std::string, std::string, std::less<>>;

// Merges defaults < yaml_text < env < flags and validates. `env` is keyed by
// variable name (SENTINEL_DATABASE_URL ...; other names are ignored); `flags`
// by setting key. Errors are kInvalidArgument with Error::field set to the key
// and a message naming the key and the value (and the YAML line for a file
// problem): an unknown key, a malformed file, a bad URL, a port outside
// 1..65535, a negative or non-numeric threshold, heartbeat >= lease.
[[nodiscard]] Result<Settings> ResolveSettings(const SettingMap& flags, const SettingMap& env,
                                               const std::optional<std::string>& yaml_text);

// The keys ResolveSettings accepts, in documentation order.
std::vector<std::string_view> SettingKeys();

// The URL with any password replaced by "***", for logs and messages.
std::string RedactUrl(std::string_view url);

}  // namespace sentinel
