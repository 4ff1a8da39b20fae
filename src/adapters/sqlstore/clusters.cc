#include "adapters/sqlstore/clusters.h"

#include <nlohmann/json.hpp>

#include "core/triage/cluster.h"

namespace sentinel::sqlstore {

std::string EncodeStrings(const std::vector<std::string>& v) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& s : v) j.push_back(s);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string EncodeEvidence(const std::vector<EvidenceLine>& v) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& e : v) j.push_back({{"line", e.line}, {"text", e.text}});
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::int64_t> UpsertCluster(SqlSession& s, std::int64_t run_id, const Failure& x, EpochMs now) {
  const Cluster seed = triage::UpdateCluster(Cluster{}, {&x, x.cluster_template, now, true, true});
  auto c = s.Exec(
      "INSERT INTO clusters (fingerprint, category, signature, title, template, occurrences, first_seen, last_seen, "
      "representative_run_id, excerpt, hint, kb_version, flaky_occurrences) "
      "VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7, $8, $9, $10, $11) "
      "ON CONFLICT (fingerprint) DO UPDATE SET occurrences = clusters.occurrences + 1, "
      "flaky_occurrences = clusters.flaky_occurrences + excluded.flaky_occurrences, "
      "last_seen = excluded.last_seen, kb_version = excluded.kb_version "
      "RETURNING id",
      {seed.fingerprint, std::string(Name(seed.category)), seed.signature, seed.title, seed.template_text, now, run_id,
       EncodeEvidence(seed.excerpt), seed.hint, x.kb_version, static_cast<std::int64_t>(x.flaky ? 1 : 0)});
  if (!c) return Fail(c.error());
  if (c->rows.empty()) return Fail(ErrorCode::kInternal, "cluster upsert returned no id");
  const std::int64_t id = c->rows[0].Int(0);
  auto link = s.Exec(
      "INSERT INTO cluster_runs (cluster_id, run_id, repo_id) SELECT $1, id, repo_id FROM runs WHERE id = $2 "
      "ON CONFLICT DO NOTHING",
      {id, run_id});
  if (!link) return Fail(link.error());
  return id;
}

}  // namespace sentinel::sqlstore
