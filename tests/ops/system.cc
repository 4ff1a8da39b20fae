#include "system.h"

#include <gtest/gtest.h>

#include "adapters/git/git_source_checkout.h"
#include "cli/http_client.h"
#include "ports/clock.h"
#include "testing/servers.h"
#include "testing/wait.h"

namespace sentinel::ops_testing {

using nlohmann::json;

std::unique_ptr<System> System::Start(std::string* why, const std::function<void(Settings&)>& adjust) {
  std::unique_ptr<System> s(new System());
  s->settings_.database_url = "sqlite://" + s->dir_.Sub("data/sentinel.db");
  s->settings_.data_dir = s->dir_.Sub("data");
  s->settings_.api_port = testing::FreePort();
  s->settings_.lease_seconds = 5;
  s->settings_.heartbeat_seconds = 1;
  s->settings_.workers = 1;
  if (adjust) adjust(s->settings_);
  auto queue = cli::OpenQueue("embedded", SystemClock(), s->settings_.lease_seconds * 1000LL);
  if (!queue) {
    *why = queue.error().message;
    return nullptr;
  }
  s->queue_ = std::move(*queue);
  JobQueue* q = s->queue_.get();
  cli::ApiHooks hooks;
  hooks.queue_health = [q] { return q->Ping(); };
  hooks.dispatch = [q](const Run& run) { return q->Enqueue(Job{run.id, SystemClock().Now(), {}}); };
  auto api = cli::ApiRuntime::Start(s->settings_, hooks);
  if (!api) {
    *why = api.error().message;
    return nullptr;
  }
  s->api_ = std::move(*api);
  auto engine = cli::EngineRuntime::Start(s->api_->db(), *s->queue_, cli::EngineOptionsFrom(s->settings_));
  if (!engine) {
    *why = engine.error().message;
    return nullptr;
  }
  s->engine_ = std::move(*engine);
  s->base_ = "http://127.0.0.1:" + std::to_string(s->api_->port());
  return s;
}

System::~System() {
  if (engine_) engine_->Stop(2'000);
  engine_.reset();
  if (api_) api_->Stop();
}

int System::port() const { return api_->port(); }
Db& System::db() { return api_->db(); }

std::int64_t System::MakeRepo(const std::string& name, const std::string& pipeline) {
  auto git = adapters::git::NewGitSourceCheckout();
  EXPECT_TRUE(testing::WriteFileAll(dir_.Sub("src-" + name + "/.sentinel.yml"), pipeline));
  auto sha = git->InitRepoFromDir(dir_.Sub("src-" + name), dir_.Sub("repos/" + name), "seed");
  EXPECT_TRUE(sha) << sha.error().message;
  if (sha) shas_[name] = *sha;
  auto r = cli::HttpRequest(base_, "POST", "/repos", json{{"name", name}, {"url", dir_.Sub("repos/" + name)}}.dump());
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : r.error().message);
  if (!r || r->status != 201) return 0;
  return json::parse(r->body).value("id", std::int64_t{0});
}

std::string System::Sha(const std::string& name) const {
  auto it = shas_.find(name);
  return it == shas_.end() ? "" : it->second;
}

std::int64_t System::Submit(const std::string& repo) {
  auto r = cli::HttpRequest(base_, "POST", "/runs", json{{"repo", repo}}.dump());
  EXPECT_TRUE(r && r->status == 202) << (r ? r->body : r.error().message);
  if (!r || r->status != 202) return 0;
  return json::parse(r->body).value("id", std::int64_t{0});
}

json System::WaitFinished(std::int64_t run_id, int timeout_ms) {
  json run;
  const bool done = testing::WaitUntil(
      [&] {
        auto r = cli::HttpRequest(base_, "GET", "/runs/" + std::to_string(run_id));
        if (!r || r->status != 200) return false;
        run = json::parse(r->body, nullptr, false);
        const std::string status = run.is_object() ? run.value("status", "") : "";
        return !status.empty() && status != "queued" && status != "running";
      },
      timeout_ms);
  EXPECT_TRUE(done) << "run " << run_id << " did not finish: " << run.dump();
  return done ? run : json();
}

}  // namespace sentinel::ops_testing
