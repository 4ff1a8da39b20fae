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

  // Queue and worker liveness.
  int lease_seconds = 30;                  // queue.lease_seconds: a claimed run is lost after this without a heartbeat
  int heartbeat_seconds = 10;              // queue.heartbeat_seconds: must be below lease_seconds
  int max_retries = 2;                     // queue.max_retries: re-queues after infrastructure failures
  EpochMs queue_timeout_ms = 2 * 3600000;  // queue.timeout: a run still queued after this is errored

  // Steps.
  EpochMs step_timeout_ms = 30 * 60000;              // steps.default_timeout: when a step names none
  std::int64_t log_cap_bytes = 50LL * 1024 * 1024;   // steps.log_cap_bytes: per step log, marked when reached

  // Flaky-test detection.
  int flaky_window_runs = 20;           // flaky.window: the last N runs of a test are looked at
  double flaky_min_ratio = 0.05;        // flaky.min_ratio: failure ratio from which a flipping test is flaky
  double failing_ratio = 0.95;          // flaky.failing_ratio: failure ratio from which a test is failing
  int flaky_min_runs = 5;               // flaky.min_runs: fewer runs than this classify nothing

  // Incidents.
  int incident_threshold = 3;               // incidents.threshold: failures of one cluster/repo in the window
  EpochMs incident_window_ms = 24 * 3600000;  // incidents.window

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
