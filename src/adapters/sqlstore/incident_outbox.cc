#include "adapters/sqlstore/incident_outbox.h"

namespace sentinel::sqlstore {

Status QueueIncidentEvaluation(SqlSession& s, std::int64_t run_id, EpochMs now) {
  auto r = s.Exec("INSERT INTO incident_pending (run_id, at) VALUES ($1, $2) ON CONFLICT (run_id) DO NOTHING",
                  {run_id, now});
  if (!r) return Fail(r.error());
  return Ok();
}

}  // namespace sentinel::sqlstore
