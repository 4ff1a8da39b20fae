-- Sentinel Pipeline schema, SQLite dialect. The whole logical schema; it must
-- stay identical to migrations/postgres/0001_init.sql (same tables, columns,
-- constraints, indexes). Times are BIGINT epoch milliseconds (UTC); JSON is
-- TEXT; booleans are INTEGER 0/1. Append-only: change it with a new file.

CREATE TABLE IF NOT EXISTS schema_migrations (
  version    BIGINT PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at BIGINT NOT NULL
);

CREATE TABLE repos (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  url        TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- One CI run. `attempt` is the fencing token, bumped at every claim: a write
-- carrying an older attempt is rejected (and counted in stale_writes).
CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  repo_id          BIGINT NOT NULL REFERENCES repos(id),
  ref              TEXT NOT NULL DEFAULT '',
  commit_sha       TEXT NOT NULL DEFAULT '',
  scenario         TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'errored', 'cancelled')),
  attempt          INTEGER NOT NULL DEFAULT 0,
  worker           TEXT NOT NULL DEFAULT '',
  lease_expires_at BIGINT,
  retry_count      INTEGER NOT NULL DEFAULT 0,
  max_retries      INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  retry_of         BIGINT REFERENCES runs(id),
  reason           TEXT NOT NULL DEFAULT '',
  category         TEXT NOT NULL DEFAULT '',
  created_at       BIGINT NOT NULL,
  queued_at        BIGINT,
  started_at       BIGINT,
  finished_at      BIGINT,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX runs_status_idx ON runs (status, id);
CREATE INDEX runs_repo_idx ON runs (repo_id, id);
CREATE INDEX runs_created_idx ON runs (created_at);
CREATE INDEX runs_lease_idx ON runs (status, lease_expires_at);

CREATE TABLE run_events (
  id      INTEGER PRIMARY KEY,
  run_id  BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  at      BIGINT NOT NULL,
  kind    TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  attempt INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX run_events_run_idx ON run_events (run_id, id);

-- The steps of a run's current attempt (`attempt` = the run attempt that wrote them).
CREATE TABLE steps (
  run_id      BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  name        TEXT NOT NULL,
  command     TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'timed_out', 'skipped', 'errored')),
  exit_code   INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  timeout_ms  BIGINT,
  started_at  BIGINT,
  finished_at BIGINT,
  duration_ms BIGINT,
  log_path    TEXT NOT NULL DEFAULT '',
  warnings    TEXT NOT NULL DEFAULT '[]',
  attempt     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, idx)
);

-- Each start of a step (a step retried on an infrastructure failure has several).
CREATE TABLE step_attempts (
  run_id      BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  attempt_no  INTEGER NOT NULL,
  run_attempt INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL,
  exit_code   INTEGER,
  started_at  BIGINT,
  finished_at BIGINT,
  reason      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, idx, attempt_no)
);

CREATE TABLE test_results (
  id          INTEGER PRIMARY KEY,
  run_id      BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step_idx    INTEGER NOT NULL DEFAULT 0,
  suite       TEXT NOT NULL DEFAULT '',
  class_name  TEXT NOT NULL DEFAULT '',
  name        TEXT NOT NULL,
  test_id     TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'skipped', 'error')),
  duration_ms BIGINT NOT NULL DEFAULT 0,
  message     TEXT NOT NULL DEFAULT '',
  attempts    INTEGER NOT NULL DEFAULT 1,
  file        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX test_results_test_idx ON test_results (test_id, run_id);
CREATE INDEX test_results_run_idx ON test_results (run_id);

CREATE TABLE clusters (
  id                    INTEGER PRIMARY KEY,
  fingerprint           TEXT NOT NULL UNIQUE,
  category              TEXT NOT NULL,
  signature             TEXT NOT NULL DEFAULT '',
  title                 TEXT NOT NULL DEFAULT '',
  template              TEXT NOT NULL DEFAULT '',
  occurrences           BIGINT NOT NULL DEFAULT 0,
  first_seen            BIGINT NOT NULL,
  last_seen             BIGINT NOT NULL,
  representative_run_id BIGINT REFERENCES runs(id) ON DELETE SET NULL,
  excerpt               TEXT NOT NULL DEFAULT '[]',
  hint                  TEXT NOT NULL DEFAULT '',
  kb_version            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX clusters_last_seen_idx ON clusters (last_seen, id);

-- One triaged failure of a run (usually of its failing step).
CREATE TABLE failures (
  id          INTEGER PRIMARY KEY,
  run_id      BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step_idx    INTEGER NOT NULL DEFAULT 0,
  category    TEXT NOT NULL,
  signature   TEXT NOT NULL DEFAULT '',
  fingerprint TEXT NOT NULL DEFAULT '',
  cluster_id  BIGINT REFERENCES clusters(id) ON DELETE SET NULL,
  confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
  title       TEXT NOT NULL DEFAULT '',
  evidence    TEXT NOT NULL DEFAULT '[]',
  hints       TEXT NOT NULL DEFAULT '[]',
  remediation TEXT NOT NULL DEFAULT '[]',
  kb_version  TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL
);
CREATE INDEX failures_run_idx ON failures (run_id);
CREATE INDEX failures_cluster_idx ON failures (cluster_id);
CREATE INDEX failures_fingerprint_idx ON failures (fingerprint);

CREATE TABLE cluster_runs (
  cluster_id BIGINT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  run_id     BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  repo_id    BIGINT NOT NULL REFERENCES repos(id),
  PRIMARY KEY (cluster_id, run_id)
);
CREATE INDEX cluster_runs_run_idx ON cluster_runs (run_id);

CREATE TABLE test_flakiness (
  repo_id             BIGINT NOT NULL REFERENCES repos(id),
  test_id             TEXT NOT NULL,
  window_size         INTEGER NOT NULL,
  runs                INTEGER NOT NULL DEFAULT 0,
  failures            INTEGER NOT NULL DEFAULT 0,
  failure_ratio       DOUBLE PRECISION NOT NULL DEFAULT 0,
  flips               INTEGER NOT NULL DEFAULT 0,
  score               DOUBLE PRECISION NOT NULL DEFAULT 0,
  classification      TEXT NOT NULL CHECK (classification IN ('flaky', 'failing', 'stable')),
  last_failing_run_id BIGINT,
  updated_at          BIGINT NOT NULL,
  PRIMARY KEY (repo_id, test_id)
);
CREATE INDEX test_flakiness_class_idx ON test_flakiness (classification, score);

CREATE TABLE incidents (
  id                    INTEGER PRIMARY KEY,
  key                   TEXT NOT NULL,
  title                 TEXT NOT NULL,
  status                TEXT NOT NULL CHECK (status IN ('open', 'mitigating', 'resolved')),
  severity              TEXT NOT NULL DEFAULT 'minor',
  cluster_id            BIGINT REFERENCES clusters(id) ON DELETE SET NULL,
  repo_id               BIGINT REFERENCES repos(id),
  opened_at             BIGINT NOT NULL,
  resolved_at           BIGINT,
  updated_at            BIGINT NOT NULL,
  root_cause            TEXT NOT NULL DEFAULT '',
  root_cause_confidence DOUBLE PRECISION,
  note                  TEXT NOT NULL DEFAULT ''
);
-- At most one unresolved incident per key, even with concurrent analysers.
CREATE UNIQUE INDEX incidents_key_active_idx ON incidents (key) WHERE status <> 'resolved';
CREATE INDEX incidents_key_idx ON incidents (key, id);
CREATE INDEX incidents_status_idx ON incidents (status, id);

CREATE TABLE incident_events (
  id          INTEGER PRIMARY KEY,
  incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at          BIGINT NOT NULL,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL DEFAULT '',
  run_id      BIGINT
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, id);

CREATE TABLE incident_runs (
  incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  run_id      BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  PRIMARY KEY (incident_id, run_id)
);

CREATE TABLE workers (
  id             TEXT PRIMARY KEY,
  hostname       TEXT NOT NULL DEFAULT '',
  pid            BIGINT NOT NULL DEFAULT 0,
  started_at     BIGINT NOT NULL,
  heartbeat_at   BIGINT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'idle',
  current_run_id BIGINT
);

-- Writes rejected by the fencing token (a worker that lost its lease).
CREATE TABLE stale_writes (
  id      INTEGER PRIMARY KEY,
  run_id  BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  worker  TEXT NOT NULL DEFAULT '',
  at      BIGINT NOT NULL,
  what    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stale_writes_run_idx ON stale_writes (run_id);
