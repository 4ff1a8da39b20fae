// Keeps GET /openapi.json true: every route the server answers is documented,
// every documented path is served, and the real responses of every endpoint
// (status codes, content types, fields and their types) validate against the
// document's schemas with a strict JSON-schema subset (type, enum, required,
// properties - no undocumented field -, items, oneOf, $ref).

#include <algorithm>
#include <functional>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "http/openapi_route.h"
#include "system.h"
#include "testing/scratch_dir.h"
#include "testing/wait.h"

namespace sentinel {
namespace {

using nlohmann::json;

// ---- a small validator

bool TypeMatches(const std::string& type, const json& v) {
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  return false;
}

void Validate(const json& root, const json& schema, const json& v, const std::string& at,
              std::vector<std::string>* errors) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    const std::string prefix = "#/components/schemas/";
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    const json& target = root["components"]["schemas"][ref.substr(prefix.size())];
    ASSERT_FALSE(target.is_null()) << "unresolved " << ref;
    Validate(root, target, v, at, errors);
    return;
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    for (const json& alt : schema["oneOf"]) {
      std::vector<std::string> sub;
      Validate(root, alt, v, at, &sub);
      if (sub.empty()) ++matches;
    }
    if (matches != 1) errors->push_back(at + ": matches " + std::to_string(matches) + " of the oneOf alternatives");
    return;
  }
  if (schema.contains("type")) {
    bool ok = false;
    if (schema["type"].is_array()) {
      for (const json& t : schema["type"]) ok = ok || TypeMatches(t.get<std::string>(), v);
    } else {
      ok = TypeMatches(schema["type"].get<std::string>(), v);
    }
    if (!ok) {
      errors->push_back(at + ": " + v.dump().substr(0, 80) + " is not of type " + schema["type"].dump());
      return;
    }
  }
  if (schema.contains("enum") && !v.is_null()) {
    bool found = false;
    for (const json& e : schema["enum"]) found = found || e == v;
    if (!found) errors->push_back(at + ": " + v.dump() + " is not one of " + schema["enum"].dump());
  }
  if (v.is_object() && schema.contains("properties")) {
    for (const json& r : schema.value("required", json::array()))
      if (!v.contains(r.get<std::string>())) errors->push_back(at + ": required field '" + r.get<std::string>() + "' is missing");
    for (const auto& [key, value] : v.items()) {
      if (!schema["properties"].contains(key)) {
        errors->push_back(at + ": field '" + key + "' is not documented");
        continue;
      }
      Validate(root, schema["properties"][key], value, at + "." + key, errors);
    }
  }
  if (v.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < v.size(); ++i)
      Validate(root, schema["items"], v[i], at + "[" + std::to_string(i) + "]", errors);
  }
}

// "/runs/12/steps/0/log" matches "/runs/{id}/steps/{index}/log".
bool PathMatches(const std::string& pattern, const std::string& path) {
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
      size_t j = s.find('/', i + 1);
      if (j == std::string::npos) j = s.size();
      out.push_back(s.substr(i + 1, j - i - 1));
      i = j;
    }
    return out;
  };
  const auto a = split(pattern), b = split(path.substr(0, path.find('?')));
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i].size() > 2 && a[i].front() == '{') && a[i] != b[i]) return false;
  return true;
}

class OpenApiConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = json::parse(http::OpenApiDocument(), nullptr, false);
    ASSERT_FALSE(doc_.is_discarded()) << "openapi.json is not JSON";
    std::string why;
    system_ = ops_testing::System::Start(&why);
    ASSERT_NE(system_, nullptr) << why;
  }

  // Calls the API and checks the answer against the document.
  // expect: the status code the call must answer (0: any documented one).
  json Check(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& headers = "", int expect = 0) {
    auto r = cli::HttpRequest(system_->base(), method, path, body, 10'000, headers);
    EXPECT_TRUE(r) << method << " " << path << ": " << r.error().message;
    if (!r) return json();
    if (expect != 0) {
      EXPECT_EQ(r->status, expect) << method << " " << path << ": " << r->body.substr(0, 300);
    }
    std::string pattern;  // the matching path with the fewest parameters (/tests/flaky over /tests/{id})
    for (const auto& [p, _] : doc_["paths"].items())
      if (PathMatches(p, path) && (pattern.empty() || std::count(p.begin(), p.end(), '{') <
                                                          std::count(pattern.begin(), pattern.end(), '{')))
        pattern = p;
    EXPECT_FALSE(pattern.empty()) << method << " " << path << " is not documented";
    if (pattern.empty()) return json();
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json& op = doc_["paths"][pattern][lower];
    EXPECT_FALSE(op.is_null()) << method << " " << pattern << " is not documented";
    if (op.is_null()) return json();
    exercised_.insert(method + " " + pattern);
    const std::string code = std::to_string(r->status);
    EXPECT_TRUE(op["responses"].contains(code))
        << method << " " << path << " answered " << code << ", which is not documented: " << r->body.substr(0, 200);
    if (!op["responses"].contains(code)) return json();
    const json& response = op["responses"][code];
    if (!response.contains("content")) return json();
    const std::string ctype = r->Header("content-type");
    EXPECT_TRUE(response["content"].contains(ctype))
        << method << " " << path << " " << code << ": content type '" << ctype << "' is not documented";
    if (!response["content"].contains(ctype)) return json();
    const json& schema = response["content"][ctype]["schema"];
    json value = ctype.rfind("application/json", 0) == 0 ? json::parse(r->body, nullptr, false) : json(r->body);
    EXPECT_FALSE(value.is_discarded()) << method << " " << path << ": the body is not JSON";
    std::vector<std::string> errors;
    Validate(doc_, schema, value, method + " " + path + " " + code, &errors);
    for (const std::string& e : errors) ADD_FAILURE() << e;
    return value;
  }

  // Check with the status code it must answer.
  json Expect(int status, const std::string& method, const std::string& path, const std::string& body = "") {
    return Check(method, path, body, "", status);
  }

  json doc_;
  std::unique_ptr<ops_testing::System> system_;
  std::set<std::string> exercised_;
};

TEST_F(OpenApiConformanceTest, EveryEndpointAnswersAsDocumented) {
  ASSERT_EQ(doc_.value("openapi", ""), "3.1.0");
  system_->MakeRepo("green", "steps:\n  - name: hello\n    run: echo hello\n");
  system_->MakeRepo("red", "steps:\n  - name: check\n    run: \"echo 'error: it broke'; exit 1\"\n");

  Check("GET", "/health");
  Check("GET", "/openapi.json");
  json repo = Check("POST", "/repos", R"({"name": "spare", "url": "/nowhere"})");
  Check("POST", "/repos", R"({"name": "spare", "url": "/nowhere"})");  // 409
  Check("POST", "/repos", R"({"name": 3})");                          // 400
  Check("GET", "/repos");
  Check("GET", "/repos?limit=0");
  Check("GET", "/repos/" + std::to_string(repo.value("id", 0)));
  Check("GET", "/repos/987654");
  Check("GET", "/repos/abc");

  json green = Check("POST", "/runs", R"({"repo": "green"})");
  json red = Check("POST", "/runs", R"({"repo": "red", "ref": "main"})");
  Check("POST", "/runs", R"({"repo": "nobody"})");  // 404
  Check("POST", "/runs", R"({"ref": "x"})");        // 400
  const std::string g = std::to_string(green.value("id", 0)), r = std::to_string(red.value("id", 0));
  system_->WaitFinished(green.value("id", 0));
  system_->WaitFinished(red.value("id", 0));
  Check("GET", "/runs");
  Check("GET", "/runs?status=failed&repo=red");
  Check("GET", "/runs?status=sideways");
  Check("GET", "/runs?repo=nobody");
  json detail = Check("GET", "/runs/" + r);
  EXPECT_FALSE(detail.value("failures", json::array()).empty()) << "the failing run's failures are checked too";
  Check("GET", "/runs/" + g);
  Check("GET", "/runs/987654");
  Check("GET", "/runs/x1");
  Check("GET", "/runs/" + g + "/steps/0/log");
  Check("GET", "/runs/" + g + "/steps/0/log?offset=3");
  Check("GET", "/runs/" + g + "/steps/0/log?offset=-1");
  Check("GET", "/runs/" + g + "/steps/9/log");
  json retried = Check("POST", "/runs/" + g + "/retry");
  Check("POST", "/runs/987654/retry");
  Check("POST", "/runs/" + g + "/cancel");  // finished: 422
  Check("POST", "/runs/987654/cancel");
  Check("POST", "/runs/" + std::to_string(retried.value("id", 0)) + "/cancel");  // queued or running: 202
  json clusters = Check("GET", "/clusters");
  ASSERT_FALSE(clusters.value("items", json::array()).empty());
  Check("GET", "/clusters?category=test_failure");
  Check("GET", "/clusters?category=nonsense");
  Check("GET", "/clusters/" + clusters["items"][0]["id"].dump());
  Check("GET", "/clusters/987654");
  Check("GET", "/metrics");

  const std::string push = json{{"ref", "refs/heads/main"}, {"repository", {{"name", "green"}}}}.dump();
  Check("POST", "/webhooks/git", push, "X-GitHub-Event: push\r\n");
  Check("POST", "/webhooks/git", "{}", "X-GitHub-Event: ping\r\n");
  Check("POST", "/webhooks/git", "[1]");
  Check("POST", "/webhooks/git", json{{"ref", "refs/heads/main"}, {"repository", {{"name", "nobody"}}}}.dump());

  // Flaky tests, with real history: a JUnit test that fails and passes on one commit.
  const std::string mode = system_->dir() + "/flip-mode";
  ASSERT_TRUE(testing::WriteFileAll(
      system_->dir() + "/src-flip/gen.sh",
      "case $(cat " + mode + ") in\n"
      "  flake) body='<failure message=\"AssertionError: restock order [b, a]\">trace</failure>' ;;\n"
      "  *) body='' ;;\n"
      "esac\n"
      "printf '<testsuite name=\"q\" tests=\"2\"><testcase classname=\"q\" name=\"order\">%s</testcase>"
      "<testcase classname=\"q\" name=\"steady\"/></testsuite>' \"$body\" > report.xml\n"
      "[ -z \"$body\" ]\n"));
  system_->MakeRepo("flip", "steps:\n  - name: test\n    run: sh gen.sh\n    junit: report.xml\n");
  for (const char* m : {"flake", "pass", "pass", "flake", "pass", "pass"}) {
    ASSERT_TRUE(testing::WriteFileAll(mode, m));
    system_->WaitFinished(system_->Submit("flip"));
  }
  json tests = Expect(200, "GET", "/tests/flaky?classification=flaky");
  ASSERT_EQ(tests.value("items", json::array()).size(), 1u) << tests.dump();
  const std::string tid = tests["items"][0]["id"].dump();
  Expect(200, "GET", "/tests/flaky");
  Expect(200, "GET", "/tests/flaky?repo=flip&limit=5");
  Expect(400, "GET", "/tests/flaky?classification=sideways");
  json test = Expect(200, "GET", "/tests/" + tid);
  Expect(404, "GET", "/tests/987654");
  ASSERT_FALSE(test["evidence"]["signatures"].empty()) << test.dump();
  const std::string sig = test["evidence"]["signatures"][0]["signature"];
  const std::string who = json{{"signature", sig}, {"reason", "restock race, JIRA-12"}, {"who", "ana"}}.dump();
  Expect(201, "POST", "/tests/" + tid + "/quarantine", who);
  Expect(404, "POST", "/tests/987654/quarantine", who);
  Expect(400, "POST", "/tests/" + tid + "/quarantine", R"({"signature": 3})");
  Expect(200, "DELETE", "/tests/" + tid + "/quarantine", who);
  Expect(404, "DELETE", "/tests/987654/quarantine", who);

  // Incidents: the red repository fails twice more, its cluster recurs in three runs.
  for (int i = 0; i < 2; ++i) system_->WaitFinished(system_->Submit("red"));
  json incidents;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        auto l = cli::HttpRequest(system_->base(), "GET", "/incidents?repo=red");
        incidents = l && l->status == 200 ? json::parse(l->body, nullptr, false) : json();
        return incidents.is_object() && !incidents.value("items", json::array()).empty();
      },
      30'000));
  incidents = Expect(200, "GET", "/incidents");
  ASSERT_FALSE(incidents["items"].empty());
  const std::string iid = incidents["items"][incidents["items"].size() - 1]["id"].dump();
  Expect(200, "GET", "/incidents?status=open&repo=red&limit=10");
  Expect(200, "GET", "/incidents?severity=critical");
  Expect(400, "GET", "/incidents?status=sideways");
  Expect(404, "GET", "/incidents?repo=nobody");
  json incident = Expect(200, "GET", "/incidents/" + iid);
  EXPECT_FALSE(incident["timeline"].empty());
  EXPECT_FALSE(incident["related_runs"].empty());
  Expect(404, "GET", "/incidents/987654");
  Expect(200, "GET", "/incidents/" + iid + "/postmortem");
  Expect(404, "GET", "/incidents/987654/postmortem");
  Expect(200, "PATCH", "/incidents/" + iid, R"({"status": "mitigating", "note": "rolled back"})");
  Expect(422, "PATCH", "/incidents/" + iid, R"({"status": "mitigating"})");
  Expect(400, "PATCH", "/incidents/" + iid, R"({"status": "sideways"})");
  Expect(404, "PATCH", "/incidents/987654", R"({"status": "resolved"})");
  json silence = Expect(201, "POST", "/silences", R"({"repo": "red", "reason": "maintenance", "duration": "2h"})");
  Expect(201, "POST", "/silences",
         json{{"cluster_id", incident["cluster_id"]}, {"reason", "known"}, {"duration", "30m"}}.dump());
  Expect(400, "POST", "/silences", R"({"reason": "nothing to silence"})");
  Expect(200, "GET", "/silences");
  Expect(200, "GET", "/silences?active=true&limit=1");
  Expect(204, "DELETE", "/silences/" + silence["id"].dump());
  Expect(404, "DELETE", "/silences/" + silence["id"].dump());
  json overview = Expect(200, "GET", "/overview");
  EXPECT_GE(overview["runs_by_status"]["failed"].get<int>(), 3) << overview.dump();
  Expect(200, "GET", "/overview?days=7");
  Expect(400, "GET", "/overview?days=0");

  // Both ways: every served route is documented and exercised; every documented path is served.
  std::set<std::string> served;
  for (const auto& [method, pattern] : system_->api().Routes()) {
    served.insert(method + " " + pattern);
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(doc_["paths"].contains(pattern) && doc_["paths"][pattern].contains(lower))
        << method << " " << pattern << " is served but not documented";
    EXPECT_TRUE(exercised_.count(method + " " + pattern)) << method << " " << pattern << " was not exercised";
  }
  for (const auto& [path, ops] : doc_["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      EXPECT_TRUE(served.count(upper + " " + path)) << upper << " " << path << " is documented but not served";
      EXPECT_FALSE(op.contains("x-sentinel-pending")) << upper << " " << path << " is still marked pending";
      EXPECT_TRUE(op.contains("summary") && op.contains("responses")) << upper << " " << path;
    }
  }
}

// The validator is strict enough to catch drift: an undocumented field, a wrong type, a
// missing required field, a value outside an enum.
TEST_F(OpenApiConformanceTest, TheValidatorRejectsDrift) {
  const json run_schema = {{"$ref", "#/components/schemas/Run"}};
  json run = {{"id", 1}, {"repo_id", 1}, {"repo", "r"}, {"ref", nullptr}, {"commit", nullptr}, {"scenario", nullptr},
              {"status", "queued"}, {"attempt", 0}, {"worker", nullptr}, {"reason", nullptr}, {"category", nullptr},
              {"created_at", "2026-12-05T19:00:00.000Z"}, {"started_at", nullptr}, {"finished_at", nullptr},
              {"duration_ms", nullptr}};
  std::vector<std::string> errors;
  Validate(doc_, run_schema, run, "run", &errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  struct Case {
    const char* what;
    std::function<void(json&)> change;
  } cases[] = {
      {"undocumented field", [](json& j) { j["surprise"] = 1; }},
      {"wrong type", [](json& j) { j["id"] = "1"; }},
      {"missing required", [](json& j) { j.erase("status"); }},
      {"outside the enum", [](json& j) { j["status"] = "sideways"; }},
      {"null where not nullable", [](json& j) { j["repo"] = nullptr; }},
  };
  for (const Case& c : cases) {
    json bad = run;
    c.change(bad);
    std::vector<std::string> errs;
    Validate(doc_, run_schema, bad, "run", &errs);
    EXPECT_FALSE(errs.empty()) << c.what;
  }
}

TEST_F(OpenApiConformanceTest, EverySchemaReferenceResolves) {
  std::vector<std::string> refs;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) refs.push_back(j["$ref"]);
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const json& v : j) walk(v);
    }
  };
  walk(doc_);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    const std::string name = ref.substr(std::string("#/components/schemas/").size());
    EXPECT_TRUE(doc_["components"]["schemas"].contains(name)) << ref;
  }
}

}  // namespace
}  // namespace sentinel
