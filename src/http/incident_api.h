#pragma once
// The incident routes (CONTRACT.md section 3): GET /incidents, GET/PATCH
// /incidents/{id}, GET /incidents/{id}/postmortem (text/markdown),
// POST/GET /silences, DELETE /silences/{id}, GET /overview; and the JSON of
// an incident reference for the cluster routes. Handlers parse, call one
// app/incidents use case and map the result. Registered by AddApiRoutes.

#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "http/router.h"
#include "ports/incident_store.h"

namespace sentinel::http {

struct ApiContext;

void AddIncidentRoutes(Router& router, std::shared_ptr<const ApiContext> context);

nlohmann::json ToJson(const IncidentSummary& summary);
nlohmann::json ToJson(const IncidentDetail& detail);
nlohmann::json ToJson(const SilenceRecord& silence, EpochMs now);

// {"id", "status"} or null: what GET /clusters[/{id}] show of a cluster's incident.
nlohmann::json IncidentRefJson(const std::map<std::int64_t, IncidentRef>& refs, std::int64_t cluster_id);

}  // namespace sentinel::http
