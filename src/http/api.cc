#include "http/api.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include <spdlog/spdlog.h>

#include "app/repos.h"
#include "app/run_control.h"
#include "app/tests.h"
#include "http/errors.h"
#include "http/incident_api.h"
#include "http/flaky_json.h"
#include "http/json_mapping.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

// Answers from the monitor's last probe: no round trip per request. Changes of
// state are logged by the monitor, once each.
HttpResponse Health(const app::HealthMonitor& monitor) {
  std::shared_ptr<const app::HealthReport> report = monitor.Current();
  return JsonResponse(report->ok() ? 200 : 503, ToJson(*report));
}

HttpResponse CreateRepo(const ApiContext& ctx, const HttpRequest& req) {
  auto body = ParseJsonObject(req.body);
  if (!body) return ErrorResponse(body.error());
  auto name = RequiredString(*body, "name");
  if (!name) return ErrorResponse(name.error());
  auto url = RequiredString(*body, "url");
  if (!url) return ErrorResponse(url.error());
  auto repo = app::CreateRepo(*ctx.repos, *ctx.clock, *name, *url);
  if (!repo) return ErrorResponse(repo.error());
  RepoSummary summary;  // a new repository: no runs yet
  summary.repo = *repo;
  return JsonResponse(201, ToJson(summary));
}

HttpResponse ListRepos(const ApiContext& ctx, const HttpRequest& req) {
  auto query = ParseListQuery(req);
  if (!query) return ErrorResponse(query.error());
  auto page = app::ListRepos(*ctx.repos, *query);
  if (!page) return ErrorResponse(page.error());
  return JsonResponse(200, PageToJson(*page));
}

HttpResponse GetRepo(const ApiContext& ctx, const HttpRequest& req) {
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto repo = app::GetRepo(*ctx.repos, *id);
  if (!repo) return ErrorResponse(repo.error());
  return JsonResponse(200, ToJson(*repo));
}

HttpResponse SubmitRun(const ApiContext& ctx, const HttpRequest& req) {
  auto body = ParseJsonObject(req.body);
  if (!body) return ErrorResponse(body.error());
  app::SubmitRunRequest request;
  auto repo = body->find("repo");
  if (repo == body->end() || repo->is_null())
    return ErrorResponse(Error{ErrorCode::kInvalidArgument, "repo is required (an id or a name)", "repo"});
  if (repo->is_number_integer()) {
    request.repo = repo->get<std::int64_t>();
  } else if (repo->is_string()) {
    request.repo = repo->get<std::string>();
  } else {
    return ErrorResponse(
        Error{ErrorCode::kInvalidArgument, "repo must be a repository id (integer) or name (string)", "repo"});
  }
  auto ref = OptionalString(*body, "ref");
  if (!ref) return ErrorResponse(ref.error());
  auto scenario = OptionalString(*body, "scenario");
  if (!scenario) return ErrorResponse(scenario.error());
  request.ref = ref->value_or("");
  request.scenario = scenario->value_or("");
  auto run = app::SubmitRun(*ctx.repos, *ctx.runs, *ctx.clock, request, ctx.dispatch);
  if (!run) return ErrorResponse(run.error());
  return JsonResponse(202, ToJson(*run));
}

HttpResponse ListRuns(const ApiContext& ctx, const HttpRequest& req) {
  auto query = ParseListQuery(req);
  if (!query) return ErrorResponse(query.error());
  app::ListRunsRequest request{QueryParam(req, "repo"), QueryParam(req, "status"), QueryParam(req, "since"), *query};
  auto page = app::ListRuns(*ctx.repos, *ctx.runs, request);
  if (!page) return ErrorResponse(page.error());
  return PageResponse(*page);
}

HttpResponse GetRun(const ApiContext& ctx, const HttpRequest& req) {
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto detail = app::GetRun(*ctx.runs, *id);
  if (!detail) return ErrorResponse(detail.error());
  return JsonResponse(200, ToJson(*detail));
}

HttpResponse CancelRun(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.exec == nullptr) return ErrorResponse(Error{ErrorCode::kUnimplemented, "cancel is not wired in this server", ""});
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto run = app::CancelRun(*ctx.exec, *ctx.clock, *id);
  if (!run) return ErrorResponse(run.error());
  return JsonResponse(202, ToJson(*run));
}

HttpResponse RetryRun(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.exec == nullptr) return ErrorResponse(Error{ErrorCode::kUnimplemented, "retry is not wired in this server", ""});
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto run = app::RetryRun(*ctx.exec, *ctx.clock, *id, ctx.dispatch);
  if (!run) return ErrorResponse(run.error());
  return JsonResponse(202, ToJson(*run));
}

// ?category= (a failure category), ?repo= (an id), ?limit=, ?cursor=.
HttpResponse ListClusters(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.clusters == nullptr) return ErrorResponse(Error{ErrorCode::kUnimplemented, "clusters are not wired in this server", ""});
  auto query = ParseListQuery(req);
  if (!query) return ErrorResponse(query.error());
  app::ListClustersRequest request{QueryParam(req, "category"), QueryParam(req, "repo"), *query};
  auto page = app::ListClusters(*ctx.repos, *ctx.clusters, request);
  if (!page) return ErrorResponse(page.error());
  json body = PageToJson(*page);
  if (ctx.incidents != nullptr) {
    std::vector<std::int64_t> ids;
    for (const ClusterSummary& c : page->items) ids.push_back(c.cluster.id);
    auto refs = ctx.incidents->ForClusters(ids);
    if (!refs) return ErrorResponse(refs.error());
    for (size_t i = 0; i < page->items.size(); ++i)
      body["items"][i]["incident"] = IncidentRefJson(*refs, page->items[i].cluster.id);
  }
  return JsonResponse(200, body);
}

HttpResponse GetCluster(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.clusters == nullptr) return ErrorResponse(Error{ErrorCode::kUnimplemented, "clusters are not wired in this server", ""});
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto detail = app::GetCluster(*ctx.clusters, *id);
  if (!detail) return ErrorResponse(detail.error());
  json body = ToJson(*detail);
  if (ctx.incidents != nullptr) {
    auto refs = ctx.incidents->ForClusters({*id});
    if (!refs) return ErrorResponse(refs.error());
    body["incident"] = IncidentRefJson(*refs, *id);
  }
  return JsonResponse(200, body);
}

HttpResponse TestsNotWired() {
  return ErrorResponse(Error{ErrorCode::kUnimplemented, "test history is not wired in this server", ""});
}

// ?repo= (id or name), ?classification=, ?limit=, ?cursor=; highest score first.
HttpResponse ListTests(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.tests == nullptr) return TestsNotWired();
  auto query = ParseListQuery(req);
  if (!query) return ErrorResponse(query.error());
  app::ListTestsRequest request{QueryParam(req, "repo"), QueryParam(req, "classification"), *query};
  auto page = app::ListTests(*ctx.repos, *ctx.tests, request);
  if (!page) return ErrorResponse(page.error());
  return JsonResponse(200, PageToJson(*page));
}

// {id}: the numeric test id, or a test id with ?repo=.
HttpResponse GetTest(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.tests == nullptr) return TestsNotWired();
  auto detail = app::GetTest(*ctx.repos, *ctx.tests, req.params.at("id"), QueryParam(req, "repo"));
  if (!detail) return ErrorResponse(detail.error());
  return JsonResponse(200, ToJson(*detail));
}

// Body {"signature" | "all": true, "reason", "who"} (DELETE: the body, or the same as query parameters).
HttpResponse ChangeQuarantine(const ApiContext& ctx, const HttpRequest& req, bool lift) {
  if (ctx.tests == nullptr) return TestsNotWired();
  app::QuarantineRequest request;
  if (lift && req.body.empty()) {
    request.signature = QueryParam(req, "signature");
    request.all = QueryParam(req, "all").value_or("") == "true";
    request.reason = QueryParam(req, "reason").value_or("");
    request.who = QueryParam(req, "who").value_or("");
  } else {
    auto body = ParseJsonObject(req.body);
    if (!body) return ErrorResponse(body.error());
    auto signature = OptionalString(*body, "signature");
    if (!signature) return ErrorResponse(signature.error());
    request.signature = *signature;
    if (auto all = body->find("all"); all != body->end() && !all->is_null()) {
      if (!all->is_boolean())
        return ErrorResponse(Error{ErrorCode::kInvalidArgument, "all must be true or false", "all"});
      request.all = all->get<bool>();
    }
    auto reason = OptionalString(*body, "reason");
    if (!reason) return ErrorResponse(reason.error());
    auto who = OptionalString(*body, "who");
    if (!who) return ErrorResponse(who.error());
    request.reason = reason->value_or("");
    request.who = who->value_or("");
  }
  auto detail = app::ChangeQuarantine(*ctx.repos, *ctx.tests, *ctx.clock, req.params.at("id"),
                                      QueryParam(req, "repo"), request, lift);
  if (!detail) return ErrorResponse(detail.error());
  return JsonResponse(lift ? 200 : 201, ToJson(*detail));
}

HttpResponse Quarantine(const ApiContext& ctx, const HttpRequest& req) { return ChangeQuarantine(ctx, req, false); }
HttpResponse Unquarantine(const ApiContext& ctx, const HttpRequest& req) { return ChangeQuarantine(ctx, req, true); }

// text/plain; ?offset= (bytes) returns what exists from there. X-Next-Offset
// says where to continue; X-Log-Complete is "true" once the step has ended.
HttpResponse StepLog(const ApiContext& ctx, const HttpRequest& req) {
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  const std::string& index_text = req.params.at("index");
  int index = -1;
  if (!index_text.empty() && index_text.size() <= 6 &&
      std::all_of(index_text.begin(), index_text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    index = std::stoi(index_text);
  }
  if (index < 0) return ErrorResponse(Error{ErrorCode::kInvalidArgument, "index must be a step index (0, 1, ...)", "index"});
  std::int64_t offset = 0;
  if (auto o = QueryParam(req, "offset")) {
    if (o->empty() || o->size() > 18 || !std::all_of(o->begin(), o->end(), [](unsigned char c) { return std::isdigit(c); })) {
      return ErrorResponse(Error{ErrorCode::kInvalidArgument, "offset must be a byte offset (0 or more)", "offset"});
    }
    offset = std::stoll(*o);
  }
  auto chunk = app::ReadStepLog(*ctx.runs, ctx.data_dir, *id, index, offset);
  if (!chunk) return ErrorResponse(chunk.error());
  HttpResponse res;
  res.status = 200;
  res.content_type = "text/plain; charset=utf-8";
  res.body = std::move(chunk->text);
  res.headers.emplace_back("X-Log-Offset", std::to_string(chunk->offset));
  res.headers.emplace_back("X-Next-Offset", std::to_string(chunk->next_offset));
  res.headers.emplace_back("X-Log-Size", std::to_string(chunk->size));
  res.headers.emplace_back("X-Log-Complete", chunk->complete ? "true" : "false");
  return res;
}

}  // namespace

void AddApiRoutes(Router& router, const ApiContext& context) {
  auto ctx = std::make_shared<const ApiContext>(context);
  auto bind = [ctx](HttpResponse (*fn)(const ApiContext&, const HttpRequest&)) {
    return [ctx, fn](const HttpRequest& req) { return fn(*ctx, req); };
  };
  auto monitor = std::make_shared<app::HealthMonitor>(context.health, context.health_options,
                                                      [](std::string_view line) { spdlog::warn("health: {}", line); });
  router.Add("GET", "/health", [monitor](const HttpRequest&) { return Health(*monitor); });
  router.Add("POST", "/repos", bind(CreateRepo));
  router.Add("GET", "/repos", bind(ListRepos));
  router.Add("GET", "/repos/{id}", bind(GetRepo));
  router.Add("POST", "/runs", bind(SubmitRun));
  router.Add("GET", "/runs", bind(ListRuns));
  router.Add("GET", "/runs/{id}", bind(GetRun));
  router.Add("GET", "/runs/{id}/steps/{index}/log", bind(StepLog));
  router.Add("POST", "/runs/{id}/retry", bind(RetryRun));
  router.Add("POST", "/runs/{id}/cancel", bind(CancelRun));
  router.Add("GET", "/clusters", bind(ListClusters));
  router.Add("GET", "/clusters/{id}", bind(GetCluster));
  AddIncidentRoutes(router, ctx);
  router.Add("GET", "/tests/flaky", bind(ListTests));
  router.Add("GET", "/tests/{id}", bind(GetTest));
  router.Add("POST", "/tests/{id}/quarantine", bind(Quarantine));
  router.Add("DELETE", "/tests/{id}/quarantine", bind(Unquarantine));
}

}  // namespace sentinel::http
