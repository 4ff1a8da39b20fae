// `sentinel demo SCENARIO [--runs N] [--repo NAME|all] [--api URL]`: triggers a deterministic
// scenario against the running system over its HTTP API, waits for the outcome and prints a
// short summary. Exit 0 only when the scenario produced its effect.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/seed.h"
#include "cli/commands.h"
#include "cli/http_client.h"

namespace sentinel::cli {
namespace {

using nlohmann::json;

// Runs per repo that make each scenario's effect certain: three failures open an incident;
// six runs on the flaky schedule (one in three fails) show both outcomes twice.
int DefaultRuns(const std::string& scenario) {
  if (scenario == "testfail") return 3;
  if (scenario == "flaky") return 6;
  return 1;
}

// What each scenario must produce: the final statuses allowed, and the failure category expected.
struct Expectation {
  std::set<std::string> statuses;
  std::string category;  // "" = none
};

Expectation Expected(const std::string& scenario) {
  if (scenario == "success") return {{"succeeded"}, ""};
  if (scenario == "testfail") return {{"failed"}, "test_failure"};
  if (scenario == "flaky") return {{"succeeded", "failed"}, "test_failure"};
  if (scenario == "timeout") return {{"timed_out"}, "timeout"};
  if (scenario == "dns") return {{"failed"}, "network_dns"};
  return {{"failed"}, "disk_full"};  // disk
}

bool IsTerminal(const std::string& status) { return status != "queued" && status != "running"; }

// Infrastructure-class scenarios run on two repositories by default: that is what opens one
// infrastructure incident (incidents.infra_repos) instead of per-repository noise.
std::string DefaultRepos(const std::string& scenario) {
  if (scenario == "dns" || scenario == "disk") return "demo-python,demo-node";
  return "demo-python";
}

std::vector<std::string> SplitRepos(const std::string& flag) {
  if (flag == "all") return kSampleRepoNames;
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= flag.size()) {
    size_t comma = flag.find(',', start);
    if (comma == std::string::npos) comma = flag.size();
    if (comma > start) out.push_back(flag.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The incident the scenario's runs opened or extended: for a cluster, its incident; for
// infrastructure scenarios, the open infrastructure incident of the category. The worker
// evaluates the rules right after a run is stored, so this polls briefly.
std::optional<json> FindIncident(const std::string& api, const std::string& scenario, const std::string& category,
                                 const std::set<std::int64_t>& clusters) {
  const bool infra = scenario == "dns" || scenario == "disk";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (infra) {
      auto r = HttpRequest(api, "GET", "/incidents?status=open&limit=100");
      if (r && r->status == 200) {
        json j = json::parse(r->body, nullptr, false);
        if (!j.is_discarded() && j.contains("items")) {
          for (const json& i : j["items"]) {
            if (i.value("rule", "") == "infrastructure" && i.value("category", json(nullptr)) == json(category)) return i;
          }
        }
      }
    } else {
      for (std::int64_t cluster : clusters) {
        auto r = HttpRequest(api, "GET", "/clusters/" + std::to_string(cluster));
        if (!r || r->status != 200) continue;
        json c = json::parse(r->body, nullptr, false);
        if (c.is_discarded() || !c.contains("incident") || c["incident"].is_null()) continue;
        if (c["incident"].value("status", "") == "resolved") continue;
        auto i = HttpRequest(api, "GET", "/incidents/" + c["incident"]["id"].dump());
        if (i && i->status == 200) {
          json detail = json::parse(i->body, nullptr, false);
          if (!detail.is_discarded()) return detail;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return std::nullopt;
}

std::string ErrorText(const HttpResponse& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.contains("error")) return j["error"].value("message", r.body);
  return "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
}

// Prints the first few items of a list endpoint, or why it can't.
void PrintEffects(const std::string& api, const std::string& path, const std::string& label,
                  const std::function<std::string(const json&)>& line) {
  auto r = HttpRequest(api, "GET", path);
  if (!r) return;
  if (r->status == 404) {
    std::cout << "  " << label << ": not available in this build\n";
    return;
  }
  auto j = json::parse(r->body, nullptr, false);
  if (r->status != 200 || j.is_discarded() || !j.contains("items")) return;
  std::cout << "  " << label << ": " << j["items"].size() << (j["items"].size() == 1 ? " item" : " items")
            << (j["next_cursor"].is_null() ? "" : " (more)") << "\n";
  int shown = 0;
  for (const json& item : j["items"]) {
    if (++shown > 5) break;
    std::cout << "    " << line(item) << "\n";
  }
}

int RunDemo(const std::string& scenario, int runs_per_repo, const std::string& repo_flag, const std::string& api,
            int wait_s) {
  if (auto h = HttpRequest(api, "GET", "/health"); !h) {
    std::cerr << "sentinel demo: no Sentinel API answers at " << api << " (" << h.error().message
              << "); start it with `make up`\n";
    return 1;
  }
  std::vector<std::string> repos = SplitRepos(repo_flag.empty() ? DefaultRepos(scenario) : repo_flag);
  if (repos.empty()) {
    std::cerr << "sentinel demo: --repo names no repository\n";
    return 2;
  }
  if (runs_per_repo <= 0) runs_per_repo = DefaultRuns(scenario);

  std::vector<std::int64_t> ids;
  for (const std::string& repo : repos) {
    for (int i = 0; i < runs_per_repo; ++i) {
      json body = {{"repo", repo}, {"scenario", scenario}};
      auto r = HttpRequest(api, "POST", "/runs", body.dump());
      if (!r) {
        std::cerr << "sentinel demo: " << r.error().message << "\n";
        return 1;
      }
      if (r->status != 202 && r->status != 201) {
        std::cerr << "sentinel demo: POST /runs for " << repo << " refused: " << ErrorText(*r) << "\n";
        return 1;
      }
      ids.push_back(json::parse(r->body).value("id", std::int64_t{0}));
    }
  }
  std::cout << "demo " << scenario << ": queued " << ids.size() << " run(s) on " << repos.size()
            << " repo(s); waiting for the outcome...\n";

  std::map<std::int64_t, json> done;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
  while (done.size() < ids.size() && std::chrono::steady_clock::now() < deadline) {
    for (std::int64_t id : ids) {
      if (done.count(id)) continue;
      auto r = HttpRequest(api, "GET", "/runs/" + std::to_string(id));
      if (!r || r->status != 200) continue;
      json run = json::parse(r->body, nullptr, false);
      if (!run.is_discarded() && IsTerminal(run.value("status", ""))) done[id] = run;
    }
    if (done.size() < ids.size()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }

  const Expectation want = Expected(scenario);
  bool ok = done.size() == ids.size();
  std::set<std::string> statuses_seen;
  bool category_seen = want.category.empty();
  std::set<std::int64_t> clusters_seen;
  for (std::int64_t id : ids) {
    auto it = done.find(id);
    if (it == done.end()) {
      std::cout << "  run " << id << ": still not finished after " << wait_s << " s\n";
      continue;
    }
    const json& run = it->second;
    const std::string status = run.value("status", "");
    statuses_seen.insert(status);
    if (!want.statuses.count(status)) ok = false;
    std::cout << "  run " << id << " (" << run.value("repo", std::string("?")) << "): " << status;
    if (run.contains("commit") && run["commit"].is_string())
      std::cout << " @ " << run["commit"].get<std::string>().substr(0, 10);
    std::cout << "\n";
    if (run.contains("failures")) {
      for (const json& f : run["failures"]) {
        const std::string category = f.value("category", "");
        if (category == want.category) category_seen = true;
        char confidence[16];
        std::snprintf(confidence, sizeof confidence, "%.2f", f.value("confidence", 0.0));
        std::cout << "      " << category << " " << f.value("signature", "") << " (confidence " << confidence << ")";
        if (f.contains("cluster_id") && !f["cluster_id"].is_null()) {
          std::cout << " cluster " << f["cluster_id"];
          if (category == want.category && f["cluster_id"].is_number_integer())
            clusters_seen.insert(f["cluster_id"].get<std::int64_t>());
        }
        std::cout << ": " << f.value("title", "") << "\n";
      }
    }
  }
  // The flaky schedule must show both outcomes: that is what makes it flaky.
  if (scenario == "flaky" && statuses_seen.size() < 2) ok = false;
  // The verdict the scenario produced for the tests that failed in its runs.
  if (scenario == "flaky" || scenario == "testfail") {
    const std::string want_class = scenario == "flaky" ? "flaky" : "failing";
    std::set<std::string> failed_tests;
    for (const auto& [id, run] : done) {
      if (!run.contains("tests") || !run["tests"].contains("failed_cases")) continue;
      for (const json& t : run["tests"]["failed_cases"]) failed_tests.insert(t.value("test_id", ""));
    }
    bool verdict_seen = false;
    std::cout << "verdicts (want " << want_class << "):\n";
    for (const std::string& repo : repos) {
      auto r = HttpRequest(api, "GET", "/tests/flaky?limit=500&repo=" + repo);
      if (!r || r->status != 200) {
        std::cout << "  " << repo << ": no test verdicts (" << (r ? ErrorText(*r) : r.error().message) << ")\n";
        continue;
      }
      json page = json::parse(r->body, nullptr, false);
      if (page.is_discarded() || !page.contains("items")) continue;
      for (const json& t : page["items"]) {
        if (!failed_tests.count(t.value("test_id", ""))) continue;
        const std::string cls = t.value("classification", "");
        verdict_seen = verdict_seen || cls == want_class;
        char line[160];
        const json iv = t.value("interval", json::array({0, 1}));
        std::snprintf(line, sizeof line, "score %.2f [%.2f, %.2f], %d runs, %d failures, %d flips",
                      t.value("score", 0.0), iv.size() == 2 ? iv[0].get<double>() : 0.0,
                      iv.size() == 2 ? iv[1].get<double>() : 1.0, t.value("runs", 0), t.value("failures", 0),
                      t.value("flips", 0));
        std::cout << "  " << repo << " " << t.value("test_id", "") << " (test " << t.value("id", json(0)).dump()
                  << "): " << cls << ", " << line << "\n    " << t.value("reason", "") << "\n";
      }
    }
    if (!verdict_seen) {
      std::cout << "no test that failed in these runs is " << want_class << " yet\n";
      ok = false;
    }
  }
  std::cout << "effects:\n";
  PrintEffects(api, "/clusters?limit=5", "clusters", [](const json& c) {
    return "#" + c["id"].dump() + " " + c.value("category", "") + " x" + c.value("occurrences", json(0)).dump() +
           ": " + c.value("title", "");
  });
  PrintEffects(api, "/tests/flaky?limit=5&classification=flaky", "flaky tests", [](const json& t) {
    return t.value("repo", "") + " " + t.value("test_id", "") + " (score " + t.value("score", json(0)).dump() + ")";
  });
  PrintEffects(api, "/incidents?limit=5", "incidents", [](const json& i) {
    return "#" + i["id"].dump() + " [" + i.value("status", "") + "] " + i.value("title", "");
  });
  // The incident effect: testfail opens (or extends) its cluster's incident; dns/disk on two
  // repositories open one infrastructure incident.
  const bool wants_incident = scenario == "testfail" || ((scenario == "dns" || scenario == "disk") && repos.size() >= 2);
  if (wants_incident && done.size() == ids.size()) {
    auto incident = FindIncident(api, scenario, want.category, clusters_seen);
    if (incident) {
      std::cout << "incident #" << (*incident)["id"] << " [" << incident->value("status", "") << ", "
                << incident->value("severity", "") << "] " << incident->value("title", "") << " ("
                << incident->value("runs", json(0)).dump() << " runs)\n";
      std::cout << "incident id: " << (*incident)["id"] << "\n";
    } else {
      std::cout << "no incident was opened for these runs\n";
      ok = false;
    }
  } else if (scenario == "dns" || scenario == "disk") {
    std::cout << "(an infrastructure incident needs failures in two repositories: --repo demo-python,demo-node)\n";
  }
  if (!category_seen) {
    std::cout << "no failure was classified as " << want.category << "\n";
    ok = false;
  }
  std::cout << (ok ? "demo " + scenario + ": produced its effect\n" : "demo " + scenario + ": did NOT produce its effect\n");
  return ok ? 0 : 1;
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, int* exit_code) {
  CLI::App* sub = app.add_subcommand("demo", "trigger a demo scenario against the running system and wait for it");
  struct Flags {
    std::string scenario, repo, api;
    int runs = 0, wait_s = 600;
  };
  auto f = std::make_shared<Flags>();
  sub->add_option("scenario", f->scenario, "success, testfail, flaky, timeout, dns or disk")->required();
  sub->add_option("--runs", f->runs, "runs per repository (default: enough for the scenario's effect)");
  sub->add_option("--repo", f->repo,
                  "sample repository names (comma-separated), or `all` (default: demo-python; dns and disk: "
                  "demo-python,demo-node)");
  sub->add_option("--api", f->api, "API base URL (default: http://127.0.0.1:$SENTINEL_API_PORT, port 8000)");
  sub->add_option("--wait", f->wait_s, "seconds to wait for the runs to finish (default 600)");
  sub->callback([f, exit_code] {
    if (!IsScenario(f->scenario)) {
      std::cerr << "sentinel demo: unknown scenario '" << f->scenario
                << "' (use success, testfail, flaky, timeout, dns or disk)\n";
      *exit_code = 2;
      return;
    }
    std::string api = f->api;
    if (api.empty()) {
      const char* port = std::getenv("SENTINEL_API_PORT");
      api = std::string("http://127.0.0.1:") + (port && *port ? port : "8000");
    }
    *exit_code = RunDemo(f->scenario, f->runs, f->repo, api, f->wait_s);
  });
}

}  // namespace sentinel::cli
