#include "adapters/sqlstore/sql_cluster_store.h"

#include <charconv>

#include "adapters/sqlstore/rows.h"

namespace sentinel::sqlstore {
namespace {

// Over `clusters c`; affected runs/repos counted from cluster_runs.
constexpr const char* kClusterColumns =
    "c.id, c.fingerprint, c.category, c.signature, c.title, c.template, c.occurrences, c.first_seen, c.last_seen, "
    "c.representative_run_id, c.excerpt, c.hint, "
    "(SELECT COUNT(*) FROM cluster_runs cr WHERE cr.cluster_id = c.id), "
    "(SELECT COUNT(DISTINCT cr.repo_id) FROM cluster_runs cr WHERE cr.cluster_id = c.id)";

Result<ClusterSummary> ClusterFromRow(const SqlRow& row) {
  ClusterSummary s;
  Cluster& c = s.cluster;
  c.id = row.Int(0);
  c.fingerprint = row.Text(1);
  // A category outside the vocabulary (an older KB) reads as unknown rather than failing the list.
  c.category = ParseFailureCategory(row.Text(2)).value_or(FailureCategory::kUnknown);
  c.signature = row.Text(3);
  c.title = row.Text(4);
  c.template_text = row.Text(5);
  c.occurrences = row.Int(6);
  c.first_seen = row.Int(7);
  c.last_seen = row.Int(8);
  s.representative_run_id = row.OptInt(9);
  auto excerpt = DecodeEvidence(row.Text(10), "clusters.excerpt");
  if (!excerpt) return Fail(excerpt.error());
  c.excerpt = std::move(*excerpt);
  c.hint = row.Text(11);
  c.affected_runs = row.Int(12);
  c.affected_repos = row.Int(13);
  return s;
}

struct ClusterCursor {
  EpochMs last_seen = 0;
  std::int64_t id = 0;
};

// "<last_seen>_<id>", both non-negative/positive decimals; nullopt otherwise.
std::optional<ClusterCursor> ParseCursor(const std::string& text) {
  const auto sep = text.find('_');
  if (sep == std::string::npos) return std::nullopt;
  ClusterCursor c;
  const char* begin = text.data();
  const char* mid = begin + sep;
  const char* end = begin + text.size();
  auto a = std::from_chars(begin, mid, c.last_seen);
  if (sep == 0 || a.ec != std::errc() || a.ptr != mid || c.last_seen < 0) return std::nullopt;
  auto b = std::from_chars(mid + 1, end, c.id);
  if (mid + 1 == end || b.ec != std::errc() || b.ptr != end || c.id <= 0) return std::nullopt;
  return c;
}

}  // namespace

Result<Page<ClusterSummary>> SqlClusterStore::List(const ClusterFilter& f) {
  // DecodePage checks the limit; the cursor is ours (not a plain id), so it is decoded here.
  auto bounds = DecodePage(ListQuery{f.page.limit, std::nullopt});
  if (!bounds) return Fail(bounds.error());
  std::optional<ClusterCursor> cursor;
  if (f.page.cursor) {
    cursor = ParseCursor(*f.page.cursor);
    if (!cursor) {
      return Fail(ErrorCode::kInvalidArgument, "cursor '" + *f.page.cursor + "' is not one this server returned",
                  "cursor");
    }
  }
  std::string where;
  SqlParams params;
  auto param = [&](SqlValue v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto add = [&](const std::string& cond) { where += (where.empty() ? " WHERE " : " AND ") + cond; };
  if (f.category) add("c.category = " + param(std::string(Name(*f.category))));
  if (f.repo_id) {
    add("EXISTS (SELECT 1 FROM cluster_runs cr WHERE cr.cluster_id = c.id AND cr.repo_id = " + param(*f.repo_id) +
        ")");
  }
  if (cursor) {
    const std::string seen = param(cursor->last_seen);
    const std::string seen_again = param(cursor->last_seen);
    const std::string id = param(cursor->id);
    add("(c.last_seen < " + seen + " OR (c.last_seen = " + seen_again + " AND c.id < " + id + "))");
  }
  auto r = db_.Exec(std::string("SELECT ") + kClusterColumns + " FROM clusters c" + where +
                        " ORDER BY c.last_seen DESC, c.id DESC LIMIT " + std::to_string(bounds->limit + 1),
                    params);
  if (!r) return Fail(r.error());
  std::vector<ClusterSummary> items;
  for (const SqlRow& row : r->rows) {
    auto c = ClusterFromRow(row);
    if (!c) return Fail(c.error());
    items.push_back(std::move(*c));
  }
  Page<ClusterSummary> page;
  if (static_cast<int>(items.size()) > bounds->limit) {
    items.resize(static_cast<size_t>(bounds->limit));
    const Cluster& last = items.back().cluster;
    page.next_cursor = std::to_string(last.last_seen) + "_" + std::to_string(last.id);
  }
  page.items = std::move(items);
  return page;
}

Result<ClusterDetail> SqlClusterStore::Get(std::int64_t id) {
  auto r = db_.Exec(std::string("SELECT ") + kClusterColumns + " FROM clusters c WHERE c.id = $1", {id});
  if (!r) return Fail(r.error());
  if (r->rows.empty()) return Fail(ErrorCode::kNotFound, "no cluster with id " + std::to_string(id), "id");
  ClusterDetail d;
  auto summary = ClusterFromRow(r->rows[0]);
  if (!summary) return Fail(summary.error());
  d.summary = std::move(*summary);
  auto runs = db_.Exec(
      "SELECT r.id, r.repo_id, p.name, r.status, r.created_at FROM cluster_runs cr "
      "JOIN runs r ON r.id = cr.run_id JOIN repos p ON p.id = r.repo_id WHERE cr.cluster_id = $1 "
      "ORDER BY r.created_at DESC, r.id DESC LIMIT " +
          std::to_string(kMaxDetailRuns),
      {id});
  if (!runs) return Fail(runs.error());
  for (const SqlRow& row : runs->rows) {
    ClusterRun cr;
    cr.run_id = row.Int(0);
    cr.repo_id = row.Int(1);
    cr.repo_name = row.Text(2);
    auto status = ParseRunStatus(row.Text(3));
    if (!status) return Fail(ErrorCode::kInternal, "run has an unknown status '" + row.Text(3) + "'");
    cr.status = *status;
    cr.created_at = row.Int(4);
    d.runs.push_back(std::move(cr));
  }
  return d;
}

}  // namespace sentinel::sqlstore
