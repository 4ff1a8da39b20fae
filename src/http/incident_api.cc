#include "http/incident_api.h"

#include <algorithm>
#include <cctype>

#include "app/incidents.h"
#include "app/runs.h"
#include "http/api.h"
#include "http/errors.h"
#include "http/json_mapping.h"

namespace sentinel::http {
namespace {

using nlohmann::json;

json Time(EpochMs ms) { return FormatRfc3339(ms); }
json OptTime(const std::optional<EpochMs>& ms) { return ms ? json(FormatRfc3339(*ms)) : json(nullptr); }
json OptId(const std::optional<std::int64_t>& id) { return id ? json(*id) : json(nullptr); }

json EventJson(const IncidentEvent& e) {
  return {{"at", Time(e.at)}, {"kind", e.kind}, {"message", e.message}, {"run_id", OptId(e.run_id)}};
}

HttpResponse NotWired(const char* what) {
  return ErrorResponse(Error{ErrorCode::kUnimplemented, std::string(what) + " are not wired in this server", ""});
}

HttpResponse ListIncidents(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("incidents");
  auto query = ParseListQuery(req);
  if (!query) return ErrorResponse(query.error());
  app::ListIncidentsRequest request{QueryParam(req, "status"), QueryParam(req, "severity"), QueryParam(req, "repo"),
                                    *query};
  auto page = app::ListIncidents(*ctx.repos, *ctx.incidents, request);
  if (!page) return ErrorResponse(page.error());
  return JsonResponse(200, PageToJson(*page));
}

HttpResponse GetIncident(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("incidents");
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto detail = app::GetIncident(*ctx.incidents, *ctx.clock, *id);
  if (!detail) return ErrorResponse(detail.error());
  return JsonResponse(200, ToJson(*detail));
}

HttpResponse PatchIncident(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("incidents");
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body) return ErrorResponse(body.error());
  auto status = RequiredString(*body, "status");
  if (!status) return ErrorResponse(status.error());
  auto note = OptionalString(*body, "note");
  if (!note) return ErrorResponse(note.error());
  auto detail = app::ChangeIncidentStatus(*ctx.incidents, *ctx.clock, *id, *status, note->value_or(""));
  if (!detail) return ErrorResponse(detail.error());
  return JsonResponse(200, ToJson(*detail));
}

HttpResponse Postmortem(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("incidents");
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  auto detail = app::GetIncident(*ctx.incidents, *ctx.clock, *id);
  if (!detail) return ErrorResponse(detail.error());
  HttpResponse res;
  res.status = 200;
  res.content_type = "text/markdown; charset=utf-8";
  res.body = app::RenderPostmortem(*detail, ctx.clock->Now());
  return res;
}

HttpResponse CreateSilence(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("silences");
  auto body = ParseJsonObject(req.body);
  if (!body) return ErrorResponse(body.error());
  app::CreateSilenceRequest request;
  if (auto repo = body->find("repo"); repo != body->end() && !repo->is_null()) {
    if (repo->is_number_integer()) request.repo = std::to_string(repo->get<std::int64_t>());
    else if (repo->is_string()) request.repo = repo->get<std::string>();
    else return ErrorResponse(Error{ErrorCode::kInvalidArgument, "repo must be a repository id or name", "repo"});
  }
  if (auto cluster = body->find("cluster_id"); cluster != body->end() && !cluster->is_null()) {
    if (!cluster->is_number_integer())
      return ErrorResponse(Error{ErrorCode::kInvalidArgument, "cluster_id must be an integer id", "cluster_id"});
    request.cluster_id = cluster->get<std::int64_t>();
  }
  auto reason = RequiredString(*body, "reason");
  if (!reason) return ErrorResponse(reason.error());
  request.reason = *reason;
  for (auto [field, target] : {std::pair{"duration", &request.duration}, std::pair{"ends_at", &request.ends_at},
                               std::pair{"starts_at", &request.starts_at}}) {
    auto v = OptionalString(*body, field);
    if (!v) return ErrorResponse(v.error());
    *target = *v;
  }
  auto silence = app::CreateSilence(*ctx.repos, *ctx.incidents, *ctx.clock, request);
  if (!silence) return ErrorResponse(silence.error());
  return JsonResponse(201, ToJson(*silence, ctx.clock->Now()));
}

HttpResponse ListSilences(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("silences");
  auto query = ParseListQuery(req);
  if (!query) return ErrorResponse(query.error());
  std::optional<EpochMs> active_at;
  if (auto active = QueryParam(req, "active")) {
    if (*active == "true") active_at = ctx.clock->Now();
    else if (*active != "false")
      return ErrorResponse(Error{ErrorCode::kInvalidArgument, "active must be true or false", "active"});
  }
  auto page = ctx.incidents->ListSilences(*query, active_at);
  if (!page) return ErrorResponse(page.error());
  const EpochMs now = ctx.clock->Now();
  json items = json::array();
  for (const SilenceRecord& s : page->items) items.push_back(ToJson(s, now));
  return JsonResponse(200, {{"items", items},
                            {"next_cursor", page->next_cursor ? json(*page->next_cursor) : json(nullptr)}});
}

HttpResponse DeleteSilence(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.incidents == nullptr) return NotWired("silences");
  auto id = app::ParseId(req.params.at("id"), "id");
  if (!id) return ErrorResponse(id.error());
  if (Status st = ctx.incidents->DeleteSilence(*id); !st) return ErrorResponse(st.error());
  HttpResponse res;
  res.status = 204;
  return res;
}

HttpResponse GetOverview(const ApiContext& ctx, const HttpRequest& req) {
  if (ctx.overview == nullptr) return NotWired("overview figures");
  int days = 30;
  if (auto d = QueryParam(req, "days")) {
    if (d->size() > 3 || !std::all_of(d->begin(), d->end(), [](unsigned char c) { return std::isdigit(c); }))
      return ErrorResponse(Error{ErrorCode::kInvalidArgument, "days must be a whole number of days (1..365)", "days"});
    days = std::stoi(*d);
  }
  auto o = app::GetOverview(*ctx.overview, *ctx.clock, days);
  if (!o) return ErrorResponse(o.error());
  const OverviewFigures& f = o->figures;
  json trend = json::array();
  for (const DayTrend& d : f.trend) {
    trend.push_back({{"date", FormatRfc3339(d.day).substr(0, 10)},
                     {"finished", d.finished},
                     {"succeeded", d.succeeded},
                     {"failed", d.finished - d.succeeded},
                     {"success_rate", d.finished > 0 ? json(static_cast<double>(d.succeeded) / d.finished) : json(nullptr)}});
  }
  json top = json::array();
  for (const TopCluster& c : f.top_clusters) {
    top.push_back({{"id", c.id}, {"title", c.title}, {"category", c.category}, {"occurrences", c.occurrences},
                   {"last_seen", Time(c.last_seen)}});
  }
  json body = {
      {"window_days", o->days},
      {"since", Time(o->since)},
      {"runs_by_status", f.runs_by_status},
      {"runs_total", [&] {
         std::int64_t n = 0;
         for (const auto& [k, v] : f.runs_by_status) n += v;
         return n;
       }()},
      {"finished_runs", f.finished_in_window},
      {"success_rate", o->success_rate ? json(*o->success_rate) : json(nullptr)},
      {"daily_trend", trend},
      {"mttr_ms", f.mttr_ms ? json(static_cast<std::int64_t>(*f.mttr_ms)) : json(nullptr)},
      {"mttr_seconds", f.mttr_ms ? json(*f.mttr_ms / 1000.0) : json(nullptr)},
      {"recoveries", f.recoveries},
      {"queue_depth", f.queue_depth},
      {"workers", {{"busy", f.busy_workers}, {"idle", f.idle_workers}, {"total", f.busy_workers + f.idle_workers}}},
      {"open_incidents", {{"total", o->open_incidents}, {"by_severity", f.open_incidents_by_severity}}},
      {"flaky_tests", f.flaky_tests},
      {"top_clusters", top},
      {"failures", {{"total", f.failures_in_window},
                    {"explained", f.failures_explained},
                    {"explained_share", o->explained_share ? json(*o->explained_share) : json(nullptr)}}},
  };
  return JsonResponse(200, body);
}

}  // namespace

json ToJson(const IncidentSummary& s) {
  const Incident& i = s.incident;
  return {{"id", i.id},
          {"key", i.key},
          {"title", i.title},
          {"status", std::string(Name(i.status))},
          {"severity", i.severity},
          {"rule", s.rule},
          {"category", s.category.empty() ? json(nullptr) : json(s.category)},
          {"cluster_id", OptId(i.cluster_id)},
          {"repo_id", OptId(i.repo_id)},
          {"repo", s.repo_name.empty() ? json(nullptr) : json(s.repo_name)},
          {"runs", s.runs},
          {"opened_at", Time(i.opened_at)},
          {"resolved_at", OptTime(i.resolved_at)},
          {"updated_at", Time(s.updated_at)}};
}

json ToJson(const IncidentDetail& d) {
  json j = ToJson(d.summary);
  json timeline = json::array();
  for (const IncidentEvent& e : d.timeline) timeline.push_back(EventJson(e));
  json history = json::array();
  for (const IncidentEvent& e : d.status_history) history.push_back(EventJson(e));
  json runs = json::array();
  for (const IncidentRun& r : d.related_runs) {
    runs.push_back({{"id", r.run_id},
                    {"repo_id", r.repo_id},
                    {"repo", r.repo_name},
                    {"status", std::string(Name(r.status))},
                    {"commit", r.commit},
                    {"created_at", Time(r.created_at)},
                    {"finished_at", OptTime(r.finished_at)}});
  }
  const IncidentImpact& im = d.impact;
  j["timeline"] = timeline;
  j["status_history"] = history;
  j["related_runs"] = runs;
  j["impact"] = {{"runs", im.runs},
                 {"repos", im.repos},
                 {"repo_names", im.repo_names},
                 {"tests", im.tests},
                 {"test_ids", im.test_ids},
                 {"failures", im.failures},
                 {"first_failure", OptTime(im.first_failure)},
                 {"last_failure", OptTime(im.last_failure)},
                 {"duration_ms", im.duration_ms}};
  if (d.root_cause) {
    const RootCause& rc = *d.root_cause;
    j["suspected_root_cause"] = {{"cluster_id", OptId(rc.cluster_id)}, {"category", rc.category},
                                 {"signature", rc.signature},          {"title", rc.title},
                                 {"hint", rc.hint},                    {"remediation", rc.remediation},
                                 {"confidence", rc.confidence}};
  } else {
    j["suspected_root_cause"] = nullptr;
  }
  if (d.suspects) {
    const SuspectCommits& s = *d.suspects;
    json last_good = s.last_good_run_id ? json{{"run_id", *s.last_good_run_id}, {"commit", s.last_good_commit}} : json(nullptr);
    json first_bad = s.first_bad_run_id ? json{{"run_id", *s.first_bad_run_id}, {"commit", s.first_bad_commit}} : json(nullptr);
    j["suspect_commits"] = {{"scope", s.scope},
                            {"last_good", last_good},
                            {"first_bad", first_bad},
                            {"range", s.last_good_commit.empty() || s.first_bad_commit.empty()
                                          ? json(nullptr)
                                          : json(s.last_good_commit + ".." + s.first_bad_commit)}};
  } else {
    j["suspect_commits"] = nullptr;
  }
  return j;
}

json ToJson(const SilenceRecord& s, EpochMs now) {
  return {{"id", s.id},
          {"repo_id", OptId(s.repo_id)},
          {"cluster_id", OptId(s.cluster_id)},
          {"reason", s.reason},
          {"starts_at", Time(s.starts_at)},
          {"ends_at", Time(s.ends_at)},
          {"created_at", Time(s.created_at)},
          {"active", s.starts_at <= now && now < s.ends_at},
          {"matches", s.matches}};
}

json IncidentRefJson(const std::map<std::int64_t, IncidentRef>& refs, std::int64_t cluster_id) {
  auto it = refs.find(cluster_id);
  if (it == refs.end()) return nullptr;
  return {{"id", it->second.id}, {"status", std::string(Name(it->second.status))}};
}

void AddIncidentRoutes(Router& router, std::shared_ptr<const ApiContext> ctx) {
  auto bind = [ctx](HttpResponse (*fn)(const ApiContext&, const HttpRequest&)) {
    return [ctx, fn](const HttpRequest& req) { return fn(*ctx, req); };
  };
  router.Add("GET", "/incidents", bind(ListIncidents));
  router.Add("GET", "/incidents/{id}", bind(GetIncident));
  router.Add("PATCH", "/incidents/{id}", bind(PatchIncident));
  router.Add("GET", "/incidents/{id}/postmortem", bind(Postmortem));
  router.Add("POST", "/silences", bind(CreateSilence));
  router.Add("GET", "/silences", bind(ListSilences));
  router.Add("DELETE", "/silences/{id}", bind(DeleteSilence));
  router.Add("GET", "/overview", bind(GetOverview));
}

}  // namespace sentinel::http
