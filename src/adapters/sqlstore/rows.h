#pragma once
// Helpers shared by the SQL stores: cursors, page limits and row -> model
// decoding. Internal to adapters/sqlstore. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "ports/db.h"
#include "ports/repo_store.h"

namespace sentinel::sqlstore {

inline constexpr int kMaxPageLimit = 500;

// Validates q.limit (1..kMaxPageLimit, field "limit") and decodes q.cursor (a
// positive id, field "cursor"); nullopt cursor = from the newest.
struct PageBounds {
  int limit = 50;
  std::optional<std::int64_t> before_id;
};
[[nodiscard]] Result<PageBounds> DecodePage(const ListQuery& q);

// Trims rows fetched with LIMIT limit+1 to a page and sets next_cursor.
template <class T, class IdOf>
Page<T> MakePage(std::vector<T> items, int limit, IdOf id_of) {
  Page<T> page;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(static_cast<size_t>(limit));
    page.next_cursor = std::to_string(id_of(items.back()));
  }
  page.items = std::move(items);
  return page;
}

// The columns RunFromRow expects, over `runs r JOIN repos p ON p.id = r.repo_id`.
extern const char* const kRunColumns;
[[nodiscard]] Result<Run> RunFromRow(const SqlRow& row);

[[nodiscard]] Result<Repo> RepoFromRow(const SqlRow& row);  // id, name, url, created_at

// JSON text columns.
[[nodiscard]] Result<std::vector<std::string>> DecodeStrings(const std::string& json, const char* column);
[[nodiscard]] Result<std::vector<EvidenceLine>> DecodeEvidence(const std::string& json, const char* column);

std::optional<int> OptInt32(const SqlRow& row, size_t i);

}  // namespace sentinel::sqlstore
