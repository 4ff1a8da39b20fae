-- Operability (issue 11). Indexes the retention sweep (`sentinel gc`) needs to
-- find finished, unreferenced runs without scanning, and the outbox of
-- outgoing notifications (webhooks out). runs.finished_at and incident_runs.run_id are indexed by
-- 0004_incidents. Keep identical to migrations/postgres/0005_ops.sql (but the id type).

CREATE INDEX runs_retry_of_idx ON runs (retry_of);
CREATE INDEX clusters_representative_idx ON clusters (representative_run_id);
CREATE INDEX test_flakiness_last_failing_idx ON test_flakiness (last_failing_run_id);

-- One notification to one target: an event kind and its JSON payload, delivered
-- off the run path with retries and backoff. status: pending -> delivered, or
-- failed once the attempts are used up.
CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  target          TEXT NOT NULL,
  url             TEXT NOT NULL,
  event           TEXT NOT NULL,
  payload         TEXT NOT NULL,
  incident_id     BIGINT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  last_status     INTEGER,
  created_at      BIGINT NOT NULL,
  delivered_at    BIGINT,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX notifications_due_idx ON notifications (status, next_attempt_at);
CREATE INDEX notifications_incident_idx ON notifications (incident_id, id);
