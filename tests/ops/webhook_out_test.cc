// Webhooks out: notifications are queued per subscribed target, delivered by
// the delivery loop to a local receiver that fails its first attempts
// (delivered after retries, every attempt recorded, the outcome on the
// incident's timeline), given up after max_attempts, and a receiver that never
// answers holds up neither the delivery of others for long nor any run.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/sqlstore/migrate.h"
#include "adapters/sqlstore/sql_notification_store.h"
#include "app/notifier.h"
#include "cli/api_runtime.h"
#include "cli/db_factory.h"
#include "cli/http_client.h"
#include "core/crypto/hmac_sha256.h"
#include "http/router.h"
#include "http/server.h"
#include "ports/clock.h"
#include "system.h"
#include "testing/scratch_dir.h"
#include "testing/servers.h"
#include "testing/wait.h"

namespace sentinel {
namespace {

using nlohmann::json;

// A loopback receiver answering 500 to its first `failures` posts, then 200. Records what it got.
class Receiver {
 public:
  explicit Receiver(int failures) : failures_(failures) {
    router_.Add("POST", "/hook", [this](const http::HttpRequest& req) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      headers_.push_back(req.headers);
      http::HttpResponse res;
      res.status = static_cast<int>(bodies_.size()) <= failures_ ? 500 : 200;
      res.body = "{}";
      return res;
    });
    http::ServerOptions o;
    o.port = 0;
    auto s = http::HttpServer::Start(o, &router_);
    EXPECT_TRUE(s) << s.error().message;
    if (s) server_ = std::move(*s);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hook"; }
  size_t count() {
    std::lock_guard lock(mu_);
    return bodies_.size();
  }
  std::string body(size_t i) {
    std::lock_guard lock(mu_);
    return bodies_.at(i);
  }
  std::map<std::string, std::string> headers(size_t i) {
    std::lock_guard lock(mu_);
    return headers_.at(i);
  }

 private:
  int failures_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<std::map<std::string, std::string>> headers_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
};

// A receiver that accepts connections and never answers.
class BlackHole {
 public:
  BlackHole() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd_, 64), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~BlackHole() { ::close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

notify::Notification Opened(std::int64_t incident_id) {
  notify::Notification n;
  n.event = "incident_opened";
  n.title = "test_failure in demo-python: assert 2 == 3";
  n.severity = "major";
  n.impact = "3 failed runs in 1 repository since 19:02";
  n.root_cause = "a failing assertion in tests/test_calc.py (confidence 0.92)";
  n.incident_id = incident_id;
  return n;
}

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = cli::OpenDatabase("sqlite://" + dir_.Sub("n.db"));
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(sqlstore::Migrate(*db_, 1));
    ASSERT_TRUE(db_->Exec("INSERT INTO incidents (id, key, title, status, severity, opened_at, updated_at) VALUES "
                          "(7, 'k', 'T', 'open', 'major', 1, 1)"));
    store_ = std::make_unique<sqlstore::SqlNotificationStore>(*db_);
  }
  testing::ScratchDir dir_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<sqlstore::SqlNotificationStore> store_;
};

TEST_F(NotifierTest, OnlySubscribedTargetsGetARowAndTheBodyCarriesTheIncident) {
  app::NotifierConfig config;
  config.dashboard_url = "http://dash:3000";
  config.targets = {{"chat", "http://127.0.0.1:1/a", {"incident_opened", "incident_resolved"}, ""},
                    {"pager", "http://127.0.0.1:1/b", {"incident_escalated"}, ""}};
  auto n = app::Notify(*store_, config, Opened(7), 1000);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);
  auto rows = store_->ForIncident(7);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].target, "chat");
  EXPECT_EQ((*rows)[0].status, "pending");
  json body = json::parse((*rows)[0].payload);
  EXPECT_EQ(body["event"], "incident_opened");
  EXPECT_EQ(body["title"], "test_failure in demo-python: assert 2 == 3");
  EXPECT_EQ(body["severity"], "major");
  EXPECT_EQ(body["impact"], "3 failed runs in 1 repository since 19:02");
  EXPECT_EQ(body["root_cause"], "a failing assertion in tests/test_calc.py (confidence 0.92)");
  EXPECT_EQ(body["link"], "http://dash:3000/incidents/7");
  EXPECT_EQ(body["incident_id"], 7);
  const std::string text = body["text"];  // Slack-compatible
  EXPECT_NE(text.find("*[major] Incident opened*"), std::string::npos) << text;
  EXPECT_NE(text.find("<http://dash:3000/incidents/7|Open in Sentinel>"), std::string::npos) << text;
}

TEST_F(NotifierTest, BackoffDoublesUpToTheCap) {
  app::NotifierConfig c;
  c.backoff_ms = 1000;
  c.max_backoff_ms = 5000;
  EXPECT_EQ(app::BackoffMs(c, 1), 1000);
  EXPECT_EQ(app::BackoffMs(c, 2), 2000);
  EXPECT_EQ(app::BackoffMs(c, 3), 4000);
  EXPECT_EQ(app::BackoffMs(c, 4), 5000);
  EXPECT_EQ(app::BackoffMs(c, 40), 5000);
}

TEST_F(NotifierTest, DeliveredAfterRetriesRecordedAndOnTheTimeline) {
  Receiver receiver(2);  // 500, 500, then 200
  app::NotifierConfig config;
  config.targets = {{"chat", receiver.url(), {"incident_opened"}, "shh"}};
  config.backoff_ms = 100;
  config.timeout_ms = 2000;
  ASSERT_TRUE(app::Notify(*store_, config, Opened(7), SystemClock().Now()));
  {
    app::DeliveryLoop loop(*store_, config, cli::HttpPoster(), SystemClock(), 20);
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          auto rows = store_->ForIncident(7);
          return rows && !rows->empty() && (*rows)[0].status == "delivered";
        },
        20'000));
  }
  auto row = (*store_->ForIncident(7))[0];
  EXPECT_EQ(row.attempts, 3);
  EXPECT_EQ(row.last_status, 200);
  EXPECT_TRUE(row.delivered_at.has_value());
  EXPECT_EQ(receiver.count(), 3u);
  // Signed with the target's secret; the body is the same on every attempt.
  EXPECT_EQ(receiver.headers(2)["x-sentinel-signature-256"],
            "sha256=" + crypto::ToHex(crypto::HmacSha256("shh", receiver.body(2))));
  EXPECT_EQ(receiver.headers(2)["x-sentinel-event"], "incident_opened");
  EXPECT_EQ(receiver.body(0), receiver.body(2));
  auto events = db_->Exec("SELECT kind, message FROM incident_events WHERE incident_id = 7 ORDER BY id");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->rows.size(), 1u);
  EXPECT_EQ(events->rows[0].Text(0), "notification_delivered");
  EXPECT_NE(events->rows[0].Text(1).find("notified chat of incident_opened after 3 attempts"), std::string::npos)
      << events->rows[0].Text(1);
}

TEST_F(NotifierTest, GivenUpAfterMaxAttemptsAgainstADeadAndASilentReceiver) {
  BlackHole silent;
  const int dead_port = testing::FreePort();  // nothing listens: connection refused
  app::NotifierConfig config;
  config.targets = {{"silent", silent.url(), {"incident_opened"}, ""},
                    {"dead", "http://127.0.0.1:" + std::to_string(dead_port) + "/x", {"incident_opened"}, ""}};
  config.backoff_ms = 50;
  config.timeout_ms = 300;
  config.max_attempts = 2;
  ASSERT_TRUE(app::Notify(*store_, config, Opened(7), SystemClock().Now()));
  {
    app::DeliveryLoop loop(*store_, config, cli::HttpPoster(), SystemClock(), 20);
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          auto rows = store_->ForIncident(7);
          return rows && rows->size() == 2 && (*rows)[0].status == "failed" && (*rows)[1].status == "failed";
        },
        20'000));
  }
  auto rows = store_->ForIncident(7);
  ASSERT_TRUE(rows);
  for (const OutboxItem& row : *rows) {
    EXPECT_EQ(row.attempts, 2) << row.target;
    EXPECT_FALSE(row.last_status.has_value()) << row.target;
    EXPECT_FALSE(row.last_error.empty()) << row.target;
  }
  auto failed = db_->Exec("SELECT COUNT(*) FROM incident_events WHERE incident_id = 7 AND kind = 'notification_failed'");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->rows[0].Int(0), 2);
}

// A repository whose one step fails like a pytest assertion when the run's scenario is testfail.
constexpr const char* kCalcPipeline =
    "steps:\n  - name: test\n    run: \"if [ \\\"$SENTINEL_SCENARIO\\\" = testfail ]; then "
    "echo 'E       assert 589 == 590'; echo 'FAILED tests/test_calc.py::test_total - assert 589 "
    "== 590'; echo '1 failed, 4 passed'; exit 1; fi; echo '5 passed'\"\n";

// POST /runs with a scenario, then waits for the run to finish; the run JSON.
json RunScenario(ops_testing::System& system, const std::string& repo, const std::string& scenario) {
  auto r = cli::HttpRequest(system.base(), "POST", "/runs", json{{"repo", repo}, {"scenario", scenario}}.dump());
  EXPECT_TRUE(r && r->status == 202) << (r ? r->body : r.error().message);
  if (!r || r->status != 202) return json();
  return system.WaitFinished(json::parse(r->body).value("id", std::int64_t{0}), 60'000);
}

json GetJson(ops_testing::System& system, const std::string& path) {
  auto r = cli::HttpRequest(system.base(), "GET", path);
  if (!r || r->status != 200) return json();
  return json::parse(r->body, nullptr, false);
}

// The incidents the API lists (newest first), once the evaluation of the last run is done.
json Incidents(ops_testing::System& system) {
  json items = json::array();
  testing::WaitUntil(
      [&] {
        auto pending = system.db().Exec("SELECT COUNT(*) FROM incident_pending");
        if (!pending || pending->rows[0].Int(0) != 0) return false;
        items = GetJson(system, "/incidents?limit=100").value("items", json::array());
        return true;
      },
      30'000);
  return items;
}

// Given real runs that trip an incident and later resolve it, we should post incident_opened to
// a receiver that fails its first two attempts (delivered on the third, recorded, on the
// timeline), and then incident_resolved; a target not subscribed to an event gets nothing.
TEST(NotifierSystemTest, IncidentTransitionsOfRealRunsReachAFlakyReceiverAfterRetries) {
  Receiver receiver(2);  // 500, 500, then 200
  Receiver pager(0);
  std::string why;
  auto system = ops_testing::System::Start(&why, [&](Settings& s) {
    s.notification_targets = {{"chat", receiver.url(), {"incident_opened", "incident_resolved"}, ""},
                              {"pager", pager.url(), {"flaky_detected"}, ""}};
    s.notification_backoff_ms = 200;
    s.notification_timeout_ms = 2'000;
    s.dashboard_url = "http://dash.example:3000";
    s.incident_resolve_after = 2;
  });
  ASSERT_NE(system, nullptr) << why;
  ASSERT_NE(system->MakeRepo("calc", kCalcPipeline), 0);
  ASSERT_EQ(RunScenario(*system, "calc", "success").value("status", ""), "succeeded");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(RunScenario(*system, "calc", "testfail").value("status", ""), "failed");
  json list = Incidents(*system);
  ASSERT_EQ(list.size(), 1u) << list.dump();
  const std::int64_t id = list[0]["id"];
  EXPECT_EQ(list[0]["rule"], "cluster_recurrence");

  sqlstore::SqlNotificationStore store(system->db());
  auto delivered = [&](const std::string& event) {
    return testing::WaitUntil(
        [&] {
          auto rows = store.ForIncident(id);
          if (!rows) return false;
          for (const OutboxItem& o : *rows)
            if (o.event == event && o.status == "delivered") return true;
          return false;
        },
        30'000);
  };
  ASSERT_TRUE(delivered("incident_opened"));
  auto rows = store.ForIncident(id);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u) << "one row per subscribed target and event";
  EXPECT_EQ((*rows)[0].target, "chat");
  EXPECT_EQ((*rows)[0].attempts, 3);
  EXPECT_EQ((*rows)[0].last_status, 200);
  ASSERT_EQ(receiver.count(), 3u);
  EXPECT_EQ(pager.count(), 0u);
  json body = json::parse(receiver.body(2));
  EXPECT_EQ(body["event"], "incident_opened");
  EXPECT_EQ(body["incident_id"], id);
  EXPECT_EQ(body["title"], list[0]["title"]);
  EXPECT_EQ(body["severity"], list[0]["severity"]);
  EXPECT_NE(body["impact"].get<std::string>().find("3 failed runs in 1 repository (calc)"), std::string::npos)
      << body["impact"];
  EXPECT_NE(body["root_cause"].get<std::string>().find("confidence"), std::string::npos) << body["root_cause"];
  EXPECT_EQ(body["link"], "http://dash.example:3000/incidents/" + std::to_string(id));
  EXPECT_NE(body["text"].get<std::string>().find("Incident opened*: " + list[0]["title"].get<std::string>()),
            std::string::npos)
      << body["text"];

  json d = GetJson(*system, "/incidents/" + std::to_string(id));
  std::vector<std::string> kinds;
  std::string delivered_message;
  for (const json& e : d["timeline"]) {
    kinds.push_back(e["kind"]);
    if (e["kind"] == "notification_delivered") delivered_message = e["message"];
  }
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "notification_queued"), kinds.end()) << d["timeline"].dump();
  EXPECT_NE(delivered_message.find("notified chat of incident_opened after 3 attempts"), std::string::npos)
      << d["timeline"].dump();

  // Clean runs: mitigating, then resolved (resolve_after = 2): incident_resolved goes out once.
  for (int i = 0; i < 3; ++i) {
    RunScenario(*system, "calc", "success");
    Incidents(*system);  // evaluated
  }
  ASSERT_EQ(GetJson(*system, "/incidents/" + std::to_string(id)).value("status", ""), "resolved");
  ASSERT_TRUE(delivered("incident_resolved"));
  EXPECT_EQ(receiver.count(), 4u);
  EXPECT_EQ(json::parse(receiver.body(3))["event"], "incident_resolved");
  rows = store.ForIncident(id);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 2u);
}

// A receiver that never answers: runs go on as if it did not exist, while the
// incident their failures opened waits in the outbox.
TEST(NotifierSystemTest, ASilentReceiverNeverBlocksRunProcessing) {
  BlackHole silent;
  std::string why;
  auto system = ops_testing::System::Start(&why, [&](Settings& s) {
    s.notification_targets = {{"silent", silent.url(), {"incident_opened", "flaky_detected"}, ""}};
    s.notification_timeout_ms = 15'000;  // per attempt; three queued rows ahead hold the loop 45 s
  });
  ASSERT_NE(system, nullptr) << why;
  sqlstore::SqlNotificationStore store(system->db());
  app::NotifierConfig config;
  config.targets = system->settings().notification_targets;
  for (int i = 0; i < 3; ++i) {
    notify::Notification n = Opened(0);
    n.incident_id.reset();
    n.event = "flaky_detected";
    ASSERT_TRUE(app::Notify(store, config, n, SystemClock().Now()));
  }
  ASSERT_NE(system->MakeRepo("calc", kCalcPipeline), 0);
  // The delivery loop is now stuck in 15 s attempts; failing runs still finish and open their incident.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(RunScenario(*system, "calc", "testfail").value("status", ""), "failed");
  json list = Incidents(*system);
  ASSERT_EQ(list.size(), 1u) << list.dump();
  auto rows = store.ForIncident(list[0]["id"].get<std::int64_t>());
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].status, "pending");
  EXPECT_EQ((*rows)[0].attempts, 0) << "nothing was delivered meanwhile";
  auto pending = system->db().Exec("SELECT COUNT(*) FROM notifications WHERE status = 'pending'");
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->rows[0].Int(0), 4);
}

}  // namespace
}  // namespace sentinel
