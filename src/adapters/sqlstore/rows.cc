#include "adapters/sqlstore/rows.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace sentinel::sqlstore {

Result<PageBounds> DecodePage(const ListQuery& q) {
  if (q.limit < 1 || q.limit > kMaxPageLimit) {
    return Fail(ErrorCode::kInvalidArgument,
                "limit must be between 1 and " + std::to_string(kMaxPageLimit) + ", got " + std::to_string(q.limit),
                "limit");
  }
  PageBounds b{q.limit, std::nullopt};
  if (q.cursor) {
    const std::string& c = *q.cursor;
    std::int64_t id = 0;
    auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), id);
    if (c.empty() || ec != std::errc() || ptr != c.data() + c.size() || id <= 0) {
      return Fail(ErrorCode::kInvalidArgument, "cursor '" + c + "' is not one this server returned", "cursor");
    }
    b.before_id = id;
  }
  return b;
}

const char* const kRunColumns =
    "r.id, r.repo_id, p.name, r.ref, r.commit_sha, r.scenario, r.status, r.attempt, r.worker, "
    "r.lease_expires_at, r.reason, r.category, r.created_at, r.started_at, r.finished_at";

std::optional<int> OptInt32(const SqlRow& row, size_t i) {
  auto v = row.OptInt(i);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

Result<Run> RunFromRow(const SqlRow& row) {
  Run r;
  r.id = row.Int(0);
  r.repo_id = row.Int(1);
  r.repo_name = row.Text(2);
  r.ref = row.Text(3);
  r.commit = row.Text(4);
  r.scenario = row.Text(5);
  auto status = ParseRunStatus(row.Text(6));
  if (!status) {
    return Fail(ErrorCode::kInternal,
                "run " + std::to_string(r.id) + " has an unknown status '" + row.Text(6) + "' in the database");
  }
  r.status = *status;
  r.attempt = static_cast<int>(row.Int(7));
  r.worker = row.Text(8);
  r.lease_expires_at = row.OptInt(9);
  r.reason = row.Text(10);
  // '' = not categorised yet.
  r.category = ParseFailureCategory(row.Text(11)).value_or(FailureCategory::kUnknown);
  r.created_at = row.Int(12);
  r.started_at = row.OptInt(13);
  r.finished_at = row.OptInt(14);
  return r;
}

Result<Repo> RepoFromRow(const SqlRow& row) {
  return Repo{row.Int(0), row.Text(1), row.Text(2), row.Int(3)};
}

Result<std::vector<std::string>> DecodeStrings(const std::string& json, const char* column) {
  std::vector<std::string> out;
  if (json.empty()) return out;
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) {
    return Fail(ErrorCode::kInternal, std::string("column ") + column + " does not hold a JSON array of strings");
  }
  for (const auto& e : j) {
    if (!e.is_string()) {
      return Fail(ErrorCode::kInternal, std::string("column ") + column + " holds a non-string element");
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<std::vector<EvidenceLine>> DecodeEvidence(const std::string& json, const char* column) {
  std::vector<EvidenceLine> out;
  if (json.empty()) return out;
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) {
    return Fail(ErrorCode::kInternal, std::string("column ") + column + " does not hold a JSON array");
  }
  for (const auto& e : j) {
    if (!e.is_object() || !e.contains("line") || !e["line"].is_number_integer() || !e.contains("text") ||
        !e["text"].is_string()) {
      return Fail(ErrorCode::kInternal,
                  std::string("column ") + column + " holds an element that is not {\"line\": int, \"text\": string}");
    }
    out.push_back(EvidenceLine{e["line"].get<int>(), e["text"].get<std::string>()});
  }
  return out;
}

}  // namespace sentinel::sqlstore
