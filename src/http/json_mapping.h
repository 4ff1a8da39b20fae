#pragma once
// JSON mapping of the API (CONTRACT.md section 3): domain values to JSON
// (times as RFC 3339 strings, lists as {"items", "next_cursor"}), and request
// bodies/query strings to values with 400 errors naming the field. Pure
// functions over nlohmann::json; thread-safe.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/health.h"
#include "core/base/result.h"
#include "core/model/model.h"
#include "http/message.h"
#include "ports/cluster_store.h"
#include "ports/repo_store.h"

namespace sentinel::http {

nlohmann::json ToJson(const Repo& repo);
nlohmann::json ToJson(const RepoSummary& summary);
nlohmann::json ToJson(const Run& run);
nlohmann::json ToJson(const RunDetail& detail);
nlohmann::json ToJson(const app::HealthReport& report);
nlohmann::json ToJson(const ClusterSummary& cluster);
nlohmann::json ToJson(const ClusterDetail& detail);  // the summary plus "runs"

template <class T>
nlohmann::json PageToJson(const Page<T>& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(ToJson(item));
  return {{"items", std::move(items)},
          {"next_cursor", page.next_cursor ? nlohmann::json(*page.next_cursor) : nlohmann::json(nullptr)}};
}

// 200 with the page of runs as {"items", "next_cursor"}: the same document as
// JsonResponse(200, PageToJson(page)), written straight to text (GET /runs is hot).
HttpResponse PageResponse(const Page<Run>& page);

// A JSON response; invalid UTF-8 in strings is replaced, never thrown on.
HttpResponse JsonResponse(int status, const nlohmann::json& body);

// The body as a JSON object; kInvalidArgument (field "body") when it is not one, or
// when it nests deeper than 32 levels (refused before parsing).
[[nodiscard]] Result<nlohmann::json> ParseJsonObject(const std::string& body);

// A string member: kInvalidArgument naming the field when missing (required) or not a string.
[[nodiscard]] Result<std::string> RequiredString(const nlohmann::json& object, const std::string& field);
[[nodiscard]] Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                                const std::string& field);

// ?limit= (default 50, also when empty; must be an integer, range checked by app) and ?cursor=.
[[nodiscard]] Result<ListQuery> ParseListQuery(const HttpRequest& request);

// The query parameter, if present and not empty (a form's unset filter is "").
std::optional<std::string> QueryParam(const HttpRequest& request, const std::string& name);

}  // namespace sentinel::http
