#include "core/config/settings.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <string>

#include <yaml-cpp/yaml.h>

namespace sentinel {
namespace {

// One accepted key: how to parse its text into Settings. apply returns a
// sentence describing what is wrong (without the key), or "" when accepted.
struct KeySpec {
  std::string_view key;
  std::string_view env;  // "" when the key has no environment variable
  std::function<std::string(Settings&, std::string_view)> apply;
};

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // std::from_chars for double is not in GCC 10-; strtod on a bounded copy.
  std::string copy(s);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view Scheme(std::string_view url) {
  const size_t p = url.find("://");
  return p == std::string_view::npos ? std::string_view() : url.substr(0, p);
}

std::string CheckDatabaseUrl(std::string_view url) {
  const std::string_view scheme = Scheme(url);
  if (scheme != "sqlite" && scheme != "postgresql" && scheme != "postgres")
    return "is not a database URL (expected sqlite://PATH or postgresql://user:pass@host:port/db)";
  if (url.size() == scheme.size() + 3) return "has no path or host after the scheme";
  return "";
}

std::string CheckQueueUrl(std::string_view url) {
  if (url == "embedded") return "";
  const std::string_view scheme = Scheme(url);
  if (scheme != "redis") return "is not a queue URL (expected embedded or redis://host:port/db)";
  std::string_view rest = url.substr(8);
  const size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  const size_t slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  if (hostport.empty()) return "has no host";
  const size_t colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    auto port = ParseInt(hostport.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535) return "has a port outside 1..65535";
  }
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    auto db = ParseInt(rest.substr(slash + 1));
    if (!db || *db < 0) return "has a database number that is not a non-negative integer";
  }
  return "";
}

// The dashboard's API base: an absolute http(s) URL or a same-origin path ("/api" behind a proxy).
std::string CheckApiBase(std::string_view url) {
  if (url.starts_with("/")) return url.starts_with("//") ? "is not a URL (expected http://host:port or /path)" : "";
  const std::string_view scheme = Scheme(url);
  if (scheme != "http" && scheme != "https") return "is not an http(s) URL or a path (e.g. http://api.example:8000 or /api)";
  if (url.size() <= scheme.size() + 3) return "has no host";
  return "";
}

KeySpec Text(std::string_view key, std::string_view env, std::string Settings::*field,
             std::string (*check)(std::string_view) = nullptr) {
  return {key, env, [field, check](Settings& s, std::string_view v) -> std::string {
            if (v.empty()) return "must not be empty";
            if (check != nullptr) {
              std::string why = check(v);
              if (!why.empty()) return why;
            }
            s.*field = std::string(v);
            return "";
          }};
}

template <class Int>
KeySpec Integer(std::string_view key, std::string_view env, Int Settings::*field, std::int64_t min,
                std::int64_t max) {
  return {key, env, [field, min, max](Settings& s, std::string_view v) -> std::string {
            auto n = ParseInt(v);
            if (!n) return "is not an integer";
            if (*n < min || *n > max) {
              if (min == 0 && *n < 0) return "must not be negative";
              return "must be between " + std::to_string(min) + " and " + std::to_string(max);
            }
            s.*field = static_cast<Int>(*n);
            return "";
          }};
}

KeySpec Port(std::string_view key, std::string_view env, int Settings::*field) {
  return {key, env, [field](Settings& s, std::string_view v) -> std::string {
            auto n = ParseInt(v);
            if (!n) return "is not a port number";
            if (*n < 1 || *n > 65535) return "is a port outside 1..65535";
            s.*field = static_cast<int>(*n);
            return "";
          }};
}

KeySpec Ratio(std::string_view key, double Settings::*field) {
  return {key, "", [field](Settings& s, std::string_view v) -> std::string {
            auto d = ParseDouble(v);
            if (!d) return "is not a number";
            if (*d < 0) return "must not be negative";
            if (*d > 1) return "is a ratio and must be between 0 and 1";
            s.*field = *d;
            return "";
          }};
}

KeySpec Duration(std::string_view key, EpochMs Settings::*field) {
  return {key, "", [field](Settings& s, std::string_view v) -> std::string {
            if (!v.empty() && v[0] == '-') return "must not be negative";
            auto ms = ParseDurationMs(v);
            if (!ms) return "is not a duration (e.g. 90s, 30m, 2h, 1500ms)";
            if (*ms == 0) return "must be greater than zero";
            s.*field = *ms;
            return "";
          }};
}

const std::vector<KeySpec>& Specs() {
  constexpr std::int64_t kIntMax = 1'000'000'000;
  static const std::vector<KeySpec> specs = {
      Text("database_url", "SENTINEL_DATABASE_URL", &Settings::database_url, CheckDatabaseUrl),
      Text("queue_url", "SENTINEL_QUEUE_URL", &Settings::queue_url, CheckQueueUrl),
      Text("data_dir", "SENTINEL_DATA_DIR", &Settings::data_dir),
      Port("api_port", "SENTINEL_API_PORT", &Settings::api_port),
      Port("ui_port", "SENTINEL_UI_PORT", &Settings::ui_port),
      Text("bind", "SENTINEL_BIND", &Settings::bind),
      Integer("workers", "SENTINEL_WORKERS", &Settings::workers, 0, 1024),
      Integer("http.threads", "", &Settings::http_threads, 1, 256),
      Text("ui.dir", "SENTINEL_UI_DIR", &Settings::ui_dir),
      Text("ui.api_base", "SENTINEL_UI_API_BASE", &Settings::ui_api_base, CheckApiBase),
      Integer("queue.lease_seconds", "", &Settings::lease_seconds, 1, 86400),
      Integer("queue.heartbeat_seconds", "", &Settings::heartbeat_seconds, 1, 86400),
      Integer("queue.max_retries", "", &Settings::max_retries, 0, 100),
      Duration("queue.timeout", &Settings::queue_timeout_ms),
      Duration("steps.default_timeout", &Settings::step_timeout_ms),
      Integer("steps.log_cap_bytes", "", &Settings::log_cap_bytes, 1024, kIntMax * 1000),
      Integer("flaky.window", "", &Settings::flaky_window_runs, 2, 10000),
      Ratio("flaky.min_ratio", &Settings::flaky_min_ratio),
      Ratio("flaky.failing_ratio", &Settings::failing_ratio),
      Integer("flaky.min_runs", "", &Settings::flaky_min_runs, 1, 10000),
      Integer("flaky.min_flips", "", &Settings::flaky_min_flips, 1, 10000),
      Integer("flaky.min_failures", "", &Settings::flaky_min_failures, 1, 10000),
      Integer("flaky.failing_streak", "", &Settings::flaky_failing_streak, 1, 10000),
      Ratio("flaky.mass_failure_ratio", &Settings::flaky_mass_failure_ratio),
      Integer("flaky.mass_failure_min_tests", "", &Settings::flaky_mass_failure_min_tests, 1, 1000000),
      Ratio("flaky.auto_quarantine", &Settings::flaky_auto_quarantine),
      Integer("flaky.release_after", "", &Settings::flaky_release_after, 1, 10000),
      Integer("incidents.threshold", "", &Settings::incident_threshold, 1, kIntMax),
      Duration("incidents.window", &Settings::incident_window_ms),
      Integer("incidents.repo_runs", "", &Settings::incident_repo_runs, 1, 10000),
      Integer("incidents.repo_min_runs", "", &Settings::incident_repo_min_runs, 1, 10000),
      Ratio("incidents.repo_failure_rate", &Settings::incident_repo_failure_rate),
      Integer("incidents.infra_repos", "", &Settings::incident_infra_repos, 2, 10000),
      Duration("incidents.infra_window", &Settings::incident_infra_window_ms),
      Ratio("incidents.flaky_score", &Settings::incident_flaky_score),
      Ratio("incidents.mitigate_below", &Settings::incident_mitigate_below),
      Integer("incidents.resolve_after", "", &Settings::incident_resolve_after, 1, 10000),
      Duration("incidents.reopen_window", &Settings::incident_reopen_window_ms),
      {"webhooks.secret", "SENTINEL_WEBHOOK_SECRET",
       [](Settings& s, std::string_view v) -> std::string {
         s.webhook_secret = std::string(v);
         return "";
       }},
      {"log.format", "SENTINEL_LOG_FORMAT",
       [](Settings& s, std::string_view v) -> std::string {
         if (v != "auto" && v != "text" && v != "json") return "must be auto, text or json";
         s.log_format = std::string(v);
         return "";
       }},
      Integer("retention.log_days", "", &Settings::retention_log_days, 0, 36500),
      Integer("retention.run_days", "", &Settings::retention_run_days, 0, 36500),
      Integer("retention.workspace_days", "", &Settings::retention_workspace_days, 0, 36500),
      Duration("retention.interval", &Settings::retention_interval_ms),
      Integer("notifications.max_attempts", "", &Settings::notification_max_attempts, 1, 100),
      Duration("notifications.backoff", &Settings::notification_backoff_ms),
      Duration("notifications.timeout", &Settings::notification_timeout_ms),
      Text("notifications.dashboard_url", "SENTINEL_DASHBOARD_URL", &Settings::dashboard_url),
  };
  return specs;
}

const KeySpec* FindSpec(std::string_view key) {
  for (const KeySpec& s : Specs())
    if (s.key == key) return &s;
  return nullptr;
}

// Values are echoed in messages; a URL's password is not.
std::string Shown(std::string_view key, std::string_view value) {
  if (key.ends_with("secret")) return "***";
  return key.ends_with("_url") ? RedactUrl(value) : std::string(value);
}

Status Apply(Settings& s, const KeySpec& spec, std::string_view value, std::string_view source) {
  std::string why = spec.apply(s, value);
  if (why.empty()) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              std::string(spec.key) + " = '" + Shown(spec.key, value) + "' (" + std::string(source) + ") " + why,
              std::string(spec.key));
}

std::string YamlWhere(const YAML::Mark& mark) {
  return mark.is_null() ? "sentinel.yml" : "sentinel.yml line " + std::to_string(mark.line + 1);
}

std::string Scalar(const YAML::Node& map, const char* key) {
  const YAML::Node v = map[key];
  return v && v.IsScalar() ? v.Scalar() : std::string();
}

// notifications.targets: a list of {name, url, events, secret?}.
Status ApplyTargets(Settings& s, const YAML::Node& list) {
  const std::string key = "notifications.targets";
  if (!list.IsSequence())
    return Fail(ErrorCode::kInvalidArgument, YamlWhere(list.Mark()) + ": " + key + " must be a list of targets", key);
  s.notification_targets.clear();
  for (const YAML::Node& item : list) {
    const std::string where = YamlWhere(item.Mark()) + ": " + key;
    if (!item.IsMap()) return Fail(ErrorCode::kInvalidArgument, where + ": each target is a mapping", key);
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
      if (k != "name" && k != "url" && k != "events" && k != "secret")
        return Fail(ErrorCode::kInvalidArgument, where + ": unknown target key '" + k + "' (name, url, events, secret)",
                    key);
    }
    NotificationTarget t;
    t.name = Scalar(item, "name");
    t.url = Scalar(item, "url");
    t.secret = Scalar(item, "secret");
    if (t.name.empty()) return Fail(ErrorCode::kInvalidArgument, where + ": a target needs a name", key);
    for (const NotificationTarget& other : s.notification_targets)
      if (other.name == t.name)
        return Fail(ErrorCode::kInvalidArgument, where + ": two targets are named '" + t.name + "'", key);
    const std::string named = where + " '" + t.name + "'";
    if (t.url.rfind("http://", 0) != 0 || t.url.size() <= 7)
      return Fail(ErrorCode::kInvalidArgument,
                  named + ": url '" + t.url + "' must be an http:// URL (https is not built in: use a local relay)",
                  key);
    const YAML::Node events = item["events"];
    if (!events || !events.IsSequence() || events.size() == 0)
      return Fail(ErrorCode::kInvalidArgument, named + ": events must be a non-empty list", key);
    for (const YAML::Node& e : events) {
      const std::string name = e.IsScalar() ? e.Scalar() : "";
      bool known = false;
      for (const std::string& v : NotificationEvents()) known = known || v == name;
      if (!known)
        return Fail(ErrorCode::kInvalidArgument,
                    named + ": unknown event '" + name +
                        "' (incident_opened, incident_escalated, incident_resolved, flaky_detected)",
                    key);
      t.events.push_back(name);
    }
    s.notification_targets.push_back(std::move(t));
  }
  return Ok();
}

// Walks the document: maps nest into dotted keys; every leaf must be a known key with a scalar.
Status ApplyYaml(Settings& s, const YAML::Node& node, const std::string& prefix) {
  for (YAML::const_iterator it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar())
      return Fail(ErrorCode::kInvalidArgument, YamlWhere(it->first.Mark()) + ": a key must be a plain name",
                  prefix);
    const std::string key = prefix.empty() ? it->first.Scalar() : prefix + "." + it->first.Scalar();
    const YAML::Node value = it->second;  // a copy: the iterator yields temporaries
    if (key == "notifications.targets") {
      Status st = ApplyTargets(s, value);
      if (!st) return st;
      continue;
    }
    if (value.IsMap()) {
      Status st = ApplyYaml(s, value, key);
      if (!st) return st;
      continue;
    }
    const KeySpec* spec = FindSpec(key);
    if (spec == nullptr)
      return Fail(ErrorCode::kInvalidArgument, YamlWhere(it->first.Mark()) + ": unknown key '" + key + "'", key);
    if (!value.IsScalar())
      return Fail(ErrorCode::kInvalidArgument,
                  YamlWhere(value.Mark()) + ": " + key + " must be a single value, not a list or empty", key);
    Status st = Apply(s, *spec, value.Scalar(), YamlWhere(value.Mark()));
    if (!st) return st;
  }
  return Ok();
}

}  // namespace

const std::vector<std::string>& NotificationEvents() {
  static const std::vector<std::string> events = {"incident_opened", "incident_escalated", "incident_resolved",
                                                  "flaky_detected"};
  return events;
}

std::vector<std::string_view> SettingKeys() {
  std::vector<std::string_view> keys;
  for (const KeySpec& s : Specs()) keys.push_back(s.key);
  return keys;
}

std::string RedactUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t at = url.find('@', scheme_end + 3);
  if (at == std::string_view::npos) return std::string(url);
  const size_t colon = url.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Result<Settings> ResolveSettings(const SettingMap& flags, const SettingMap& env,
                                 const std::optional<std::string>& yaml_text) {
  Settings s;
  if (yaml_text.has_value()) {
    YAML::Node root;
    try {
      root = YAML::Load(*yaml_text);
    } catch (const YAML::Exception& e) {
      return Fail(ErrorCode::kInvalidArgument, YamlWhere(e.mark) + ": not valid YAML: " + e.msg, "sentinel.yml");
    }
    if (root.IsMap()) {
      Status st = ApplyYaml(s, root, "");
      if (!st) return tl::unexpected(st.error());
    } else if (!root.IsNull()) {
      return Fail(ErrorCode::kInvalidArgument, YamlWhere(root.Mark()) + ": the file must be a mapping of keys",
                  "sentinel.yml");
    }
  }
  for (const KeySpec& spec : Specs()) {
    if (spec.env.empty()) continue;
    auto it = env.find(spec.env);
    if (it == env.end()) continue;
    Status st = Apply(s, spec, it->second, "from " + std::string(spec.env));
    if (!st) return tl::unexpected(st.error());
  }
  for (const auto& [key, value] : flags) {
    const KeySpec* spec = FindSpec(key);
    if (spec == nullptr) return Fail(ErrorCode::kInvalidArgument, "unknown setting '" + key + "'", key);
    Status st = Apply(s, *spec, value, "from the command line");
    if (!st) return tl::unexpected(st.error());
  }
  if (s.heartbeat_seconds >= s.lease_seconds)
    return Fail(ErrorCode::kInvalidArgument,
                "queue.heartbeat_seconds = " + std::to_string(s.heartbeat_seconds) +
                    " must be below queue.lease_seconds = " + std::to_string(s.lease_seconds),
                "queue.heartbeat_seconds");
  if (s.flaky_min_runs > s.flaky_window_runs)
    return Fail(ErrorCode::kInvalidArgument,
                "flaky.min_runs = " + std::to_string(s.flaky_min_runs) + " must not exceed flaky.window = " +
                    std::to_string(s.flaky_window_runs),
                "flaky.min_runs");
  if (s.flaky_failing_streak > s.flaky_window_runs)
    return Fail(ErrorCode::kInvalidArgument,
                "flaky.failing_streak = " + std::to_string(s.flaky_failing_streak) +
                    " must not exceed flaky.window = " + std::to_string(s.flaky_window_runs),
                "flaky.failing_streak");
  if (s.flaky_mass_failure_ratio <= 0)
    return Fail(ErrorCode::kInvalidArgument, "flaky.mass_failure_ratio must be above 0", "flaky.mass_failure_ratio");
  if (s.flaky_min_ratio >= s.failing_ratio)
    return Fail(ErrorCode::kInvalidArgument, "flaky.min_ratio must be below flaky.failing_ratio",
                "flaky.min_ratio");
  if (s.incident_repo_min_runs > s.incident_repo_runs)
    return Fail(ErrorCode::kInvalidArgument,
                "incidents.repo_min_runs = " + std::to_string(s.incident_repo_min_runs) +
                    " must not exceed incidents.repo_runs = " + std::to_string(s.incident_repo_runs),
                "incidents.repo_min_runs");
  if (s.incident_repo_failure_rate <= 0)
    return Fail(ErrorCode::kInvalidArgument, "incidents.repo_failure_rate must be greater than 0",
                "incidents.repo_failure_rate");
  return s;
}

}  // namespace sentinel
