#include "core/config/settings.h"

#include <gtest/gtest.h>

namespace sentinel {
namespace {

TEST(SettingsTest, DefaultsAreTheDocumentedOnes) {
  auto s = ResolveSettings({}, {}, std::nullopt);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->database_url, "sqlite://data/sentinel.db");
  EXPECT_EQ(s->queue_url, "embedded");
  EXPECT_EQ(s->data_dir, "data");
  EXPECT_EQ(s->api_port, 8000);
  EXPECT_EQ(s->ui_port, 3000);
  EXPECT_EQ(s->bind, "127.0.0.1");
  EXPECT_EQ(s->workers, 2);
  EXPECT_EQ(s->http_threads, 2);
  EXPECT_EQ(s->lease_seconds, 30);
  EXPECT_EQ(s->heartbeat_seconds, 10);
  EXPECT_EQ(s->max_retries, 2);
  EXPECT_EQ(s->queue_timeout_ms, 2 * 3600 * 1000);
  EXPECT_EQ(s->step_timeout_ms, 30 * 60 * 1000);
  EXPECT_EQ(s->log_cap_bytes, 50 * 1024 * 1024);
  EXPECT_EQ(s->flaky_window_runs, 30);
  EXPECT_DOUBLE_EQ(s->flaky_min_ratio, 0.05);
  EXPECT_DOUBLE_EQ(s->failing_ratio, 0.95);
  EXPECT_EQ(s->flaky_min_runs, 5);
  EXPECT_EQ(s->flaky_min_flips, 4);
  EXPECT_EQ(s->flaky_min_failures, 2);
  EXPECT_EQ(s->flaky_failing_streak, 3);
  EXPECT_DOUBLE_EQ(s->flaky_mass_failure_ratio, 0.5);
  EXPECT_EQ(s->flaky_mass_failure_min_tests, 5);
  EXPECT_DOUBLE_EQ(s->flaky_auto_quarantine, 0);  // off by default
  EXPECT_EQ(s->flaky_release_after, 10);
  EXPECT_EQ(s->incident_threshold, 3);
  EXPECT_EQ(s->incident_window_ms, 24 * 3600 * 1000);
}

TEST(SettingsTest, FlagsBeatEnvBeatFileBeatDefaults) {
  const std::string yaml = "api_port: 8100\nui_port: 3100\nbind: 0.0.0.0\nworkers: 7\n";
  const SettingMap env = {{"SENTINEL_API_PORT", "8200"}, {"SENTINEL_UI_PORT", "3200"}, {"UNRELATED", "x"}};
  const SettingMap flags = {{"api_port", "8300"}};
  auto s = ResolveSettings(flags, env, yaml);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->api_port, 8300);    // flag
  EXPECT_EQ(s->ui_port, 3200);     // env over file
  EXPECT_EQ(s->bind, "0.0.0.0");   // file over default
  EXPECT_EQ(s->workers, 7);
  EXPECT_EQ(s->data_dir, "data");  // default
}

TEST(SettingsTest, EveryEnvironmentVariableIsRead) {
  const SettingMap env = {{"SENTINEL_DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/sentinel"},
                          {"SENTINEL_QUEUE_URL", "redis://127.0.0.1:6379/2"},
                          {"SENTINEL_DATA_DIR", "/var/lib/sentinel"},
                          {"SENTINEL_API_PORT", "9000"},
                          {"SENTINEL_UI_PORT", "9001"},
                          {"SENTINEL_BIND", "0.0.0.0"},
                          {"SENTINEL_WORKERS", "4"}};
  auto s = ResolveSettings({}, env, std::nullopt);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->database_url, "postgresql://u:p@127.0.0.1:5432/sentinel");
  EXPECT_EQ(s->queue_url, "redis://127.0.0.1:6379/2");
  EXPECT_EQ(s->data_dir, "/var/lib/sentinel");
  EXPECT_EQ(s->api_port, 9000);
  EXPECT_EQ(s->ui_port, 9001);
  EXPECT_EQ(s->bind, "0.0.0.0");
  EXPECT_EQ(s->workers, 4);
}

TEST(SettingsTest, NestedThresholdsFromTheFile) {
  const std::string yaml = R"(
queue:
  lease_seconds: 60
  heartbeat_seconds: 15
  max_retries: 0
  timeout: 90m
steps:
  default_timeout: 120s
  log_cap_bytes: 2048
flaky:
  window: 40
  min_ratio: 0.1
  failing_ratio: 0.9
  min_runs: 8
  min_flips: 6
  min_failures: 3
  failing_streak: 4
  mass_failure_ratio: 0.7
  mass_failure_min_tests: 20
  auto_quarantine: 0.3
  release_after: 15
incidents:
  threshold: 5
  window: 12h
http:
  threads: 4
)";
  auto s = ResolveSettings({}, {}, yaml);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->lease_seconds, 60);
  EXPECT_EQ(s->heartbeat_seconds, 15);
  EXPECT_EQ(s->max_retries, 0);
  EXPECT_EQ(s->queue_timeout_ms, 90 * 60000);
  EXPECT_EQ(s->step_timeout_ms, 120000);
  EXPECT_EQ(s->log_cap_bytes, 2048);
  EXPECT_EQ(s->flaky_window_runs, 40);
  EXPECT_DOUBLE_EQ(s->flaky_min_ratio, 0.1);
  EXPECT_DOUBLE_EQ(s->failing_ratio, 0.9);
  EXPECT_EQ(s->flaky_min_runs, 8);
  EXPECT_EQ(s->flaky_min_flips, 6);
  EXPECT_EQ(s->flaky_min_failures, 3);
  EXPECT_EQ(s->flaky_failing_streak, 4);
  EXPECT_DOUBLE_EQ(s->flaky_mass_failure_ratio, 0.7);
  EXPECT_EQ(s->flaky_mass_failure_min_tests, 20);
  EXPECT_DOUBLE_EQ(s->flaky_auto_quarantine, 0.3);
  EXPECT_EQ(s->flaky_release_after, 15);
  EXPECT_EQ(s->incident_threshold, 5);
  EXPECT_EQ(s->incident_window_ms, 12 * 3600000);
  EXPECT_EQ(s->http_threads, 4);
}

TEST(SettingsTest, EmptyFileAndAcceptedUrlForms) {
  EXPECT_TRUE(ResolveSettings({}, {}, std::string("")).has_value());
  EXPECT_TRUE(ResolveSettings({}, {}, std::string("# only a comment\n")).has_value());
  for (const char* url : {"sqlite://data/x.db", "sqlite:///abs/x.db", "postgres://h/db", "postgresql://u:p@h:1/db"})
    EXPECT_TRUE(ResolveSettings({{"database_url", url}}, {}, std::nullopt).has_value()) << url;
  for (const char* url : {"embedded", "redis://127.0.0.1:6379/0", "redis://h", "redis://:pw@h:1/3"})
    EXPECT_TRUE(ResolveSettings({{"queue_url", url}}, {}, std::nullopt).has_value()) << url;
}

struct BadCase {
  const char* name;
  SettingMap flags;
  SettingMap env;
  std::optional<std::string> yaml;
  std::string field;                  // expected Error::field
  std::vector<std::string> mentions;  // substrings the message must contain
};

TEST(SettingsTest, RejectsBadValuesNamingKeyAndValue) {
  const BadCase cases[] = {
      {"unknown top key", {}, {}, "api_port: 1\nworkerz: 3\n", "workerz", {"unknown key 'workerz'", "line 2"}},
      {"unknown nested key", {}, {}, "flaky:\n  window: 20\n  windw: 5\n", "flaky.windw",
       {"unknown key 'flaky.windw'", "line 3"}},
      {"list where value", {}, {}, "workers: [1, 2]\n", "workers", {"workers", "line 1"}},
      {"bad db scheme", {{"database_url", "mysql://h/db"}}, {}, std::nullopt, "database_url",
       {"database_url", "mysql://h/db"}},
      {"db scheme only", {}, {{"SENTINEL_DATABASE_URL", "sqlite://"}}, std::nullopt, "database_url",
       {"database_url", "SENTINEL_DATABASE_URL"}},
      {"db password redacted", {{"database_url", "mysql://u:secret@h/db"}}, {}, std::nullopt, "database_url",
       {"mysql://u:***@h/db"}},
      {"bad queue", {}, {{"SENTINEL_QUEUE_URL", "amqp://h"}}, std::nullopt, "queue_url", {"queue_url", "amqp://h"}},
      {"bad queue port", {{"queue_url", "redis://h:99999/0"}}, {}, std::nullopt, "queue_url", {"redis://h:99999/0"}},
      {"port zero", {}, {{"SENTINEL_API_PORT", "0"}}, std::nullopt, "api_port", {"api_port", "'0'", "1..65535"}},
      {"port too big", {{"ui_port", "70000"}}, {}, std::nullopt, "ui_port", {"ui_port", "70000"}},
      {"ui api base not a url", {}, {{"SENTINEL_UI_API_BASE", "api.example:8000"}}, std::nullopt, "ui.api_base",
       {"ui.api_base", "api.example:8000"}},
      {"ui api base protocol-relative", {{"ui.api_base", "//h/api"}}, {}, std::nullopt, "ui.api_base", {"//h/api"}},
      {"port text", {}, {}, "api_port: eighty\n", "api_port", {"api_port", "eighty", "line 1"}},
      {"negative workers", {}, {{"SENTINEL_WORKERS", "-1"}}, std::nullopt, "workers", {"workers", "-1", "negative"}},
      {"negative retries", {}, {}, "queue:\n  max_retries: -2\n", "queue.max_retries",
       {"queue.max_retries", "-2", "negative"}},
      {"non-numeric window", {}, {}, "flaky:\n  window: lots\n", "flaky.window", {"flaky.window", "lots"}},
      {"ratio above one", {}, {}, "flaky:\n  min_ratio: 1.5\n", "flaky.min_ratio", {"flaky.min_ratio", "1.5"}},
      {"negative ratio", {{"flaky.failing_ratio", "-0.1"}}, {}, std::nullopt, "flaky.failing_ratio",
       {"flaky.failing_ratio", "-0.1", "negative"}},
      {"ratio text", {}, {}, "flaky:\n  failing_ratio: high\n", "flaky.failing_ratio", {"high"}},
      {"min_runs above window", {}, {}, "flaky:\n  window: 10\n  min_runs: 11\n", "flaky.min_runs",
       {"flaky.min_runs", "flaky.window"}},
      {"streak above window", {{"flaky.window", "5"}, {"flaky.min_runs", "2"}, {"flaky.failing_streak", "6"}}, {},
       std::nullopt, "flaky.failing_streak", {"flaky.failing_streak", "flaky.window"}},
      {"zero min_flips", {{"flaky.min_flips", "0"}}, {}, std::nullopt, "flaky.min_flips", {"flaky.min_flips", "'0'"}},
      {"auto_quarantine above one", {}, {}, "flaky:\n  auto_quarantine: 2\n", "flaky.auto_quarantine",
       {"flaky.auto_quarantine", "line 2"}},
      {"zero mass ratio", {{"flaky.mass_failure_ratio", "0"}}, {}, std::nullopt, "flaky.mass_failure_ratio",
       {"flaky.mass_failure_ratio"}},
      {"release_after text", {{"flaky.release_after", "soon"}}, {}, std::nullopt, "flaky.release_after",
       {"flaky.release_after", "soon"}},
      {"bad duration", {}, {}, "queue:\n  timeout: soon\n", "queue.timeout", {"queue.timeout", "soon"}},
      {"negative duration", {}, {}, "incidents:\n  window: -5h\n", "incidents.window",
       {"incidents.window", "-5h", "negative"}},
      {"heartbeat not below lease", {}, {}, "queue:\n  lease_seconds: 10\n  heartbeat_seconds: 10\n",
       "queue.heartbeat_seconds", {"queue.heartbeat_seconds", "queue.lease_seconds"}},
      {"empty data dir", {{"data_dir", ""}}, {}, std::nullopt, "data_dir", {"data_dir", "empty"}},
      {"unknown flag", {{"nope", "1"}}, {}, std::nullopt, "nope", {"nope"}},
      {"not yaml", {}, {}, "api_port: [1, 2\n", "sentinel.yml", {"sentinel.yml", "not valid YAML"}},
      {"not a mapping", {}, {}, "- 1\n- 2\n", "sentinel.yml", {"mapping"}},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = ResolveSettings(c.flags, c.env, c.yaml);
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, c.field);
    for (const std::string& m : c.mentions)
      EXPECT_NE(s.error().message.find(m), std::string::npos) << "'" << m << "' not in: " << s.error().message;
  }
}

TEST(SettingsTest, UiSettingsDefaultEmptyAndAcceptUrlsAndPaths) {
  auto d = ResolveSettings({}, {}, std::nullopt);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->ui_dir, "");
  EXPECT_EQ(d->ui_api_base, "");
  auto s = ResolveSettings({{"ui.api_base", "/api"}}, {{"SENTINEL_UI_DIR", "/srv/ui"}}, std::nullopt);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->ui_api_base, "/api");
  EXPECT_EQ(s->ui_dir, "/srv/ui");
  auto y = ResolveSettings({}, {}, std::string("ui:\n  api_base: https://ci.example:8443\n"));
  ASSERT_TRUE(y.has_value()) << y.error().message;
  EXPECT_EQ(y->ui_api_base, "https://ci.example:8443");
}

TEST(SettingsTest, RedactUrlHidesOnlyThePassword) {
  EXPECT_EQ(RedactUrl("postgresql://user:pw@host:5432/db"), "postgresql://user:***@host:5432/db");
  EXPECT_EQ(RedactUrl("postgresql://user@host/db"), "postgresql://user@host/db");
  EXPECT_EQ(RedactUrl("redis://127.0.0.1:6379/0"), "redis://127.0.0.1:6379/0");
  EXPECT_EQ(RedactUrl("embedded"), "embedded");
}

}  // namespace
}  // namespace sentinel

namespace sentinel {
namespace {

TEST(SettingsTest, IncidentThresholdsHaveDefaultsAndAreValidated) {
  auto s = ResolveSettings({}, {}, std::nullopt);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->incident_repo_runs, 10);
  EXPECT_EQ(s->incident_repo_min_runs, 5);
  EXPECT_DOUBLE_EQ(s->incident_repo_failure_rate, 0.5);
  EXPECT_EQ(s->incident_infra_repos, 2);
  EXPECT_EQ(s->incident_infra_window_ms, 3600 * 1000);
  EXPECT_DOUBLE_EQ(s->incident_flaky_score, 0.5);
  EXPECT_DOUBLE_EQ(s->incident_mitigate_below, 0.5);
  EXPECT_EQ(s->incident_resolve_after, 3);
  EXPECT_EQ(s->incident_reopen_window_ms, 24 * 3600 * 1000);

  auto ok = ResolveSettings({}, {}, std::string("incidents:\n  resolve_after: 5\n  reopen_window: 2h\n"));
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->incident_resolve_after, 5);
  EXPECT_EQ(ok->incident_reopen_window_ms, 2 * 3600 * 1000);

  for (auto [yaml, key] : {std::pair{"incidents:\n  repo_failure_rate: 1.5\n", "incidents.repo_failure_rate"},
                           std::pair{"incidents:\n  resolve_after: 0\n", "incidents.resolve_after"},
                           std::pair{"incidents:\n  infra_repos: 1\n", "incidents.infra_repos"},
                           std::pair{"incidents:\n  reopen_window: soon\n", "incidents.reopen_window"},
                           std::pair{"incidents:\n  repo_runs: 3\n  repo_min_runs: 4\n", "incidents.repo_min_runs"}}) {
    auto bad = ResolveSettings({}, {}, std::string(yaml));
    ASSERT_FALSE(bad.has_value()) << yaml;
    EXPECT_EQ(bad.error().field, key);
    EXPECT_NE(bad.error().message.find(key), std::string::npos) << bad.error().message;
  }
}

}  // namespace
}  // namespace sentinel
