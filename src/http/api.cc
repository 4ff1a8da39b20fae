#include "http/api.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "app/repos.h"
#include "http/errors.h"
#include "http/json_mapping.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

HttpResponse Health(const ApiContext& ctx, const HttpRequest&) {
  app::HealthReport report = app::CheckHealth(ctx.health);
  if (!report.ok())
    spdlog::warn("health degraded: database={} queue={}", report.database_ok ? "ok" : report.database_error,
                 report.queue_ok ? "ok" : report.queue_error);
  return JsonResponse(report.ok() ? 200 : 503, ToJson(report));
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
  return JsonResponse(200, PageToJson(*page));
}

HttpResponse GetRun(const ApiContext& ctx, const HttpRequest& req) {
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto detail = app::GetRun(*ctx.runs, *id);
  if (!detail) return ErrorResponse(detail.error());
  return JsonResponse(200, ToJson(*detail));
}

}  // namespace

void AddApiRoutes(Router& router, const ApiContext& context) {
  auto ctx = std::make_shared<const ApiContext>(context);
  auto bind = [ctx](HttpResponse (*fn)(const ApiContext&, const HttpRequest&)) {
    return [ctx, fn](const HttpRequest& req) { return fn(*ctx, req); };
  };
  router.Add("GET", "/health", bind(Health));
  router.Add("POST", "/repos", bind(CreateRepo));
  router.Add("GET", "/repos", bind(ListRepos));
  router.Add("GET", "/repos/{id}", bind(GetRepo));
  router.Add("POST", "/runs", bind(SubmitRun));
  router.Add("GET", "/runs", bind(ListRuns));
  router.Add("GET", "/runs/{id}", bind(GetRun));
}

}  // namespace sentinel::http
