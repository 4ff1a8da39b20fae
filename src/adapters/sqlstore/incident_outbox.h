#pragma once
// The incident evaluation outbox (internal to adapters/sqlstore): a run's
// finishing transaction queues the run for incident evaluation in
// incident_pending, so a crash between the finish and the evaluation loses
// nothing; SqlIncidentStore::EvaluateRun removes it in its own transaction.
// Stateless; thread-safe.

#include <cstdint>

#include "core/base/result.h"
#include "core/base/time.h"
#include "ports/db.h"

namespace sentinel::sqlstore {

// Idempotent (ON CONFLICT DO NOTHING). Call inside the transaction that ends the run.
[[nodiscard]] Status QueueIncidentEvaluation(SqlSession& s, std::int64_t run_id, EpochMs now);

}  // namespace sentinel::sqlstore
